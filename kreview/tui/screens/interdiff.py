"""The interdiff of a patch or series against another version, in the
reader's message pane (same colours, same C highlighting, same keys)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from kreview.core.layout import DisplayLine
from kreview.tui.bindings import INTERDIFF
from kreview.tui.widgets.body_view import BodyView


class InterdiffView(BodyView):
    """A BodyView over lines made elsewhere (no message behind them)."""

    def show_lines(self, lines: list[DisplayLine]) -> None:
        self.parsed, self.blocks = None, []
        self.lines = lines
        self.cursor = 0
        self._after_layout()


class InterdiffScreen(Screen):
    BINDINGS = INTERDIFF

    def __init__(self, title: str, lines: list[DisplayLine]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="interdiff-title", markup=False)
        yield InterdiffView(id="interdiff-body")
        from kreview.tui.widgets.key_hints import KeyHints

        yield KeyHints()

    def on_mount(self) -> None:
        view = self.query_one(InterdiffView)
        view.show_lines(self.lines)
        view.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

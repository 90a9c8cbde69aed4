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
    """``lines`` None: shown before the comparison is done (it says so), and
    filled by :meth:`show_comparison` (kreview.tui.series_actions)."""

    BINDINGS = INTERDIFF

    def __init__(self, title: str, lines: list[DisplayLine] | None) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.done = lines is not None

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="interdiff-title", markup=False)
        yield InterdiffView(id="interdiff-body")
        from kreview.tui.widgets.key_hints import KeyHints

        yield KeyHints()

    def on_mount(self) -> None:
        view = self.query_one(InterdiffView)
        view.show_lines(self.lines if self.lines is not None else [DisplayLine("note", "Comparing versions …")])
        view.focus()

    def show_comparison(self, title: str, lines: list[DisplayLine]) -> None:
        self.title_text, self.lines, self.done = title, lines, True
        if self.is_attached:
            self.query_one("#interdiff-title", Static).update(title)
            self.query_one(InterdiffView).show_lines(lines)

    def comparison_failed(self, error: str) -> None:
        """Told in the screen, which was waiting for it (the app goes on)."""
        self.show_comparison(self.title_text, [DisplayLine("note", f"Could not compare the versions: {error}")])

    def give_up(self, why: str) -> None:
        """Nothing to compare after all: back where the key was pressed, told why."""
        if self.is_attached and self.app.screen is self:
            self.app.pop_screen()
        self.app.notify(why, severity="warning")

    def action_back(self) -> None:
        self.app.pop_screen()

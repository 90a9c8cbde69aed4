"""Screens for getting things out: a read-only text view (raw source, a piped
command's output, git's report) and the pipe prompt with its history.

Text shown here is mail or program output: it goes through
:func:`kreview.core.sanitize.clean` and into Textual's ``Log`` widget, which
draws plain ``Text`` (no markup), one line at a time (a big raw message
costs the lines on screen).
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Log, Static

from kreview.core.sanitize import clean

PIPE_SCOPES = ("message", "thread", "series")


class TextScreen(ModalScreen[None]):
    """A read-only view of some text; q or Escape closes it."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="text.close"),
        Binding("g,home", "top", "Top", id="text.top", show=False),
        Binding("G,end", "bottom", "Bottom", id="text.bottom", show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="text-box"):
            yield Static(Text(clean(self.title_text)), id="text-title")
            yield Log(id="text-log", auto_scroll=False)

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.write_lines(clean(self.text).expandtabs(8).split("\n"))
        log.scroll_home(animate=False)
        log.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_top(self) -> None:
        self.query_one(Log).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one(Log).scroll_end(animate=False)


class PipePrompt(ModalScreen[tuple[str, str] | None]):
    """Type a shell command; the message, thread or series is its stdin.

    Up/Down walk the history (newest first), ctrl+s changes what is piped.
    Dismisses with (scope, command) or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pipe.cancel"),
        Binding("up", "history(1)", "Older command", id="pipe.older", show=False),
        Binding("down", "history(-1)", "Newer command", id="pipe.newer", show=False),
        Binding("ctrl+s", "next_scope", "Message/thread/series", id="pipe.scope"),
    ]

    def __init__(self, history: list[str], scope: str = "message", scopes=PIPE_SCOPES) -> None:
        super().__init__()
        self.history = history  # newest last; shared with the app so it outlives the prompt
        self.scopes = tuple(scopes)
        self.scope = scope if scope in self.scopes else self.scopes[0]
        self._at = len(history)
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="pipe-box"):
            yield Label(self._label(), id="pipe-label")
            yield Input(placeholder="command, e.g. git am -3, b4 mbox -, grep -c '^+'", id="pipe-input")
            yield Static("Enter runs · ↑/↓ history · ctrl+s: message / thread / series · Escape cancels",
                         id="pipe-keys")

    def _label(self) -> Text:
        return Text(f"Pipe the {self.scope} (as an mbox) to:")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_next_scope(self) -> None:
        self.scope = self.scopes[(self.scopes.index(self.scope) + 1) % len(self.scopes)]
        self.query_one("#pipe-label", Label).update(self._label())

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        field = self.query_one(Input)
        if self._at == len(self.history):
            self._typed = field.value
        self._at = max(0, min(len(self.history), self._at - step))
        field.value = self.history[self._at] if self._at < len(self.history) else self._typed
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        command = event.value.strip()
        if not command:
            return
        if command in self.history:
            self.history.remove(command)
        self.history.append(command)
        del self.history[:-100]
        self.dismiss((self.scope, command))

    def action_cancel(self) -> None:
        self.dismiss(None)

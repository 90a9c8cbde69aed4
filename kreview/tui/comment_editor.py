"""The box a review comment is typed in, docked under the message pane: one
line that grows with the text into a small multi-line editor (up to a dozen
rows), or $EDITOR for a long one.

A widget of the thread screen, not a modal screen: the patch stays in view
while the reviewer types, and opening it costs no repaint of the screen
behind a translucent modal (which, over a 200-column patch, cost more than
the rest of comment mode together).

Every change is handed to ``on_change`` (the screen writes it to the review
file as the pending comment), so a crash while typing loses nothing.
Escape keeps what was typed (an unchanged text is a cancel); an empty text
deletes the comment.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from kreview.tui.mail_text import plain_line

COMMENT_EDITOR = [
    Binding("ctrl+s", "save", "Save comment", id="comment_editor.save"),
    Binding("escape", "close", "Keep and close", id="comment_editor.close"),
    Binding("ctrl+e", "external", "Edit in $EDITOR", id="comment_editor.editor"),
]


class CommentBox(Vertical):
    BINDINGS = COMMENT_EDITOR

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.original = ""
        self.on_change: Callable[[str], None] | None = None
        self.on_done: Callable[[str | None], None] | None = None
        self.is_open = False

    def compose(self) -> ComposeResult:
        yield Static("", id="comment-title", markup=False)
        yield TextArea("", id="comment-text", soft_wrap=True, show_line_numbers=False)
        yield Static("ctrl+s or Esc: keep · empty text: delete · ctrl+e: $EDITOR", id="comment-keys")

    @property
    def area(self) -> TextArea:
        return self.query_one(TextArea)

    @property
    def text(self) -> str:
        return self.area.text

    def open(self, where: str, text: str, on_change: Callable[[str], None],
             on_done: Callable[[str | None], None]) -> None:
        self.original, self.on_change, self.on_done = text, None, on_done
        self.query_one("#comment-title", Static).update(plain_line(f"Comment on {where}"))
        self.area.load_text(text)
        self.on_change = on_change  # after load_text: loading is not typing
        self.is_open = True
        self.display = True
        self._grow()
        self.area.focus()
        self.area.move_cursor(self.area.document.end)

    def _grow(self) -> None:
        # One row for a short comment, up to twelve as it grows.
        rows = min(max(self.area.document.line_count, 1), 12)
        if self.area.styles.height is None or self.area.styles.height.value != rows:
            self.area.styles.height = rows

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._grow()
        if self.is_open and self.on_change is not None:
            self.on_change(self.area.text)

    def _finish(self, text: str | None) -> None:
        done, self.on_done, self.on_change = self.on_done, None, None
        self.is_open = False
        self.display = False
        if done is not None:
            done(text)

    def action_save(self) -> None:
        self._finish(self.text)

    def action_close(self) -> None:
        self._finish(None if self.text == self.original and self.original else self.text)

    def action_external(self) -> None:
        from kreview.tui.editor_suspend import edit_draft_in_app

        fd, name = tempfile.mkstemp(prefix="kreview-comment-", suffix=".txt")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.text)
            result = edit_draft_in_app(self.app, path)
            if result.ok:
                self.area.load_text(path.read_text("utf-8").rstrip("\n"))
            else:
                self.app.notify(result.describe(), severity="error")
        finally:
            path.unlink(missing_ok=True)

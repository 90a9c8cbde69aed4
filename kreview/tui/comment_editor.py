"""The box a review comment is typed in: one line that grows with the text
into a small multi-line editor (up to a dozen rows), or $EDITOR for a long one.

Every change is handed to ``on_change`` (the pane writes it to the review
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
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from kreview.core.sanitize import clean_line

COMMENT_EDITOR = [
    Binding("ctrl+s", "save", "Save comment", id="comment_editor.save"),
    Binding("escape", "close", "Keep and close", id="comment_editor.close"),
    Binding("ctrl+e", "external", "Edit in $EDITOR", id="comment_editor.editor"),
]


class CommentEditor(ModalScreen[str | None]):
    BINDINGS = COMMENT_EDITOR

    def __init__(self, where: str, text: str = "", on_change: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.where = where
        self.original = text
        self.on_change = on_change

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-box"):
            yield Static(f"Comment on {clean_line(self.where)}", id="comment-title", markup=False)
            area = TextArea(self.original, id="comment-text", soft_wrap=True, show_line_numbers=False)
            yield area
            yield Static("ctrl+s or Esc: keep · empty text: delete · ctrl+e: $EDITOR", id="comment-keys")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self._grow(area)

    def _grow(self, area: TextArea) -> None:
        # One row for a short comment, up to twelve as it grows.
        area.styles.height = min(max(area.document.line_count, 1), 12) + 2

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        self._grow(event.text_area)
        if self.on_change is not None:
            self.on_change(event.text_area.text)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_close(self) -> None:
        self.dismiss(None if self.text == self.original and self.original else self.text)

    def action_external(self) -> None:
        from kreview.tui.compose import edit_draft_in_app

        fd, name = tempfile.mkstemp(prefix="kreview-comment-", suffix=".txt")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.text)
            result = edit_draft_in_app(self.app, path)
            if result.ok:
                self.query_one(TextArea).load_text(path.read_text("utf-8").rstrip("\n"))
                self._changed(TextArea.Changed(self.query_one(TextArea)))
            else:
                self.notify(result.describe(), severity="error")
        finally:
            path.unlink(missing_ok=True)

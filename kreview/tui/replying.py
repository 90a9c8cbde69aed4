"""Reply, review-reply, edit and send drafts from the thread screen.

The order is what keeps a draft safe: the draft is written to the drafts
Maildir and indexed (tag ``draft``) in a worker *before* the editor starts;
the editor runs with the app suspended on the UI thread; the result is filed
by :func:`kreview.core.drafts.finish_edit`, which keeps the draft whatever the
editor did and says where it is.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kreview.config import IdentityOverride
from kreview.core.drafts import Draft, finish_edit, read_before_edit, resume_draft, write_draft
from kreview.core.editor import EditorResult
from kreview.core.reply import build_reply
from kreview.core.sending import check_trailers, send_draft
from kreview.core.store import StoreError
from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.editor_suspend import edit_draft_in_app
from kreview.tui.mail_text import plain


class Confirm(ModalScreen[bool]):
    """A yes/no question; y or Enter says yes."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape,q", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(plain(self.question), id="confirm-text")
            yield Static("y: yes    n: no", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ReplyMixin:
    """Reply actions for the thread screen (what they use of it: ThreadHost)."""

    def _identity(self):
        return IdentityOverride.applied(self.app.kreview_config, self.store.identity)

    def action_reply(self) -> None:
        self._start_reply(reply_all=False)

    def action_reply_all(self) -> None:
        self._start_reply(reply_all=True)

    def action_reply_trailer(self, kind: str) -> None:
        self._start_reply(reply_all=True, trailer=kind.lower())

    def action_reply_hunk(self) -> None:
        hunk = self.body.current_hunk_text()
        if hunk is None:
            self.notify("Put the cursor on a diff hunk in the message pane first (Tab, then ] to a hunk).",
                        severity="warning")
            return
        self._start_reply(reply_all=True, quote_text=hunk)

    def _start_reply(self, **options) -> None:
        if self.parsed is None or self.shown is None:
            self.notify("No message is shown to reply to.", severity="warning")
            return
        if not self._identity().primary_email:
            self.notify("Your address is unknown: set user.primary_email in the notmuch config "
                        "or [identity] email in kreview's config.", severity="warning")
        self._write_reply(self.parsed, options, self.shown.message_id)

    @in_background(group="draft", failure="Could not create the draft")
    def _write_reply(self, parsed, options, replied_to: str | None = None):
        message = build_reply(parsed, self._identity(), **options)
        draft = write_draft(self.store, message, self.app.kreview_config.drafts_folder)
        return ui(self._edit, draft, replied_to)

    def _edit(self, draft: Draft, replied_to: str | None = None) -> None:
        before = read_before_edit(draft)  # whatever the editor does to the file, this text is kept
        result = edit_draft_in_app(self.app, draft.path)
        # Back from the editor on the tree, on the message replied to: j/k
        # move between messages (not in the draft's text), and a second r
        # answers that message again, not one's own draft.
        self.tree.focus()
        self._finish(draft, result, before, replied_to)

    @in_background(group="draft", failure="The draft was not saved")
    def _finish(self, draft: Draft, result: EditorResult, before: bytes | None,
                replied_to: str | None = None):
        try:
            outcome = finish_edit(self.store, draft, result, before)
        except (StoreError, OSError, ValueError) as exc:  # the user must be told where their text is
            return ui(self.notify, f"{exc}; the draft file is at {draft.path}", severity="error", timeout=15)
        to_ui(self.notify, outcome.message, severity="information" if outcome.ok else "error",
              timeout=6 if outcome.ok else 20)
        return ui(self.reload_thread, replied_to or outcome.draft.message_id)

    def _current_draft(self) -> Draft | None:
        node = self.tree.current
        if node is None or "draft" not in node.tags:
            self.notify("The selected message is not a draft (tag:draft).", severity="warning")
            return None
        try:
            return resume_draft(self.store, node.message_id)
        except (ValueError, StoreError) as exc:
            self.notify(str(exc), severity="error")
            return None

    def action_edit_draft(self) -> None:
        draft = self._current_draft()
        if draft is not None:
            self._edit(draft)

    def action_send_draft(self) -> None:
        draft = self._current_draft()
        if draft is None:
            return
        command = self.app.kreview_config.send_command
        if not command:
            self.notify("No send_command in the kreview config (e.g. send_command = [\"msmtp\", \"-t\"]).",
                        severity="warning", timeout=10)
            return
        draft_warnings = getattr(self, "draft_warnings", None)  # the review checks (tui/reviewing.py)
        warnings = draft_warnings(draft) if draft_warnings else check_trailers(draft.path.read_bytes(), self._identity())
        question = f"Send this draft with {' '.join(command)}?"
        if warnings:
            question = "Warning: " + "\n".join(warnings) + "\n\n" + question

        def answered(yes: bool | None) -> None:
            if yes:
                self._send(draft, list(command))

        self.app.push_screen(Confirm(question), answered)

    @in_background(group="draft", failure="Not sent")
    def _send(self, draft: Draft, command: list[str]):
        result = send_draft(self.store, draft, command, self.app.kreview_config.sent_folder)
        if result.ok and hasattr(self, "review_sent"):
            self.review_sent(draft.message_id)  # the review's comments are done with
        to_ui(self.notify, result.message, severity="information" if result.ok else "error", timeout=15)
        return ui(self.reload_thread, None)

"""Review comments on the thread screen: kept on disk as they are typed,
brought back with the message, and turned into review reply drafts.

- each change in the pane (``BodyView.CommentsChanged``) is written to the
  message's review file by a worker, newest change last (a sequence number
  keeps an older write from landing after a newer one);
- showing a message loads its review; a comment that was being typed when
  kreview died comes back as a comment, and the reviewer is told;
- ``W`` makes the review draft of the message (a trailer is chosen first);
  when several messages of the thread have comments (a series), one draft
  per commented message, listed to be sent together;
- ``R``/``K``/``T`` on a commented patch make its review draft with that
  trailer; on a patch without comments they quote its commit message only
  (``quote_on_trailer_reply``);
- ``X`` discards the comments of the message; a sent review's file goes.
"""
from __future__ import annotations

import threading

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from kreview import paths
from kreview.core.blocks import split_blocks
from kreview.core.comments import Review, ReviewStore
from kreview.core.draft_checks import check_draft_in_store
from kreview.core.drafts import Draft, write_draft
from kreview.core.parse import read_message
from kreview.core.review_reply import build_review_reply, commit_message_quote, parse_patch_numbers
from kreview.core.series import parse_subject
from kreview.tui.background import in_background, ui
from kreview.tui.widgets.body_view import BodyView

TRAILER_CHOICES = [("No trailer", 0), ("Reviewed-by", 1), ("Acked-by", 2), ("Tested-by", 3)]
# On a cover letter the trailer may be for some patches only ("For patches 1-3:").
SCOPED_CHOICES = [("Reviewed-by, for some patches (For patches 1-3:)", 4),
                  ("Acked-by, for some patches", 5), ("Tested-by, for some patches", 6)]
_TRAILER_OF = {0: None, 1: "reviewed-by", 2: "acked-by", 3: "tested-by",
               4: "reviewed-by", 5: "acked-by", 6: "tested-by"}


class PatchScope(ModalScreen[str | None]):
    """Which patches of the series a trailer on the cover letter is for."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="scope.cancel")]

    def compose(self) -> ComposeResult:
        yield Label("The trailer is for patches (e.g. 1-3,5); Enter:", id="tag-prompt-label")
        yield Input(placeholder="1-3", id="tag-prompt")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def review_store() -> ReviewStore:
    """Where reviews are kept: <data dir>/reviews, beside nothing the mail indexer reads."""
    return ReviewStore(paths.data_dir() / "reviews")


class ReviewMixin:
    """Review comments and drafts for the thread screen (what they use of it: ThreadHost; and ReplyMixin's replies)."""

    _review_lock = threading.Lock()
    _review_seq = 0
    _review_written: dict[str, int] = {}

    @property
    def reviews_kept(self) -> ReviewStore:
        return review_store()

    def _review_config(self, name: str, default):
        return getattr(self.app.kreview_config, name, default)

    # -- keeping comments ------------------------------------------------

    # A named handler, not @on: Textual collects @on handlers only from
    # MessagePump classes, and this is a mixin.
    def on_body_view_comments_changed(self, event: BodyView.CommentsChanged) -> None:
        if self.shown is None or self.parsed is None:
            return
        old = getattr(self, "_open_review", None)
        review = Review(self.shown.message_id, tuple(event.comments), event.pending,
                        self.parsed.headers.subject, self.shown.thread_id,
                        old.draft_id if old is not None and old.message_id == self.shown.message_id else "")
        self._open_review = review
        ReviewMixin._review_seq += 1
        self._save_review(review, ReviewMixin._review_seq, event.final)

    @in_background(group="review-save", failure="Could not save the review comments")
    def _save_review(self, review: Review, seq: int, durable: bool) -> None:
        with ReviewMixin._review_lock:
            if ReviewMixin._review_written.get(review.message_id, 0) > seq:
                return  # a newer state of this review is already on disk
            self.reviews_kept.save(review, durable=durable)
            ReviewMixin._review_written[review.message_id] = seq

    @in_background(group="review-load", exclusive=True, failure="Could not read the review comments")
    def load_review(self, message_id: str):
        review = self.reviews_kept.load(message_id)
        if review is not None:
            return ui(self._review_loaded, review)

    def _review_loaded(self, review: Review) -> None:
        if self.shown is None or self.shown.message_id != review.message_id:
            return
        comments = review.comments
        if review.pending is not None and review.pending.text.strip():
            # Typed when kreview stopped: it is the reviewer's text, keep it.
            comments = tuple(c for c in comments if c.id != review.pending.id) + (review.pending,)
            self.notify("A comment you were typing was restored.", timeout=6)
        self._open_review = Review(review.message_id, comments, None, review.subject, review.thread_id,
                                   review.draft_id)
        self.body.set_comments(comments)
        if review.pending is not None:
            ReviewMixin._review_seq += 1
            self._save_review(self._open_review, ReviewMixin._review_seq, True)

    def review_sent(self, draft_id: str) -> None:
        """A draft was sent: the review it came from is done (call from a worker)."""
        try:
            self.reviews_kept.forget_draft([draft_id])
        except OSError:
            pass

    async def on_body_view_comment_edit_requested(self, event) -> None:
        from textual.css.query import NoMatches

        from kreview.tui.comment_editor import CommentBox

        try:
            box = self.query_one(CommentBox)
        except NoMatches:
            # Made on the first comment only: a thread read without commenting costs nothing.
            box = CommentBox(id="comment-box")
            await self.mount(box)
        box.open(event.where, event.text, event.typed, event.done)

    # -- discarding --------------------------------------------------------

    def action_review_discard(self) -> None:
        from kreview.tui.replying import Confirm

        comments = list(self.body.review_comments)
        if self.shown is None or not comments:
            self.notify("This message has no review comments.")
            return
        message_id = self.shown.message_id

        def answered(yes: bool | None) -> None:
            if yes and self.shown is not None and self.shown.message_id == message_id:
                self.body.set_comments([])
                self.body.post_message(BodyView.CommentsChanged(()))

        self.app.push_screen(Confirm(f"Discard the {len(comments)} review comment(s) on this message?"), answered)

    # -- review drafts -----------------------------------------------------

    def action_review_draft(self) -> None:
        if self.shown is None or self.parsed is None:
            self.notify("No message is shown.", severity="warning")
            return
        from kreview.tui.screens.pickers import Picker

        info = parse_subject(self.parsed.headers.subject)
        cover = info.is_patch and not info.is_reply and info.index == 0 and info.total > 1

        def scoped(text: str | None, trailer: str) -> None:
            if text is None:
                return
            try:
                numbers = parse_patch_numbers(text)
            except ValueError as exc:
                self.notify(str(exc), severity="warning")
                return
            self._collect_reviews(trailer, numbers)

        def chosen(value: int | None) -> None:
            if value is None:
                return
            if value >= 4:
                self.app.push_screen(PatchScope(), lambda text: scoped(text, _TRAILER_OF[value]))
            else:
                self._collect_reviews(_TRAILER_OF[value])

        choices = TRAILER_CHOICES + (SCOPED_CHOICES if cover else [])
        self.app.push_screen(Picker("Review reply: which trailer goes last? (Enter)", choices), chosen)

    def action_reply_trailer(self, kind: str) -> None:
        """R/K/T: the review draft with that trailer when the patch has comments;
        otherwise a reply quoting the commit message (not the whole patch)."""
        if self.parsed is None or self.shown is None:
            self.notify("No message is shown to reply to.", severity="warning")
            return
        trailer = kind.lower()
        if self.body.review_comments:
            self._make_review_drafts([(self.shown.message_id, self.parsed, tuple(self.body.review_comments), ())],
                                     trailer)
            return
        mode = self._review_config("quote_on_trailer_reply", "message")
        head = commit_message_quote(self.parsed, mode)
        if head == "":
            self._make_review_drafts([(self.shown.message_id, self.parsed, (), ())], trailer)
        elif head is None:
            self._start_reply(reply_all=True, trailer=trailer)
        else:
            self._start_reply(reply_all=True, trailer=trailer, quote_text=head)

    def _collect_reviews(self, trailer: str | None, scope: list[int] | None = None) -> None:
        """The commented messages of this thread (the shown one first), then their drafts.
        ``scope``: the patches a trailer on the shown cover letter is for."""
        shown = self.shown
        current = (shown.message_id, self.parsed, tuple(self.body.review_comments), tuple(scope or ()))
        others = [n for n in self.tree.messages if not n.missing and n.message_id != shown.message_id]
        self._gather_and_make(current, others, trailer)

    @in_background(group="draft", failure="Could not create the review draft")
    def _gather_and_make(self, current, others, trailer):
        items = [current] if current[2] or current[3] else []
        try:
            kept = self.reviews_kept.for_messages([n.message_id for n in others])
        except OSError:
            kept = {}
        for node in others:
            review = kept.get(node.message_id)
            if review is None or not review.comments:
                continue
            items.append((node.message_id, read_message(node.path), review.comments, ()))
        if not items:
            return ui(self.notify, "No review comments in this thread yet: put the cursor on a line of the "
                      "message (Tab, j/k) and press c.", severity="warning", timeout=8)
        return self._make_review_drafts_now(items, trailer)

    @in_background(group="draft", failure="Could not create the review draft")
    def _make_review_drafts(self, items, trailer):
        return self._make_review_drafts_now(items, trailer)

    def _make_review_drafts_now(self, items, trailer):
        """(In a worker.) One draft per (message_id, parsed, comments, scope);
        what to show on the UI thread (a draft that cannot be made raises)."""
        identity = self._identity()
        context = self._review_config("review_context_lines", 3)
        folder = self._review_config("drafts_folder", "Drafts")
        made: list[tuple[Draft, str]] = []
        for message_id, parsed, comments, scope in items:
            blocks = split_blocks(parsed.text, patches=parsed.patches)
            message = build_review_reply(parsed, identity, comments, blocks=blocks, trailer=trailer,
                                         scope=scope, context=context)
            draft = write_draft(self.store, message, folder)
            if comments:
                try:
                    review = self.reviews_kept.load(message_id) or Review(message_id, tuple(comments))
                    self.reviews_kept.save(Review(message_id, tuple(comments), None, review.subject or
                                                  parsed.headers.subject, review.thread_id,
                                                  draft.message_id))
                except (OSError, ValueError):
                    pass
            made.append((draft, parsed.headers.subject))
        if len(made) == 1:
            return ui(self._edit, made[0][0])
        return ui(self._list_review_drafts, made)

    def _list_review_drafts(self, made: list[tuple[Draft, str]]) -> None:
        """A series review: the drafts, to edit one or send them all together."""
        from kreview.tui.screens.pickers import Picker

        items = [(f"Send all {len(made)} review drafts now", -1)]
        items += [(f"Edit: Re: {subject}", i) for i, (_, subject) in enumerate(made)]

        def chosen(value: int | None) -> None:
            if value is None:
                self.notify(f"{len(made)} review drafts saved (tag:draft).")
                self.reload_thread(None)
            elif value == -1:
                self._confirm_send_all([d for d, _ in made])
            else:
                self._edit(made[value][0])

        self.app.push_screen(Picker(f"{len(made)} review drafts, one per commented patch", items), chosen)

    def _confirm_send_all(self, drafts: list[Draft]) -> None:
        from kreview.tui.replying import Confirm

        command = self._review_config("send_command", None)
        if not command:
            self.notify("No send_command in the kreview config (e.g. send_command = [\"msmtp\", \"-t\"]).",
                        severity="warning", timeout=10)
            return
        warnings: list[str] = []
        for draft in drafts:
            for warning in check_draft_in_store(self.store, draft.path.read_bytes(), self._identity()):
                warnings.append(f"{draft.path.name[:24]}…: {warning}")
        question = f"Send {len(drafts)} review drafts with {' '.join(command)}?"
        if warnings:
            question = "Warning: " + "\n".join(warnings) + "\n\n" + question

        def answered(yes: bool | None) -> None:
            if yes:
                for draft in drafts:
                    self._send(draft, list(command))

        self.app.push_screen(Confirm(question), answered)

    def draft_warnings(self, draft: Draft) -> list[str]:
        """What the send confirmation asks about (see core.draft_checks)."""
        return check_draft_in_store(self.store, draft.path.read_bytes(), self._identity())


"""Keyboard tagging shared by the search and thread screens.

A screen says what the keys act on (:meth:`TaggingMixin.tag_target`) and how
to redraw after a write (:meth:`TaggingMixin.tags_changed`); this module does
the rest: the prompt with completion, toggles, review tags, undo. Every write
runs in a thread worker (a locked database may make it wait) and goes through
the store's single write path; on failure nothing on screen changes and the
error is shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from kreview.core.model import TagChange
from kreview.core.sanitize import is_clean
from kreview.core.store import StoreError
from kreview.core.tagops import (
    ARCHIVE,
    FLAGGED_TAG,
    UNREAD_TAG,
    TagOps,
    UndoStack,
    complete,
    parse_tag_ops,
    toggle,
)
from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.mail_text import plain_line

# Review tags on the digit keys unless config.toml's [tag_keys] says otherwise.
DEFAULT_REVIEW_KEYS = {
    "1": "+reviewed -needs-work",
    "2": "+needs-work -reviewed",
    "3": "+applied -inbox",
}


@dataclass(frozen=True)
class TagTarget:
    """What a tag key acts on: messages by id, or every message of a query."""

    label: str  # "this message", "3 marked threads" ...
    message_ids: tuple[str, ...] = ()
    query: str | None = None
    tags_now: frozenset[str] = frozenset()  # for toggles


class TagSuggester(Suggester):
    """Completes the last word of ``+a -b`` from the tags the database has."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        found = complete(value, self.tags)
        return found[0] if found else None


class TagPrompt(ModalScreen[str | None]):
    """Asks for ``+tag -tag``; dismisses with the text, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tag_prompt.cancel")]

    def __init__(self, label: str, tags: list[str]) -> None:
        super().__init__()
        self.label = label
        self.suggester = TagSuggester(tags)

    def compose(self) -> ComposeResult:
        yield Label(plain_line(f"Tags for {self.label}:  +add -remove  (→ completes, Enter applies, Esc cancels)"),
                    id="tag-prompt-label")
        yield Input(placeholder="+reviewed -inbox", suggester=self.suggester, id="tag-prompt")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def review_key_map(config) -> dict[str, str]:
    """Keys for tag operations: the defaults, overridden by [tag_keys]."""
    keys = dict(DEFAULT_REVIEW_KEYS)
    keys.update(getattr(config, "tag_keys", {}) or {})
    return keys


class TaggingMixin:
    """Tag actions for a Screen. Needs ``self.store`` and ``self.app.undo_stack``."""

    def bind_tag_keys(self, config) -> None:
        """Bind [tag_keys] (and the review-tag defaults) on this screen."""
        from kreview.tui.textual_compat import bind_on

        for key, ops in review_key_map(config).items():
            bind_on(self, key, f"tag_keys({ops!r})", ops, show=False)

    def tag_target(self, whole_thread: bool) -> TagTarget | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def tags_changed(self, change: TagChange) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- actions bound in bindings.TAGGING ------------------------------

    def action_archive(self) -> None:
        self._apply(self.tag_target(False), ARCHIVE)

    def action_archive_thread(self) -> None:
        self._apply(self.tag_target(True), ARCHIVE)

    def action_toggle_unread(self) -> None:
        self._toggle(UNREAD_TAG)

    def action_toggle_flagged(self) -> None:
        self._toggle(FLAGGED_TAG)

    def action_toggle_muted(self) -> None:
        """Mute the whole thread (bindings.MUTE), or unmute it: core.muting."""
        from kreview.core.muting import MUTED_TAG

        target = self.tag_target(True)
        if target is not None:
            self._apply(target, toggle(target.tags_now, MUTED_TAG))

    def action_tag_keys(self, ops: str) -> None:
        self._apply(self.tag_target(False), parse_tag_ops(ops))

    def action_tag_prompt(self) -> None:
        target = self.tag_target(False)
        if target is None:
            return
        # The prompt opens at once, so the keys typed after `t` land in it;
        # the tags it completes from follow from a worker.
        prompt = self._show_prompt(target)
        self._load_completions(prompt.suggester)

    @in_background(group="tag-prompt", failure="Could not complete tags")
    def _load_completions(self, suggester: "TagSuggester") -> None:
        try:
            tags = self.store.all_tags()
        except StoreError:
            tags = []
        # A tag holding a control cannot be typed, and its completion would
        # be drawn raw inside the input: not offered.
        suggester.tags = [tag for tag in tags if is_clean(tag)]  # a list swapped whole: the UI thread sees old or new

    def _show_prompt(self, target: TagTarget) -> "TagPrompt":
        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                ops = parse_tag_ops(text)
            except ValueError as exc:
                self.notify(str(exc), severity="error", title="Not applied")
                return
            self._apply(target, ops)

        prompt = TagPrompt(target.label, [])
        self.app.push_screen(prompt, done)
        return prompt

    def action_undo_tags(self) -> None:
        undo: UndoStack = self.app.undo_stack
        if undo.peek() is None:
            self.notify("Nothing to undo.")
            return
        self._undo()

    # -- the writes -------------------------------------------------------

    def _toggle(self, tag: str) -> None:
        target = self.tag_target(False)
        if target is not None:
            self._apply(target, toggle(target.tags_now, tag))

    def _apply(self, target: TagTarget | None, ops: TagOps) -> None:
        if target is None or not ops:
            return
        self._write(target, ops)

    @in_background(group="tag-write", failure="Tags not changed")
    def _write(self, target: TagTarget, ops: TagOps):
        notes = len(self.store.recovery_notes)
        try:
            ids = list(target.message_ids)
            if target.query is not None:
                ids = [node.message_id for node in self.store.messages(target.query)]
            change = self.app.undo_stack.apply(self.store, ids, ops)
        finally:
            # A write first finishes what a killed kreview (or a locked save) left: say so.
            for note in self.store.recovery_notes[notes:]:
                to_ui(self.notify, note, severity="warning", timeout=15, markup=False)
        return ui(self._written, change, f"{ops.describe()} on {target.label}")

    @in_background(group="tag-write", failure="Undo failed")
    def _undo(self):
        change = self.app.undo_stack.undo(self.store)
        if change is not None:
            return ui(self._written, change, "undone")

    def _written(self, change: TagChange, what: str) -> None:
        self.notify(what, timeout=3)
        self.tags_changed(change)

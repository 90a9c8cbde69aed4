"""Tag operations as the user types them (``+a -b c``) and an undo history.

The UI only parses, toggles and pushes here; every write still goes through
:meth:`Store.change_tags`, the single write path, and an undo goes through
:meth:`Store.restore_tags` so a tag the user set is never lost silently.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kreview.core.model import TagChange

ARCHIVE_TAG = "inbox"
UNREAD_TAG = "unread"
FLAGGED_TAG = "flagged"
REVIEW_TAGS = ("reviewed", "needs-work", "applied")


@dataclass(frozen=True)
class TagOps:
    """Tags to add and to remove; never both for one tag."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)

    def describe(self) -> str:
        """``+a -b``: what the status line shows and what the CLI prints."""
        return " ".join([f"+{t}" for t in self.add] + [f"-{t}" for t in self.remove])


ARCHIVE = TagOps(remove=(ARCHIVE_TAG,))


def validate_tag(tag: str) -> str:
    """``tag`` unchanged, or ValueError saying what is wrong with it.

    notmuch accepts nearly any bytes as a tag, but a tag with spaces or
    control characters cannot be typed back into a query or a prompt, and a
    leading +/- would read as another operation.
    """
    if not tag:
        raise ValueError("empty tag name")
    if tag.startswith(("+", "-")):
        raise ValueError(f"tag {tag!r} starts with {tag[0]!r}: write one sign per tag, like +{tag.lstrip('+-')}")
    for ch in tag:
        if ch.isspace():
            raise ValueError(f"tag {tag!r} contains a space")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            raise ValueError(f"tag {tag!r} contains a control character")
    return tag


def parse_tag_ops(text: str) -> TagOps:
    """Parse ``+a -b c`` (a bare word adds, like ``+c``).

    Raises ValueError with a message for people: an empty line, a lone sign,
    a tag both added and removed.
    """
    add: list[str] = []
    remove: list[str] = []
    words = text.split()
    if not words:
        raise ValueError("no tag operations given (type +tag to add, -tag to remove)")
    for word in words:
        sign, name = (word[0], word[1:]) if word[0] in "+-" else ("+", word)
        if not name:
            raise ValueError(f"{word!r} needs a tag name after the sign")
        validate_tag(name)
        target = add if sign == "+" else remove
        if name not in target:
            target.append(name)
    both = sorted(set(add) & set(remove))
    if both:
        raise ValueError(f"tag {both[0]!r} is both added and removed")
    return TagOps(tuple(add), tuple(remove))


def toggle(tags_now: Iterable[str], tag: str) -> TagOps:
    """Remove ``tag`` if present, else add it.

    For a whole thread pass the union of its messages' tags: a thread with
    one flagged message counts as flagged, so the toggle clears it everywhere
    (what notmuch's thread view and alot show as the thread's tags).
    """
    validate_tag(tag)
    return TagOps(remove=(tag,)) if tag in set(tags_now) else TagOps(add=(tag,))


def complete(text: str, known_tags: Iterable[str]) -> list[str]:
    """Completions for the last word of a tag prompt: ``"+a -rev"`` with
    ``reviewed`` known gives ``["+a -reviewed"]``. Each candidate is the whole
    prompt line, so the UI can offer it as-is."""
    head, _, last = text.rpartition(" ")
    prefix = head + " " if head else ""
    sign = last[:1] if last[:1] in ("+", "-") else ""
    stem = last[len(sign):]
    return [f"{prefix}{sign}{tag}" for tag in sorted(set(known_tags)) if tag.startswith(stem) and tag != stem]


class UndoStack:
    """The tag changes made in this session, newest last.

    Not thread-safe by design: the UI pushes and pops on its own thread and
    runs the store calls in a worker.
    """

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._changes: list[TagChange] = []

    def __len__(self) -> int:
        return len(self._changes)

    def peek(self) -> TagChange | None:
        return self._changes[-1] if self._changes else None

    def push(self, change: TagChange) -> None:
        self._changes.append(change)
        del self._changes[: -self.limit]

    def apply(self, store, message_ids: Iterable[str], ops: TagOps) -> TagChange:
        """Write ``ops`` through the store and remember the change for undo."""
        change = store.change_tags(message_ids, ops.add, ops.remove)
        self.push(change)
        return change

    def undo(self, store) -> TagChange | None:
        """Put back the tags from before the last change; None when there is nothing to undo.

        The change leaves the stack only once the store has written, so a
        locked database (DatabaseLocked) leaves it there to try again.
        """
        change = self.peek()
        if change is None:
            return None
        store.restore_tags(change)
        self._changes.pop()
        return change

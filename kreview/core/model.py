"""Plain, frozen records copied out of notmuch: no notmuch object escapes the store.

Everything the thread list and the thread tree show comes from values notmuch
keeps in its index (From, Subject, Message-ID, date, tags, filenames), so
building these never parses a mail file.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThreadSummary:
    """One row of the thread list."""

    thread_id: str
    newest_date: int  # epoch seconds of the newest message
    oldest_date: int
    authors: str  # notmuch's author string: matched authors first, "|" before unmatched
    subject: str
    matched: int
    total: int
    tags: frozenset[str]


def author_names(authors: str) -> list[str]:
    """notmuch's author string ("A, B| C": matched authors, then "|" before
    the unmatched) as names, matched first, each once."""
    names = (name.strip() for name in authors.replace("|", ",").split(","))
    return list(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class MessageNode:
    """One message in a thread, in display (depth-first) order.

    A node with ``missing=True`` is a placeholder for a parent that the
    database does not hold (a reply whose parent never arrived): it has a
    message_id (from the child's In-Reply-To/References when known) but no file.
    """

    message_id: str
    thread_id: str
    parent_id: str | None
    depth: int
    author: str
    subject: str
    date: int  # epoch seconds; 0 when the message has no usable Date
    tags: frozenset[str] = field(default_factory=frozenset)
    path: str = ""  # first file of the message on disk
    matched: bool = True
    missing: bool = False


@dataclass(frozen=True)
class Identity:
    """Who the user is, from the notmuch config ([user] section)."""

    name: str
    primary_email: str
    other_emails: tuple[str, ...] = ()

    def is_me(self, address: str) -> bool:
        wanted = address.strip().lower()
        return wanted in {e.lower() for e in (self.primary_email, *self.other_emails) if e}


@dataclass(frozen=True)
class TagChange:
    """What one write did: enough to show it and to undo it."""

    message_ids: tuple[str, ...]
    added: frozenset[str]
    removed: frozenset[str]
    # tags of each message before the change, so undo restores exactly
    before: tuple[tuple[str, frozenset[str]], ...] = ()

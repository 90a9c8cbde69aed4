"""Where the reader's "next" keys go in a thread (no UI here).

``n`` goes to the next unread message (mutt's Tab, notmuch-emacs' unread
order), ``)``/``(`` to the next/previous patch, skipping the replies between
(a reviewer reading a series patch by patch). Both wrap around the thread
once, as mutt's next-unread does, and say so when nothing is left."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from kreview.core.model import MessageNode
from kreview.core.series import parse_subject


def is_unread(node: MessageNode) -> bool:
    return "unread" in node.tags


def is_patch(node: MessageNode) -> bool:
    """A patch or cover letter of a series, not a reply to one."""
    info = parse_subject(node.subject)
    return info.is_patch and not info.is_reply


def step_to(nodes: Sequence[MessageNode], current_id: str | None, wanted: Callable[[MessageNode], bool],
            forward: bool = True, wrap: bool = True) -> MessageNode | None:
    """The next (or previous) message after ``current_id`` that is ``wanted``,
    wrapping round the thread when ``wrap``; never the current one, never a
    placeholder for a missing message."""
    present = [n for n in nodes if not n.missing]
    if not forward:
        present.reverse()
    ids = [n.message_id for n in present]
    start = ids.index(current_id) + 1 if current_id in ids else 0
    order = present[start:] + (present[:start] if wrap else [])
    return next((n for n in order if n.message_id != current_id and wanted(n)), None)

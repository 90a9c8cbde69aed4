"""Muted threads: tag ``muted``, hidden from every list unless asked for.

The convention is notmuch's own for excluded tags (``search.exclude_tags``):
a query that names the tag (``tag:muted``) shows them; any other does not.
Muting hides the whole thread, new replies included (``thread:{tag:muted}``
matches every message of a thread one of whose messages is muted), as mutt's
kill-thread and the usual notmuch "mute" hook do: one muted message is enough."""
from __future__ import annotations

import re

MUTED_TAG = "muted"
_NAMES_MUTED = re.compile(rf"\b{MUTED_TAG}\b")


def without_muted(query: str) -> str:
    """``query`` with muted threads left out, unless it names them."""
    query = query.strip()
    if _NAMES_MUTED.search(query) or not _balanced(query):
        return query  # unbalanced: notmuch says what is wrong with it, not with our wrapping
    hidden = f"not thread:{{tag:{MUTED_TAG}}}"
    if query in ("", "*"):  # notmuch takes "*" alone only, not inside an expression
        return hidden
    return f"({query}) and {hidden}"


def _balanced(query: str) -> bool:
    """Whether wrapping ``query`` in parentheses keeps it what it was: its
    own parentheses (outside quotes) close, and its quotes do."""
    depth, quoted = 0, False
    for char in query:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not quoted

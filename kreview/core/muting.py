"""Muted threads: tag ``muted``, hidden from every list unless asked for.

The convention is notmuch's own for excluded tags (``search.exclude_tags``):
a query that names the tag (``tag:muted``) shows them; any other does not.
Muting hides the whole thread, new replies included (``thread:{tag:muted}``
matches every message of a thread one of whose messages is muted), as mutt's
kill-thread and the usual notmuch "mute" hook do: one muted message is enough."""
from __future__ import annotations

import re

from kreview.core.queries import narrowed

MUTED_TAG = "muted"
_NAMES_MUTED = re.compile(rf"\b{MUTED_TAG}\b")


def without_muted(query: str) -> str:
    """``query`` with muted threads left out, unless it names them."""
    query = query.strip()
    if _NAMES_MUTED.search(query):
        return query
    return narrowed(query, f"not thread:{{tag:{MUTED_TAG}}}") or query

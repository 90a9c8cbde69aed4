"""Where kreview relies on notmuch2 beyond its documented API: here only.

tests/core/test_notmuch_compat.py checks it against the installed notmuch2,
so a release that changes it fails there (the store then falls back to
asking with a query, slower but right).
"""
from __future__ import annotations

try:  # notmuch2's C module: not part of its API
    from notmuch2 import _capi
except ImportError:  # pragma: no cover - a notmuch2 without it
    _capi = None


def match_flag(message) -> bool | None:
    """notmuch's MATCH flag of a message reached from a thread of a query
    (whether the message itself matches the query), or None when this
    notmuch2 does not let us ask. notmuch2 has no property for it; its C
    API is reached the way notmuch2's own ``Message.excluded`` reaches the
    EXCLUDED flag, through the message's ``_msg_p`` pointer."""
    if _capi is None:
        return None
    try:
        return bool(_capi.lib.notmuch_message_get_flag(message._msg_p, _capi.lib.NOTMUCH_MESSAGE_FLAG_MATCH))
    except AttributeError:
        return None

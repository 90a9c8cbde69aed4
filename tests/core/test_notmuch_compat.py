"""What kreview relies on in notmuch2 beyond its documented API
(kreview/core/notmuch_compat.py), checked against the installed notmuch2
on the test's real database: fails when a release changes it."""
from __future__ import annotations

import notmuch2

from kreview.core.notmuch_compat import match_flag

QUERY = "from:hch@lst.de"


def test_match_flag_says_which_messages_of_a_thread_match_the_query(notmuch_root):
    db = notmuch2.Database(mode=notmuch2.Database.MODE.READ_ONLY, config=str(notmuch_root / "notmuch-config"))
    try:
        matching = {m.messageid for m in db.messages(QUERY)}
        assert matching
        seen: dict[str, bool | None] = {}
        for thread in db.threads(QUERY):
            stack = list(thread.toplevel())
            while stack:
                message = stack.pop()
                seen[message.messageid] = match_flag(message)
                stack.extend(message.replies())
    finally:
        db.close()
    assert None not in seen.values(), "this notmuch2 no longer lets kreview read the MATCH flag"
    assert {mid for mid, matched in seen.items() if matched} == matching
    assert len(seen) > len(matching)  # the threads hold messages that do not match, flagged so

"""The benchmark's working copy: rows that write (series index, new mail) write
there, and the database being measured is left as it was."""
from __future__ import annotations

import os

from kreview.bench import working_copy
from kreview.core.store import Store


def test_writes_go_to_the_copy_and_the_original_is_untouched(notmuch_root):
    config = notmuch_root / "notmuch-config"
    original = Store(config)
    count_before = original.count_messages("*")
    copied = working_copy.make_copy(config)
    assert copied.parent == working_copy.copy_root(config)
    copy = Store(copied)
    assert copy.check() != original.check()
    assert copy.count_messages("*") == count_before

    mail = copy.check() / "new-mail" / "cur"
    mail.mkdir(parents=True)
    (mail / "one:2,S").write_text("From: a@example.org\nSubject: only in the copy\n"
                                  "Message-ID: <only-in-the-copy@example.org>\n\nbody\n")
    copy.index_file(mail / "one:2,S")
    assert copy.count_messages("id:only-in-the-copy@example.org") == 1
    assert original.count_messages("id:only-in-the-copy@example.org") == 0
    assert original.count_messages("*") == count_before

    # The mail is linked, not copied; the second call reuses the copy.
    some = next(p for p in (original.check() / "cur").iterdir())
    assert os.stat(some).st_ino == os.stat(copy.check() / "cur" / some.name).st_ino
    assert working_copy.make_copy(config) == copied
    assert copy.count_messages("id:only-in-the-copy@example.org") == 1

"""A message with two files (the same mail in two folders), one of them
renamed by a flag sync that a kill kept the database from saving: the next
start puts that copy back too, not only the first file of the message."""
from __future__ import annotations

import os

import notmuch2

from kreview.core.intents import Intent
from kreview.core.store import Store
from tests.core.helpers import MESSAGE, add_message


def test_the_second_copy_renamed_but_never_saved_is_put_back(store, notmuch_root):
    message_id = add_message(store, notmuch_root)
    other = notmuch_root / "mail" / "lists" / "cur"
    other.mkdir(parents=True)
    copy = other / "1542755569.tagtest-copy.host:2,"
    copy.write_bytes(MESSAGE)
    assert store.index_file(copy, ("inbox", "unread")) == message_id
    with notmuch2.Database(config=str(store.config_path)) as db:
        first, second = list(db.find(message_id).filenames())

    # A `+flagged -unread` killed after the database saved the tags and after
    # the flag sync renamed the second file, whose new name was never saved.
    store._intents().begin(Intent(label="+flagged -unread on 1 message", message_ids=(message_id,),
                                  add=("flagged",), remove=("unread",))).release()
    with notmuch2.Database(config=str(store.config_path), mode=notmuch2.Database.MODE.READ_WRITE) as db:
        msg = db.find(message_id)
        msg.tags.add("flagged")
        msg.tags.discard("unread")
    os.rename(second, second.with_name(second.name.split(":2,", 1)[0] + ":2,FS"))
    assert first.exists() and not second.exists()

    notes = Store(store.config_path).recover()

    assert notes == ["A tag write was interrupted (+flagged -unread on 1 message): the database had saved it; "
                     "the files of 1 message now match their tags."]
    with notmuch2.Database(config=str(store.config_path)) as db:
        names = list(db.find(message_id).filenames())
    assert len(names) == 2 and all(n.exists() and n.name.endswith(":2,FS") for n in names)
    assert sorted(n.parent for n in names) == sorted([first.parent, second.parent])

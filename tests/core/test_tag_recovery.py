"""What the next start does with a tag write killed part-way, each moment
made in-process on a copy of the sample (test_tag_crash.py kills a real
`kreview tag` on 10,000 messages; this one checks each outcome and the
sentence the user reads, message by message)."""
from __future__ import annotations

import os
from pathlib import Path

import notmuch2
import pytest

from kreview.core.intents import Intent
from kreview.core.store import Store

OPS = "+flagged -unread"


def _three(store) -> list[str]:
    """Three unread, unflagged messages with one file each, in cur/."""
    ids = []
    with notmuch2.Database(config=str(store.config_path)) as db:
        for msg in db.messages("tag:unread and not tag:flagged"):
            names = list(msg.filenames())
            if len(names) == 1 and names[0].parent.name == "cur":
                ids.append(str(msg.messageid))
            if len(ids) == 3:
                return ids
    pytest.skip("the sample has no three unread messages in cur/")


def _killed_write(store, ids, intent: Intent | None = None) -> None:
    """An intent whose writer died: written, then let go without finishing."""
    intent = intent or Intent(label=f"{OPS} on {len(ids)} messages", message_ids=tuple(ids),
                              add=("flagged",), remove=("unread",))
    store._intents().begin(intent).release()


def _save_tags(store, ids) -> None:
    """The database saved the tags, and no file was renamed yet (killed before the flag sync)."""
    with notmuch2.Database(config=str(store.config_path), mode=notmuch2.Database.MODE.READ_WRITE) as db:
        for message_id in ids:
            msg = db.find(message_id)
            with msg.frozen():
                msg.tags.add("flagged")
                msg.tags.discard("unread")


def _rename_unsaved(store, message_id) -> Path:
    """A flag sync renamed the file (":2,S" -> ":2,FS") but its new name was
    never saved: the database still names the old file."""
    with notmuch2.Database(config=str(store.config_path)) as db:
        (known,) = list(db.find(message_id).filenames())
    renamed = known.with_name(known.name.split(":2,", 1)[0] + ":2,FS")
    os.rename(known, renamed)
    return known


def _state(store, message_id) -> tuple[frozenset[str], list[Path]]:
    with notmuch2.Database(config=str(store.config_path)) as db:
        msg = db.find(message_id)
        return frozenset(str(t) for t in msg.tags), list(msg.filenames())


def _agree(store, message_id) -> tuple[bool, bool]:
    """(flagged, unread) of the message, after checking every file it names
    exists and carries the flags its tags say."""
    tags, names = _state(store, message_id)
    for name in names:
        assert name.exists(), f"the database names {name}, which does not exist"
        flags = name.name.rsplit(":2,", 1)[1]
        assert ("F" in flags) == ("flagged" in tags), (name.name, tags)
        assert ("S" in flags) == ("unread" not in tags), (name.name, tags)
    return "flagged" in tags, "unread" in tags


def _intent_files(store) -> list[str]:
    folder = store._intents().directory
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []


def test_saved_tags_with_files_not_yet_renamed(store):
    ids = _three(store)
    _killed_write(store, ids)
    _save_tags(store, ids)

    notes = Store(store.config_path).recover()

    assert notes == [f"A tag write was interrupted ({OPS} on 3 messages): the database had saved it; "
                     "the files of 3 messages now match their tags."]
    assert [_agree(store, i) for i in ids] == [(True, False)] * 3
    assert _intent_files(store) == []


def test_a_file_renamed_but_never_saved_is_put_back_and_synced(store):
    ids = _three(store)
    _killed_write(store, ids)
    _save_tags(store, ids)
    old_name = _rename_unsaved(store, ids[0])
    assert not old_name.exists()

    notes = Store(store.config_path).recover()

    assert notes == [f"A tag write was interrupted ({OPS} on 3 messages): the database had saved it; "
                     "the files of 3 messages now match their tags."]
    assert [_agree(store, i) for i in ids] == [(True, False)] * 3
    _tags, names = _state(store, ids[0])
    assert [n.name for n in names] == [old_name.name.split(":2,", 1)[0] + ":2,FS"]
    # One file per message, none lost or left behind under another name.
    unique = old_name.name.split(":2,", 1)[0]
    assert [n for n in os.listdir(old_name.parent) if n.startswith(unique)] == [names[0].name]


def test_nothing_saved_but_a_file_renamed_is_put_back(store):
    """Killed after a rename whose database change was never saved, with no
    tag saved either: the file goes back to the name (and flags) it had."""
    ids = _three(store)
    _killed_write(store, ids)
    old_name = _rename_unsaved(store, ids[1])

    notes = Store(store.config_path).recover()

    assert notes == [f"A tag write was interrupted ({OPS} on 3 messages): the database had not saved it, "
                     "so nothing changed; the files of 1 message now match their tags."]
    assert [_agree(store, i) for i in ids] == [(False, True)] * 3
    assert old_name.exists()


def test_messages_changed_since_are_counted_apart(store):
    """Other writes changed messages after the killed one: the note says how
    many still show the whole change (+flagged and -unread) instead of
    claiming all or none; one flagged but still unread does not."""
    ids = _three(store)
    _killed_write(store, ids)
    _save_tags(store, ids[:1])
    with notmuch2.Database(config=str(store.config_path), mode=notmuch2.Database.MODE.READ_WRITE) as db:
        db.find(ids[1]).tags.add("flagged")

    notes = Store(store.config_path).recover()

    assert notes == [f"A tag write was interrupted ({OPS} on 3 messages): 1 of 3 messages show it "
                     "(others were changed since); the files of 2 messages now match their tags."]
    assert [_agree(store, i) for i in ids] == [(True, False), (True, True), (False, True)]


def test_an_interrupted_undo_is_judged_by_the_tags_it_restores(store):
    """An undo's intent names each message's tags to restore; one whose tags
    are exactly those shows it, one with a tag more does not."""
    ids = _three(store)[:2]
    before = {i: _state(store, i)[0] for i in ids}
    restore = {i: tuple(sorted(before[i])) for i in ids}
    with notmuch2.Database(config=str(store.config_path), mode=notmuch2.Database.MODE.READ_WRITE) as db:
        db.find(ids[1]).tags.add("extra")
    _killed_write(store, ids, Intent(label="an undo on 2 messages", message_ids=tuple(ids), restore=restore))

    notes = Store(store.config_path).recover()

    assert notes == ["A tag write was interrupted (an undo on 2 messages): 1 of 2 messages show it "
                     "(others were changed since); tags and Maildir flags already agreed."]
    assert _intent_files(store) == []


def test_a_message_deleted_since_is_left_out(store):
    ids = _three(store)
    _killed_write(store, ids + ["gone@example.org"])
    _save_tags(store, ids)

    notes = Store(store.config_path).recover()

    assert notes == [f"A tag write was interrupted ({OPS} on 4 messages): the database had saved it; "
                     "the files of 3 messages now match their tags."]

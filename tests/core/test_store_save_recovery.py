"""What the next start does with a save (a draft, a sent message) or an undo
killed part-way, each moment made in-process on a copy of the sample
(test_draft_survival.py kills a real saver; this checks each outcome and
the sentence the user reads)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kreview.core.drafts import list_drafts
from kreview.core.intents import Intent
from kreview.core.store import Store
from tests.core.helpers import add_two_messages, drop, flags_of, new_draft


def killed_save(store, path: Path, *, tags=("draft",), replaces: Path | None = None,
                delete_replaced: bool = False) -> None:
    """The intent index_file writes first, left behind by a saver that died."""
    intent = Intent(label=f"saving {path}", paths=(str(path),), add=tuple(tags),
                    replaces=(str(replaces),) if replaces else (), delete_replaced=delete_replaced)
    store._intents().begin(intent).release()


def test_a_save_killed_before_its_file_was_written_keeps_the_older_copy(store):
    draft = new_draft(store)
    never = draft.path.with_name("1700000000.M1P1Q1R00000000.host:2,DS")
    killed_save(store, never, replaces=draft.path, delete_replaced=True)

    notes = Store(store.config_path).recover()

    assert notes == [f"An interrupted save (saving {never}) had not written its file; nothing changed."]
    assert draft.path.read_bytes()  # the only copy of the text: not deleted
    assert [Path(n.path) for n in list_drafts(store)] == [draft.path]


def test_a_save_killed_before_indexing_is_indexed_with_the_flags_of_its_tags(store):
    """The file was written (without flags yet) but never indexed: the next
    start indexes it with the intent's tags and only those (no "unread" from
    its missing S flag), then names the file for them (D, and S: not unread).
    The older copy stays when the save did not ask to delete it."""
    draft = new_draft(store)
    written = draft.path.with_name("1700000000.M1P1Q1R00000000.host:2,")
    written.write_bytes(draft.path.read_bytes().replace(b"\n\n", b"\n\nThe edit.\n\n", 1))
    killed_save(store, written, replaces=draft.path, delete_replaced=False)

    notes = Store(store.config_path).recover()

    assert notes == [f"An interrupted save was finished: {written} is indexed."]
    assert store.message_tags([draft.message_id]) == {draft.message_id: {"draft"}}
    assert flags_of(store, draft.message_id) == "DS"
    [node] = list_drafts(store)
    assert b"The edit." in Path(node.path).read_bytes()
    assert draft.path.exists()  # not asked to delete it


def test_a_save_killed_with_the_older_copy_to_delete_deletes_it_once_indexed(store):
    draft = new_draft(store)
    written = draft.path.with_name("1700000000.M1P1Q1R00000000.host:2,DS")
    written.write_bytes(draft.path.read_bytes())
    killed_save(store, written, replaces=draft.path, delete_replaced=True)

    notes = Store(store.config_path).recover()

    assert notes == [f"An interrupted save was finished: {written} is indexed; "
                     f"the older copy {draft.path} was removed."]
    assert not draft.path.exists() and [Path(n.path) for n in list_drafts(store)] == [written]


def test_a_killed_save_of_a_file_notmuch_cannot_read_says_so(store, notmuch_root):
    broken = notmuch_root / "mail" / "cur" / "1700000000.M1P1Q1R00000000.host:2,S"
    broken.write_bytes(b"")
    killed_save(store, broken, tags=("sent",))

    notes = Store(store.config_path).recover()

    assert len(notes) == 1
    assert notes[0].startswith(f"An interrupted save of {broken} could not be finished: ")
    assert store.messages("tag:sent") == []
    assert Store(store.config_path).recover() == []  # said once, not at every start


# -- undo -----------------------------------------------------------------------

@pytest.fixture
def two(store, notmuch_root):
    return add_two_messages(store, notmuch_root)


def test_undo_after_a_message_was_deleted_restores_the_others(store, two):
    first, second = two
    change = store.change_tags([first, second], add=["flagged"], remove=["unread"])
    drop(store, [first])  # the first of the change: the ones after it are still restored
    store.restore_tags(change)
    assert store.message_tags([first, second]) == {second: {"inbox", "unread"}}
    assert flags_of(store, second) == ""


def test_an_undo_killed_before_the_flags_is_named_and_judged_at_the_next_start(store, two, monkeypatch):
    """Killed after the undo's tags were saved, before the files were renamed;
    a message changed since then does not count as showing the undo."""
    first, second = two
    change = store.change_tags([first, second], add=["flagged"], remove=["unread"])

    def killed(self, pending, message_ids):
        pending.release()  # the process is gone: its intent stays on disk
        return False

    monkeypatch.setattr(Store, "_finish_flags", killed)
    store.restore_tags(change)
    monkeypatch.undo()
    # Another program tags one of them (and syncs its flags) before kreview starts again.
    subprocess.run(["notmuch", "tag", "+later", "--", f"id:{second}"], check=True,
                   env={**os.environ, "NOTMUCH_CONFIG": str(store.config_path)})

    assert Store(store.config_path).recover() == [
        "A tag write was interrupted (an undo on 2 messages): 1 of 2 messages show it "
        "(others were changed since); the files of 1 message now match their tags."]
    assert flags_of(store, first) == flags_of(store, second) == ""

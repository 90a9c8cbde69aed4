"""`Store.change_tags`: which tags it refuses and how it says so, what it
returns for undo, and the words a killed change leaves for the next start.
On the real temporary database."""
from __future__ import annotations

import pytest

import os
import subprocess

from kreview.core.store import Store, StoreError
from tests.core.helpers import add_two_messages, flags_of


@pytest.fixture
def two(store, notmuch_root):
    return add_two_messages(store, notmuch_root)


@pytest.mark.parametrize(
    ("add", "remove", "refused"),
    [
        (["two words"], [], "two words"),
        ([], ["tab\there"], "tab\there"),
        (["+plus", "ok"], ["-minus"], "+plus, -minus"),
    ],
)
def test_a_tag_notmuch_would_misread_is_refused_and_nothing_changes(store, two, add, remove, refused):
    with pytest.raises(StoreError) as caught:
        store.change_tags(two, add=add, remove=remove)
    assert str(caught.value) == f"Not a valid tag: {refused}"
    assert store.message_tags(two) == {m: {"inbox", "unread"} for m in two}


def test_the_change_returned_is_what_undo_needs(store, two):
    first, second = two
    change = store.change_tags([first, second, first], add=["flagged", "", "kernel"], remove=["unread", "kernel"])
    assert change.message_ids == (first, second)  # each once, in order
    assert change.added == {"flagged", "kernel"}  # added wins over removed; "" is no tag
    assert change.removed == {"unread"}
    assert dict(change.before) == {first: {"inbox", "unread"}, second: {"inbox", "unread"}}
    assert store.message_tags(two) == {m: {"inbox", "flagged", "kernel"} for m in two}
    assert flags_of(store, first) == flags_of(store, second) == "FS"


def test_a_change_killed_before_the_flags_is_named_at_the_next_start(store, two, monkeypatch):
    def killed(self, pending, message_ids):
        pending.release()  # the process is gone: its intent stays on disk
        return False

    monkeypatch.setattr(Store, "_finish_flags", killed)
    store.change_tags(two, add=["flagged", "kernel"], remove=["unread", "inbox"])
    monkeypatch.undo()
    assert flags_of(store, two[0]) == ""  # killed before the rename

    notes = Store(store.config_path).recover()

    assert notes == ["A tag write was interrupted (+flagged +kernel -inbox -unread on 2 messages): "
                     "the database had saved it; the files of 2 messages now match their tags."]
    assert flags_of(store, two[0]) == flags_of(store, two[1]) == "FS"


def test_a_change_no_maildir_flag_stands_for_leaves_nothing_to_recover(store, two):
    store.change_tags(two, add=["reviewed"], remove=["inbox"])
    assert store.message_tags(two) == {m: {"reviewed", "unread"} for m in two}
    # An intent left on disk would be read as "interrupted" at the next start
    # (this process would still hold its lock, so look at the files).
    folder = store._intents().directory
    assert not (folder.is_dir() and list(folder.glob("*.json")))
    assert Store(store.config_path).recover() == []


def test_a_message_that_already_has_the_tag_does_not_stop_the_others(store, two):
    first, second = two
    store.change_tags([first], add=["flagged"])
    change = store.change_tags([first, second], add=["flagged"])
    assert store.message_tags(two) == {m: {"inbox", "unread", "flagged"} for m in two}
    assert flags_of(store, second) == "F"
    assert dict(change.before)[second] == {"inbox", "unread"}


@pytest.mark.parametrize("since", ["-flagged", "+inbox"])
def test_a_killed_change_is_judged_by_both_its_additions_and_removals(store, two, monkeypatch, since):
    """After the kill, another program undid half of the change on one
    message: that message no longer shows the change."""
    def killed(self, pending, message_ids):
        pending.release()
        return False

    monkeypatch.setattr(Store, "_finish_flags", killed)
    store.change_tags(two, add=["flagged"], remove=["inbox"])
    monkeypatch.undo()
    subprocess.run(["notmuch", "tag", since, "--", f"id:{two[0]}"], check=True,
                   env={**os.environ, "NOTMUCH_CONFIG": str(store.config_path)})

    notes = Store(store.config_path).recover()

    assert notes[0].startswith("A tag write was interrupted (+flagged -inbox on 2 messages): "
                               "1 of 2 messages show it (others were changed since); ")

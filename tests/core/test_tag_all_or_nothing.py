"""Store.change_tags is all or nothing: an error part-way leaves every tag and
every Maildir flag as it was, and undo still takes back the change before."""
from __future__ import annotations

import pytest

from kreview.core.store import StoreError
from kreview.core.tagops import TagOps, UndoStack
from tests.core.helpers import MESSAGE, add_message, flags_of


@pytest.fixture
def two_messages(store, notmuch_root):
    first = add_message(store, notmuch_root)
    second = add_message(
        store, notmuch_root, MESSAGE.replace(b"tagtest-1", b"tagtest-2"), "1542755570.tagtest.host:2,"
    )
    return first, second


def test_a_message_gone_part_way_changes_nothing_and_undo_stays_right(store, two_messages):
    first, second = two_messages
    undo = UndoStack()
    undo.apply(store, [first], TagOps(add=("reviewed",)))
    with pytest.raises(StoreError, match="no longer in the database"):
        undo.apply(store, [second, "gone@nowhere.example", first], TagOps(add=("flagged",), remove=("unread",)))
    tags = store.message_tags([first, second])
    assert tags[second] == {"inbox", "unread"}  # before the missing one: untouched
    assert tags[first] == {"inbox", "unread", "reviewed"}
    assert flags_of(store, first) == flags_of(store, second) == ""
    assert len(undo) == 1  # the failed change was never pushed, and needs no undo
    undo.undo(store)
    assert store.message_tags([first])[first] == {"inbox", "unread"}


def test_an_error_while_writing_cancels_what_was_written(store, two_messages):
    first, second = two_messages
    # notmuch refuses tags over 200 bytes, after "-inbox" was already applied to the first message
    with pytest.raises(StoreError, match="no tag was changed"):
        store.change_tags([first, second], add=["x" * 300], remove=["inbox"])
    tags = store.message_tags([first, second])
    assert tags[first] == tags[second] == {"inbox", "unread"}

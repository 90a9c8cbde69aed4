"""Tag operations: parsing, toggling, undo, and real writes through
Store.change_tags (flag sync, a concurrent writer holding the lock)."""
from __future__ import annotations

import time

import pytest

from kreview.core.store import DatabaseLocked, LockRetry, Store
from kreview.core.tagops import ARCHIVE, TagOps, UndoStack, complete, parse_tag_ops, toggle
from tests.core.helpers import MESSAGE, add_message, flags_of, hold_lock


# -- parsing ---------------------------------------------------------------


def test_parse_tag_ops_signs_and_bare_words():
    assert parse_tag_ops("+a -b c") == TagOps(add=("a", "c"), remove=("b",))
    assert parse_tag_ops("  +a   +a  ") == TagOps(add=("a",))
    assert parse_tag_ops("-inbox").describe() == "-inbox"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no tag operations"),
        ("+", "needs a tag name"),
        ("+a -", "needs a tag name"),
        ("+a -a", "both added and removed"),
        ("++a", "one sign per tag"),
        ("+a\x1b[31m", "control character"),
    ],
)
def test_parse_tag_ops_rejects_with_a_message(text, words):
    with pytest.raises(ValueError, match=words):
        parse_tag_ops(text)


def test_toggle_uses_current_tags():
    assert toggle({"inbox", "unread"}, "unread") == TagOps(remove=("unread",))
    assert toggle({"inbox"}, "flagged") == TagOps(add=("flagged",))
    with pytest.raises(ValueError):
        toggle({"inbox"}, "two words")


def test_complete_last_word_keeps_sign_and_prefix():
    known = ["reviewed", "replied", "inbox", "needs-work"]
    assert complete("+a -re", known) == ["+a -replied", "+a -reviewed"]
    assert complete("nee", known) == ["needs-work"]
    assert complete("+inbox", known) == []


# -- writes ------------------------------------------------------------------


def test_flagged_and_read_sync_to_maildir_flags(store, notmuch_root):
    mid = add_message(store, notmuch_root)
    assert flags_of(store, mid) == ""
    store.change_tags([mid], add=["flagged"])
    assert "F" in flags_of(store, mid)
    assert "S" not in flags_of(store, mid)
    store.change_tags([mid], remove=["unread"])
    assert flags_of(store, mid) == "FS"
    assert store.message_tags([mid])[mid] == {"inbox", "flagged"}


def test_undo_restores_tags_and_flags(store, notmuch_root):
    mid = add_message(store, notmuch_root)
    undo = UndoStack()
    undo.apply(store, [mid], ARCHIVE)
    undo.apply(store, [mid], parse_tag_ops("+flagged -unread +reviewed"))
    assert store.message_tags([mid])[mid] == {"flagged", "reviewed"}
    assert flags_of(store, mid) == "FS"
    undone = undo.undo(store)
    assert undone.added == {"flagged", "reviewed"}
    assert store.message_tags([mid])[mid] == {"unread"}
    assert flags_of(store, mid) == ""
    undo.undo(store)
    assert store.message_tags([mid])[mid] == {"inbox", "unread"}
    assert undo.undo(store) is None


def test_tags_on_several_messages_at_once(store, notmuch_root):
    first = add_message(store, notmuch_root)
    second = add_message(
        store, notmuch_root, MESSAGE.replace(b"tagtest-1", b"tagtest-2"), "1542755570.tagtest.host:2,"
    )
    change = store.change_tags([first, second], add=["reviewed"], remove=["inbox"])
    assert set(change.message_ids) == {first, second}
    tags = store.message_tags([first, second])
    assert tags[first] == tags[second] == {"unread", "reviewed"}


def test_write_waits_for_a_concurrent_writer(notmuch_root):
    store = Store(notmuch_root / "notmuch-config", lock_retry=LockRetry(attempts=20, delay=0.2))
    mid = add_message(store, notmuch_root)
    holder = hold_lock(notmuch_root / "notmuch-config", 1.0)
    started = time.monotonic()
    try:
        store.change_tags([mid], add=["reviewed"])
    finally:
        holder.wait(timeout=10)
    assert time.monotonic() - started >= 0.5  # it really waited for the holder
    assert "reviewed" in store.message_tags([mid])[mid]


# libnotmuch >= 0.32 opens for writing with Xapian's DB_RETRY_LOCK and would
# wait forever; these hold only because the store probes the lock first.
def test_write_gives_up_when_locked_too_long_and_changes_nothing(notmuch_root):
    store = Store(notmuch_root / "notmuch-config", lock_retry=LockRetry(attempts=3, delay=0.1))
    mid = add_message(store, notmuch_root)
    before = store.message_tags([mid])[mid]
    holder = hold_lock(notmuch_root / "notmuch-config", 3)
    try:
        with pytest.raises(DatabaseLocked, match="locked by another writer.*Nothing was changed"):
            store.change_tags([mid], add=["reviewed"], remove=["inbox"])
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert store.message_tags([mid])[mid] == before
    assert flags_of(store, mid) == ""


def test_undo_stays_on_the_stack_when_the_database_is_locked(notmuch_root):
    store = Store(notmuch_root / "notmuch-config", lock_retry=LockRetry(attempts=2, delay=0.1))
    mid = add_message(store, notmuch_root)
    undo = UndoStack()
    undo.apply(store, [mid], ARCHIVE)
    holder = hold_lock(notmuch_root / "notmuch-config", 3)
    try:
        with pytest.raises(DatabaseLocked):
            undo.undo(store)
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert len(undo) == 1
    undo.undo(store)
    assert "inbox" in store.message_tags([mid])[mid]

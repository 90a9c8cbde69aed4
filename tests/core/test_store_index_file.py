"""`Store.index_file` (drafts, sent mail) leaves nothing behind for the next
start to report, with Maildir flag sync on or off, and says which file it
could not index; `message_tags` skips a message that is gone. On the real
temporary database."""
from __future__ import annotations

from pathlib import Path

import pytest

from kreview.core.drafts import list_drafts, update_draft
from kreview.core.store import Store, StoreError
from tests.core.helpers import new_draft


def intent_files(store) -> list[Path]:
    folder = store._intents().directory
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.mark.parametrize("sync", [True, False], ids=["flag-sync", "no-flag-sync"])
def test_saving_a_draft_leaves_no_intent_and_one_file(store, notmuch_root, sync):
    if not sync:
        config = notmuch_root / "notmuch-config"
        config.write_text(config.read_text().replace("synchronize_flags=true", "synchronize_flags=false"))
        store = Store(config)
        assert store.settings.synchronize_flags is False
    draft = new_draft(store)
    saved = update_draft(store, draft, draft.path.read_bytes() + b"More.\n")
    assert intent_files(store) == []  # else the next start would report an interrupted save
    assert not draft.path.exists() and [Path(n.path) for n in list_drafts(store)] == [saved.path]
    assert Store(store.config_path).recover() == []


def test_a_file_notmuch_cannot_index_is_named(store, notmuch_root):
    empty = notmuch_root / "mail" / "cur" / "1700000000.empty.host:2,S"
    empty.write_bytes(b"")
    with pytest.raises(StoreError) as caught:
        store.index_file(empty, ("sent",))
    assert str(caught.value).startswith(f"Could not index {empty} (")
    assert str(caught.value).endswith("); the index is unchanged")
    assert intent_files(store) == []


def test_message_tags_skips_a_message_that_is_gone(store):
    [node] = store.messages("*", limit=1)
    assert store.message_tags(["gone@example.org", node.message_id]) == {node.message_id: node.tags}


def test_messages_are_flat_nodes_with_what_the_index_knows(store, notmuch_root):
    path = notmuch_root / "mail" / "cur" / "1700000000.flat.host:2,S"
    path.write_bytes(b"From: Ann Author <ann@example.org>\nSubject: flat\nDate: Mon, 1 Jul 2024 13:00:00 +0000\n"
                     b"Message-ID: <flat@example.org>\nIn-Reply-To: <parent@example.org>\n\nBody.\n")
    store.index_file(path, ("inbox",))
    [node] = store.messages("id:flat@example.org")
    [thread] = store.thread_ids_of(["flat@example.org"])
    assert (node.message_id, node.thread_id, node.parent_id, node.depth) == ("flat@example.org", thread, None, 0)
    assert (node.author, node.subject, node.date) == ("Ann Author <ann@example.org>", "flat", 1719838800)
    assert (node.tags, node.path, node.matched, node.missing) == ({"inbox"}, str(path), True, False)

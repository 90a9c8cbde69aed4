"""The store's small look-ups (tag completion, one thread's row, which
messages are already here, each message's file after a flag rename), on a
real copy of the sample, checked against the `notmuch` command where it can
say the same."""
from __future__ import annotations

import os
import subprocess

# Ira Weiny's reply names "[PATCH 01/10] mm/hmm: use reference counting..."
# as its parent, which never reached the sample: notmuch keeps a ghost for it.
GHOST = "20190129165419.3931-2-jglisse@redhat.com"


def notmuch(store, *args: str) -> list[str]:
    done = subprocess.run(["notmuch", *args], capture_output=True, text=True, check=True,
                          env={**os.environ, "NOTMUCH_CONFIG": str(store.config_path)})
    return done.stdout.split("\n")[:-1]


def test_all_tags_are_every_tag_in_the_database_sorted(store):
    tags = store.all_tags()
    assert tags == sorted(notmuch(store, "search", "--output=tags", "*"))
    assert {"inbox", "unread"} <= set(tags)
    store.change_tags([store.messages("*", limit=1)[0].message_id], add=["needs-work"])
    assert "needs-work" in store.all_tags()


def test_thread_summary_is_the_row_the_query_sees(store):
    [v8] = [t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject]
    assert store.thread_summary(v8.thread_id) == v8
    assert store.thread_summary(v8.thread_id, "  ") == v8
    assert store.thread_summary(v8.thread_id, "tag:no-such-tag") is None
    hch = store.thread_summary(v8.thread_id, "from:hch@lst.de")
    assert hch.thread_id == v8.thread_id and hch.total == v8.total
    assert hch.matched == int(notmuch(store, "count", f"thread:{v8.thread_id} and from:hch@lst.de")[0])
    assert 0 < hch.matched < v8.total
    # "or" inside the query must not widen the thread: it is bracketed.
    both = store.thread_summary(v8.thread_id, "from:hch@lst.de or tag:inbox")
    assert both.thread_id == v8.thread_id


def test_known_message_ids_are_real_mail_not_ghosts_or_strangers(store):
    real = store.messages("*", limit=2)
    ids = [real[0].message_id, GHOST, "nobody-wrote-this@example.org", real[1].message_id]
    assert notmuch(store, "search", "--output=messages", f"id:{GHOST}") == []  # a ghost, not mail
    assert store.known_message_ids(ids) == {real[0].message_id, real[1].message_id}
    assert store.known_message_ids([]) == set()


def test_message_states_follow_a_flag_rename(store):
    node = store.messages("tag:unread", limit=1)[0]
    before = store.message_states([node.message_id, "nobody-wrote-this@example.org"])
    assert before == {node.message_id: (node.tags, node.path)}
    store.change_tags([node.message_id], add=["flagged"], remove=["unread"])
    [(tags, path)] = store.message_states([node.message_id]).values()
    assert tags == (node.tags | {"flagged"}) - {"unread"}
    assert path != node.path and path == str(store.file_of(node.message_id))
    assert os.path.exists(path) and path.endswith(":2,FS")


def test_a_missing_database_says_which_config_named_it(tmp_path):
    import pytest

    from kreview.core.store import DatabaseMissing, Store

    config = tmp_path / "config"
    config.write_text(f"[database]\npath={tmp_path / 'nowhere'}\n")
    with pytest.raises(DatabaseMissing) as caught:
        Store(config).check()
    assert str(caught.value).startswith(f"No notmuch database could be opened (config: {config}): ")

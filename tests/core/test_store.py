"""Store tests on a real temporary notmuch database built from sample_maildir."""
from __future__ import annotations


import pytest

from kreview.core.demo import ensure_demo_database, sample_fingerprint
from kreview.core.store import BadQuery, DatabaseLocked, DatabaseMissing, LockRetry, Store

from tests.conftest import SAMPLE
from tests.core.helpers import hold_lock


def sample_message_count() -> int:
    return sum(1 for sub in ("cur", "new") for p in (SAMPLE / sub).iterdir() if p.name != ".keep")


def test_all_sample_messages_are_indexed(store):
    assert store.count_messages("*") == sample_message_count()
    assert store.count_threads("*") >= 8


def test_threads_come_newest_first_with_summaries(store):
    threads = list(store.iter_threads("*"))
    dates = [t.newest_date for t in threads]
    assert dates == sorted(dates, reverse=True)
    v8 = [t for t in threads if "[PATCH v8 0/7]" in t.subject]
    assert len(v8) == 1
    assert v8[0].total >= 8 and v8[0].matched == v8[0].total
    assert "Dan Williams" in v8[0].authors
    assert "inbox" in v8[0].tags


def test_iteration_is_lazy(store):
    """Taking the first thread must not walk the whole result."""
    threads = store.iter_threads("*")
    first = next(threads)
    threads.close()
    assert first.thread_id


def test_thread_tree_has_depths_and_parents(store):
    thread = next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)
    nodes = store.thread_messages(thread.thread_id)
    assert nodes[0].depth == 0 and nodes[0].parent_id is None
    by_id = {n.message_id: n for n in nodes}
    for node in nodes[1:]:
        if node.parent_id:
            assert by_id[node.parent_id].depth == node.depth - 1
    patches = [n for n in nodes if "/7]" in n.subject and not n.subject.lower().startswith("re:")]
    assert len(patches) == 8  # cover + 7
    assert all(n.path for n in nodes if not n.missing)


def test_missing_parent_gets_a_placeholder(store):
    found = []
    for thread in store.iter_threads("*"):
        nodes = store.thread_messages(thread.thread_id)
        found += [n for n in nodes if n.missing]
    assert found, "the sample has a reply whose parent is missing"
    assert all(n.subject == "(message not available)" and not n.path for n in found)


def test_matched_flag_follows_the_query(store):
    thread = next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)
    nodes = store.thread_messages(thread.thread_id, "from:hch@lst.de")
    matched = [n for n in nodes if n.matched]
    assert matched and len(matched) < len(nodes)
    assert all("hch@lst.de" in n.author for n in matched)


def test_bad_query_is_a_clear_error(store):
    with pytest.raises(BadQuery, match="Bad query"):
        list(store.iter_threads("tag:inbox and ("))


def test_missing_database_is_a_clear_error(tmp_path):
    config = tmp_path / "config"
    config.write_text(f"[database]\npath={tmp_path / 'nowhere'}\n")
    with pytest.raises(DatabaseMissing, match="No notmuch database"):
        Store(config).check()


def test_tags_round_trip_and_undo(store):
    node = store.messages("*", limit=1)[0]
    change = store.change_tags([node.message_id], add=["reviewed"], remove=["inbox"])
    tags = store.message_tags([node.message_id])[node.message_id]
    assert "reviewed" in tags and "inbox" not in tags
    assert store.count_messages("tag:reviewed") == 1
    store.restore_tags(change)
    assert store.message_tags([node.message_id])[node.message_id] == node.tags


def test_flag_sync_renames_the_file(store):
    node = store.messages("tag:unread", limit=1)[0]
    store.change_tags([node.message_id], add=["flagged"], remove=["unread"])
    path = store.file_of(node.message_id)
    flags = path.name.rsplit(":2,", 1)[1]
    assert "F" in flags and "S" in flags


def test_invalid_tag_is_refused(store):
    node = store.messages("*", limit=1)[0]
    with pytest.raises(Exception, match="Not a valid tag"):
        store.change_tags([node.message_id], add=["two words"])


def test_write_waits_for_a_concurrent_writer(store):
    node = store.messages("*", limit=1)[0]
    holder = hold_lock(store.config_path, 1.0)
    try:
        patient = Store(store.config_path, lock_retry=LockRetry(attempts=40, delay=0.1))
        patient.change_tags([node.message_id], add=["waited"])
    finally:
        holder.wait()
    assert "waited" in store.message_tags([node.message_id])[node.message_id]


def test_write_gives_up_clearly_and_changes_nothing(store):
    node = store.messages("*", limit=1)[0]
    holder = hold_lock(store.config_path, 3.0)
    try:
        impatient = Store(store.config_path, lock_retry=LockRetry(attempts=3, delay=0.1))
        with pytest.raises(DatabaseLocked, match="locked by another writer"):
            impatient.change_tags([node.message_id], add=["never"])
    finally:
        holder.wait()
    assert "never" not in store.message_tags([node.message_id])[node.message_id]


def test_demo_database_is_built_once_and_rebuilt_when_sample_changes(tmp_path):
    sample = tmp_path / "sample"
    import shutil

    shutil.copytree(SAMPLE, sample)
    cache = tmp_path / "cache"
    config = ensure_demo_database(sample, cache)
    demo = Store(config)
    count = demo.count_messages("*")
    assert count == sample_message_count()
    first = demo.messages("*", limit=1)[0]
    demo.change_tags([first.message_id], add=["kept"])
    # Unchanged sample: the database (and the tag set on it) is reused.
    ensure_demo_database(sample, cache)
    assert demo.count_messages("tag:kept") == 1
    # A changed sample is re-indexed from scratch.
    victim = next(p for p in (sample / "cur").iterdir() if p.name != ".keep")
    victim.unlink()
    assert sample_fingerprint(sample) != (cache / "demo" / "sample.sha256").read_text()
    ensure_demo_database(sample, cache)
    assert Store(config).count_messages("*") == count - 1
    assert Store(config).count_messages("tag:kept") == 0


def test_matched_flags_when_the_query_matches_nothing_or_is_bad(store):
    thread = next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)
    everything = store.thread_messages(thread.thread_id)
    none = store.thread_messages(thread.thread_id, "from:nobody-at-all@example.invalid")
    assert [n.message_id for n in none] == [n.message_id for n in everything]
    assert not any(n.matched for n in none)
    bad = store.thread_messages(thread.thread_id, "tag:inbox and (")
    assert [n.message_id for n in bad] == [n.message_id for n in everything]
    assert all(n.matched for n in bad if not n.missing)
    same = store.thread_messages(thread.thread_id, f"thread:{thread.thread_id}")
    assert all(n.matched for n in same if not n.missing)


QUERIES = (None, "*", "from:hch@lst.de", "tag:inbox and (", "from:nobody-at-all@example.invalid", "subject:PATCH")


def every_thread_tree(store) -> dict:
    return {(t.thread_id, query): store.thread_messages(t.thread_id, query)
            for t in store.iter_threads("*") for query in QUERIES}


def test_matched_messages_without_the_match_flag(store, monkeypatch):
    """Where notmuch2's C module cannot be asked for the MATCH flag, the store
    asks notmuch for the matching ids instead: the same answer."""
    import kreview.core.notmuch_compat as notmuch_compat

    flagged = every_thread_tree(store)
    assert any(n.missing for nodes in flagged.values() for n in nodes)  # placeholders covered
    assert any(not n.matched for nodes in flagged.values() for n in nodes)  # and unmatched messages
    monkeypatch.setattr(notmuch_compat, "match_flag", lambda _msg: None)
    assert every_thread_tree(store) == flagged

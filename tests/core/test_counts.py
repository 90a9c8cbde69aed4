"""Counts taken once per database revision, and the end of a thread list
read from its end (core.counts, core.paging.ThreadTail), on the real sample DB."""
from __future__ import annotations

from kreview.core.counts import CountCache
from kreview.core.paging import ThreadTail


def test_tail_is_the_end_of_the_newest_first_list(store):
    everything = [t.thread_id for t in store.iter_threads("*")]
    assert len(everything) > 5
    for size in (1, 3, 7, len(everything) + 5):
        tail = ThreadTail(store, "*")
        assert [t.thread_id for t in tail.extend(size)] == everything[-size:]
        tail.close()


def test_tail_grows_upwards(store):
    everything = [t.thread_id for t in store.iter_threads("*")]
    tail = ThreadTail(store, "*")
    tail.extend(2)
    assert [t.thread_id for t in tail.extend(3)] == everything[-5:]
    assert [t.thread_id for t in tail.extend(1000)] == everything
    assert tail.exhausted


def test_count_is_reused_until_the_database_changes(store, tmp_path):
    cache = CountCache(store, tmp_path / "counts.json")
    first = cache.get("tag:inbox")
    assert first.value == store.count_threads("tag:inbox")
    assert cache.get("tag:inbox") is first  # same revision: not counted again
    one = next(store.iter_threads("tag:inbox"))
    store.tag_query(f"thread:{one.thread_id}", remove=["inbox"])
    second = cache.get("tag:inbox")
    assert second.revision != first.revision
    assert second.value == first.value - 1


def test_counts_survive_a_restart_and_bad_queries_say_so(store, tmp_path):
    path = tmp_path / "counts.json"
    taken = CountCache(store, path).get("*")
    again = CountCache(store, path)
    assert again.known("*") is None  # the file is read by the first get, from a worker
    assert again.get("*") == taken
    assert again.get("tag:inbox and (").value is None

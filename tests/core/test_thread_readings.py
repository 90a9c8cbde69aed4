"""One reading of a thread shared by the read-ahead and the list's A/R/T count
(kreview.core.thread_readings), on a real temporary notmuch database."""
from __future__ import annotations

import threading

from kreview.core.review import TrailerCountCache
from kreview.core.thread_readings import ThreadReadings

QUERY = "from:hch@lst.de"


def v8(store):
    return next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)


def counted(store, monkeypatch) -> list[tuple]:
    """Every store.thread_messages call (the real one), as (thread, query)."""
    calls: list[tuple] = []
    real = store.thread_messages

    def reading(thread_id, query=None, **options):
        calls.append((thread_id, query))
        return real(thread_id, query, **options)

    monkeypatch.setattr(store, "thread_messages", reading)
    return calls


def test_a_reader_arriving_during_a_reading_takes_its_nodes(store, monkeypatch):
    thread = v8(store)
    calls = counted(store, monkeypatch)
    real = store.thread_messages
    inside, release = threading.Event(), threading.Event()

    def slow(thread_id, query=None, **options):  # the first reading holds until the second reader is started
        inside.set()
        assert release.wait(30)
        return real(thread_id, query, **options)

    monkeypatch.setattr(store, "thread_messages", slow)
    readings = ThreadReadings(store)
    got: dict[str, list] = {}
    first = threading.Thread(target=lambda: got.setdefault("first", readings.read(thread.thread_id)[1]))
    first.start()
    assert inside.wait(30)
    monkeypatch.setattr(store, "thread_messages", real)  # a second reading would be counted
    second = threading.Thread(target=lambda: got.setdefault("second", readings.read(thread.thread_id, "*")[1]))
    second.start()
    release.set()
    first.join(30)
    second.join(30)
    assert len(calls) == 1  # the first reading only
    assert got["first"] is got["second"]
    assert [n.message_id for n in got["second"]] == [n.message_id for n in store.thread_messages(thread.thread_id)]


def test_the_count_takes_any_querys_reading_a_query_only_its_own(store, monkeypatch):
    thread = v8(store)
    calls = counted(store, monkeypatch)
    readings = ThreadReadings(store)
    _, for_query = readings.read(thread.thread_id, QUERY)
    _, for_count = readings.read(thread.thread_id, any_query=True)
    assert for_count is for_query and len(calls) == 1
    # The matched flags differ: a reader for no query (every message matches) reads its own.
    _, for_all = readings.read(thread.thread_id)
    assert len(calls) == 2
    assert all(n.matched for n in for_all if not n.missing)
    assert not all(n.matched for n in for_query if not n.missing)


def test_a_change_in_the_database_makes_the_next_reader_read_again(store, monkeypatch):
    thread = v8(store)
    calls = counted(store, monkeypatch)
    readings = ThreadReadings(store)
    _, before = readings.read(thread.thread_id)
    first = next(n for n in before if not n.missing)
    store.change_tags([first.message_id], add=["h21t-flag"])
    _, after = readings.read(thread.thread_id, any_query=True)
    assert len(calls) == 2
    assert "h21t-flag" in next(n for n in after if n.message_id == first.message_id).tags


def test_only_the_last_readings_are_kept(store, monkeypatch):
    threads = [t for t in store.iter_threads("*")][:3]
    calls = counted(store, monkeypatch)
    readings = ThreadReadings(store, keep=2)
    for t in threads:
        readings.read(t.thread_id)
    readings.read(threads[0].thread_id)  # dropped by the third: read again
    readings.read(threads[2].thread_id)  # kept
    assert len(calls) == 4


def test_the_count_after_the_read_ahead_reads_nothing_and_counts_the_same(store, monkeypatch):
    thread = v8(store)
    alone = TrailerCountCache(store).get(thread)  # counted on its own, as before
    assert alone is not None
    calls = counted(store, monkeypatch)
    shared = TrailerCountCache(store)
    shared.readings.read(thread.thread_id, QUERY)  # the read-ahead, for the list's query
    assert shared.get(thread) == alone
    assert len(calls) == 1

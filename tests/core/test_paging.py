"""Thread rows a page at a time, with the first page fetched ahead."""
from __future__ import annotations

import time

import pytest

from kreview.core.paging import ThreadPager
from kreview.core.store import BadQuery, StoreError


def ids(threads):
    return [t.thread_id for t in threads]


def wait_ready(pager: ThreadPager, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = pager.ready_page()
        if page is not None:
            return page
        time.sleep(0.01)
    raise AssertionError("the prefetched page never arrived")


def test_pages_cover_the_result_in_order(store):
    everything = ids(store.iter_threads("*"))
    assert len(everything) == 9
    pager = ThreadPager(store, "*")
    pages = [pager.next_page(4), pager.next_page(4), pager.next_page(4)]
    assert [len(p) for p in pages] == [4, 4, 1]
    assert ids(pages[0] + pages[1] + pages[2]) == everything
    assert pager.exhausted
    assert pager.next_page(4) == []


def test_prefetched_page_is_taken_once_then_paging_goes_on(store):
    everything = ids(store.iter_threads("*"))
    pager = ThreadPager(store, "*")
    assert pager.ready_page() is None  # nothing asked for yet
    pager.prefetch(5)
    first = wait_ready(pager)
    assert ids(first) == everything[:5]
    assert pager.ready_page() is None  # handed out once
    assert ids(pager.next_page(10)) == everything[5:]
    assert pager.exhausted


def test_prefetch_error_reaches_the_reader(store):
    pager = ThreadPager(store, "tag:inbox and (")
    pager.prefetch(5)
    deadline = time.monotonic() + 10
    while pager._error is None and time.monotonic() < deadline:  # noqa: SLF001 (waiting on the thread)
        time.sleep(0.01)
    assert pager.ready_page() is None  # an error is no page
    with pytest.raises(BadQuery):
        pager.next_page(5)


def test_close_ends_paging(store):
    pager = ThreadPager(store, "*")
    pager.next_page(2)
    pager.close()
    assert pager.exhausted
    assert pager.next_page(2) == []


def test_on_ready_is_called_once_the_page_is_in(store):
    # The entry point tunes the interpreter's thread switching until then.
    import threading

    called = threading.Event()
    pager = ThreadPager(store, "*")
    pager.prefetch(5, on_ready=called.set)
    assert called.wait(5)
    assert len(pager.ready_page() or []) == 5  # in already: ready_page does not wait


def test_on_ready_is_called_when_the_fetch_fails(store):
    import threading

    called = threading.Event()
    pager = ThreadPager(store, "*")

    def broken():
        raise StoreError("the database went away")
        yield  # a generator, as iter_threads is

    pager._threads = broken()
    pager.prefetch(5, on_ready=called.set)
    assert called.wait(5)
    with pytest.raises(StoreError):
        pager.next_page()


def test_close_does_not_wait_for_a_page_being_taken(store):
    """close() runs on the UI thread: while another thread takes a page
    (notmuch sorting a big result), it returns at once, and the query is
    closed when that page is in."""
    import threading

    pager = ThreadPager(store, "*")
    taking, release = threading.Event(), threading.Event()
    original = pager._threads

    def slow_threads():
        taking.set()
        release.wait(5)
        yield from original

    pager._threads = slow_threads()
    worker = threading.Thread(target=pager.next_page, args=(2,))
    worker.start()
    assert taking.wait(5)
    started = time.monotonic()
    pager.close()
    assert time.monotonic() - started < 0.5
    release.set()
    worker.join(5)
    assert pager.exhausted and pager.next_page(2) == []

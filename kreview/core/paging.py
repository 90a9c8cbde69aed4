"""Thread rows a page at a time, from one open notmuch query.

A pager owns the query's iterator; pages are taken under a lock because a
cancelled worker may still be finishing its page when the next starts. The
first page can be fetched ahead (``prefetch``) while the reader is still
starting up: notmuch sorting a 100,000-message result then overlaps with
importing Textual instead of following it.
"""
from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator

from kreview.core.model import ThreadSummary
from kreview.core.store import Store, StoreError

FIRST_PAGE = 60  # a screenful and a bit: what the first paint needs
PAGE_SIZE = 200


class ThreadPager:
    def __init__(self, store: Store, query: str) -> None:
        self.query = query
        self._threads: Iterator[ThreadSummary] = store.iter_threads(query)
        self._lock = threading.Lock()
        self._ahead: list[ThreadSummary] | None = None
        self._error: StoreError | None = None
        self._closed = False
        self.exhausted = False

    def _take(self, size: int) -> list[ThreadSummary]:
        """A page; the lock is held."""
        page: list[ThreadSummary] = []
        if self.exhausted:
            return page
        for thread in self._threads:
            page.append(thread)
            if len(page) >= size:
                break
        else:
            self.exhausted = True
        if self._closed:
            self._close_query()  # closed while this page was being taken
        return page

    def _close_query(self) -> None:
        self._threads.close()
        self.exhausted = True

    def prefetch(self, size: int = FIRST_PAGE, on_ready: Callable[[], None] | None = None) -> None:
        """Start fetching the first page in a thread of its own; ``on_ready``
        is called in that thread once the page is in (or failed), so the
        entry point can tune the interpreter just for as long as the fetch
        runs (see kreview.cli)."""

        def run() -> None:
            try:
                with self._lock:
                    try:
                        self._ahead = self._take(size)
                    except StoreError as exc:
                        self._error = exc
            finally:
                if on_ready is not None:
                    on_ready()

        threading.Thread(target=run, name="kreview-prefetch", daemon=True).start()

    def ready_page(self) -> list[ThreadSummary] | None:
        """The prefetched page if it has arrived, without waiting; else None."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._error is not None or self._ahead is None:
                return None
            page, self._ahead = self._ahead, None
            return page
        finally:
            self._lock.release()

    def next_page(self, size: int = PAGE_SIZE) -> list[ThreadSummary]:
        with self._lock:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            if self._ahead is not None:
                page, self._ahead = self._ahead, None
                return page
            return self._take(size)

    def close(self) -> None:
        """Stop the query, without waiting: it is called from the UI thread,
        and a page being taken (notmuch sorting a big result) can take a
        while; the thread taking it closes the query when the page is in."""
        self._closed = True
        if self._lock.acquire(blocking=False):
            try:
                self._close_query()
            finally:
                self._lock.release()


class ThreadTail:
    """The last rows of a query's newest-first list, without reading the rest.

    notmuch puts a thread in the newest-first list by its newest matching
    message, so the list ends with the threads whose newest message is the
    oldest. Those are read from the oldest-first list (ordered by each
    thread's oldest message): once a thread there starts after the k-th
    smallest "newest" seen so far, no later thread can end before it, and
    the k last rows are known. For mail, where threads live days and the
    list spans years, that is a few more than k threads: ``G`` on a 12,000
    thread list costs one page, not the 12 s of reading every page.

    ``extend`` asks for more rows (scrolling up from the end); the
    oldest-first iterator stays open between calls, like ThreadPager's.
    """

    def __init__(self, store: Store, query: str) -> None:
        self.query = query
        self._threads: Iterator[ThreadSummary] = store.iter_threads(query, newest_first=False)
        self._lock = threading.Lock()
        self._seen: list[ThreadSummary] = []
        self._ends: list[int] = []  # the newest dates of _seen, sorted
        self._next: ThreadSummary | None = None  # read, but starting too late for the last call
        self.exhausted = False
        self.rows: list[ThreadSummary] = []  # the last rows, in list order (newest first)

    def extend(self, size: int) -> list[ThreadSummary]:
        """The last ``len(self.rows) + size`` rows, in list order (all of them
        when the query has fewer)."""
        with self._lock:
            wanted = len(self.rows) + size
            if self._next is not None:
                self._keep(self._next)
                self._next = None
            while not self.exhausted:
                bound = self._ends[wanted - 1] if len(self._ends) >= wanted else None
                try:
                    thread = next(self._threads)
                except StopIteration:
                    self.exhausted = True
                    break
                if bound is not None and thread.oldest_date > bound:
                    self._next = thread  # the k last are known; keep it for a longer tail
                    break
                self._keep(thread)
            ordered = sorted(self._seen, key=lambda t: t.newest_date, reverse=True)
            self.rows = ordered[-wanted:] if wanted < len(ordered) else ordered
            return list(self.rows)

    def _keep(self, thread: ThreadSummary) -> None:
        self._seen.append(thread)
        bisect.insort(self._ends, thread.newest_date)

    def close(self) -> None:
        with self._lock:
            self._threads.close()
            self.exhausted = True

"""Thread rows a page at a time, from one open notmuch query.

A pager owns the query's iterator; pages are taken under a lock because a
cancelled worker may still be finishing its page when the next starts. The
first page can be fetched ahead (``prefetch``) while the reader is still
starting up: notmuch sorting a 100,000-message result then overlaps with
importing Textual instead of following it.
"""
from __future__ import annotations

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

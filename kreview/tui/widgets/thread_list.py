"""The thread list: one row per notmuch thread, newest first.

Rows arrive a page at a time from a thread worker that holds the query's
iterator open: the first screen costs one page, and the next page is fetched
only when the cursor gets near the end. A 100,000-thread query therefore costs
what the user actually scrolls through. DataTable draws only visible rows.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import DataTable

from kreview.core.model import ThreadSummary
from kreview.core.sanitize import clean
from kreview.core.store import Store, StoreError
from kreview.tui.bindings import THREAD_LIST

PAGE_SIZE = 100
PREFETCH_MARGIN = 30  # rows from the end at which the next page is fetched


def format_date(epoch: int, now: float | None = None) -> str:
    """Short, stable dates like notmuch-emacs: time today, month+day this year, else ISO date."""
    if epoch <= 0:
        return "(no date)"
    now = time.time() if now is None else now
    local = time.localtime(epoch)
    today = time.localtime(now)
    if local[:3] == today[:3]:
        return time.strftime("%H:%M", local)
    if local.tm_year == today.tm_year:
        return time.strftime("%b %d", local)
    return time.strftime("%Y-%m-%d", local)


def short_authors(authors: str, width: int = 24) -> str:
    names = [a.strip() for a in authors.replace("|", ",").split(",") if a.strip()]
    text = ", ".join(dict.fromkeys(names))
    return text if len(text) <= width else text[: width - 1] + "…"


class ThreadPager:
    """Owns the open query iterator; pages are taken under a lock because a
    cancelled worker may still be finishing its page when the next starts."""

    def __init__(self, store: Store, query: str) -> None:
        self._threads: Iterator[ThreadSummary] = store.iter_threads(query)
        self._lock = threading.Lock()
        self.exhausted = False

    def next_page(self, size: int) -> list[ThreadSummary]:
        with self._lock:
            page: list[ThreadSummary] = []
            if self.exhausted:
                return page
            for thread in self._threads:
                page.append(thread)
                if len(page) >= size:
                    break
            else:
                self.exhausted = True
            return page

    def close(self) -> None:
        with self._lock:
            self._threads.close()
            self.exhausted = True


class ThreadList(DataTable):
    """Posts :class:`ThreadList.Opened` when a thread is chosen and
    :class:`ThreadList.Loaded` after each page."""

    BINDINGS = THREAD_LIST
    COMPONENT_CLASSES = {"thread-list--unread"}

    @dataclass
    class Opened(Message):
        thread: ThreadSummary

    @dataclass
    class Loaded(Message):
        rows: int
        complete: bool
        error: str | None = None

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.store = store
        self.query_text = ""
        self.threads: list[ThreadSummary] = []
        self._pager: ThreadPager | None = None
        self._loading = False
        self._generation = 0
        self.series_counts: dict[str, str] = {}
        self.marked: set[str] = set()  # thread ids chosen for a tag operation

    def on_mount(self) -> None:
        self.add_column(" ", width=1, key="mark")
        self.add_column("Date", width=10, key="date")
        self.add_column("Authors", width=24, key="authors")
        self.add_column("Msgs", width=7, key="count")
        self.add_column("A/R/T", width=7, key="art")
        self.add_column("Subject", key="subject")
        self.add_column("Tags", key="tags")

    # -- loading ---------------------------------------------------------

    def search(self, query: str) -> None:
        """Start showing ``query``'s threads (replaces what is shown)."""
        if self._pager is not None:
            self._pager.close()
        self._generation += 1
        self.query_text = query
        self.threads = []
        self.marked.clear()
        self.clear()
        self._pager = None
        self._loading = True
        self._load_page(self._generation, query, fresh=True)

    @work(thread=True, group="thread-pages")
    def _load_page(self, generation: int, query: str, fresh: bool = False) -> None:
        try:
            if fresh:
                pager = ThreadPager(self.store, query)
            else:
                pager = self._pager
            page = pager.next_page(PAGE_SIZE) if pager else []
        except StoreError as exc:
            self.app.call_from_thread(self._page_failed, generation, str(exc))
            return
        self.app.call_from_thread(self._add_page, generation, pager, page)

    def _page_failed(self, generation: int, error: str) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.post_message(self.Loaded(len(self.threads), True, error))

    def _add_page(self, generation: int, pager: ThreadPager, page: list[ThreadSummary]) -> None:
        if generation != self._generation:
            pager.close()
            return
        self._pager = pager
        self._loading = False
        self.threads.extend(page)
        for thread in page:
            self.add_row(*self._cells(thread), key=thread.thread_id)
        self.post_message(self.Loaded(len(self.threads), pager.exhausted))
        self._count_series(generation, page)

    @work(thread=True, group="series-counts")
    def _count_series(self, generation: int, page: list[ThreadSummary]) -> None:
        """Fill the A/R/T column after the rows are shown: it reads patch files."""
        counts = getattr(self.app, "series_counts", None)
        if counts is None:
            return
        for start in range(0, len(page), 10):
            found = {}
            for thread in page[start:start + 10]:
                if generation != self._generation:
                    return
                try:
                    art = counts.get(thread)
                except StoreError:
                    continue
                if art is not None:
                    found[thread.thread_id] = "{}/{}/{}".format(*art)
            if found:
                self.app.call_from_thread(self.set_series_counts, found)

    def _cells(self, thread: ThreadSummary) -> tuple:
        unread = "unread" in thread.tags
        style = "bold" if unread else ""
        count = f"{thread.matched}/{thread.total}" if thread.matched != thread.total else str(thread.total)
        tags = " ".join(sorted(t for t in thread.tags if t not in {"inbox", "unread"}))
        return (
            Text("*" if thread.thread_id in self.marked else "", style="bold"),
            Text(format_date(thread.newest_date), style=style),
            Text(clean(short_authors(thread.authors)), style=style),
            Text(count, style=style),
            Text(self.series_counts.get(thread.thread_id, "")),
            Text(clean(thread.subject) or "(no subject)", style=style),
            Text(clean(tags), style="italic"),
        )

    def load_more_if_needed(self) -> None:
        if self._loading or self._pager is None or self._pager.exhausted:
            return
        if self.cursor_row >= len(self.threads) - PREFETCH_MARGIN:
            self._loading = True
            self._load_page(self._generation, self.query_text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.load_more_if_needed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.threads):
            self.post_message(self.Opened(self.threads[event.cursor_row]))

    # -- updates from elsewhere -----------------------------------------

    @property
    def current(self) -> ThreadSummary | None:
        if 0 <= self.cursor_row < len(self.threads):
            return self.threads[self.cursor_row]
        return None

    def replace_thread(self, thread: ThreadSummary) -> None:
        """Redraw one row after its tags changed."""
        for index, known in enumerate(self.threads):
            if known.thread_id == thread.thread_id:
                self.threads[index] = thread
                for column, cell in zip(("mark", "date", "authors", "count", "art", "subject", "tags"), self._cells(thread)):
                    self.update_cell(thread.thread_id, column, cell)
                return

    def toggle_mark(self) -> None:
        thread = self.current
        if thread is None:
            return
        self.marked ^= {thread.thread_id}
        self.replace_thread(thread)
        self.action_cursor_down()

    def clear_marks(self) -> None:
        marked, self.marked = self.marked, set()
        for thread in self.threads:
            if thread.thread_id in marked:
                self.replace_thread(thread)

    def set_series_counts(self, counts: dict[str, str]) -> None:
        self.series_counts.update(counts)
        for thread_id, value in counts.items():
            try:
                self.update_cell(thread_id, "art", Text(value))
            except Exception:  # row not loaded (any more): nothing to redraw
                continue

    def on_unmount(self) -> None:
        if self._pager is not None:
            self._pager.close()

"""The thread list: one row per notmuch thread, newest first.

Rows arrive a page at a time from a thread worker that holds the query's
iterator open: the first screen costs one page, and the next page is fetched
only when the cursor gets near the end, so a 100,000-thread query costs what
the user scrolls through. Drawing is a Line-API ScrollView: a row becomes a
Strip only when it is on screen (and stays cached until it changes).

The A/R/T column (the series' Acked-by/Reviewed-by/Tested-by, as patchwork
shows them) needs the patch files, so it is filled in the background for the
rows on screen only, after they are drawn.

The list knows its size: the query's threads are counted in a worker once
the first page is drawn (through the app's CountCache, so a count is taken
once per database revision). With the count known, ``G`` shows the last
rows at once: they are read from the end of the list (core.paging's
ThreadTail), the rows between load from either side as the cursor comes
near, and the two halves are joined when they meet.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from rich.segment import Segment
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from kreview.core.model import ThreadSummary, author_names
from kreview.core.paging import FIRST_PAGE, PAGE_SIZE, ThreadPager, ThreadTail
from kreview.core.sanitize import clean_line
from kreview.core.store import Store, StoreError
from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.bindings import THREAD_LIST
from kreview.tui.widgets.cached_lines import CachedLinesView

PREFETCH_MARGIN = 100  # rows from the end at which the next page is fetched (two PageDowns ahead)
COUNT_REST = 0.3  # seconds the list is still before the rows on screen get their A/R/T counted
COLUMNS = (("", 2), ("Date", 12), ("Authors", 26), ("Msgs", 8), ("A/R/T", 9))  # then Subject, Tags
TAGS_WIDTH = 24
HIDDEN_TAGS = frozenset({"inbox", "unread"})


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
    text = ", ".join(author_names(authors))
    return text if len(text) <= width else text[: width - 1] + "…"


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells (with an ellipsis when cut)."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 0 else ""
    return text.ljust(width)


# Narrow terminals give the subject the room (80 columns: 37 for it, not 23);
# wide ones give authors more.
NARROW_COLUMNS = (("", 2), ("Date", 11), ("Authors", 16), ("Msgs", 6), ("A/R/T", 8))
WIDE_COLUMNS = (("", 2), ("Date", 12), ("Authors", 36), ("Msgs", 8), ("A/R/T", 9))


def columns_for(width: int) -> tuple[tuple[str, int], ...]:
    """The fixed columns for a list ``width`` cells wide (the subject takes the rest)."""
    if width and width < 120:
        return NARROW_COLUMNS
    if width >= 200:
        return WIDE_COLUMNS
    return COLUMNS


def header_text(width: int = 0) -> str:
    return "".join(fit(name, w) for name, w in columns_for(width)) + "Subject"


class ThreadList(CachedLinesView):
    """Posts :class:`ThreadList.Opened` when a thread is chosen and
    :class:`ThreadList.Loaded` after each page."""

    BINDINGS = THREAD_LIST
    COMPONENT_CLASSES = {
        "thread-list--cursor", "thread-list--cursor-blurred", "thread-list--unread",
        "thread-list--date", "thread-list--count", "thread-list--art", "thread-list--tags",
        "thread-list--mark",
    }

    @dataclass
    class Opened(Message):
        thread: ThreadSummary

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row (the search screen reads its thread ahead)."""

        thread: ThreadSummary | None

    @dataclass
    class Loaded(Message):
        rows: int
        complete: bool
        error: str | None = None

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.query_text = ""
        self.threads: list[ThreadSummary] = []
        self.cursor_row = 0
        self.marked: set[str] = set()  # thread ids chosen for a tag operation
        self.art_labels: dict[str, str] = {}
        self._row_of: dict[str, int] = {}
        self._pager: ThreadPager | None = None
        self._loading = False
        self._generation = 0
        self._count_timer: Timer | None = None
        self._counted: set[str] = set()
        self.total: int | None = None  # rows the list has room for: the first count, less rows taken out
        self.count: int | None = None  # the query's thread count, taken again after each change
        self.tail: list[ThreadSummary] = []  # the list's last rows, read from its end (G)
        self._tail: ThreadTail | None = None
        self._tail_loading = False
        self._joined = False  # the head reached the tail: every row is listed
        self._want_end = False  # G was pressed before the last rows were read
        # Rows taken out (muted) since the query ran: the pages and the end,
        # read from the database as it was then, would bring them back.
        self._left_out: set[str] = set()

    @property
    def row_count(self) -> int:
        """Rows in the list (the count, when the end has been read as well)."""
        if self.tail:
            return max(self.total or 0, len(self.threads) + len(self.tail))
        return len(self.threads)

    @property
    def tail_start(self) -> int:
        return self.row_count - len(self.tail)

    def thread_at(self, row: int) -> ThreadSummary | None:
        """The thread on ``row``; None for a row not read yet (between the
        first pages and the last ones)."""
        if 0 <= row < len(self.threads):
            return self.threads[row]
        if self.tail and self.tail_start <= row < self.row_count:
            return self.tail[row - self.tail_start]
        return None

    def loaded_threads(self) -> list[ThreadSummary]:
        return self.threads + self.tail

    @property
    def fetching(self) -> bool:
        """A page is being fetched (not Widget.loading, Textual's spinner)."""
        return self._loading

    @property
    def all_listed(self) -> bool:
        """Every thread of the query is in the list."""
        return self._joined or (self._pager is not None and self._pager.exhausted and not self.tail)

    @property
    def known_total(self) -> int | None:
        """How many threads the query has, when known (counted, or all listed)."""
        if self.all_listed:
            return self.row_count
        return self.total

    @property
    def thread_count(self) -> int | None:
        """The query's thread count as last taken (a row changed in place,
        say archived under tag:inbox, stays listed but is no longer counted)."""
        return self.count if self.count is not None else self.known_total

    @property
    def current(self) -> ThreadSummary | None:
        return self.thread_at(self.cursor_row)

    # -- loading ---------------------------------------------------------

    def search(self, query: str, pager: ThreadPager | None = None) -> None:
        """Start showing ``query``'s threads (replaces what is shown); ``pager``
        may be one already fetching that query's first page."""
        if self._pager is not None:
            self._pager.close()
        if self._tail is not None:
            self._tail.close()
        self._generation += 1
        self.query_text = query
        self.threads = []
        self._row_of = {}
        self.total, self.tail, self._tail, self._tail_loading, self._joined = None, [], None, False, False
        self.count = None
        self._want_end = False
        self._left_out = set()
        self.marked.clear()
        self.cursor_row = 0
        self._pager = None
        self._loading = True
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)
        ready = pager.ready_page() if pager is not None else None
        if ready is not None:
            # Fetched while Textual was starting: the first paint has rows.
            self._add_page(self._generation, pager, ready)
            return
        self._relayout()
        self._load_page(self._generation, query, fresh=True, pager=pager)

    @in_background(group="thread-pages", failure="Could not read the list")
    def _load_page(self, generation: int, query: str, fresh: bool = False,
                   pager: ThreadPager | None = None):
        try:
            if fresh:
                pager = pager or ThreadPager(self.store, query)
            else:
                pager = self._pager
            page = pager.next_page(FIRST_PAGE if fresh else PAGE_SIZE) if pager else []
        except StoreError as exc:  # the search screen says it in its status line
            return ui(self._page_failed, generation, str(exc))
        return ui(self._add_page, generation, pager, page)

    def _page_failed(self, generation: int, error: str) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.post_message(self.Loaded(len(self.threads), True, error))

    def _add_page(self, generation: int, pager: ThreadPager, page: list[ThreadSummary]) -> None:
        if generation != self._generation:
            pager.close()
            return
        first = self._pager is None
        self._pager = pager
        self._loading = False
        shown_to = len(self.threads)
        tail_ids = {t.thread_id for t in self.tail}
        met_tail = False
        for thread in page:
            if thread.thread_id in tail_ids:
                met_tail = True  # the first pages reached the last ones
                break
            if thread.thread_id in self._left_out:
                continue
            self._row_of[thread.thread_id] = len(self.threads)
            self.threads.append(thread)
        if self.tail and (met_tail or pager.exhausted or len(self.threads) >= self.tail_start):
            self._join_tail()
        # More rows below: the ones drawn stay valid (their cache keys hold
        # the thread), and the screen changes only if they reach it.
        self.set_virtual_size(Size(self.size.width, self.row_count))
        if shown_to < self.scroll_offset.y + self.scrollable_content_region.height:
            self.refresh()
        self.schedule_warm()
        self.update_position()
        self.post_message(self.Loaded(len(self.threads), pager.exhausted))
        self._schedule_counts()
        if first:
            # After the first page is drawn: counting competes with nothing on screen.
            self.call_after_refresh(self._count_threads, self._generation, self.query_text)
        if self.tail:
            self.load_more_if_needed()  # the cursor may wait in rows between, not read yet

    def _join_tail(self) -> None:
        """The first pages met the last ones: one list, every row listed."""
        known = {t.thread_id for t in self.threads}
        for thread in self.tail:
            if thread.thread_id not in known:
                self._row_of[thread.thread_id] = len(self.threads)
                self.threads.append(thread)
        self.tail = []
        if self._tail is not None:
            self._tail.close()
        self._tail = None
        self._joined = True
        self.total = len(self.threads)
        self._cache.clear()
        self.refresh()

    # -- the count and the end of the list (G) ---------------------------

    @in_background(group="thread-count", exclusive=True, failure="Could not count the threads")
    def _count_threads(self, generation: int, query: str):
        from kreview.core.counts import at_low_priority

        counts = self.app.counts
        try:  # seconds in libnotmuch that no key should wait behind
            total = at_low_priority(lambda: counts.get(query).value if counts is not None
                                    else self.store.count_threads(query))
        except StoreError:
            return  # the list still works; it just does not say how long it is
        if total is not None and not get_current_worker().is_cancelled:  # a newer count replaced this one
            return ui(self._counted_threads, generation, total)

    def recount(self) -> None:
        """Take the count again (after a change: the cache counts only if
        the database's revision moved)."""
        if self._pager is not None:
            self._count_threads(self._generation, self.query_text)

    def _counted_threads(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.count = total
        if self._joined or (self.tail and self.total is not None):
            # Every row listed, or the rows between the ends placed by the
            # first count: the rows stay where they are.
            self.post_message(self.Loaded(len(self.threads), self.all_listed))
            return
        self.total = total
        if self.tail:
            self.set_virtual_size(Size(self.size.width, self.row_count))
            self.refresh()
        self.update_position()
        self.post_message(self.Loaded(len(self.threads), self.all_listed))

    @in_background(group="thread-tail", failure="Could not read the end of the list")
    def _load_tail(self, generation: int, query: str, tail: ThreadTail, size: int):
        try:
            if self.total is None:
                counts = self.app.counts
                total = counts.get(query).value if counts is not None else self.store.count_threads(query)
                to_ui(self._counted_threads, generation, total or 0)
            rows = tail.extend(size)
        except StoreError as exc:
            return ui(self._page_failed, generation, str(exc))
        return ui(self._add_tail, generation, tail, rows)

    def _add_tail(self, generation: int, tail: ThreadTail, rows: list[ThreadSummary]) -> None:
        if generation != self._generation or self._joined:
            return
        self._tail_loading = False
        before = self.cursor_row
        self.tail = [t for t in rows if t.thread_id not in self._left_out]
        start = self.tail_start
        for index, thread in enumerate(self.tail):
            self._row_of[thread.thread_id] = start + index
        head_ids = {t.thread_id for t in self.threads}
        if len(self.threads) >= start or any(t.thread_id in head_ids for t in self.tail):
            self._join_tail()
        self.set_virtual_size(Size(self.size.width, self.row_count))
        self._cache.clear()
        if self._want_end:
            self._want_end = False
            self.cursor_row = self.row_count - 1
        self.repaint_cursor_move(before, self.cursor_row)
        self.refresh()
        self.update_position()
        self.post_message(self.Loaded(len(self.threads), self.all_listed))
        self._schedule_counts()
        self.load_more_if_needed()

    def _want_tail(self, size: int | None = None) -> None:
        if self._tail_loading or self._joined:
            return
        size = size or FIRST_PAGE
        if self._tail is None:
            self._tail = ThreadTail(self.store, self.query_text)
        self._tail_loading = True
        self._load_tail(self._generation, self.query_text, self._tail, size)

    def load_more_if_needed(self) -> None:
        """Read the next rows on the side of the gap the cursor is near."""
        if self.all_listed or self._pager is None:
            return
        row, head = self.cursor_row, len(self.threads)
        if self.tail and row >= head:
            tail_top = self.tail_start
            if row >= tail_top or tail_top - row < row - head:  # nearer the end: read upwards from it
                if row < tail_top + PREFETCH_MARGIN and tail_top > head:
                    self._want_tail(PAGE_SIZE)
                return
        if self._loading or self._pager.exhausted:
            return
        if row >= head - PREFETCH_MARGIN:
            self._loading = True
            self._load_page(self._generation, self.query_text)

    def _relayout(self) -> None:
        # The drawn rows stay: a row's cache key holds its thread and the
        # width it was drawn at. (Cleared here, the first page was drawn
        # twice before the first frame: the list's first resize event comes
        # after its first paint, at the same width.)
        self.set_virtual_size(Size(self.size.width, self.row_count))
        self.refresh()

    # -- A/R/T in the background ----------------------------------------

    def _schedule_counts(self) -> None:
        """Count the visible rows' series once the list has been still a
        moment; a count under way stops (between files) while the reader
        moves, so it never competes with the rows being drawn."""
        if self._count_timer is not None:
            self._count_timer.stop()
        self.workers.cancel_group(self, "series-counts")
        self._count_timer = self.set_timer(COUNT_REST, self._count_visible)

    def _count_visible(self) -> None:
        top = self.scroll_offset.y
        rows = [self.thread_at(row) for row in range(top, top + self.scrollable_content_region.height + 1)]
        todo = [t for t in rows if t is not None and t.thread_id not in self._counted]
        if todo:
            self._count_series(self._generation, todo)

    @in_background(group="series-counts", exclusive=True, failure="Could not count the series' trailers")
    def _count_series(self, generation: int, threads: list[ThreadSummary]) -> None:
        counts = self.app.trailer_counts
        if counts is None:
            return
        from kreview.core.review import (
            Cancelled,  # the parsers are not needed for the first screen
        )

        worker = get_current_worker()
        for thread in threads:
            if generation != self._generation or worker.is_cancelled:
                return
            try:
                art = counts.get(thread, cancelled=lambda: worker.is_cancelled)
            except Cancelled:
                return  # a thread was opened: counting waits for the list to come back
            except StoreError:
                continue
            self._counted.add(thread.thread_id)
            if art is not None:
                to_ui(self.set_art_labels, {thread.thread_id: "{}/{}/{}".format(*art)})

    def pause_counts(self) -> None:
        """Stop counting while another screen is in front (it competes for the CPU)."""
        if self._count_timer is not None:
            self._count_timer.stop()
        self.workers.cancel_group(self, "series-counts")

    def set_art_labels(self, labels: dict[str, str]) -> None:
        self.art_labels.update(labels)
        for thread_id in labels:  # the count is in the rows' cache key: only they repaint
            row = self._row_of.get(thread_id)
            if row is not None:
                self.refresh_line(row)

    # -- drawing ---------------------------------------------------------

    def line_count(self) -> int:
        return self.row_count

    def on_resize(self) -> None:
        self._relayout()
        self.update_position()

    def line_strip(self, row: int, scroll_x: int, width: int) -> Strip:
        thread = self.thread_at(row)
        selected = row == self.cursor_row
        if thread is None:  # not read yet: on its way (load_more_if_needed)
            style = self.component_style("thread-list--date")
            if selected:
                style += self.row_cursor("thread-list")
            return Strip([Segment(fit("  …", width), style)]).crop_extend(0, width, style)
        key = (row, thread, selected, self.has_focus, thread.thread_id in self.marked,
               self.art_labels.get(thread.thread_id), width, self.app.theme)
        strip = self._cache.get(key)
        if strip is None:
            segments = self._row_segments(thread, width)
            strip = self.row_strip(segments, selected, "thread-list", 0, width)
            self._cache[key] = strip
        return strip

    def _row_segments(self, thread: ThreadSummary, width: int) -> list[Segment]:
        """The row as styled segments, built directly: going through a Rich
        Text and rendering it costs several times more per row."""
        style = self.component_style
        base = style("thread-list--unread") if "unread" in thread.tags else self.base_style
        count = f"{thread.matched}/{thread.total}" if thread.matched != thread.total else str(thread.total)
        tags = " ".join(sorted(thread.tags - HIDDEN_TAGS))
        columns = columns_for(width)
        date_w, authors_w, count_w, art_w = (w for _, w in columns[1:])
        fixed = sum(w for _, w in columns)
        tags_width = min(TAGS_WIDTH, len(tags) + 1) if tags else 0
        subject_width = max(10, width - fixed - tags_width)
        segments = [
            Segment(fit("*" if thread.thread_id in self.marked else "", 2), style("thread-list--mark")),
            Segment(fit(format_date(thread.newest_date), date_w), base + style("thread-list--date")),
            Segment(fit(clean_line(short_authors(thread.authors, authors_w - 2)), authors_w), base),
            Segment(fit(count, count_w), base + style("thread-list--count")),
            Segment(fit(self.art_labels.get(thread.thread_id, ""), art_w), style("thread-list--art")),
            Segment(fit(clean_line(thread.subject) or "(no subject)", subject_width), base),
        ]
        if tags:
            segments.append(Segment(" " + fit(clean_line(tags), tags_width - 1), style("thread-list--tags")))
        return segments

    # -- cursor ----------------------------------------------------------

    def move_cursor(self, *, row: int) -> None:
        if not self.row_count:
            return
        before = self.cursor_row
        self.cursor_row = max(0, min(self.row_count - 1, row))
        self.repaint_cursor_move(before, self.cursor_row)
        self.load_more_if_needed()
        self._schedule_counts()
        if self.cursor_row != before:
            self.post_message(self.Highlighted(self.current))

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_scroll_top(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        """The last thread of the query, not of the rows read so far: its
        end is read from the end (ThreadTail), one page, whatever the size."""
        if self.all_listed or self._pager is None:
            self.move_cursor(row=self.row_count - 1)
            return
        if self.tail:
            self.move_cursor(row=self.row_count - 1)
            return
        self._want_end = True  # the cursor goes there when the rows arrive (~0.1 s)
        self._want_tail()

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self.page_rows)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self.page_rows)

    def action_select_cursor(self) -> None:
        thread = self.current
        if thread is not None:
            self.post_message(self.Opened(thread))

    def on_click(self, event) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < self.row_count:
            if row == self.cursor_row and event.chain >= 2:
                self.action_select_cursor()
            self.move_cursor(row=row)

    # -- updates from elsewhere -----------------------------------------

    def replace_thread(self, thread: ThreadSummary) -> None:
        """Redraw one row after its tags changed. The other rows keep their
        drawn lines: a line's cache key holds its thread (compared by
        value), so only a thread that changed is drawn again."""
        row = self._row_of.get(thread.thread_id)
        if row is None:
            return
        if row < len(self.threads) and self.threads[row].thread_id == thread.thread_id:
            self.threads[row] = thread
        elif self.tail and 0 <= row - self.tail_start < len(self.tail):
            self.tail[row - self.tail_start] = thread
        self.refresh_line(row)

    def remove_thread(self, thread_id: str) -> tuple[int, ThreadSummary] | None:
        """Take a thread's row out of the list (muted): the rows below move
        up, the cursor stays on its row (now the next thread). Returns where
        it was and what, to put it back (undo)."""
        row = self._row_of.get(thread_id)
        thread = self.thread_at(row) if row is not None else None
        if thread is None or thread.thread_id != thread_id:
            return None
        if row < len(self.threads):
            del self.threads[row]
        else:
            del self.tail[row - self.tail_start]
        self._left_out.add(thread_id)
        self._resized(-1)
        self.marked.discard(thread_id)
        return row, thread

    def insert_thread(self, row: int, thread: ThreadSummary) -> None:
        """Put a thread's row back at ``row`` (undo of a mute), cursor on it."""
        if thread.thread_id in self._row_of:
            return
        self._left_out.discard(thread.thread_id)
        row = max(0, min(row, self.row_count))
        if row <= len(self.threads) or not self.tail:
            self.threads.insert(min(row, len(self.threads)), thread)
        else:
            self.tail.insert(max(0, row - self.tail_start), thread)
        self._resized(+1)
        before = self.cursor_row
        self.cursor_row = self._row_of[thread.thread_id]
        self.repaint_cursor_move(before, self.cursor_row)

    def _resized(self, delta: int) -> None:
        """Rows were taken out or put back: sizes, indexes, the screen."""
        if self.total is not None:
            self.total += delta
        self.count = None  # the rows say until the count taken again (recount) does
        self._row_of = {t.thread_id: i for i, t in enumerate(self.threads)}
        start = self.tail_start
        self._row_of.update((t.thread_id, start + i) for i, t in enumerate(self.tail))
        self.cursor_row = max(0, min(self.cursor_row, self.row_count - 1))
        self._relayout()
        self.update_position()
        self.post_message(self.Loaded(len(self.threads), self.all_listed))
        self._schedule_counts()
        self.load_more_if_needed()

    def toggle_mark(self) -> None:
        thread = self.current
        if thread is None:
            return
        self.marked ^= {thread.thread_id}
        self.action_cursor_down()
        self.refresh()

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    def on_unmount(self) -> None:
        if self._pager is not None:
            self._pager.close()
        if self._tail is not None:
            self._tail.close()

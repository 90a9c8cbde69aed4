"""The search screen: a notmuch query and the threads it finds."""
from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from kreview.core.model import TagChange
from kreview.core.store import Store
from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.bindings import MARKING, MUTE, SEARCH, SEARCH_HISTORY, SEARCH_SERIES, TAGGING
from kreview.tui.mail_text import plain_line
from kreview.tui.tagging import TaggingMixin, TagTarget
from kreview.tui.widgets.key_hints import KeyHints
from kreview.tui.widgets.thread_list import ThreadList, header_text


# How long the list's cursor rests on a row before its thread is read ahead
# (kreview.tui.read_ahead): a held key repeats every 40 ms and starts none.
READ_AHEAD_REST = 0.1


class SearchScreen(TaggingMixin, Screen):
    BINDINGS = SEARCH + TAGGING + MARKING + MUTE + SEARCH_HISTORY + SEARCH_SERIES
    # The list has the focus from the start (Textual would focus the query
    # input, the first focusable widget, and the list would then take it
    # back: two focus changes, two restyles, before the first frame).
    AUTO_FOCUS = "#threads"

    def __init__(self, store: Store, query: str) -> None:
        super().__init__()
        self.store = store
        self.query_text = query
        self._list_status = ""  # what the status line says about the list
        self._muted_away: dict[str, int] = {}  # thread muted here -> the row it was on (for undo)
        self._ahead = None  # a ReadAhead (kreview.tui.read_ahead) once the cursor has rested
        self._ahead_timer = None
        self._opening = False  # Enter's reading is under way: nothing is read ahead meanwhile
        self._queries_run = 0
        self._fresh_result = False  # a query ran and its first rows have not arrived yet
        self._left = False  # another screen was shown over the list since it came up

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Static("Query ", id="query-label")
            yield Input(value=self.query_text, placeholder="notmuch query, e.g. tag:inbox and subject:PATCH", id="query")
        yield Static(header_text(), id="thread-header")
        yield ThreadList(self.store, id="threads")
        with Horizontal(id="status-bar"):
            yield Static("", id="status")
            yield Static("", id="list-position")
        yield KeyHints()

    def on_resize(self, event) -> None:
        # The list's columns follow the width its rows are drawn in
        # (thread_list.columns_for): the header takes the same width once the
        # list is laid out (the screen's is wider by the scrollbar, and at 200
        # columns that chose other columns than the rows').
        self.call_after_refresh(self._header_to_list)

    def _header_to_list(self) -> None:
        width = self.thread_list.scrollable_content_region.width
        header, text = self.query_one("#thread-header", Static), header_text(width)
        if header.content != text:  # each update lays the screen out again (3 resizes at start)
            header.update(text)

    def on_mount(self) -> None:
        self.bind_tag_keys(self.app.kreview_config)
        self.watch(self.thread_list, "position", self._list_moved)
        self.run_query(self.query_text)

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    def run_query(self, query: str) -> None:
        from kreview.core.muting import without_muted

        self.query_text = query.strip() or "*"
        self._queries_run += 1
        self._fresh_result = True
        self._list_status = ""
        self._muted_away.clear()
        self.set_status(f"Searching {self.query_text} …")
        threads = self.thread_list
        shown = without_muted(self.query_text)  # muted threads only when asked for
        threads.search(shown, self.app.take_prefetched(shown))
        if not threads.fetching:
            # The prefetched page went in at once: say so in the same frame
            # (its Loaded message arrives after that frame, and repeats it).
            self._show_count(threads.row_count, threads.all_listed)  # see _loaded

    def set_status(self, text: str) -> None:
        # Mail text ("Opening <subject> …"): never markup (see mail_text).
        # A fixed one-line box: no layout pass (which would repaint the screen).
        self.query_one("#status", Static).update(plain_line(text), layout=False)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_query(event.value)
        self._history_cursor = None
        self.thread_list.focus()
        self._remember_search(event.value)

    # -- search history (bindings.SEARCH_HISTORY; core.history) -----------

    @property
    def history(self):
        """Read on first use: the first screen does not wait for it."""
        if getattr(self, "_history", None) is None:
            from kreview.core.history import SearchHistory
            from kreview.paths import data_dir

            self._history = SearchHistory(data_dir() / "search-history")
        return self._history

    @in_background(group="search-history", failure="Could not save the search history")
    def _remember_search(self, query: str) -> None:
        self.history.add(query)

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("history_older", "history_newer"):
            return isinstance(self.focused, Input) and self.focused.id == "query"
        return True

    def _walk_history(self, older: bool) -> None:
        from kreview.core.history import HistoryCursor

        field = self.query_one("#query", Input)
        cursor = getattr(self, "_history_cursor", None)
        if cursor is None or cursor.shown != field.value:
            cursor = self._history_cursor = HistoryCursor(self.history.entries, field.value)
        field.value = cursor.older() if older else cursor.newer()
        field.cursor_position = len(field.value)

    def action_history_older(self) -> None:
        self._walk_history(True)

    def action_history_newer(self) -> None:
        self._walk_history(False)

    @on(ThreadList.Loaded)
    def _loaded(self, event: ThreadList.Loaded) -> None:
        if event.error:
            self.set_status(event.error)
            self.notify(event.error, severity="error", title="Search failed")
            return
        self._show_count(event.rows, event.complete)

    def _show_count(self, rows: int, complete: bool) -> None:
        """The list's size: exact once counted (a worker of the list) or all
        listed, else the rows so far and that counting goes on; one number
        format everywhere (1,060, never 1060)."""
        total = self.thread_list.thread_count
        if total is not None:
            shown = f"{total:,} {'thread' if total == 1 else 'threads'}"
        else:
            shown = f"{rows:,}+ threads (counting …)"
        text = f"{self.query_text}: {shown}"
        if text != self._list_status:  # the same again (the count confirming the rows) leaves the line be
            self._list_status = text
            self.set_status(text)
        self._list_moved(self.thread_list.position)

    def _list_moved(self, position: tuple[int, int, int]) -> None:
        top, end, rows = position
        total = self.thread_list.known_total
        text = f"{top + 1:,}-{end:,} of {total if total is not None else rows:,}" if rows else ""
        if text and total is None:
            text += "+"
        self.query_one("#list-position", Static).update(text, layout=False)

    @on(ThreadList.Opened)
    def _opened(self, event: ThreadList.Opened) -> None:
        self.set_status(f"Opening {event.thread.subject} …")
        if self._ahead_timer is not None:
            self._ahead_timer.stop()  # Enter reads it now: not once more beside it
        self._opening = True
        self._open_thread(event.thread, self.query_text)

    # -- reading ahead (kreview.tui.read_ahead) ---------------------------

    @on(ThreadList.Highlighted)
    @on(ThreadList.Loaded)
    def _cursor_moved(self) -> None:
        """Read the cursor's thread once the cursor has rested a moment; at
        once when a search's first rows arrive (a query typed or chosen is
        most often followed by Enter on its first row, and no key is being
        held). Not for the query the reader starts with: its first screen
        and the warm-up come first."""
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        if self._fresh_result and self.thread_list.row_count:
            self._fresh_result = False
            if self._queries_run > 1:
                self._read_ahead_current()
                return
        self._ahead_timer = self.set_timer(READ_AHEAD_REST, self._read_ahead_current)

    def _read_ahead_current(self) -> None:
        thread = self.thread_list.current
        # (Not is_current: Textual counts the screen under the top one as
        # current too, and a thread opened meanwhile would be read again.)
        if thread is None or self.app.screen is not self or self._opening:
            return
        if self._ahead is None:
            from kreview.tui.read_ahead import ReadAhead  # not needed for the first screen

            self._ahead = ReadAhead()
        key = (thread.thread_id, self.query_text)
        if self._ahead.wanted(key):
            self._read_ahead(key, self._ahead.begin(key))

    @in_background(group="read-ahead", exclusive=True)
    def _read_ahead(self, key, done) -> None:
        from kreview.core.reading import open_thread

        thread_id, query = key
        try:
            # Shared with the list's A/R/T count, which wants the same thread
            # now; the revision is read before the thread (a change meanwhile
            # makes it stale).
            revision, nodes = self.app.trailer_counts.readings.read(thread_id, query)
            if not self._ahead.laying_out(key, done):
                return  # Enter took the thread over while its messages were read
            view = open_thread(self.store, thread_id, query, folding=self.app.kreview_config.folding, nodes=nodes)
        except Exception:  # noqa: BLE001 - Enter reads it again and reports what goes wrong
            self._ahead.finish(key, done, None, None)
            return
        # A series' trailers are not read here: the list's A/R/T count reads
        # them for the rows on screen once the list is still (0.3 s) and
        # keeps them for the thread screen (SeriesCounts.known_reviews);
        # reading them here too was the same files twice at once.
        self._ahead.finish(key, done, revision, view)

    @in_background(group="open-thread", exclusive=True, failed="_open_failed")
    def _open_thread(self, thread, query: str):
        """Load the tree and its first message, then push the thread screen
        with them: its first frame is complete, and the loading does not
        compete with building the screen for the interpreter. A thread read
        ahead while the cursor rested on it is not read again.

        A big thread is pushed in two steps: its first nodes and the message
        it opens on as soon as they are read, then the whole tree (see
        Store.thread_messages' on_first)."""
        from kreview.core.reading import first_part_view, open_thread

        worker = get_current_worker()
        ahead = self._ahead
        folding = self.app.kreview_config.folding
        view = ahead.take((thread.thread_id, query), self.store.revision_key) if ahead else None
        if view is None:
            pushed = False  # the first part is on its way to the screen

            def first_part(first_nodes) -> None:
                nonlocal pushed
                if not worker.is_cancelled:
                    pushed = True
                    # The rest is read once the first part is painted.
                    to_ui(self._push_thread, thread, query, first_part_view(first_nodes, folding),
                          first_nodes.pause.hold())

            # (A reading of this thread under way, ahead or for a count, is joined.)
            _, nodes = self.app.trailer_counts.readings.read(thread.thread_id, query, on_first=first_part)
            if pushed:  # its message is on screen: the tree is all that is left
                if not worker.is_cancelled:
                    to_ui(self._complete_thread, thread, nodes)
            else:
                view = open_thread(self.store, thread.thread_id, query, folding=folding, nodes=nodes)
        if view is not None and not worker.is_cancelled:
            to_ui(self._push_thread, thread, query, view)
        from kreview.tui.memory import release_freed_memory_soon

        release_freed_memory_soon()  # the tree's building blocks are garbage now

    def _push_thread(self, thread, query: str, view, painted: Callable[[], None] | None = None) -> None:
        """Show the thread; ``painted`` is called once its first frame is."""
        self._opening = False
        if not self.is_current:
            if painted is not None:
                painted()
            return  # the user went elsewhere while it loaded
        self.set_status(self._list_status)
        self.app.show_thread(thread, query, view)
        if painted is not None:
            self.app.thread_screen.call_after_refresh(painted)

    def _complete_thread(self, thread, nodes) -> None:
        """The whole tree of a big thread pushed with its first part (_open_thread)."""
        screen = self.app.thread_screen
        if screen is not None:
            screen.complete_thread(thread, nodes)

    def _open_failed(self, error: str) -> None:
        self._opening = False
        self.set_status(f"Could not open the thread: {error}")
        self.notify(error, severity="error", title="Could not open the thread")

    # -- tagging -----------------------------------------------------------

    def tag_target(self, whole_thread: bool) -> TagTarget | None:
        threads = self.thread_list
        chosen = [t for t in threads.loaded_threads() if t.thread_id in threads.marked]
        if not chosen and threads.current is not None:
            chosen = [threads.current]
        if not chosen:
            return None
        label = f"{len(chosen)} marked threads" if len(chosen) > 1 else "the thread"
        query = " or ".join(f"thread:{t.thread_id}" for t in chosen)
        tags_now = frozenset().union(*(t.tags for t in chosen))
        return TagTarget(label, query=query, tags_now=tags_now)

    def tags_changed(self, change: TagChange) -> None:
        self.thread_list.clear_marks()
        self._refresh_rows(change)

    @in_background(group="refresh-rows", failure="Could not refresh the list")
    def _refresh_rows(self, change: TagChange):
        summaries = []
        for thread_id in self.store.thread_ids_of(change.message_ids):
            summary = self.store.thread_summary(thread_id, self.query_text)
            if summary is not None:
                summaries.append(summary)
        return ui(self._replace_rows, summaries)

    def _replace_rows(self, summaries) -> None:
        """Rows after a change: redrawn; taken out when muted (unless the
        query asks for muted threads), put back where they were on undo."""
        from kreview.core.muting import MUTED_TAG, without_muted

        threads = self.thread_list
        hides_muted = without_muted(self.query_text) != self.query_text.strip()
        muted_away = self._muted_away
        for summary in summaries:
            if hides_muted and MUTED_TAG in summary.tags:
                removed = threads.remove_thread(summary.thread_id)
                if removed is not None:
                    muted_away[summary.thread_id] = removed[0]
            elif summary.thread_id in muted_away:
                threads.insert_thread(muted_away.pop(summary.thread_id), summary)
            else:
                threads.replace_thread(summary)
        threads.recount()  # the count shown is the one after the change

    def action_toggle_mark(self) -> None:
        self.thread_list.toggle_mark()

    def action_clear_marks(self) -> None:
        self.thread_list.clear_marks()

    def on_screen_suspend(self) -> None:
        self._left = True
        self.thread_list.pause_counts()

    def on_screen_resume(self) -> None:
        """Back from a thread: its tags may have changed there. (Not on the
        first showing, where nothing was read yet: the row's thread was
        read again and the whole list redrawn, just after the first frame.)"""
        if not self._left:
            return
        self.thread_list._schedule_counts()
        current = self.thread_list.current
        if current is not None:  # (reading marks messages read; a tag may have changed there)
            self._refresh_thread(current.thread_id)

    @in_background(group="refresh-rows", failure="Could not refresh the list")
    def _refresh_thread(self, thread_id: str):
        summary = self.store.thread_summary(thread_id, self.query_text)
        return ui(self._replace_rows, [summary] if summary is not None else [])

    def action_focus_query(self) -> None:
        self._history_cursor = None
        self.query_one("#query", Input).focus()

    def action_blur_query(self) -> None:
        self.thread_list.focus()

    def action_refresh(self) -> None:
        self.run_query(self.query_text)

    def action_series_view(self) -> None:
        """The series (version chains) of this query, with whose turn it is (issue 15)."""
        from kreview.tui.screens.series_view import SeriesScreen

        # One series screen per query is kept: opened again, it is drawn as
        # it was (and brought up to date behind), not composed anew.
        # (installed, so popping it does not destroy it)
        screen = getattr(self, "_series_screen", None)
        if screen is None or screen.query_text != (self.query_text or "*") or screen in self.app.screen_stack:
            if screen is not None and screen not in self.app.screen_stack:
                self.app.uninstall_screen(screen)
            screen = self._series_screen = SeriesScreen(self.store, self.query_text)
            self.app.install_screen(screen, name=f"series-view-{id(screen)}")
        self.app.push_screen(screen)

    def action_quit_app(self) -> None:
        if isinstance(self.focused, Input):
            return
        self.app.exit()

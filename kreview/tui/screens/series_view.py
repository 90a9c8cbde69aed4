"""The series view: one row per version chain matched by the query, shown by
its newest version, with whose turn it is.

Rows come from the series index (notmuch properties, no mail file read),
so the first screen is drawn from what the index held; the index is then
brought up to date in a worker (only the mail changed since) and the rows
redrawn if anything changed. ``f`` filters by status (with counts), Enter
opens the newest version, ``V`` lists every posting, ``d`` compares the
newest version with the one before, ``L`` asks the archive (public-inbox)
for newer versions of every chain shown (``L`` again cancels).
"""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.bindings import SERIES_VIEW
from kreview.tui.mail_text import plain_line
from kreview.tui.widgets.key_hints import KeyHints
from kreview.tui.widgets.series_table import SeriesTable, header_text


# The rows last shown per (database, query), with the index stamp they were
# read under: opening the view again draws them at once, before the worker
# has looked at the index (and then redraws if it changed).
_LAST_ROWS: dict[tuple[str, str], tuple[list, str | None]] = {}
# Rows read before the first paint when the digest is there (a screen is
# ~50 rows high; the rest follow once it is painted).
FIRST_ROWS = 120


class SeriesScreen(Screen):
    BINDINGS = SERIES_VIEW

    def __init__(self, store, query: str = "*", status: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.query_text = query or "*"
        self.status_filter = status
        self.rows: list = []
        self.shown: list = []
        self.note = ""
        self.complete = False  # False while only the first rows are read
        self._rows_stamp: str | None = None  # the index stamp self.rows were read under

    def compose(self) -> ComposeResult:
        yield Static("", id="series-title", markup=False)
        yield Static("", id="series-header", markup=False)
        yield SeriesTable(id="series-table")
        yield Static("", id="series-status", markup=False)
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one(SeriesTable).focus()
        self._title()
        known = _LAST_ROWS.get(self._rows_key)
        if known is not None:
            self._show_rows(*known)
        self.load_rows(refresh_after=True, if_changed=known is not None)

    @property
    def _rows_key(self) -> tuple[str, str]:
        return str(getattr(self.store, "config_path", "")), self.query_text

    def on_resize(self) -> None:
        self.query_one("#series-header", Static).update(header_text(self.size.width))

    def _title(self) -> None:
        scope = f"  status: {self.status_filter}" if self.status_filter else ""
        self.query_one("#series-title", Static).update(plain_line(f" Series  {self.query_text}{scope}"))

    def set_note(self, text: str) -> None:
        self.note = text
        self._status()

    def _status(self) -> None:
        from kreview.core.series_index import STATUS_ORDER, status_counts

        if not self.complete and self.rows:
            line = f" {len(self.shown)} series shown, reading the rest …"
        else:
            counts = status_counts(self.rows)
            parts = [f"{s}: {counts[s]}" for s in STATUS_ORDER if s in counts]
            line = f" {len(self.shown)} of {len(self.rows)} series · " + " · ".join(parts)
        if self.note:
            line += f"   [{self.note}]"
        self.query_one("#series-status", Static).update(line)

    @in_background(group="series-rows", exclusive=True, failed="_rows_failed")
    def load_rows(self, refresh_after: bool = False, if_changed: bool = False):
        """Read the rows: from the digest, a screenful first and the rest once
        it is painted (kreview.core.series_index.chain_row_stages); with
        ``if_changed``, only if the index changed since the rows shown."""
        import threading

        from kreview import paths
        from kreview.core.series_index import LASTMOD_KEY, chain_row_stages

        if if_changed and self._rows_stamp and self.store.database_value(LASTMOD_KEY) == self._rows_stamp:
            return ui(self.refresh_index) if refresh_after else None
        for stage in chain_row_stages(self.store, self.query_text, paths.cache_dir(), first=FIRST_ROWS):
            if stage.complete:
                to_ui(self._show_rows, stage.rows, stage.stamp)
                break
            painted = threading.Event()
            to_ui(self._show_first_rows, stage.rows, painted)
            # The rest waits for the first screen: parsed now, it would
            # hold the GIL while the UI thread paints.
            painted.wait(timeout=1.0)
        if refresh_after:
            return ui(self.refresh_index)
        return None

    def _show_first_rows(self, rows, painted) -> None:
        self._show_rows(rows, None, complete=False)
        self.call_after_refresh(painted.set)

    def _rows_failed(self, error: str) -> None:
        self.set_note(f"could not read the index: {error}")  # told in the status line

    @in_background(group="series-refresh", exclusive=True, failed="_refresh_failed")
    def refresh_index(self):
        from kreview.core.series_index import refresh

        def progress(done: int, total: int) -> None:
            to_ui(self.set_note, f"indexing series: {done}/{total} threads")

        to_ui(self.set_note, "checking for new mail …")
        from kreview import paths

        result = refresh(self.store, progress, cache_dir=paths.cache_dir())
        if result.heads_written:
            to_ui(self.set_note, f"updated {result.chains_written} series")
            return ui(self.load_rows)
        return ui(self.set_note, "up to date")

    def _refresh_failed(self, error: str) -> None:
        self.set_note(f"index not refreshed: {error}")  # a locked database, a bad file: told, not fatal

    def _show_rows(self, rows, stamp: str | None = None, complete: bool = True) -> None:
        if not self.is_attached:
            return
        if complete:
            _LAST_ROWS[self._rows_key] = (rows, stamp)
            self._rows_stamp = stamp
        self.complete = complete
        self.rows = rows
        table = self.query_one(SeriesTable)
        current = table.current.key if table.current is not None else None
        self.shown = [r for r in rows if self.status_filter in (None, r.status)]
        table.show_rows(self.shown, current)
        self._title()
        self._status()

    def _row(self):
        return self.query_one(SeriesTable).current

    @on(SeriesTable.Chosen)
    def _chosen(self, event: SeriesTable.Chosen) -> None:
        from kreview.tui.series_actions import open_message_thread

        open_message_thread(self.app, event.row.newest.head_id)

    def action_filter_status(self) -> None:
        from kreview.core.series_index import STATUS_ORDER, status_counts
        from kreview.tui.screens.pickers import Picker

        counts = status_counts(self.rows)
        items = [(f"every status ({len(self.rows)})", -1)]
        items += [(f"{s} ({counts[s]})", i) for i, s in enumerate(STATUS_ORDER) if s in counts]

        def chosen(value: int | None) -> None:
            if value is None:
                return
            self.status_filter = None if value < 0 else STATUS_ORDER[value]
            self._show_rows(self.rows)

        self.app.push_screen(Picker("Show series whose status is", items), chosen)

    def action_versions(self) -> None:
        row = self._row()
        if row is None:
            return
        from kreview.tui.screens.versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.store, row.newest.thread_id), self._version_chosen)

    def _version_chosen(self, result) -> None:
        from kreview.tui.series_actions import open_message_thread, start_interdiff

        if result is None:
            return
        if result[0] == "open":
            open_message_thread(self.app, result[1])
        else:
            start_interdiff(self.app, result[2], result[1], whole=True, at_once="Comparing the versions …")

    def action_interdiff(self) -> None:
        row = self._row()
        if row is None:
            return
        if len(row.versions) < 2:
            self.notify("Only one version of this series is in the database.")
            return
        from kreview.tui.series_actions import start_interdiff

        start_interdiff(self.app, row.newest.head_id, whole=True,
                        at_once=f"v{row.newest.version}: comparing with the version before …  {row.title}")

    # -- newer versions of every chain, from the archive (kreview.core.fetching) --

    def action_newer_versions(self) -> None:
        """L: one archive search per chain shown (its title and author, since
        its newest version's day); L again cancels, keeping what arrived."""
        running = [w for w in self.workers if w.group == "series-archive" and w.is_running]
        if running:
            for worker in running:
                worker.cancel()
            self.set_note("archive check cancelled")
            return
        chains = [(row.title, row.author_email, row.newest.date) for row in self.shown]
        if not chains:
            self.set_note("no series to check")
            return
        self._check_archive(chains)

    @in_background(group="series-archive", exclusive=True, failure="Archive check")
    def _check_archive(self, chains: list[tuple[str, str, int]]):
        from textual.worker import get_current_worker

        from kreview.core.archive import ArchiveClient, ArchiveError, servers_from
        from kreview.core.fetching import Delivery, Progress, delivery_tags, fetch_search, newer_versions_query
        from kreview.core.store import StoreError

        worker = get_current_worker()
        config = self.app.kreview_config
        added = failed = 0

        def say(text: str) -> None:
            to_ui(self.set_note, text)

        for done, (title, email, date) in enumerate(chains, 1):
            if worker.is_cancelled:
                return
            say(f"archive: {done}/{len(chains)} series, {added} new messages")
            client = ArchiveClient(servers_from(config.archive_servers), cancelled=lambda: worker.is_cancelled)
            how = Delivery(folder=config.archive_folder, tags=delivery_tags(self.store.settings.new_tags),
                           progress=Progress(lambda _text: None, lambda: worker.is_cancelled))
            try:
                report = fetch_search(self.store, client, newer_versions_query(title, email, date), how)
            except (ArchiveError, StoreError, OSError, ValueError) as exc:
                if worker.is_cancelled:
                    return
                failed += 1
                if failed == 1:
                    to_ui(self.app.notify, f"Archive: {exc}", severity="warning")
                continue
            added += len(report.added)
        summary = (f"Archive: checked {len(chains)} series, {added} new messages"
                   + (f", {failed} failed" if failed else ""))
        say(summary.lower())
        # A toast as well: the index refresh below writes its own status line.
        to_ui(self.app.notify, summary)
        if added:
            return ui(self.refresh_index)

    def action_table_down(self) -> None:
        self.query_one(SeriesTable).action_cursor_down()

    def action_table_up(self) -> None:
        self.query_one(SeriesTable).action_cursor_up()

    def action_refresh(self) -> None:
        self.refresh_index()

    def on_screen_resume(self) -> None:
        if self.rows:  # shown again (kept by the search screen): catch up behind the rows,
            # once they are painted (a worker started now competes with the paint)
            self.call_after_refresh(self.load_rows, True, True)

    def action_back(self) -> None:
        self.app.pop_screen()

"""Command-palette entries for the series view: one per status, with its count
("Series: needs my review (12)"), read from the series index in a worker.

The entries are listed at once, with the counts last read ("counting …" the
first time); once the list is drawn a worker reads the index again if its
stamp changed, and the labels change in place (kreview.tui.commands).
Reading the index before listing (~0.3 s on a 15,000-message archive) was
most of the palette's opening time."""
from __future__ import annotations

import threading
import weakref
from functools import partial

from textual.command import Hits, Provider

from kreview.tui.background import run_in_background, ui
from kreview.tui.commands import LiveEntry, count_after_listing, refresh_open_palette

# Shown before the index is read (kreview.core.series_index.STATUS_ORDER;
# test_series_palette checks they are the same): importing the index module
# is not needed to open the palette.
STATUSES = ("needs my review", "author replied", "changes requested", "new", "discussed",
            "reviewed by me", "applied", "superseded")


class StatusCounts:
    """Series per status, kept with the index stamp they were read under."""

    def __init__(self, store) -> None:
        self.store = store
        self.counts: dict[str, int] | None = None  # None: never read
        self.current = False  # read under the stamp the database has now
        self._stamp: str | None = None
        self.indexed = True  # False once read: the series view has never indexed this database
        self.busy = threading.Lock()

    def refresh(self) -> None:
        """In a worker: read the counts again if the index changed since."""
        from kreview import paths
        from kreview.core.counts import at_low_priority
        from kreview.core.series_index import LASTMOD_KEY, chain_rows, status_counts

        try:
            stamp = self.store.database_value(LASTMOD_KEY)
            self.indexed = bool(stamp)
            if self.counts is None or not stamp or stamp != self._stamp:
                self.counts = at_low_priority(lambda: status_counts(chain_rows(self.store, "*", paths.cache_dir())))
                self._stamp = stamp
        except Exception:  # noqa: BLE001 - no index yet, a locked database: no counts to show
            self.counts = self.counts or {}
        self.current = True

    def label(self, status: str | None) -> str:
        name = status or "all"
        if self.counts is None:
            return f"Series: {name} (counting …)"
        if not self.indexed and not self.counts:
            # "(0)" would say the mailbox holds no series; it was never looked at.
            return f"Series: {name} (not indexed yet: the series view indexes on opening)"
        value = sum(self.counts.values()) if status is None else self.counts.get(status, 0)
        return f"Series: {name} ({value:,}{'' if self.current else ' …'})"


_COUNTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app -> StatusCounts


def status_counts_of(app) -> StatusCounts:
    found = _COUNTS.get(app)
    if found is None:
        found = _COUNTS[app] = StatusCounts(app.store)
    return found


class SeriesStatuses(Provider):
    async def startup(self) -> None:
        self.counts = status_counts_of(self.app)
        count_after_listing(self.app, "series-statuses", self._start_reading)

    def _start_reading(self) -> None:
        if self.counts.busy.acquire(blocking=False):  # one reading at a time
            run_in_background(self.app, partial(self._read, self.app, self.counts), group="palette-series",
                              failure="Reading the series statuses")

    @staticmethod
    def _read(app, counts: StatusCounts) -> None:
        try:
            counts.refresh()
        finally:
            counts.busy.release()
        return ui(refresh_open_palette, app)

    def _open(self, status: str | None) -> None:
        from kreview.tui.screens.series_view import SeriesScreen

        self.app.push_screen(SeriesScreen(self.app.store, "*", status))

    def _entry(self, status: str | None) -> LiveEntry:
        return LiveEntry(partial(self.counts.label, status), "the series view, filtered", partial(self._open, status))

    async def discover(self) -> Hits:
        # Unasked, the statuses known to have series (each row costs the
        # palette's first frame); typing finds every status.
        known = self.counts.counts or {}
        for status in (None, *(s for s in STATUSES if known.get(s))):
            yield self._entry(status).discovery_hit()

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for status in (None, *STATUSES):
            hit = self._entry(status).search_hit(matcher)
            if hit is not None:
                yield hit

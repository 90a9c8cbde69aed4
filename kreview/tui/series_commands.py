"""Command-palette entries for the series view: one per status, with its count
("Series: needs my review (12)"), read from the series index."""
from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class SeriesStatuses(Provider):
    async def startup(self) -> None:
        from kreview.core.series_index import STATUS_ORDER, chain_rows, status_counts

        def count() -> dict[str, int]:
            try:
                from kreview import paths

                return status_counts(chain_rows(self.app.store, "*", paths.cache_dir()))
            except Exception:  # noqa: BLE001 - no index yet, a locked database: no entries
                return {}

        counts = await asyncio.to_thread(count)
        self.entries = [(f"Series: {s} ({counts[s]})", s) for s in STATUS_ORDER if counts.get(s)]
        self.entries.insert(0, (f"Series: all ({sum(counts.values())})", None))

    def _open(self, status: str | None) -> None:
        from kreview.tui.screens.series_view import SeriesScreen

        self.app.push_screen(SeriesScreen(self.app.store, "*", status))

    async def discover(self) -> Hits:
        for label, status in self.entries:
            yield DiscoveryHit(label, partial(self._open, status), help="the series view, filtered")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, status in self.entries:
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._open, status))

"""Command-palette entries: saved searches (with their thread counts)."""
from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kreview.core.store import StoreError


class SavedSearches(Provider):
    """`Saved search: inbox (12 threads)` for each [saved_searches] entry."""

    async def startup(self) -> None:
        app = self.app
        searches = dict(app.kreview_config.saved_searches)

        def count_all() -> dict[str, int | None]:
            counts: dict[str, int | None] = {}
            for name, query in searches.items():
                try:
                    counts[name] = app.store.count_threads(query)
                except StoreError:
                    counts[name] = None
            return counts

        self.counts = await asyncio.to_thread(count_all)
        self.searches = searches

    def _label(self, name: str) -> str:
        count = self.counts.get(name)
        shown = "bad query" if count is None else f"{count} threads"
        return f"Saved search: {name} ({shown})"

    async def discover(self) -> Hits:
        for name, query in self.searches.items():
            yield DiscoveryHit(self._label(name), partial(self.app.open_query, query), help=query)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, saved in self.searches.items():
            label = self._label(name)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.app.open_query, saved), help=saved)

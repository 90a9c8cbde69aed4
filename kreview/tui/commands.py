"""Command-palette entries: saved searches (with their thread counts)."""
from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from kreview.core.sanitize import clean_line
from kreview.core.store import StoreError


class SavedSearches(Provider):
    """`Saved search: inbox (12 threads)` for each [saved_searches] entry.

    Names and queries come from the config file and are shown as themselves:
    the palette reads a ``str`` prompt or help as markup, so each entry is a
    Rich ``Text`` (the palette's one plain-text path) holding both lines."""

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
        return clean_line(f"Saved search: {name} ({shown})")

    def _prompt(self, label: str, query: str, matched: list[int] = ()) -> Text:
        prompt = Text(label)
        for offset in matched:
            prompt.stylize("bold underline", offset, offset + 1)
        prompt.append("\n" + clean_line(query), style="dim")
        return prompt

    async def discover(self) -> Hits:
        for name, query in self.searches.items():
            label = self._label(name)
            yield DiscoveryHit(self._prompt(label, query), partial(self.app.open_query, query), text=label)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, saved in self.searches.items():
            label = self._label(name)
            score, offsets = matcher.fuzzy_search.match(matcher.query, label)
            if score > 0:
                yield Hit(score, self._prompt(label, saved, offsets), partial(self.app.open_query, saved), text=label)

"""Command-palette entries: saved searches, with their thread counts.

The palette opens at once: counts come from the app's CountCache (kept per
database revision, kreview.core.counts) and a worker takes the ones missing
or out of date; each shows as it arrives. Counting every saved search as
the palette opens would keep it closed for seconds on a big database."""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from kreview.core.sanitize import clean_line
from kreview.tui.background import run_in_background, to_ui


def count_label(count, current: bool) -> str:
    """"12 threads", "1,060 threads …" (an older count being taken again),
    "counting …", "bad query"."""
    if count is None:
        return "counting …"
    if count.value is None:
        return "bad query"
    noun = "thread" if count.value == 1 else "threads"
    return f"{count.value:,} {noun}" + ("" if current else " …")


class SavedSearches(Provider):
    """`Saved search: inbox (12 threads)` for each [saved_searches] entry.

    Names and queries come from the config file and are shown as themselves:
    the palette reads a ``str`` prompt or help as markup, so each entry is a
    Rich ``Text`` (the palette's one plain-text path) holding both lines."""

    async def startup(self) -> None:
        app = self.app
        self.searches = dict(app.kreview_config.saved_searches)
        counts = getattr(app, "counts", None)
        busy = any(w.group == "palette-counts" and not w.is_finished for w in app.workers)
        if counts is not None and self.searches and not busy:
            # One counting worker at a time: a thread in libnotmuch cannot be
            # cancelled, and counts piling up from palettes opened in a row
            # slowed every later one.
            run_in_background(app, partial(self._count_all, counts, list(self.searches.values())),
                              group="palette-counts", failure="Counting saved searches")

    def _count_all(self, counts, queries: list[str]) -> None:
        """In a thread worker: each count taken (or found current) is shown at once."""
        shown = {query: (counts.known(query), counts.is_current(counts.known(query))) for query in queries}
        for query, count in counts.get_many(queries):
            if shown[query] != (count, True):  # the label changes: redraw (a redraw costs ~10 ms)
                to_ui(self._arrived)

    def _arrived(self) -> None:
        """Gather the open palette's entries again, for the new label (this
        provider may belong to one closed since: the worker outlives it).
        Textual has no public way for a provider to update hits already
        shown; the palette's own reaction to typing is used."""
        palette = self.app.screen
        if not isinstance(palette, CommandPalette) or not hasattr(palette, "_gather_commands"):
            return
        palette._cancel_gather_commands()
        palette._gather_commands(palette.query_one("#--input Input").value.strip())

    def _label(self, name: str) -> str:
        counts = getattr(self.app, "counts", None)
        count = counts.known(self.searches[name]) if counts is not None else None
        current = counts is not None and counts.is_current(count)
        return clean_line(f"Saved search: {name} ({count_label(count, current)})")

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

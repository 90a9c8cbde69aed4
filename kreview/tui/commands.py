"""Command-palette entries whose labels fill in while the palette is open.

The palette lists its entries at once and never waits for a count: each
label says what is known at that moment ("inbox (12 threads)", "(counting
…)"), a worker takes the counts missing or out of date, and each label is
changed in place as its count arrives (:func:`refresh_open_palette`).
Counting each saved search when the palette opened took 1.4-3.7 s on a
125,000-message database; reading the series index before listing took
~0.3 s on a 15,000-message archive.

Only public Textual API is used: the open palette's ``CommandList`` is an
``OptionList``, each of its options a ``Command`` holding the ``Hit`` it
shows, and ``OptionList.replace_option_prompt_at_index`` changes one row
without touching the order or the cursor. The palette posts
``CommandPalette.OptionHighlighted`` to the App each time it fills its list;
the App answers with :func:`palette_listed`: a count that arrived while the
list was being filled is shown then, and the counting workers start only
then, after the list is drawn (their threads would compete with drawing it).
"""
from __future__ import annotations

import weakref
from functools import partial
from typing import Callable

from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from kreview.core.sanitize import clean_line
from kreview.tui.background import run_in_background, to_ui


class LiveEntry:
    """The command of a palette hit whose label may change while it is shown.

    ``label`` is asked again on each refresh; ``detail`` is the dim second
    line. Both are shown as plain text (saved-search names and queries come
    from the config file, and are shown as themselves, never as markup)."""

    def __init__(self, label: Callable[[], str], detail: str, run: Callable[[], None],
                 matcher: Matcher | None = None) -> None:
        self.label = label
        self.detail = detail
        self.run = run
        self.matcher = matcher  # the typed text's matcher, to underline the matched letters again
        self.shown = ""

    def __call__(self) -> None:
        self.run()

    def prompt(self) -> Content:
        self.shown = label = self.label()
        head = Content(label)  # not Matcher.highlight: it reads its text as markup
        if self.matcher is not None:
            score, offsets = self.matcher.fuzzy_search.match(self.matcher.query, label)
            for offset in offsets if score else ():
                head = head.stylize(self.matcher.match_style, offset, offset + 1)
        return Content.assemble(head, "\n", (self.detail, "dim"))

    def discovery_hit(self) -> DiscoveryHit:
        prompt = self.prompt()
        return DiscoveryHit(prompt, self, text=self.shown)

    def search_hit(self, matcher: Matcher) -> Hit | None:
        """A hit for the typed text, or None when the label does not match it."""
        self.matcher = matcher
        score = matcher.match(self.label())
        if score <= 0:
            return None
        prompt = self.prompt()
        return Hit(score, prompt, self, text=self.shown)


def refresh_open_palette(app) -> None:
    """Give each live entry the open palette shows its current label, in place."""
    if not app.screen_stack or not CommandPalette.is_open(app):
        # No screen: the app is closing and a late message or count came in
        # (CommandPalette.is_open raised ScreenStackError then, under load).
        return
    for command_list in app.screen.query(CommandList):
        for index, option in enumerate(command_list.options):
            entry = getattr(getattr(option, "hit", None), "command", None)
            if isinstance(entry, LiveEntry) and entry.label() != entry.shown:
                command_list.replace_option_prompt_at_index(index, entry.prompt())


_PENDING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app -> {name: start}


def count_after_listing(app, name: str, start: Callable[[], None]) -> None:
    """Run ``start`` (once) when the open palette has drawn its list."""
    _PENDING.setdefault(app, {})[name] = start


def palette_listed(app) -> None:
    """The palette filled its list (or moved its cursor): labels up to date,
    then whatever counting waits for the list to be drawn."""
    refresh_open_palette(app)
    pending = _PENDING.pop(app, None)
    if pending:
        app.call_after_refresh(lambda: [start() for start in pending.values()])


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
    """`Saved search: inbox (12 threads)` for each [saved_searches] entry."""

    async def startup(self) -> None:
        from kreview.core.muting import without_muted

        app = self.app
        self.searches = dict(app.kreview_config.saved_searches)
        # Counted as the list will show them (muted threads left out): the
        # same count, and the same cache entry, as the list's.
        self.counted = {name: without_muted(query) for name, query in self.searches.items()}
        counts = app.counts
        busy = any(w.group == "palette-counts" and not w.is_finished for w in app.workers)
        if counts is not None and self.searches and not busy:
            # One counting worker at a time: a thread in libnotmuch cannot be
            # cancelled, and counts piling up from palettes opened in a row
            # slowed every later one.
            count_after_listing(app, "saved-searches", partial(
                run_in_background, app, partial(self._count_all, counts, list(self.counted.values())),
                group="palette-counts", failure="Counting saved searches"))

    def _count_all(self, counts, queries: list[str]) -> None:
        """In a thread worker: each count taken (or found current) is shown at once."""
        app = self.app  # this provider's palette may close meanwhile: the refresh looks at the app's
        for _query, _count in counts.get_many(queries):
            to_ui(refresh_open_palette, app)

    def _label(self, name: str) -> str:
        counts = self.app.counts
        count = counts.known(self.counted[name]) if counts is not None else None
        current = counts is not None and counts.is_current(count)
        return clean_line(f"Saved search: {name} ({count_label(count, current)})")

    def _entries(self):
        for name, query in self.searches.items():
            yield LiveEntry(partial(self._label, name), clean_line(query), partial(self.app.open_query, query))

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield entry.discovery_hit()

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            hit = entry.search_hit(matcher)
            if hit is not None:
                yield hit

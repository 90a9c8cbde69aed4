"""The palette's first-use work is done ahead, after the first screen: its
widgets' CSS is parsed before ctrl+p, which then adds nothing to the
stylesheet, and the palette still lists the saved searches with counts and
filters as the user types. The objects alive by then are left out of later
garbage collections."""
from __future__ import annotations

import gc

from kreview.tui.app import build_app
from tests.tui.pilot import palette_lines, wait_for


def palette_css_parsed(app) -> bool:
    return any(name == "CommandPalette.DEFAULT_CSS" for _file, name in app.stylesheet.source)


async def test_palette_css_is_parsed_before_the_first_ctrl_p(store):
    inbox = store.count_threads("tag:inbox")
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one("#threads")
        await wait_for(pilot, lambda: threads.total is not None)
        await wait_for(pilot, lambda: palette_css_parsed(app))
        assert gc.get_freeze_count() > 10_000  # the modules and the list, at least
        sources = set(app.stylesheet.source)
        rules = app.stylesheet.rules  # parsed: nothing left for the palette to parse
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox} threads)" in palette_lines(app))
        assert set(app.stylesheet.source) == sources, "the palette added CSS the warm-up left out"
        assert app.stylesheet.rules is rules
        await pilot.press(*"unre")
        await wait_for(pilot, lambda: palette_lines(app)[:1] != []
                       and palette_lines(app)[0].startswith("Saved search: unread ("))


def teardown_function() -> None:
    gc.unfreeze()  # the frozen objects of this test's app go back to the collector

"""Drawn lines are kept while the styles they were drawn with are unchanged
(Textual re-applies the stylesheet on focus moves and on resize, changing
nothing), and dropped when one changes."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for, workers_done


async def test_rows_are_drawn_again_only_when_a_style_changed(store):
    app = build_app(store, None, "*")
    async with app.run_test(size=(160, 40)) as pilot:
        listing = app.screen.query_one(ThreadList)
        while listing.row_count == 0:
            await pilot.pause(0.02)
        # The rows change when their counts arrive (threads, A/R/T): wait
        # for those first, so only restyling could draw them again.
        await wait_for(pilot, lambda: len(listing._counted) == listing.row_count and listing.count is not None)
        await workers_done(pilot, app)
        drawn = []
        original = listing._row_segments
        listing._row_segments = lambda thread, width: drawn.append(thread) or original(thread, width)
        first_row = listing.render_line(0)

        app.update_styles(listing)  # the stylesheet applied again, nothing changed
        listing.refresh()
        await pilot.pause()
        assert listing.render_line(0) == first_row
        assert drawn == []

        await pilot.resize_terminal(160, 30)  # same width, fewer rows: the drawn rows still fit
        await pilot.pause()
        assert listing.render_line(0) == first_row
        assert drawn == []

        # A stylesheet rule that changes a colour the rows are drawn with
        # (not part of their cache key, as the theme is).
        app.stylesheet.add_source("ThreadList.-restyled { background: red; }", read_from=("test", ""))
        app.stylesheet.parse()
        listing.add_class("-restyled")
        await pilot.pause()
        again = listing.render_line(0)
        assert drawn, "the rows were not drawn again in the new style"
        assert again != first_row

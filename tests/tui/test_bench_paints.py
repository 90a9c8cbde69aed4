"""The benchmark's paint counter (kreview/bench/paints.py) sees a widget
draw, and leaves the widget class as it found it."""
from __future__ import annotations

from kreview.bench.paints import counting_paints
from kreview.tui.app import build_app
from kreview.tui.widgets.body_view import BodyView
from tests.tui.pilot import open_thread_at, wait_for


async def test_counting_paints_counts_lines_drawn_and_unwraps(store):
    original = BodyView.render_line
    app = build_app(store, query="*")
    async with app.run_test(size=(120, 40)) as pilot, counting_paints(BodyView) as drawn:
        screen = await open_thread_at(pilot, app)
        body = screen.query_one(BodyView)
        await wait_for(pilot, lambda: drawn[body] > 0)
        before = drawn[body]
        body.refresh()
        await wait_for(pilot, lambda: drawn[body] > before)
        # Only lines of content count: at most a screenful per repaint.
        assert drawn[body] - before <= body.scrollable_content_region.height
    assert BodyView.render_line is original
    assert "render_line" not in BodyView.__dict__ or BodyView.__dict__["render_line"] is original

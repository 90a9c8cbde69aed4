"""Carried trailers (kreview.core.carry) are found once per database revision:
opening the same series again shows them without reading the other versions."""
from __future__ import annotations

import kreview.core.carry as carry
from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.series_panel import SeriesPanel
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for

CARRIED = "Reviewed-by: Christoph Hellwig <hch@lst.de>  (carried from v4)"


def carried_shown(app) -> bool:
    return isinstance(app.screen, ThreadScreen) and any(
        row.text.strip() == CARRIED for row in app.screen.query_one(SeriesPanel).rows)


async def test_the_same_series_opened_again_shows_its_carried_trailers_without_finding_them_again(
        store, monkeypatch):
    found = []
    real = carry.reviews_with_carried

    def counted(*args):
        found.append(1)
        return real(*args)

    monkeypatch.setattr(carry, "reviews_with_carried", counted)
    app = build_app(store, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: carried_shown(app), timeout=20)
        assert len(found) == 1
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, ThreadScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: carried_shown(app), timeout=20)
        assert len(found) == 1
        # A change in the database (a tag here) makes it look again.
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, ThreadScreen))
        first = store.messages("subject:v8 and subject:0/7", limit=1)[0]
        store.change_tags([first.message_id], add=["h21t-flag"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: carried_shown(app) and len(found) == 2, timeout=20)

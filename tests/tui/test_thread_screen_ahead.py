"""The thread screen is built and laid out while the list is read
(KreviewApp._build_thread_screen, ThreadScreen._lay_out_ahead): the first
Enter points it at the thread instead of composing, styling and laying out a
new screen three times over."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.body_view import BodyView
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for


async def test_the_first_enter_shows_the_screen_built_and_laid_out_ahead(store):
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(210, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        # Laid out at the terminal's size, with its width's class (HORIZONTAL_BREAKPOINTS).
        await wait_for(pilot, lambda: app._thread_screen is not None and app._thread_screen.size == app.size
                       and app._thread_screen.has_class("-wide"))
        ahead = app._thread_screen
        assert ahead not in app.screen_stack
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        assert app.screen is ahead
        shown = app.screen.shown
        assert shown.message_id == app.screen.tree.current.message_id
        assert "[PATCH v8 0/7]" in str(app.screen.query_one("#thread-title").render())
        body = app.screen.query_one(BodyView)
        assert any(shown.subject in line.text for line in body.lines[:8])

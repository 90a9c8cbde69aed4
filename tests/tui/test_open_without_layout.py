"""Opening another thread or message repaints the panes that changed, without
a layout pass over the whole screen when nothing moved (a layout of the
thread screen is ~15 ms, and a scrollbar that changes size asks Textual for
a second one): the message pane's zero-wide bar never comes or goes, and
the title bar's "N missing" note is only set again when it says something
new. (A hidden series panel sized quietly is covered by test_series_panel:
sizing every pane quietly breaks its rows.)"""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from tests.core.helpers import V4_COVER, drop
from tests.tui.pilot import open_thread_at, wait_for, workers_done


async def test_a_short_message_after_a_long_one_needs_no_layout_and_both_still_page(store):
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_thread_at(pilot, app, rows=1)
        body = screen.body
        height = body.scrollable_content_region.height
        await workers_done(pilot, app)
        assert len(body.lines) > height  # the cover letter: longer than the pane
        long_id = screen.shown.message_id
        short = next(n for n in screen.tree.messages if n.message_id != long_id and "Re:" in n.subject)
        layouts = []
        screen.screen_layout_refresh_signal.subscribe(screen, lambda _screen: layouts.append(1), immediate=True)
        screen.tree.select_message(short.message_id)
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == short.message_id)
        await workers_done(pilot, app)
        assert len(body.lines) < height
        assert layouts == []
        screen.tree.select_message(long_id)  # back to the long one: it still pages
        await wait_for(pilot, lambda: screen.shown.message_id == long_id)
        await workers_done(pilot, app)
        body.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: body.scroll_offset.y > 0)


async def test_the_missing_note_follows_the_thread_shown(store):
    (thread,) = store.thread_ids_of([V4_COVER])
    parents = [n.parent_id for n in store.thread_messages(thread) if n.parent_id and n.parent_id != V4_COVER]
    drop(store, [parents[0]])
    app = build_app(store, None, query="*")
    async with app.run_test(size=(160, 45)) as pilot:
        status = lambda: str(app.screen.query_one("#fetch-status").render())  # noqa: E731
        screen = await open_thread_at(pilot, app, subject="PATCH v4 0/8")
        assert status() == "1 missing · f fetches the thread" and screen.query_one("#fetch-status").display
        for subject, said in (("[PATCH v8 0/7]", ""), ("PATCH v4 0/8", "1 missing · f fetches the thread")):
            await pilot.press("q")
            await wait_for(pilot, lambda: not isinstance(app.screen, ThreadScreen))
            screen = await open_thread_at(pilot, app, subject=subject)
            assert status() == said
            assert screen.query_one("#fetch-status").display == bool(said)

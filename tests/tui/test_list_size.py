"""The list knows its size: counted in a worker, shown in one number format,
and G goes to the query's last thread without reading every page (pages made
small here so the sample's nine threads need several)."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_count_is_shown_once_known(store, small_pages):
    total = store.count_threads("*")
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.known_total == total)
        assert not threads.all_listed  # known from the count, not from reading every row
        await wait_for(pilot, lambda: status(app) == f"*: {total} threads")
        position = str(app.screen.query_one("#list-position").render())
        assert position == f"1-2 of {total}"


async def test_G_goes_to_the_last_thread_and_the_halves_join(store, small_pages):
    everything = [t.thread_id for t in store.iter_threads("*")]
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.known_total == len(everything))
        await pilot.press("G")
        await wait_for(pilot, lambda: threads.current is not None
                       and threads.current.thread_id == everything[-1])
        assert threads.cursor_row == len(everything) - 1
        assert len(threads.threads) < len(everything)  # the first pages were not all read
        for _ in range(len(everything)):  # up through the rows between: they load as the cursor comes
            await pilot.press("k")
            await wait_for(pilot, lambda: threads.current is not None)
        await wait_for(pilot, lambda: threads.all_listed)
        assert [t.thread_id for t in threads.loaded_threads()] == everything
        await pilot.press("g")
        assert threads.current.thread_id == everything[0]
        await pilot.press("G")
        assert threads.current.thread_id == everything[-1]


async def test_G_before_the_count_waits_for_it(store, small_pages):
    everything = [t.thread_id for t in store.iter_threads("*")]
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("G")
        await wait_for(pilot, lambda: threads.current is not None
                       and threads.current.thread_id == everything[-1])

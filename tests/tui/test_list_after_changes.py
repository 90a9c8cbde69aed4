"""After a change made from the list, what the list says is the new truth:
the count is taken again (archive under tag:inbox: one thread fewer), a
muted thread leaves the list at once with the cursor on the next row, and
undo brings it back where it was. On a real notmuch database (conftest)."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def position(app) -> str:
    return str(app.screen.query_one("#list-position").render())


def noun(n: int) -> str:
    return f"{n:,} thread" + ("" if n == 1 else "s")


async def test_archiving_under_tag_inbox_counts_one_thread_fewer_and_undo_one_more(store):
    inbox = store.count_threads("tag:inbox")
    assert inbox >= 2
    app = build_app(store, query="tag:inbox")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: status(app) == f"tag:inbox: {noun(inbox)}")
        archived = threads.current.thread_id
        await pilot.press("A")  # archive the thread
        await wait_for(pilot, lambda: store.count_messages(f"thread:{archived} and tag:inbox") == 0)
        await wait_for(pilot, lambda: status(app) == f"tag:inbox: {noun(inbox - 1)}")
        await pilot.press("u")
        await wait_for(pilot, lambda: status(app) == f"tag:inbox: {noun(inbox)}")


async def test_muted_thread_leaves_the_list_at_once_and_undo_brings_it_back(store):
    everything = [t.thread_id for t in store.iter_threads("*")]
    total = len(everything)
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.all_listed and status(app) == f"*: {noun(total)}")
        await pilot.press("j")
        muted, following = everything[1], everything[2]
        assert threads.current.thread_id == muted
        await pilot.press("X")
        await wait_for(pilot, lambda: muted not in [t.thread_id for t in threads.loaded_threads()])
        assert [t.thread_id for t in threads.loaded_threads()] == [t for t in everything if t != muted]
        assert threads.cursor_row == 1 and threads.current.thread_id == following
        await wait_for(pilot, lambda: status(app) == f"*: {noun(total - 1)}")
        assert position(app) == f"1-{total - 1} of {total - 1}"
        assert store.count_threads("tag:muted") == 1
        await pilot.press("u")
        await wait_for(pilot, lambda: [t.thread_id for t in threads.loaded_threads()] == everything)
        assert threads.current.thread_id == muted and "muted" not in threads.current.tags
        await wait_for(pilot, lambda: status(app) == f"*: {noun(total)}")


async def test_a_query_naming_muted_keeps_the_row(store):
    everything = [t.thread_id for t in store.iter_threads("tag:muted or tag:inbox")]
    app = build_app(store, query="tag:muted or tag:inbox")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.all_listed and threads.row_count == len(everything))
        muted = threads.current.thread_id
        await pilot.press("X")
        await wait_for(pilot, lambda: "muted" in threads.current.tags)
        assert threads.current.thread_id == muted and threads.row_count == len(everything)


async def test_muting_a_row_read_from_the_end_keeps_the_rows_in_place(store, small_pages):  # noqa: F811
    everything = [t.thread_id for t in store.iter_threads("*")]
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.known_total == len(everything))
        await pilot.press("G", "k")  # the last rows, read from the end; one up
        await wait_for(pilot, lambda: threads.current is not None
                       and threads.current.thread_id == everything[-2])
        assert threads.tail and not threads.all_listed
        await pilot.press("X")
        await wait_for(pilot, lambda: threads.current is not None
                       and threads.current.thread_id == everything[-1])
        assert threads.row_count == len(everything) - 1
        await wait_for(pilot, lambda: status(app) == f"*: {noun(len(everything) - 1)}", 3)
        for _ in range(len(everything)):  # up through the rows between: they load and join
            await pilot.press("k")
            await wait_for(pilot, lambda: threads.current is not None)
        await wait_for(pilot, lambda: threads.all_listed)
        assert [t.thread_id for t in threads.loaded_threads()] == [t for t in everything if t != everything[-2]]

"""The command palette lists its entries at once, never waiting on a count;
saved-search and series counts arrive from workers, are kept per database
revision (or index stamp), are taken again after a change, and change their
label in place (the cursor and the order stay)."""
from __future__ import annotations

from textual.command import CommandList, CommandPalette

from kreview.core import series_index
from kreview.paths import cache_dir
from kreview.tui.app import build_app
from kreview.tui.commands import count_label
from kreview.tui.series_commands import STATUSES, status_counts_of
from tests.tui.pilot import palette_lines, wait_for


def palette_text(app) -> str:
    return "\n".join(palette_lines(app))


async def test_saved_search_counts_arrive_and_follow_changes(store):
    inbox = store.count_threads("tag:inbox")
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox} threads)" in palette_text(app))
        await pilot.press("escape")
        one = next(store.iter_threads("tag:inbox"))
        store.tag_query(f"thread:{one.thread_id}", remove=["inbox"])
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox - 1} threads)" in palette_text(app))
        await pilot.press("escape")
        other = next(store.iter_threads("tag:inbox"))
        store.tag_query(f"thread:{other.thread_id}", add=["muted"])  # the list will not show it: not counted
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox - 2} threads)" in palette_text(app))


async def test_palette_lists_before_counting_and_labels_change_in_place(store):
    """The counts are held back (the cache's lock is taken, as a slow count
    would): the palette lists anyway, the cursor moves, and when the counts
    come the rows keep their order and the cursor its place."""
    inbox = store.count_threads("tag:inbox")
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one("#threads")
        await wait_for(pilot, lambda: threads.total is not None)  # the list's own count is done
        lock = app.counts._lock
        lock.acquire()
        try:
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: "Saved search: inbox (counting …)" in palette_text(app))
            await pilot.press("down", "down", "down")
            options = app.screen.query_one(CommandList)
            highlighted, before = options.highlighted, palette_lines(app)
            assert highlighted == 3
        finally:
            lock.release()
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox} threads)" in palette_text(app)
                       and "counting" not in "".join(line for line in palette_lines(app) if "Saved" in line))
        after = palette_lines(app)
        assert options.highlighted == highlighted
        assert [line.split(" (")[0] for line in after] == [line.split(" (")[0] for line in before]


async def test_series_statuses_listed_at_once_then_counted(store):
    series_index.refresh(store)
    expected = series_index.status_counts(series_index.chain_rows(store, "*", cache_dir()))
    assert expected, "the sample maildir has series"
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        counts = status_counts_of(app)
        counts.busy.acquire()  # as if a reading were under way: none starts
        try:
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: "Series: all (counting …)" in palette_text(app))
        finally:
            counts.busy.release()
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        total = sum(expected.values())
        await wait_for(pilot, lambda: f"Series: all ({total:,})" in palette_text(app))
        await pilot.press("escape")
        await pilot.press("ctrl+p")  # known now: each status with series is listed unasked
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and palette_lines(app))
        for status, value in expected.items():
            assert f"Series: {status} ({value:,})" in palette_text(app)
        await pilot.press(*"superseded")  # typed: every status, even one with no series
        await wait_for(pilot, lambda: "Series: superseded (" in palette_text(app))


def test_statuses_shown_before_reading_are_the_index_statuses():
    assert STATUSES == series_index.STATUS_ORDER


def test_count_labels():
    from kreview.core.counts import Count

    assert count_label(None, False) == "counting …"
    assert count_label(Count(1060, ("u", 1)), True) == "1,060 threads"
    assert count_label(Count(1, ("u", 1)), False) == "1 thread …"
    assert count_label(Count(None, ("u", 1)), True) == "bad query"


async def test_series_of_a_database_never_indexed_are_not_said_to_be_none(store):
    # "(0)" read as "this mailbox holds no series" on the demo, which holds four.
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: "Series: all (not indexed yet" in palette_text(app))
        assert "Series: all (0)" not in palette_text(app)

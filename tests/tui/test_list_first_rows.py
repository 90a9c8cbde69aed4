"""After the first screen the list does no work for rows it has just drawn:
the row under the cursor is read again only when the reader comes back from
another screen (where its tags may have changed), and a row whose thread
changed is the only one drawn again. On a real notmuch database (conftest)."""
from __future__ import annotations

import threading
from dataclasses import replace

from kreview.core.muting import without_muted
from kreview.core.paging import ThreadPager
from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import open_thread_at, wait_for, workers_done


def _counting(monkeypatch, owner, name: str) -> list:
    calls = []
    original = getattr(owner, name)
    monkeypatch.setattr(owner, name, lambda *a, **k: calls.append(a[1:]) or original(*a, **k))
    return calls


async def test_the_row_under_the_cursor_is_read_again_only_after_another_screen(store, monkeypatch):
    summaries = _counting(monkeypatch, type(store), "thread_summary")
    # As the reader starts (kreview.cli): the first page fetched ahead, in
    # when the list is first shown.
    pager, fetched = ThreadPager(store, without_muted("*")), threading.Event()
    pager.prefetch(on_ready=fetched.set)
    assert fetched.wait(30)
    app = build_app(store, None, query="*", pager=pager)
    async with app.run_test(size=(120, 30)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0 and app._thread_screen is not None)
        await workers_done(pilot, app)
        assert summaries == []  # the first showing: nothing was read yet
        await open_thread_at(pilot, app)
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList) is threads and summaries)
        assert summaries[0][0] == threads.current.thread_id


async def test_a_changed_row_is_the_only_one_drawn_again(store, monkeypatch):
    app = build_app(store, None, query="*")
    async with app.run_test(size=(120, 30)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 3)
        await workers_done(pilot, app)
        drawn = _counting(monkeypatch, ThreadList, "_row_segments")
        changed = replace(threads.threads[2], tags=threads.threads[2].tags | {"flagged-here"})
        threads.replace_thread(changed)
        await pilot.pause()
        await wait_for(pilot, lambda: drawn)
        await pilot.pause()
        assert [thread for thread, _ in drawn] == [changed]
        assert threads.thread_at(2) is changed


async def test_the_header_follows_the_list_width_and_is_set_only_when_it_changes(store, monkeypatch):
    from textual.widgets import Static

    from kreview.tui.widgets.thread_list import header_text

    app = build_app(store, None, query="*")
    async with app.run_test(size=(160, 30)) as pilot:
        threads = app.screen.query_one(ThreadList)
        header = app.screen.query_one("#thread-header", Static)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await workers_done(pilot, app)
        updates = _counting(monkeypatch, Static, "update")
        await pilot.resize_terminal(170, 30)  # the same columns: nothing to set
        await workers_done(pilot, app)
        assert header.content == header_text(threads.scrollable_content_region.width)
        assert [u for u in updates if "Date" in str(u)] == []
        await pilot.resize_terminal(230, 30)  # wide columns
        await wait_for(pilot, lambda: header.content == header_text(threads.scrollable_content_region.width))
        assert header_text(threads.scrollable_content_region.width) != header_text(160)

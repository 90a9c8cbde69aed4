"""Reading ahead the thread under the list's resting cursor (kreview.tui.read_ahead),
on a real temporary notmuch database: Enter then does not read the thread again,
unless the database changed meanwhile; and the ReadAhead object's own rules."""
from __future__ import annotations

import asyncio
import threading

from textual import events

import kreview.core.reading as reading
from kreview.tui.app import build_app
from kreview.tui.read_ahead import ReadAhead
from kreview.tui.screens.search import SearchScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.test_reading_path import wait_for, workers_done

QUERY = "subject:v8 and subject:0/7 or subject:Invitation"


def count_readings(monkeypatch) -> list[str]:
    """The thread ids opened from notmuch (the real open_thread, counted)."""
    opened: list[str] = []
    real = reading.open_thread

    def counted(store, thread_id, *args, **kwargs):
        opened.append(thread_id)
        return real(store, thread_id, *args, **kwargs)

    monkeypatch.setattr(reading, "open_thread", counted)
    return opened


async def rested_on(pilot, app, subject: str):
    """Put the list's cursor on the thread titled ``subject`` and let it rest
    until that thread has been read ahead; returns the thread."""
    threads = app.screen.query_one(ThreadList)
    await wait_for(pilot, lambda: threads.row_count == 2)
    await workers_done(pilot, app)
    row = next(i for i, t in enumerate(threads.threads) if subject in t.subject)
    if row == threads.cursor_row:
        threads.move_cursor(row=1 - row)
    threads.move_cursor(row=row)
    screen = app.screen
    thread = threads.current
    await wait_for(pilot, lambda: screen._ahead is not None and not screen._ahead.wanted((thread.thread_id, QUERY)))
    await workers_done(pilot, app)
    return thread


async def test_enter_on_a_thread_read_ahead_does_not_read_it_again(store, monkeypatch):
    opened = count_readings(monkeypatch)
    app = build_app(store, None, query=QUERY)
    async with app.run_test(size=(160, 40)) as pilot:
        thread = await rested_on(pilot, app, "[PATCH v8 0/7]")
        assert opened.count(thread.thread_id) == 1  # read while the cursor rested
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        assert opened.count(thread.thread_id) == 1  # Enter only drew it
        assert [n.message_id for n in app.screen.tree.messages] == [
            n.message_id for n in store.thread_messages(thread.thread_id, QUERY)]


async def test_a_change_after_the_reading_makes_enter_read_the_thread_again(store, monkeypatch):
    opened = count_readings(monkeypatch)
    app = build_app(store, None, query=QUERY)
    async with app.run_test(size=(160, 40)) as pilot:
        thread = await rested_on(pilot, app, "Invitation")
        first = store.thread_messages(thread.thread_id)[0]
        store.change_tags([first.message_id], add=["h19a-flag"])  # another program tags it meanwhile
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        assert opened.count(thread.thread_id) == 2
        node = next(n for n in app.screen.tree.messages if n.message_id == first.message_id)
        assert "h19a-flag" in node.tags


async def test_keys_held_down_read_nothing_ahead(store, monkeypatch):
    """Rows passed at key-repeat pace are not read: only where the cursor rests.
    (The rest is made long here, so that a slow machine's pauses between two
    keys cannot pass for one.)"""
    import kreview.tui.screens.search as search

    monkeypatch.setattr(search, "READ_AHEAD_REST", 1.0)
    opened = count_readings(monkeypatch)
    app = build_app(store, None, query=QUERY)
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == 2)
        await workers_done(pilot, app)
        rested = list(opened)
        for _ in range(6):  # posted as the terminal driver does, 40 ms apart (Pilot.press waits longer)
            key = "j" if threads.cursor_row == 0 else "k"
            app.post_message(events.Key(key, key))
            await asyncio.sleep(0.04)
        await workers_done(pilot, app)
        assert isinstance(app.screen, SearchScreen)
        passed = opened[len(rested):]
        assert len(passed) <= 1 and (not passed or passed[0] == threads.current.thread_id)


def test_take_waits_for_the_first_message_being_laid_out():
    ahead = ReadAhead()
    done = ahead.begin("t")
    assert ahead.laying_out("t", done)  # the messages are read
    got = []
    taker = threading.Thread(target=lambda: got.append(ahead.take("t", lambda: 7)))
    taker.start()
    ahead.finish("t", done, 7, "view")
    taker.join(5)
    assert got == ["view"]
    assert ahead.take("t", lambda: 7) is None  # used once


def test_take_during_the_reading_of_the_messages_takes_the_thread_over():
    """Enter then joins the reading of the messages (ThreadReadings), which
    shows a big thread's first part early; the reading ahead keeps nothing."""
    ahead = ReadAhead()
    done = ahead.begin("t")
    assert ahead.take("t", lambda: 7) is None  # at once, not after the reading
    assert not ahead.laying_out("t", done)  # so the reading ahead stops there
    ahead.finish("t", done, 7, "view")
    assert ahead.take("t", lambda: 7) is None
    assert ahead.wanted("t")


def test_take_refuses_a_stale_or_other_reading():
    ahead = ReadAhead()
    ahead.finish("t", ahead.begin("t"), 7, "view")
    assert ahead.take("t", lambda: 8) is None  # the database moved on
    ahead.finish("t", ahead.begin("t"), 7, "view")
    assert ahead.take("u", lambda: 7) is None  # another thread
    done = ahead.begin("t")
    ahead.begin("u")  # the cursor moved on before the first reading ended
    ahead.finish("t", done, 7, "late view")
    assert ahead.wanted("t") and not ahead.wanted("u")
    ahead.finish("t", ahead.begin("t"), 7, None)  # the reading failed
    assert ahead.take("t", lambda: 7) is None


async def test_enter_before_the_rest_reads_the_thread_once(store, monkeypatch):
    """Enter pressed at once: the thread is read by Enter alone, not read ahead
    beside it once the rest has passed (nor while the list's count arrives)."""
    import kreview.tui.screens.search as search

    opened = count_readings(monkeypatch)
    counted = reading.open_thread

    def slow(*args, **kwargs):  # the reading outlasts the rest, as a 1,000-message thread's does
        import time

        time.sleep(search.READ_AHEAD_REST * 3)
        return counted(*args, **kwargs)

    monkeypatch.setattr(reading, "open_thread", slow)
    app = build_app(store, None, query=QUERY)
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == 2)
        thread = threads.current
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        await workers_done(pilot, app)
        assert opened.count(thread.thread_id) == 1


async def test_a_new_search_reads_its_first_row_at_once_the_starting_query_after_a_rest(store, monkeypatch):
    """A search typed or chosen is most often followed by Enter on its first
    row: that row is read as soon as it arrives, not after the rest (made
    long here). The query the reader starts with still waits for the rest."""
    import kreview.tui.screens.search as search

    monkeypatch.setattr(search, "READ_AHEAD_REST", 30.0)
    opened = count_readings(monkeypatch)
    app = build_app(store, None, query=QUERY)
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == 2)
        await workers_done(pilot, app)
        assert opened == []  # the starting query: nothing read before the rest
        app.screen.run_query("subject:Invitation")
        await wait_for(pilot, lambda: threads.row_count == 1 and "Invitation" in threads.threads[0].subject)
        wanted = threads.threads[0].thread_id
        await wait_for(pilot, lambda: opened == [wanted])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        assert opened == [wanted]  # Enter took what was read

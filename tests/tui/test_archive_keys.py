"""The thread screen's archive keys against a real public-inbox-httpd:
f completes the thread in place, L finds a newer version, f again cancels,
a stopped server is a message and the app keeps running."""
from __future__ import annotations

import socket

from kreview.config import Config
from kreview.tui.app import build_app
from tests.public_inbox import HttpServer
from tests.core.helpers import V4_COVER, drop, thread_ids
from tests.tui.pilot import open_thread_at, wait_for


def config_for(*urls: str) -> Config:
    return Config(archive_servers=tuple(urls))


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_f_fetches_the_missing_messages_and_refreshes_in_place(store, archive_server):
    everything = thread_ids(store, V4_COVER)
    (thread,) = store.thread_ids_of([V4_COVER])
    parents = [n.parent_id for n in store.thread_messages(thread) if n.parent_id and n.parent_id != V4_COVER]
    gone = [parents[0], next(m for m in everything if m not in (parents[0], V4_COVER))]
    drop(store, gone)
    app = build_app(store, config_for(archive_server.base_url), query="*")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_thread_at(pilot, app, subject="PATCH v4 0/8")
        assert not {n.message_id for n in screen.tree.messages} >= set(gone)
        gaps = sum(1 for n in screen.tree.messages if n.missing)
        assert gaps >= 1 and str(screen.query_one("#fetch-status").render()) == f"{gaps} missing · f fetches the thread"
        chosen = screen.tree.current.message_id
        await pilot.press("f")
        await wait_for(pilot, lambda: {n.message_id for n in screen.tree.messages if not n.missing} >= set(everything))
        assert screen.tree.current.message_id == chosen  # refreshed in place
        await wait_for(pilot, lambda: any("added 2 messages" in n for n in notes(app)))
        assert str(screen.query_one("#fetch-status").render()) == ""
    assert store.message_tags(gone)[gone[0]] >= {"lore"}


async def test_L_finds_a_newer_version(store, archive_server):
    v8 = [n.message_id for n in store.messages('subject:"PATCH v8"')]
    drop(store, v8)
    app = build_app(store, config_for(archive_server.base_url), query="*")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_thread_at(pilot, app, subject="PATCH v7 0/7")
        await wait_for(pilot, lambda: bool(screen.reviews))
        await pilot.press("L")
        await wait_for(pilot, lambda: any("Newer versions: v8" in n for n in notes(app)), timeout=20)
    assert store.known_message_ids(v8) == set(v8)


async def test_a_stopped_server_is_a_message_not_a_crash(store, public_inbox):
    server = HttpServer(public_inbox).start()
    server.stop()
    app = build_app(store, config_for(server.base_url), query="*")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_thread_at(pilot, app, subject="PATCH v4 0/8")
        await pilot.press("f")
        await wait_for(pilot, lambda: any("refused the connection" in n for n in notes(app)), timeout=20)
        assert app.is_running and screen.is_attached


async def test_f_again_cancels_a_fetch_that_hangs(store):
    # A server that accepts the connection and never answers.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/test/"
    try:
        app = build_app(store, config_for(url), query="*")
        async with app.run_test(size=(160, 45)) as pilot:
            screen = await open_thread_at(pilot, app, subject="PATCH v4 0/8")
            await pilot.press("f")
            status = screen.query_one("#fetch-status")
            await wait_for(pilot, lambda: "asking 127.0.0.1" in str(status.render()))
            await pilot.press("f")
            await wait_for(pilot, lambda: any("cancelled" in n for n in notes(app)), timeout=5)
            assert str(status.render()) == ""
            await wait_for(pilot, lambda: not any(w.group == "archive" and w.is_running for w in screen.workers),
                           timeout=5)
    finally:
        silent.close()


async def test_L_in_the_series_view_checks_every_chain(store, archive_server):
    # v8 is on the archive but not here: the v4/v7 chain's search brings it
    # in, and the view's index is refreshed with it.
    from kreview.tui.screens.series_view import SeriesScreen

    v8 = [n.message_id for n in store.messages('subject:"PATCH v8"')]
    drop(store, v8)
    app = build_app(store, config_for(archive_server.base_url), query="*")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen) and bool(app.screen.shown), timeout=30)
        view = app.screen
        await wait_for(pilot, lambda: view.note == "up to date" or view.note.startswith("updated"), timeout=30)
        checked = len(view.shown)
        assert not any(v8[0] in {v.head_id for v in row.versions} for row in view.rows)
        await pilot.press("L")
        await wait_for(pilot, lambda: any(n.startswith("Archive: checked") for n in notes(app)), timeout=60)
        (summary,) = [n for n in notes(app) if n.startswith("Archive: checked")]
        assert summary.startswith(f"Archive: checked {checked} series, ") and ", 0 new" not in summary
        # The index is refreshed with what arrived: v8 is now a version of its chain.
        await wait_for(pilot, lambda: any(v.version == 8 for row in view.rows for v in row.versions), timeout=30)
    assert store.known_message_ids(v8) == set(v8)
    assert store.message_tags(v8[:1])[v8[0]] >= {"lore"}

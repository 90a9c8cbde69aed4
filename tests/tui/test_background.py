"""Work off the UI thread (kreview.tui.background): a failure in a worker is
told in words and the reader goes on. The refresh paths here caught nothing
before, and a StoreError in them ended the app; the database is made to fail
for real (moved away), not mocked."""
from __future__ import annotations

from textual.widgets import Static

from kreview.core.model import TagChange
from kreview.tui.app import build_app
from kreview.tui.screens.search import SearchScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import open_thread_at, wait_for


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def errors(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications if n.severity == "error"]


def database_gone(notmuch_root):
    """The notmuch database moves away while the reader runs (an unmounted
    disk, a `rm -r` in another terminal): every later open fails."""
    (notmuch_root / "mail" / ".notmuch").rename(notmuch_root / "notmuch-moved-away")


async def test_back_in_the_list_with_the_database_gone_says_so(store, notmuch_root):
    """Back from a thread, the list refreshes the thread's row (its tags may
    have changed): with the database gone that read fails, and the status
    line says so while the list stays usable."""
    app = build_app(store, None, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await open_thread_at(pilot, app)
        database_gone(notmuch_root)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen)
                       and "Could not refresh the list" in status(app))
        assert "No notmuch database could be opened" in status(app)
        assert any("No notmuch database" in e for e in errors(app))
        threads = app.screen.query_one(ThreadList)
        await pilot.press("j")  # still reading keys
        await wait_for(pilot, lambda: threads.cursor_row == 1)
        assert app.is_running and app.return_code is None


async def test_rows_refreshed_after_a_tag_change_with_the_database_gone_says_so(store, notmuch_root):
    """The rows a tag change touched are read again: the database gone by
    then, the status line says so and the app goes on."""
    app = build_app(store, None, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        (message,) = store.messages(f"thread:{threads.current.thread_id}", limit=1)
        database_gone(notmuch_root)
        app.screen._refresh_rows(TagChange((message.message_id,), frozenset({"x"}), frozenset()))
        await wait_for(pilot, lambda: "Could not refresh the list" in status(app))
        assert "No notmuch database could be opened" in status(app)
        assert app.is_running and app.return_code is None


async def test_a_failing_screen_update_is_told_and_later_work_still_arrives(store):
    """A call a worker returns for the UI thread that raises is told like a
    failed worker; results sent after it still arrive, in order."""
    from kreview.tui.background import run_in_background, to_ui, ui

    app = build_app(store, None, query="*")
    arrived: list[str] = []

    def broken_update() -> None:
        raise KeyError("no such row")

    def work():
        to_ui(broken_update)
        to_ui(arrived.append, "progress")
        return ui(arrived.append, "result")

    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        run_in_background(app.screen, work, group="test")
        await wait_for(pilot, lambda: arrived == ["progress", "result"])
        await wait_for(pilot, lambda: any("KeyError: 'no such row'" in e for e in errors(app)))
        assert "Could not update the screen (broken_update)" in status(app)
        assert app.is_running


def test_work_is_started_only_through_the_background_module():
    """One way to run work: no worker started by hand in the reader (whose
    failures would reach no handler, or end the app)."""
    import ast
    from pathlib import Path

    import kreview.tui

    found = []
    for path in Path(kreview.tui.__file__).parent.rglob("*.py"):
        if path.name == "background.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name)
                    else None)
            if name in ("call_from_thread", "run_worker", "work"):
                found.append(f"{path.name}:{node.lineno} {name}")
    assert found == []

"""The reviewer's keys: n (next unread), ) and ( (patch to patch over the
replies), X (mute a thread), / + Up/Down (search history), a mistyped key
says so, and after a reply the tree has the focus on the message replied to."""
from __future__ import annotations

from textual.widgets import Input

from kreview.core.navigation import is_patch
from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import open_v8, wait_for


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_next_patch_skips_replies_and_previous_goes_back(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        nodes = [n for n in screen.tree.messages if not n.missing]
        patches = [n.message_id for n in nodes if is_patch(n)]
        assert len(patches) >= 3 and len(patches) < len(nodes)  # replies between them
        assert screen.tree.current.message_id == patches[0]
        for expected in patches[1:3]:
            await pilot.press("right_parenthesis")
            await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == expected)
        await pilot.press("left_parenthesis")
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == patches[1])


async def test_n_goes_to_the_next_unread_message(store):
    thread = next(t for t in store.iter_threads("*") if "[PATCH v8 0/7]" in t.subject)
    nodes = store.thread_messages(thread.thread_id)
    store.change_tags([n.message_id for n in nodes if not n.missing], remove=["unread"])
    wanted = [n.message_id for n in nodes if not n.missing][4]
    store.change_tags([wanted], add=["unread"])
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == wanted)
        await wait_for(pilot, lambda: store.count_messages("tag:unread and id:" + wanted) == 0)
        await wait_for(pilot, lambda: not any("unread" in n.tags for n in screen.tree.messages))
        await pilot.press("n")  # none left: it says so and stays
        await pilot.pause()
        assert screen.shown.message_id == wanted


async def test_muted_thread_is_hidden_unless_asked_for(store):
    total = store.count_threads("*")
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == total)
        muted = threads.current.thread_id
        await pilot.press("X")
        await wait_for(pilot, lambda: store.count_messages(f"thread:{muted} and not tag:muted") == 0)
        app.screen.action_refresh()
        await wait_for(pilot, lambda: threads.known_total == total - 1)
        assert muted not in {t.thread_id for t in threads.loaded_threads()}
        app.screen.run_query("tag:muted")
        await wait_for(pilot, lambda: threads.known_total == 1)
        assert threads.current.thread_id == muted


async def test_search_history_walks_with_up_and_down_and_is_kept(store):
    from kreview.paths import data_dir

    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        field = app.screen.query_one("#query", Input)
        for query in ("tag:inbox", "subject:v8"):
            await pilot.press("slash")
            field.value = query
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen.thread_list.has_focus)
        await wait_for(pilot, lambda: (data_dir() / "search-history").is_file()
                       and "subject:v8" in (data_dir() / "search-history").read_text())
        await pilot.press("slash")
        field.value = "half typ"
        await pilot.press("up")
        assert field.value == "subject:v8"
        await pilot.press("up")
        assert field.value == "tag:inbox"
        await pilot.press("down", "down")
        assert field.value == "half typ"  # what was being typed comes back
    assert (data_dir() / "search-history").read_text().splitlines()[-2:] == ["tag:inbox", "subject:v8"]


async def test_a_key_that_does_nothing_says_so(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.total is not None)  # counted: nothing more to say
        await pilot.pause()
        await pilot.press("j", "question_mark", "escape")  # bound: they do something, say nothing
        assert "does nothing" not in status(app)
        await pilot.press("y")
        assert status(app) == "key y does nothing here; ? for help"
        await pilot.press("slash", "y")  # typed into the query: not a dead key
        assert app.screen.query_one("#query", Input).value.endswith("y")


async def test_after_a_reply_the_tree_has_the_focus_on_the_message_replied_to(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        replied = screen.shown.message_id
        await pilot.press("tab")  # into the message pane, as when reading
        assert screen.body.has_focus
        await pilot.press("r")
        await wait_for(pilot, lambda: store.count_messages("tag:draft") == 1)
        await wait_for(pilot, lambda: any("draft" in n.tags for n in screen.tree.messages))
        await pilot.pause()
        assert screen.tree.has_focus and isinstance(app.screen, ThreadScreen)
        assert screen.tree.current.message_id == replied

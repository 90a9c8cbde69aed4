"""Enter on a big thread shows its first nodes and the message it opens on
while the rest is read, then the whole tree (kreview.core.store's on_first,
SearchScreen._open_thread, ThreadScreen.complete_thread); on a real notmuch
database holding one 600-message thread (tests/core/big_thread.py)."""
from __future__ import annotations

import kreview.tui.screens.search as search
import kreview.tui.widgets.thread_list as thread_list
from kreview.core.threads import first_interesting, guide_prefixes
from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.core import big_thread
from tests.tui.pilot import wait_for, workers_done


def shown_in_two_steps(monkeypatch) -> tuple[list, list]:
    """The views pushed from the list, and the whole trees completed after a first step."""
    pushed, completed = [], []
    push, complete = search.SearchScreen._push_thread, ThreadScreen.complete_thread

    def pushing(self, thread, query, view, *args):
        pushed.append(view)
        return push(self, thread, query, view, *args)

    def completing(self, thread, nodes):
        completed.append(nodes)
        return complete(self, thread, nodes)

    monkeypatch.setattr(search.SearchScreen, "_push_thread", pushing)
    monkeypatch.setattr(ThreadScreen, "complete_thread", completing)
    # Enter comes before anything reads the thread: no reading ahead, no count.
    monkeypatch.setattr(search, "READ_AHEAD_REST", 60.0)
    monkeypatch.setattr(thread_list, "COUNT_REST", 60.0)
    return pushed, completed


async def test_enter_on_a_big_thread_shows_its_first_nodes_then_the_whole_tree(big_thread_store, monkeypatch):
    pushed, completed = shown_in_two_steps(monkeypatch)
    whole = big_thread_store.thread_messages(big_thread_store.messages(f"id:{big_thread.ROOT_ID}")[0].thread_id)
    opens_on = first_interesting(whole)
    app = build_app(big_thread_store, None, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and completed)
        await workers_done(pilot, app)
        screen = app.screen
        assert len(pushed) == 1 and not pushed[0].whole  # the first step was shown
        assert pushed[0].first.node.message_id == opens_on
        assert len(pushed[0].nodes) < len(whole)
        tree = screen.tree
        assert [n.message_id for n in tree.messages] == [n.message_id for n in whole]
        assert any(n.missing for n in tree.messages)  # the placeholder came with the whole tree
        assert tree._prefixes == guide_prefixes(tree.messages)
        # The reader is where the thread opened, on the message shown once.
        assert tree.current.message_id == opens_on == screen.shown.message_id
        # That message was marked read; the whole tree, read before, does not undo it.
        await wait_for(pilot, lambda: "unread" not in tree.current.tags)
        assert "unread" not in big_thread_store.message_tags([opens_on])[opens_on]


async def test_keys_pressed_before_the_rest_arrives_keep_their_place(big_thread_store, monkeypatch):
    """j while the rest is read: the cursor stays where the reader took it."""
    from kreview.core.store import WalkPause

    pushed, completed = shown_in_two_steps(monkeypatch)
    monkeypatch.setattr(WalkPause, "HOLD_LIMIT", 60.0)
    held: list = []
    real_hold = WalkPause.hold

    def hold_until_told(self):
        release = real_hold(self)
        held.append(release)
        return lambda: None  # painted: the test lets the walk go on, later

    monkeypatch.setattr(WalkPause, "hold", hold_until_told)
    app = build_app(big_thread_store, None, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        screen = app.screen
        opened_on = screen.tree.current.message_id
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id != opened_on)
        moved_to = screen.tree.current
        assert not completed
        # New tags arrive meanwhile (as a tag key's would): the whole tree,
        # read before them, must not put the old ones back.
        screen._apply_tags({moved_to.message_id: (frozenset({"inbox", "flagged"}), moved_to.path)})
        held[0]()  # the rest is read now
        await wait_for(pilot, lambda: completed)
        await workers_done(pilot, app)
        assert screen.tree.current.message_id == moved_to.message_id == screen.shown.message_id
        assert len(screen.tree.messages) == big_thread.SIZE + 1
        assert screen.tree.current.tags == frozenset({"inbox", "flagged"})

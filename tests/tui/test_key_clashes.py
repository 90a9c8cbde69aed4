"""No key does two things at once: within a screen's or widget's bindings a
key is bound once, and a key the message pane binds means something else on
the thread screen only where that is the point (j/k move by line in the
pane, by message in the tree). Features add keys in parallel; this is where
two of them picking the same letter shows."""
from __future__ import annotations

from collections import defaultdict

from kreview.tui.app import KreviewApp
from kreview.tui.screens.search import SearchScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.body_view import BodyView
from kreview.tui.widgets.series_panel import SeriesPanel
from kreview.tui.widgets.thread_list import ThreadList
from kreview.tui.widgets.thread_tree import ThreadTree

# Keys whose meaning follows the focus on purpose: movement. ( and ) step to
# the next patch in the tree and to the next review comment in the pane, as
# j/k step by message in the one and by line in the other.
FOLLOWS_FOCUS = {"(", ")", "left_parenthesis", "right_parenthesis", "j", "k", "up", "down", "pageup", "pagedown", "home", "end", "enter", "g", "G",
                 "ctrl+f", "ctrl+b", "space", "escape", "q", "left", "right", "tab", "shift+tab"}


def actions_by_key(cls) -> dict[str, list[str]]:
    found = defaultdict(list)
    for binding in cls.BINDINGS:
        for key in binding.key.split(","):
            found[key.strip()].append(binding.action)
    return found


def test_no_key_is_bound_twice_in_one_place():
    for cls in (KreviewApp, SearchScreen, ThreadList, ThreadScreen, BodyView, ThreadTree, SeriesPanel):
        twice = {key: actions for key, actions in actions_by_key(cls).items() if len(actions) > 1}
        assert twice == {}, cls.__name__


def test_the_pane_and_the_tree_do_not_shadow_the_thread_screens_keys():
    """Except the pane's own keys that the screen hands to the pane
    (``in_pane('next_hunk')`` for ]): the same action whichever has the focus."""
    screen = actions_by_key(ThreadScreen)
    for widget in (BodyView, ThreadTree, SeriesPanel):
        shadowed = {key: (screen[key], actions) for key, actions in actions_by_key(widget).items()
                    if key in screen and key not in FOLLOWS_FOCUS
                    and not (widget is BodyView and screen[key] == [f"in_pane('{a}')" for a in actions])}
        assert shadowed == {}, widget.__name__


def test_the_list_does_not_shadow_the_search_screens_keys():
    screen = actions_by_key(SearchScreen)
    shadowed = {key: actions for key, actions in actions_by_key(ThreadList).items()
                if key in screen and key not in FOLLOWS_FOCUS}
    assert shadowed == {}

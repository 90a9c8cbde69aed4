"""SVG snapshots of the main screens in every shipped theme, at a fixed size.

They pin what a user sees: the thread list, a patch with its diff coloured
and its C code highlighted, and a review reply with its long quote folded.
Update them deliberately with `pytest --snapshot-update` and look at the SVGs.
"""
from __future__ import annotations

import pytest

from kreview.config import Config
from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.thread_list import ThreadList

THEMES = ["kreview-dark", "kreview-light", "kreview-high-contrast"]
SIZE = (150, 42)


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Snapshots are pictures at a fixed time zone: the tree and headers show
    local times, and a message sent near midnight changes day with TZ."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def settle(pilot, condition, timeout=15.0):
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app never settled")
        await pilot.pause(0.05)
    # Workers start workers (reading clears unread, which redraws the tree):
    # settle only when a pause leaves none running.
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        if not any(w.is_running for w in pilot.app.workers):
            break


def open_message(subject_part: str, message_part: str, *, focus_body: bool = False, steps: list[str] = ()):
    """A run_before that opens the thread whose subject holds ``subject_part``
    and selects the first message whose subject holds ``message_part``."""

    async def run_before(pilot) -> None:
        app = pilot.app
        threads = app.screen.query_one(ThreadList)
        await settle(pilot, lambda: threads.row_count > 0)
        index = next(i for i, t in enumerate(threads.threads) if subject_part in t.subject)
        threads.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        screen = app.screen
        target = next(n for n in screen.tree.messages if message_part in n.subject and not n.missing)
        screen.tree.select_message(target.message_id)
        await settle(pilot, lambda: screen.shown is not None and screen.shown.message_id == target.message_id)
        if focus_body:
            await pilot.press("tab")
        for key in steps:
            await pilot.press(key)
        await settle(pilot, lambda: True)

    return run_before


def app_for(store, theme: str):
    return build_app(store, Config(), query="*", theme=theme)


@pytest.mark.parametrize("theme", THEMES)
def test_thread_list(snap_compare, store, theme):
    async def run_before(pilot):
        threads = pilot.app.screen.query_one(ThreadList)
        await settle(pilot, lambda: threads.row_count > 0 and len(threads.art_labels) > 0)

    assert snap_compare(app_for(store, theme), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_patch_with_highlighted_diff(snap_compare, store, theme):
    run = open_message("[PATCH v8 0/7]", "[PATCH v8 2/7]", focus_body=True, steps=["right_square_bracket"])
    assert snap_compare(app_for(store, theme), terminal_size=SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_review_reply_with_folded_quote(snap_compare, store, theme):
    run = open_message("[PATCH v4 0/8]", "Re: [PATCH v4", focus_body=True)
    assert snap_compare(app_for(store, theme), terminal_size=SIZE, run_before=run)

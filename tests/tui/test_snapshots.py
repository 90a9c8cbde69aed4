"""SVG snapshots of the main screens in every shipped theme, at a fixed size.

They pin what a user sees: the thread list, a patch with its diff coloured
and its C code highlighted, and a review reply with its long quote folded.
Update them deliberately with `pytest --snapshot-update` and look at the SVGs.
"""
from __future__ import annotations

import pytest

from kreview.config import Config
from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import open_message, settle

pytestmark = pytest.mark.usefixtures("utc")  # pictures at a fixed time zone (tests/tui/conftest.py)

THEMES = ["kreview-dark", "kreview-light", "kreview-high-contrast"]
SIZE = (150, 42)


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

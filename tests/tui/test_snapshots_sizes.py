"""SVG snapshots at the sizes a reviewer's terminal has: 80x24 (the tree
above the message, which gets the whole width), 120x40, 250x70 (panels grow,
trailer lines whole). Dark theme only: the themed pictures are in
test_snapshots.py. Update deliberately with --snapshot-update."""
from __future__ import annotations

import pytest

from kreview.config import Config
from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import open_message, settle

pytestmark = pytest.mark.usefixtures("utc")  # pictures at a fixed time zone (tests/tui/conftest.py)

SIZES = [(80, 24), (120, 40), (250, 70)]


def app_for(store):
    return build_app(store, Config(), query="*", theme="kreview-dark")


def size_id(size) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_list_at_size(snap_compare, store, size):
    async def run_before(pilot):
        threads = pilot.app.screen.query_one(ThreadList)
        await settle(pilot, lambda: threads.total is not None and len(threads.art_labels) > 0)

    assert snap_compare(app_for(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_patch_and_series_panel_at_size(snap_compare, store, size):
    run = open_message("[PATCH v8 0/7]", "[PATCH v8 2/7]", focus_body=True, steps=["right_square_bracket"])
    assert snap_compare(app_for(store), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_review_reply_at_size(snap_compare, store, size):
    run = open_message("[PATCH v4 0/8]", "Re: [PATCH v4", focus_body=True)
    assert snap_compare(app_for(store), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_help_at_size(snap_compare, store, size):
    async def run_before(pilot):
        threads = pilot.app.screen.query_one(ThreadList)
        # The list shows behind the help: every row's A/R/T counted first
        # (counting stops while the help is in front).
        await settle(pilot, lambda: threads.row_count > 0
                     and all(t.thread_id in threads._counted for t in threads.threads))
        await pilot.press("question_mark")
        await settle(pilot, lambda: True)

    assert snap_compare(app_for(store), terminal_size=size, run_before=run_before)

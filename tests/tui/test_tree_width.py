"""The thread tree at an 80-column terminal shows which patch each row is:
the date goes and "[PATCH v8 1/7]" is written "1/7", where the full rows
were cut to "Dan Williams  2018-11-20  [PATCH v8"."""
from __future__ import annotations

import pytest

from kreview.tui.app import build_app
from kreview.tui.widgets.thread_list import format_date
from tests.tui.pilot import open_v8


def tree_rows(screen) -> list[str]:
    tree = screen.tree
    return [tree.line_strip(row, 0, tree.size.width).text for row in range(tree.line_count())]


def patch_row(screen, rows: list[str], number: int) -> tuple[str, object]:
    nodes = [screen.tree.messages[i] for i in screen.tree._rows]
    index = next(i for i, n in enumerate(nodes) if f"v8 {number}/7]" in n.subject and not n.subject.startswith("Re"))
    return rows[index], nodes[index]


async def test_a_narrow_tree_numbers_the_patches_instead_of_cutting_them(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_v8(pilot, app)
        assert screen.tree.size.width < 60
        rows = tree_rows(screen)
        row, node = patch_row(screen, rows, 1)
        assert "Dan Williams  1/7 mm, devm" in row
        assert format_date(node.date) not in row and "[PATCH" not in row
        # Cropped, not scrolled sideways: no horizontal scrollbar takes one of its few rows.
        assert screen.tree.scrollbar_size_horizontal == 0
        assert screen.tree.scrollable_content_region.height == screen.tree.size.height


@pytest.mark.parametrize("size", [(200, 50), (250, 70)])
async def test_a_wide_tree_keeps_the_date_and_the_whole_subject(store, size):
    app = build_app(store, query="*")
    async with app.run_test(size=size) as pilot:
        screen = await open_v8(pilot, app)
        rows = tree_rows(screen)
        row, node = patch_row(screen, rows, 1)
        assert f"Dan Williams  {format_date(node.date)}  [PATCH v8 1/7] mm, devm" in row

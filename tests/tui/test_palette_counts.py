"""The command palette opens without counting; saved-search counts arrive
from a worker, are kept per database revision, and are taken again after a change."""
from __future__ import annotations

from textual.command import CommandList, CommandPalette

from kreview.tui.app import build_app
from kreview.tui.commands import count_label
from tests.tui.pilot import wait_for


def palette_text(app) -> str:
    options = app.screen.query_one(CommandList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_saved_search_counts_arrive_and_follow_changes(store):
    inbox = store.count_threads("tag:inbox")
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox} threads)" in palette_text(app))
        await pilot.press("escape")
        one = next(store.iter_threads("tag:inbox"))
        store.tag_query(f"thread:{one.thread_id}", remove=["inbox"])
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: f"Saved search: inbox ({inbox - 1} threads)" in palette_text(app))


def test_count_labels():
    from kreview.core.counts import Count

    assert count_label(None, False) == "counting …"
    assert count_label(Count(1060, ("u", 1)), True) == "1,060 threads"
    assert count_label(Count(1, ("u", 1)), False) == "1 thread …"
    assert count_label(Count(None, ("u", 1)), True) == "bad query"

"""Marking a message read renames its file (the Maildir S flag); opening it
again, from the series panel, must not warn that the file "was renamed since
it was indexed": kreview renamed it, and notmuch knows the new name."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.widgets.series_panel import SeriesPanel
from tests.tui.pilot import open_v8, wait_for


def body_text(screen) -> str:
    return "\n".join(line.text for line in screen.body.lines)


async def test_reading_a_message_again_after_marking_it_read_says_nothing_about_renames(store):
    cover = next(n for n in store.messages("subject:v8 and subject:0/7"))
    store.change_tags([cover.message_id], add=["unread"])  # as new mail: read by opening the thread
    old_path = store.file_of(cover.message_id)
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        assert screen.shown.message_id == cover.message_id
        await wait_for(pilot, lambda: "unread" not in screen.tree.messages[0].tags)
        assert store.file_of(cover.message_id) != old_path  # the flag sync renamed it
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id != cover.message_id)
        screen.post_message(SeriesPanel.JumpTo(cover.message_id))  # what Enter on the cover's row posts
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == cover.message_id
                       and "Dan Williams" in body_text(screen))
        assert "renamed since it was indexed" not in body_text(screen)

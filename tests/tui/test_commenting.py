"""Comment mode in the message pane, driven with keys on the sample's
[PATCH v8 5/7] (two files, five hunks): comments typed in the box are on
disk while being typed, show under their lines, move, go, come back in a
new session, and become the review draft (W) that core builds."""
from __future__ import annotations

import json
from pathlib import Path

from kreview.core.comments import Review, comments_from_json
from kreview.core.parse import read_message
from kreview.tui.app import build_app
from kreview.tui.reviewing import review_store
from kreview.tui.screens.pickers import Picker
from kreview.tui.widgets.body_view import BodyView
from tests.core.helpers import GOLDEN, PATCH_ID, THREE
from tests.tui.pilot import box_open, open_thread_at, wait_for


async def open_patch(pilot, app) -> BodyView:
    await open_thread_at(pilot, app, rows=1)
    body = app.screen.query_one(BodyView)
    await pilot.press("tab")
    await wait_for(pilot, lambda: app.focused is body)
    return body


def display_of(body: BodyView, file: str, side: str, line: int) -> int:
    body.opening_comment_mode()
    target = body.comment_index().body_line_of(file, side, line)
    return next(i for i in range(len(body.lines)) if body.lines[i].kind != "comment"
                and body.body_line_at(i) == target)


def kept() -> dict:
    path = review_store().path_for(PATCH_ID)
    return json.loads(path.read_text()) if path.exists() else {}


async def test_comment_typed_saved_moved_and_deleted(store):
    app = build_app(store, None, query=f"id:{PATCH_ID}")
    async with app.run_test(size=(140, 40)) as pilot:
        body = await open_patch(pilot, app)
        at = display_of(body, "mm/hmm.c", "new", 990)
        body.goto_line(at)
        await pilot.press("c")
        await wait_for(pilot, lambda: box_open(app))
        await pilot.press("W", "h", "y", "question_mark")
        # On disk while typed, before it is saved: a crash loses nothing.
        await wait_for(pilot, lambda: (kept().get("pending") or {}).get("text") == "Why?")
        await pilot.press("enter", "N", "o", "w")  # the box grows to two lines
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not box_open(app))
        assert [line.text for line in body.lines[at + 1:at + 3]] == ["  ▎ Why?", "  ▎ Now"]
        assert body.lines[at + 1].kind == "comment" and body.lines[at + 3].kind != "comment"
        await wait_for(pilot, lambda: kept().get("pending") is None and len(kept().get("comments", [])) == 1)
        saved = kept()["comments"][0]
        assert (saved["file"], saved["side"], saved["line"], saved["text"]) == ("mm/hmm.c", "new", 990, "Why?\nNow")

        body.goto_line(0)
        await pilot.press("right_parenthesis")  # ) jumps to the comment
        assert body.cursor == at + 1
        await pilot.press("greater_than_sign")  # > moves it a line down
        await wait_for(pilot, lambda: kept()["comments"][0]["line"] == 991)
        assert body.lines[at + 2].kind == "comment" and body.lines[at + 1].kind != "comment"
        await pilot.press("D")
        await wait_for(pilot, lambda: not review_store().path_for(PATCH_ID).exists())
        assert not any(line.kind == "comment" for line in body.lines)


async def test_range_comment_with_v(store):
    app = build_app(store, None, query=f"id:{PATCH_ID}")
    async with app.run_test(size=(140, 40)) as pilot:
        body = await open_patch(pilot, app)
        first = display_of(body, "mm/hmm.c", "old", 1005)
        body.goto_line(first)
        await pilot.press("v", "j", "j", "c")
        await wait_for(pilot, lambda: box_open(app))
        await pilot.press("O", "k", "ctrl+s")
        await wait_for(pilot, lambda: len(kept().get("comments", [])) == 1)
        saved = kept()["comments"][0]
        assert (saved["line"], saved["end_line"], saved["side"]) == (1005, 1007, "old")
        assert body.lines[first + 3].text == "  ▎ Ok"


async def test_comments_come_back_and_W_makes_the_review_draft(store):
    parsed = read_message(store.file_of(PATCH_ID))
    from kreview.core.blocks import split_blocks
    from kreview.core.patch_index import index_blocks

    comments = comments_from_json(THREE, index_blocks(split_blocks(parsed.text, patches=parsed.patches)))
    review_store().save(Review(PATCH_ID, tuple(comments)))  # as a session left it yesterday
    app = build_app(store, None, query=f"id:{PATCH_ID}")
    async with app.run_test(size=(140, 40)) as pilot:
        body = await open_patch(pilot, app)
        await wait_for(pilot, lambda: len(body.review_comments) == 3)
        shown = [line.text for line in body.lines if line.kind == "comment"]
        assert shown == ["  ▎ Any out-of-tree user left?", "  ▎ This now waits for the completion:",
                         "  ▎ say so in the changelog.", "  ▎ devm_kzalloc() loses the NUMA node."]
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.press("down", "enter")  # Reviewed-by
        await wait_for(pilot, lambda: len(store.messages("tag:draft")) == 1)
        draft = store.messages("tag:draft")[0]
        await wait_for(pilot, lambda: kept().get("draft_id") == draft.message_id)
    text = read_message(draft.path).text
    golden = GOLDEN.read_text()
    assert text.rstrip("\n") == golden.rstrip("\n")


async def test_R_without_comments_quotes_the_commit_message_only(store):
    app = build_app(store, None, query=f"id:{PATCH_ID}")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_patch(pilot, app)
        await pilot.press("R")
        await wait_for(pilot, lambda: len(store.messages("tag:draft")) == 1)
    text = read_message(store.messages("tag:draft")[0].path).text
    assert "diff --git" not in text and "> Signed-off-by: Dan Williams <dan.j.williams@intel.com>" in text
    assert text.rstrip("\n").endswith("\n\nReviewed-by: Demo Reviewer <reviewer@example.org>")
    assert len(text.split("\n")) < 30


async def test_series_review_one_draft_per_patch_sent_together(store, tmp_path):
    from kreview.config import Config
    from kreview.core.comments import Comment

    other = "154275558526.76910.7894266470758534918.stgit@dwillia2-desk3.amr.corp.intel.com"  # 3/7
    review_store().save(Review(PATCH_ID, (Comment(0, 0, "Say why in the first line."),)))
    review_store().save(Review(other, (Comment(1, 1, "Nice cleanup."),)))
    sent = tmp_path / "sent.mbox"
    config = Config(send_command=("sh", "-c", f"cat >> {sent}"))
    app = build_app(store, config, query=f"id:{PATCH_ID}")
    async with app.run_test(size=(140, 40)) as pilot:
        body = await open_patch(pilot, app)
        await wait_for(pilot, lambda: len(body.review_comments) == 1)
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.press("enter")  # no trailer
        await wait_for(pilot, lambda: isinstance(app.screen, Picker) and "2 review drafts" in app.screen.title_text)
        assert [label for label, _ in app.screen.items] == [
            "Send all 2 review drafts now",
            "Edit: Re: [PATCH v8 5/7] mm, hmm: Use devm semantics for hmm_devmem_{add, remove}",
            "Edit: Re: [PATCH v8 3/7] mm, devm_memremap_pages: Fix shutdown handling"]
        assert len(store.messages("tag:draft")) == 2
        await pilot.press("enter")  # send all
        from kreview.tui.replying import Confirm

        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(store.messages("tag:sent")) == 2)
        await wait_for(pilot, lambda: review_store().all() == [])  # sent reviews go away
    assert sent.read_text().count("\nIn-Reply-To: <") == 2


async def test_scoped_trailer_on_the_cover_letter(store):
    from kreview.tui.reviewing import PatchScope

    cover = "154275556908.76910.8966087090637564219.stgit@dwillia2-desk3.amr.corp.intel.com"
    app = build_app(store, None, query=f"id:{cover}")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_thread_at(pilot, app, rows=1)
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, Picker))
        assert len(app.screen.items) == 7  # a cover letter offers "for some patches"
        await pilot.press("down", "down", "down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PatchScope))
        await pilot.press("1", "minus", "3", "enter")
        await wait_for(pilot, lambda: len(store.messages("tag:draft")) == 1)
    text = read_message(store.messages("tag:draft")[0].path).text
    assert text.rstrip("\n") == "For patches 1-3:\nReviewed-by: Demo Reviewer <reviewer@example.org>"

"""o and O in the message pane: a folded quote opens again, every quoted
line comes back, and the reviewer's own text under a quote never goes away."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.widgets.body_view import BodyView
from tests.tui.pilot import open_thread_at, wait_for


async def open_review_reply(pilot, app) -> BodyView:
    """The v4 series' review reply whose long quote is folded, pane focused."""
    screen = await open_thread_at(pilot, app, subject="[PATCH v4 0/8]")
    body = screen.query_one(BodyView)
    candidates = [n for n in screen.tree.messages if n.subject.startswith("Re: [PATCH v4") and not n.missing]
    for node in candidates:
        screen.tree.select_message(node.message_id)
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == node.message_id
                       and body.lines)
        if any(line.kind == "fold" for line in body.lines):
            break
    else:
        raise AssertionError("no review reply with a folded quote in the v4 thread")
    await pilot.press("tab")
    await wait_for(pilot, lambda: app.focused is body)
    return body


def shown(body: BodyView) -> list[str]:
    return [line.text for line in body.lines]


def quoted_lines(body: BodyView, block: int) -> list[str]:
    return list(body.blocks[block].lines)


async def test_o_unfolds_the_quote_it_folded(store):
    app = build_app(store, None, query="*")
    async with app.run_test(size=(120, 40)) as pilot:
        body = await open_review_reply(pilot, app)
        fold_row = next(i for i, line in enumerate(body.lines) if line.kind == "fold")
        block = body.lines[fold_row].block
        hidden = [text for text in quoted_lines(body, block) if text.strip()]
        folded_view = shown(body)
        body.cursor = fold_row

        await pilot.press("o")  # open it: every quoted line is shown
        await wait_for(pilot, lambda: not any(line.kind == "fold" and line.block == block for line in body.lines))
        opened = "\n".join(shown(body))
        assert all(text in opened for text in hidden)
        assert len(body.lines) > len(folded_view)

        await pilot.press("o")  # and closed again: the same view as before
        await wait_for(pilot, lambda: any(line.kind == "fold" and line.block == block for line in body.lines))
        assert shown(body) == folded_view


async def test_fold_all_twice_gives_back_every_line_and_keeps_the_reviewers_text(store):
    app = build_app(store, None, query="*")
    async with app.run_test(size=(120, 40)) as pilot:
        body = await open_review_reply(pilot, app)
        own_text = [line.text for line in body.lines if line.kind == "text" and line.text.strip()]
        assert own_text, "the reply has the reviewer's own words"

        await pilot.press("O")  # everything open
        await wait_for(pilot, lambda: not any(line.kind == "fold" for line in body.lines))
        everything = shown(body)
        for index, block in enumerate(body.blocks):
            if block.type == "quote":
                assert all(text in "\n".join(everything) for text in block.lines if text.strip())

        await pilot.press("O")  # everything folded
        await wait_for(pilot, lambda: any(line.kind == "fold" for line in body.lines))
        folded = "\n".join(shown(body))
        assert all(text in folded for text in own_text), "fold-all hid the reviewer's comments"

        await pilot.press("O")  # and open again: nothing lost on the way
        await wait_for(pilot, lambda: not any(line.kind == "fold" for line in body.lines))
        assert shown(body) == everything

"""Prose wraps at word boundaries in the message pane at 80x24; diff lines
never do (they are cut with ›), and the keys that work on lines (j/k, o,
], c) still act on the lines, not on the rows a wrapped line takes."""
from __future__ import annotations

import re

from kreview.config import Config
from kreview.core.wrapping import wrap_line
from kreview.tui.app import build_app
from kreview.tui.widgets.body_view import BodyView
from tests.tui.pilot import box_open, open_thread_at, wait_for

PARAGRAPH = " ".join(f"word{i:02d}" for i in range(60))  # 419 characters, one line
QUOTED = " ".join(f"quoted{i:02d}" for i in range(20))
CODE = "+\tresult = compute_the_thing(first_argument, second_argument, third_argument, fourth_argument);"
MAIL = f"""\
From: Ann Author <ann@example.org>
To: list@example.org
Subject: [PATCH] foo: wrap test
Date: Mon, 01 Jan 2024 10:00:00 +0000
Message-ID: <wrap@example.org>
Content-Type: text/plain; charset=utf-8

On Sun, 31 Dec 2023, Bob Reviewer wrote:
> {QUOTED}
""" + "".join(f"> quoted line {i}\n" for i in range(14)) + f"""
{PARAGRAPH}

Signed-off-by: Ann Author <ann@example.org>
---
 foo.c | 4 ++--
 1 file changed, 2 insertions(+), 2 deletions(-)

diff --git a/foo.c b/foo.c
index 1111111..2222222 100644
--- a/foo.c
+++ b/foo.c
@@ -1,3 +1,3 @@
 int a;
-int b;
{CODE}
 int c;
@@ -20,3 +20,3 @@ int main(void)
 int x;
-int y;
+int z;
 int w;
--
2.43.0
"""


def index_wrap_mail(store, notmuch_root) -> None:
    target = notmuch_root / "mail" / "cur" / "wrap-mail:2,S"
    target.write_text(MAIL)
    store.index_file(target, tags=["inbox"])


def screen_rows(body: BodyView) -> list[str]:
    return [body.render_line(y).text for y in range(body.scrollable_content_region.height)]


async def open_wrap_mail(pilot, app) -> BodyView:
    await open_thread_at(pilot, app, rows=1)
    body = app.screen.query_one(BodyView)
    await pilot.press("tab")
    await wait_for(pilot, lambda: app.focused is body and body.lines and body.lines[0].kind == "header")
    return body


def index_of(body: BodyView, start: str) -> int:
    return next(i for i, line in enumerate(body.lines) if line.text.startswith(start))


def test_wrap_line_breaks_between_words_and_keeps_quote_marks():
    rows = wrap_line("quote", "> > " + QUOTED, 40)
    assert all(row.startswith("> > ") and len(row) <= 40 for row in rows)
    assert " ".join(row[4:] for row in rows).split() == QUOTED.split()
    header = wrap_line("header", "Cc: " + ", ".join(f"person{i}@example.org" for i in range(6)), 40)
    assert header[0].startswith("Cc: ") and all(row.startswith("    p") for row in header[1:])
    assert wrap_line("diff-add", CODE * 3, 40) is None and wrap_line("text", "short", 40) is None


def test_a_word_longer_than_a_row_is_broken_where_it_starts():
    # A URL or a token of escapes: broken in place (as textwrap does), not
    # moved below a row left with one word on it.
    token = "x" * 70
    rows = wrap_line("text", f"see {token} here", 30)
    assert rows == ["see " + token[:26], token[26:56], token[56:] + " here"]


async def test_prose_wraps_diff_is_cut_and_line_keys_still_work(store, notmuch_root):
    index_wrap_mail(store, notmuch_root)
    app = build_app(store, None, query="id:wrap@example.org")
    async with app.run_test(size=(80, 24)) as pilot:
        body = await open_wrap_mail(pilot, app)
        width = body.scrollable_content_region.width
        para = index_of(body, "word00")
        # The paragraph on screen: rows that fit, every word once, in order, none cut.
        body.goto_line(para)
        await pilot.pause()
        top = body.row_of(para) - body.scroll_offset.y
        rows = [row.rstrip() for row in screen_rows(body)[top:top + 20]]
        shown = [row for row in rows if row.startswith("word")]
        assert len(shown) > 1 and all(len(row) <= width and "›" not in row for row in shown)
        assert " ".join(shown).split() == PARAGRAPH.split()
        # The long quote line (unfolded with o) keeps its > on every row.
        quote = index_of(body, "> quoted00")
        body.goto_line(quote)
        folded_before = len(body.lines)
        await pilot.press("o")
        await wait_for(pilot, lambda: len(body.lines) != folded_before)
        quote = index_of(body, "> quoted00")
        assert body.lines[body.cursor].block == body.lines[quote].block
        body.goto_line(quote)
        await pilot.pause()
        top = body.row_of(quote) - body.scroll_offset.y
        quote_rows = [row.rstrip() for row in screen_rows(body)[top:top + 4] if "quoted" in row and "line" not in row]
        assert len(quote_rows) > 1 and all(row.startswith("> quoted") for row in quote_rows)
        assert " ".join(row[2:] for row in quote_rows).split() == QUOTED.split()
        # j/k move a line (all its rows), not a row.
        body.goto_line(para)
        await pilot.press("j")
        assert body.cursor == para + 1
        await pilot.press("k", "k")
        assert body.cursor == para - 1
        # ] lands on the hunk header and shows it.
        await pilot.press("right_square_bracket")
        assert body.lines[body.cursor].kind == "diff-hunk"
        await pilot.pause()
        assert screen_rows(body)[body.row_of(body.cursor) - body.scroll_offset.y].startswith("@@ -1,3")
        # The long diff line is cut with a marker, not wrapped into a row of its own.
        code = next(i for i, line in enumerate(body.lines) if "compute_the_thing" in line.text)
        code_row = body.row_of(code) - body.scroll_offset.y
        rows = screen_rows(body)
        assert rows[code_row].rstrip().endswith("›")
        assert rows[code_row + 1].startswith(" int c;")
        # c on the long diff line comments on it.
        body.goto_line(code)
        await pilot.press("c")

        await wait_for(pilot, lambda: box_open(app))
        await pilot.press("o", "k")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not box_open(app))
        assert body.lines[code + 1].kind == "comment" and body.lines[code + 1].text.endswith("ok")
        (comment,) = body.review_comments
        assert (comment.file, comment.side, comment.line) == ("foo.c", "new", 2)


async def test_wrap_prose_off_cuts_prose_too(store, notmuch_root):
    index_wrap_mail(store, notmuch_root)
    app = build_app(store, Config(wrap_prose=False), query="id:wrap@example.org")
    async with app.run_test(size=(80, 24)) as pilot:
        body = await open_wrap_mail(pilot, app)
        para = index_of(body, "word00")
        body.goto_line(para)
        await pilot.pause()
        row = screen_rows(body)[body.row_of(para) - body.scroll_offset.y]
        assert row.rstrip().endswith("›") and body.line_count() == len(body.lines)


async def test_rewraps_when_the_terminal_is_resized(store, notmuch_root):
    index_wrap_mail(store, notmuch_root)
    app = build_app(store, None, query="id:wrap@example.org")
    async with app.run_test(size=(80, 24)) as pilot:
        body = await open_wrap_mail(pilot, app)
        para = index_of(body, "word00")

        async def paragraph_rows() -> list[str]:
            body.goto_line(para)
            await pilot.pause()
            top = body.row_of(para) - body.scroll_offset.y
            return [row.rstrip() for row in screen_rows(body)[top:top + len(body._rows_of(para))]]

        for columns in (100, 60, 80):
            await pilot.resize_terminal(columns, 24)
            await wait_for(pilot, lambda: body._wrap_width == body.scrollable_content_region.width)
            width = body.scrollable_content_region.width
            rows = await paragraph_rows()
            assert rows == wrap_line("text", PARAGRAPH, width), columns
            assert " ".join(rows).split() == PARAGRAPH.split()

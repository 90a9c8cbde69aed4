"""The message pane on a long patch: paging down draws only what the page
needs (the next page is drawn ahead, after each paint), and the cursor and
scroll follow the keys at once."""
from __future__ import annotations

from kreview.tui.app import build_app
from kreview.tui.widgets.body_view import BodyView
from tests.tui.pilot import index_big_patch, open_thread_at, wait_for


def long_patch_app(store, notmuch_root, tmp_path):
    """The app on a database holding a long patch, listing only it."""
    index_big_patch(store, notmuch_root, tmp_path, files=2, lines_per_hunk=300)
    return build_app(store, None, query="id:big@example.org")


async def open_the_patch(pilot, app) -> BodyView:
    """Open the patch, put the focus on its pane and let it settle."""
    await open_thread_at(pilot, app, rows=1)
    body = app.screen.query_one(BodyView)
    await pilot.press("tab")
    await wait_for(pilot, lambda: app.focused is body)
    await pilot.pause(0.2)
    return body


async def test_page_down_draws_ahead(store, notmuch_root, tmp_path, monkeypatch):
    app = long_patch_app(store, notmuch_root, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        body = await open_the_patch(pilot, app)

        drawn: list[int] = []  # lines drawn for a paint (not ahead of it)
        ahead = [False]
        warmed = [0]  # draw-ahead runs, so the test waits for it, not a guess
        original, original_warm = BodyView._line_segments, BodyView.warm_next_page

        def counting(self, line):
            if not ahead[0]:
                drawn.append(1)
            return original(self, line)

        def warming(self):
            ahead[0] = True
            try:
                original_warm(self)
            finally:
                ahead[0] = False
                warmed[0] += 1

        monkeypatch.setattr(BodyView, "_line_segments", counting)
        monkeypatch.setattr(BodyView, "warm_next_page", warming)
        height = body.scrollable_content_region.height
        await pilot.press("pagedown")  # the cursor goes to the bottom line first
        await wait_for(pilot, lambda: warmed[0] > 0)
        for page in range(1, 4):
            drawn.clear()
            top, runs = body.scroll_offset.y, warmed[0]
            await pilot.press("pagedown")
            assert body.scroll_offset.y > top  # scrolled with the key, not a frame later
            # let the paint happen and the next page be drawn ahead in turn
            await wait_for(pilot, lambda: warmed[0] > runs)
            # The key drew the new cursor line (and the old one, unselected),
            # not the page: that was drawn ahead after the previous paint.
            assert len(drawn) <= 2, (page, len(drawn))
            assert body.cursor >= (page + 1) * (height - 1)


async def test_cursor_move_on_screen_repaints_two_lines(store, notmuch_root, tmp_path, monkeypatch):
    app = long_patch_app(store, notmuch_root, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        body = await open_the_patch(pilot, app)
        regions = []
        original = BodyView.refresh

        def recording(self, *args, **kwargs):
            regions.append(args)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(BodyView, "refresh", recording)
        await pilot.press("down")
        await pilot.pause(0.05)
        assert regions and all(len(r) == 1 and r[0].height == 1 for r in regions)  # two one-line regions
        assert body.cursor == 1 and body.scroll_offset.y == 0


def test_position_text():
    from kreview.tui.screens.thread import position_text

    assert position_text(0, 30, 30) == "all 30 lines"
    assert position_text(0, 48, 20034) == "lines 1-48 of 20,034 · 0%"
    assert position_text(19986, 20034, 20034) == "lines 19,987-20,034 of 20,034 · 100%"
    assert position_text(0, 0, 0) == ""


async def test_title_bar_says_where_the_pane_is(store, notmuch_root, tmp_path):
    app = long_patch_app(store, notmuch_root, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_thread_at(pilot, app, rows=1)
        position = app.screen.query_one("#body-position")
        body = app.screen.query_one(BodyView)
        total = len(body.lines)
        await wait_for(pilot, lambda: str(position.render()).startswith("lines 1-"))
        assert f"of {total:,}" in str(position.render())
        await pilot.press("tab", "end")
        await wait_for(pilot, lambda: str(position.render()).endswith("· 100%"))


def test_cut_lines_say_so_on_the_side_they_are_cut():
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from kreview.tui.widgets.body_view import cut_marks

    line = Strip([Segment("0123456789abcdef")])
    plain, mark = Style(), Style(bold=True)
    assert cut_marks(line, 0, 8, plain, mark).text == "0123456›"
    assert cut_marks(line, 4, 8, plain, mark).text == "‹56789a›"
    assert cut_marks(line, 8, 8, plain, mark).text == "‹9abcdef"
    assert cut_marks(Strip([Segment("short")]), 0, 8, plain, mark).text == "short   "

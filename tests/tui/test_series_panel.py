"""Pilot test of the series panel: rows per patch and trailer, unreviewed
patches styled, choosing a trailer posts JumpTo with its message, and only
the rows on screen are drawn."""
from __future__ import annotations

import mailbox
from dataclasses import replace
from pathlib import Path

from textual.app import App, ComposeResult

from kreview.core.parse import parse_message
from kreview.core.series import SeriesMessage, assemble
from kreview.core.trailers import PatchReview, SeriesReview, Trailer, collect
from kreview.tui.widgets.series_panel import SeriesPanel
from tests.tui.pilot import enter_and_look_on_arrival, wait_for

FIXTURE = Path(__file__).parent.parent / "core" / "fixtures" / "series" / "nested_replies.mbox"


def reviews():
    msgs = []
    for m in mailbox.mbox(str(FIXTURE)):
        p = parse_message(m.as_bytes())
        h = p.headers
        msgs.append(SeriesMessage(h.message_id, h.in_reply_to or None, h.subject,
                                  h.from_name, h.from_email, h.date_epoch, p.text))
    return [collect(s, msgs) for s in assemble(msgs)]


def big_review(patches: int = 40, trailers: int = 8) -> SeriesReview:
    """A synthetic series shaped like the fixture's, ``patches`` x ``trailers``."""
    series = reviews()[0].series
    series = replace(series, total=patches)
    rows = []
    for i in range(1, patches + 1):
        given = tuple(Trailer("Reviewed-by", f"Rev {n} <rev{n}@example.org>", f"Rev {n}",
                              f"rev{n}@example.org", f"r{i}.{n}@example.org", "reply")
                      for n in range(trailers))
        rows.append(PatchReview(i, f"p{i}@example.org", f"[PATCH {i}/{patches}] part {i}", False, given))
    return SeriesReview(series, tuple(rows))


class PanelApp(App):
    def __init__(self):
        super().__init__()
        self.jumps: list[str] = []

    def compose(self) -> ComposeResult:
        yield SeriesPanel()

    def on_series_panel_jump_to(self, event: SeriesPanel.JumpTo) -> None:
        self.jumps.append(event.message_id)


async def test_rows_styles_and_jump():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(SeriesPanel)
        panel.show(reviews(), current_message_id="btt-3@example.org")
        await pilot.pause()
        texts = [row.text for row in panel.rows]
        assert panel.row_count == len(texts)
        # header, then each patch followed by its trailers
        assert texts[0] == "v1 A:0 R:3 T:1  nvdimm/btt: small cleanups"
        # under the header (which names the version) a patch row is its counter and title
        assert texts[1].startswith("1/3 A:0 R:1 T:0  nvdimm/btt: use kmemdup")
        # the author's own sign-off is not review: the patch row is followed by Greg's review
        assert "Reviewed-by: Greg Deep <greg@example.com>  (reply)" in texts[2]
        assert not any("Signed-off-by" in t and "(in patch)" in t for t in texts)
        assert any(t.lstrip().startswith("? Acked-by: Frank Boss") for t in texts)
        # ... with the reason it is not counted
        assert any("? Acked-by: Frank Boss" in t and "suspect: not the sender's address" in t
                   for t in texts)
        # the current message's patch row is the cursor
        assert panel.rows[panel.cursor].target == "btt-3@example.org"
        assert panel.rows[panel.cursor].text.startswith("3/3 ")

        unreviewed = panel.get_component_rich_style("series-panel--unreviewed")
        reviewed = panel.get_component_rich_style("series-panel--reviewed")
        assert unreviewed != reviewed
        assert panel.rows[panel.cursor].style == "series-panel--reviewed"  # Leo's Review counts for 3/3
        # ... and the drawn line carries that colour and the cursor's background
        segments = list(panel.render_line(panel.cursor - panel.scroll_offset.y))
        assert segments[0].style.color == reviewed.color
        # a trailer row is drawn muted, its origin too
        greg = next(i for i, t in enumerate(texts) if "Greg Deep" in t)
        muted = panel.get_component_rich_style("series-panel--trailer").color
        assert {s.style.color for s in panel.row_text(greg).render(app.console)} == {muted}
        assert panel.has_focus  # the app's only focusable widget
        cursor = panel.get_component_rich_style("series-panel--cursor")
        assert segments[0].style.bgcolor == cursor.bgcolor

        panel.focus()
        await pilot.pause()
        for _ in range(panel.cursor - greg):
            await pilot.press("up")
        assert panel.cursor == greg
        await pilot.press("enter")
        await pilot.pause()
        assert app.jumps == ["g1@example.com"]


async def test_show_again_moves_only_the_cursor():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(SeriesPanel)
        shown = reviews()
        panel.show(shown, current_message_id="btt-3@example.org")
        await pilot.pause()
        rows = panel.rows
        panel.show(shown, current_message_id="btt-1@example.org")
        assert panel.rows is rows  # not rebuilt
        assert panel.rows[panel.cursor].target == "btt-1@example.org"


async def test_click_jumps_and_disabled_rows_post_nothing():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(SeriesPanel)
        review = reviews()[0]
        # patch 2 never arrived, and no cover letter: both rows lead nowhere
        patches = tuple(replace(p, message_id="", missing=True, trailers=()) if p.index == 2 else p
                        for p in review.patches)
        gapped = replace(review, series=replace(review.series, cover_id=None), patches=patches)
        panel.show([gapped, review])
        await pilot.pause()
        texts = [row.text for row in panel.rows]
        header = 0
        missing = next(i for i, t in enumerate(texts) if t.endswith("(missing)"))
        assert panel.rows[header].disabled and panel.rows[missing].disabled

        await pilot.click(SeriesPanel, offset=(2, missing))
        await pilot.click(SeriesPanel, offset=(2, header))
        await pilot.pause()
        assert app.jumps == []
        panel.cursor = missing
        panel.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.jumps == []
        # the cursor skips rows that lead nowhere
        await pilot.press("home")
        assert panel.cursor == 1
        panel.cursor = missing - 1
        await pilot.press("down")
        assert panel.cursor == missing + 1
        await pilot.press("end")
        assert panel.cursor == panel.row_count - 1

        await pilot.press("home")  # scrolled back to the top: row == offset
        greg = next(i for i, t in enumerate(texts) if "Greg Deep" in t)
        await pilot.click(SeriesPanel, offset=(2, greg))
        await pilot.pause()
        assert panel.cursor == greg
        assert app.jumps == ["g1@example.com"]


async def test_unreviewed_patch_is_marked():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(SeriesPanel)
        review = reviews()[0]
        # keep only the patches' own trailers: nobody reviewed anything
        bare = replace(review, patches=tuple(
            replace(p, trailers=tuple(t for t in p.trailers if t.origin == "patch"))
            for p in review.patches))
        panel.show([bare], None)
        await pilot.pause()
        patch_rows = [r for r in panel.rows if r.text[:4] in ("1/3 ", "2/3 ", "3/3 ")]
        assert len(patch_rows) == 3
        assert all(r.style == "series-panel--unreviewed" for r in patch_rows)
        unreviewed = panel.get_component_rich_style("series-panel--unreviewed")
        for row in patch_rows:
            segments = list(panel.row_text(panel.rows.index(row)).render(app.console))
            assert {seg.style.color for seg in segments} == {unreviewed.color}


async def test_big_series_draws_only_the_visible_rows():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(SeriesPanel)
        drawn: list[int] = []
        row_text = panel.row_text
        panel.row_text = lambda row: drawn.append(row) or row_text(row)
        panel.show([big_review(40, 8)], current_message_id="p30@example.org")
        await pilot.pause()
        assert panel.row_count == 1 + 40 * 9
        height = panel.scrollable_content_region.height
        assert 0 < height <= 15  # max-height: 50% of 30
        # the visible rows, and at most the next page drawn ahead (a 10 ms
        # timer after the paint, so it may or may not have run yet): never
        # the 361 rows of the whole series
        assert 0 < len(set(drawn)) <= 2 * height
        assert len(panel._cache) <= 2 * height
        # the cursor's row (patch 30) was scrolled into view and drawn
        assert panel.rows[panel.cursor].target == "p30@example.org"
        assert panel.cursor in drawn
        # long rows are cropped to the panel, not wrapped
        assert all(len(panel.render_line(y).text) == panel.scrollable_content_region.width
                   for y in range(height))


async def test_panel_holds_its_place_while_trailers_are_collected(store, monkeypatch):
    """A series thread arrives with its panel already on screen (a note in
    it), so the trailers arriving later never move the tree; a thread with
    no patch never shows the panel."""
    from kreview.core.review import TrailerCountCache
    from kreview.tui.app import build_app
    from kreview.tui.widgets.thread_list import ThreadList

    # Trailers not read yet: a count the list finished first would fill the panel at once.
    monkeypatch.setattr(TrailerCountCache, "known_reviews", lambda *_args: None)

    def panel_on_arrival(screen):
        panel = screen.query_one(SeriesPanel)
        return panel.has_class("visible"), [r.text for r in panel.rows]

    for query, is_series in (("subject:v8 and subject:0/7", True), ("subject:Invitation", False)):
        app = build_app(store, None, query=query)
        async with app.run_test(size=(160, 40)) as pilot:
            threads = app.screen.query_one(ThreadList)
            await wait_for(pilot, lambda: threads.row_count > 0)
            visible, rows = await enter_and_look_on_arrival(pilot, app, panel_on_arrival)
            panel = app.screen.query_one(SeriesPanel)
            if is_series:
                assert visible and rows == ["Collecting trailers …"]
                await wait_for(pilot, lambda: bool(panel.reviews))
                assert panel.has_class("visible") and panel.rows[0].text.startswith("v8 A:")
            else:
                assert not visible and rows == []
                await pilot.pause(0.3)
                assert not panel.has_class("visible")


async def test_p_goes_to_the_panel_then_hides_it_then_brings_it_back(store):
    from kreview.tui.app import build_app
    from kreview.tui.screens.thread import ThreadScreen
    from kreview.tui.widgets.thread_list import ThreadList

    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        screen = app.screen
        panel = screen.query_one(SeriesPanel)
        await wait_for(pilot, lambda: bool(panel.reviews))
        assert panel.has_class("visible") and app.focused is screen.tree
        await pilot.press("p")
        assert panel.has_class("visible") and app.focused is panel
        await pilot.press("down", "down", "enter")  # a trailer row: the tree jumps to its message
        await wait_for(pilot, lambda: app.focused is screen.tree)
        await pilot.press("p", "p")
        assert not panel.has_class("visible") and app.focused is screen.tree
        await pilot.press("p")
        assert panel.has_class("visible") and app.focused is panel


def test_a_series_without_a_header_row_keeps_its_version_in_the_patch_rows():
    """No cover letter and no other series: no header row says "v1", so the
    patch row keeps its whole subject."""
    from kreview.tui.widgets.series_panel import build_rows

    [review] = reviews()
    alone = SeriesReview(replace(review.series, cover_id=None), review.patches)
    texts = [row.text for row in build_rows([alone])[0]]
    assert texts[0].startswith("1/3 A:0 R:1 T:0  [PATCH 1/3] nvdimm/btt: use kmemdup")
    headed = [row.text for row in build_rows([review])[0]]
    assert headed[1].startswith("1/3 A:0 R:1 T:0  nvdimm/btt: use kmemdup")

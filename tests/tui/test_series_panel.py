"""Pilot test of the series panel: rows per patch and trailer, unreviewed
patches styled, choosing a trailer posts JumpTo with its message."""
from __future__ import annotations

import mailbox
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import OptionList

from kreview.core.parse import parse_message
from kreview.core.series import SeriesMessage, assemble
from kreview.core.trailers import collect
from kreview.tui.widgets.series_panel import SeriesPanel

FIXTURE = Path(__file__).parent.parent / "core" / "fixtures" / "series" / "nested_replies.mbox"


def reviews():
    msgs = []
    for m in mailbox.mbox(str(FIXTURE)):
        p = parse_message(m.as_bytes())
        h = p.headers
        msgs.append(SeriesMessage(h.message_id, h.in_reply_to or None, h.subject,
                                  h.from_name, h.from_email, h.date_epoch, p.text))
    return [collect(s, msgs) for s in assemble(msgs)]


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
        ol = panel.query_one(OptionList)
        prompts = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        # header, then each patch followed by its trailers
        assert prompts[0].startswith("v1 nvdimm/btt: small cleanups  A:0 R:3 T:1")
        assert prompts[1].startswith("1/3 A:0 R:1 T:0  [PATCH 1/3] nvdimm/btt: use kmemdup")
        # the author's own sign-off is not review: the patch row is followed by Greg's review
        assert "Reviewed-by: Greg Deep <greg@example.com>  (reply)" in prompts[2]
        assert not any("Signed-off-by" in p and "(in patch)" in p for p in prompts)
        assert any(p.lstrip().startswith("? Acked-by: Frank Boss") for p in prompts)
        # the current message's patch row is highlighted
        assert ol.get_option_at_index(ol.highlighted).id == "s0p3"

        unreviewed = panel.get_component_rich_style("series-panel--unreviewed")
        reviewed = panel.get_component_rich_style("series-panel--reviewed")
        assert unreviewed != reviewed
        row3 = ol.get_option_at_index(ol.highlighted).prompt
        assert row3.style == reviewed  # Leo's Review counts for 3/3

        greg = next(i for i, p in enumerate(prompts) if "Greg Deep" in p)
        ol.focus()
        ol.highlighted = greg
        await pilot.press("enter")
        await pilot.pause()
        assert app.jumps == ["g1@example.com"]


async def test_unreviewed_patch_is_marked():
    app = PanelApp()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(SeriesPanel)
        review = reviews()[0]
        # keep only the patches' own trailers: nobody reviewed anything
        from dataclasses import replace
        bare = replace(review, patches=tuple(
            replace(p, trailers=tuple(t for t in p.trailers if t.origin == "patch"))
            for p in review.patches))
        panel.show([bare], None)
        await pilot.pause()
        ol = panel.query_one(OptionList)
        unreviewed = panel.get_component_rich_style("series-panel--unreviewed")
        patch_rows = [ol.get_option(f"s0p{i}").prompt for i in (1, 2, 3)]
        assert all(row.style == unreviewed for row in patch_rows)

"""The series panel of the thread screen: one row per patch with its A/R/T
counts, the trailers it collected underneath, unreviewed patches marked.

One OptionList holds every row (patches, trailers, series headers), so a
40-patch series with hundreds of trailers is still one virtual list.
Choosing a trailer (or a patch) posts :class:`SeriesPanel.JumpTo` with the
message it came from; the screen decides what jumping means.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kreview.core.sanitize import clean
from kreview.core.trailers import SeriesReview

# The author's own sign-off and Cc lines are in every patch; the panel is for
# what reviewers gave. (`kreview trailers` still lists them all.)
_NOISE = {("Signed-off-by", "patch"), ("Cc", "patch")}

_ORIGIN = {"patch": "in patch", "reply": "reply", "cover-reply": "cover reply"}


class SeriesPanel(Widget):
    """Shows a thread's :class:`SeriesReview` list; call :meth:`show`."""

    COMPONENT_CLASSES = {
        "series-panel--header",
        "series-panel--unreviewed",
        "series-panel--reviewed",
        "series-panel--missing",
        "series-panel--trailer",
        "series-panel--suspect",
    }

    # Colours come from theme variables only; these are the widget's
    # defaults and kreview.tcss may override them.
    DEFAULT_CSS = """
    SeriesPanel { height: auto; max-height: 50%; }
    SeriesPanel > OptionList { height: auto; max-height: 100%; border: none; }
    SeriesPanel > .series-panel--header { color: $accent; text-style: bold; }
    SeriesPanel > .series-panel--unreviewed { color: $error; }
    SeriesPanel > .series-panel--reviewed { color: $success; }
    SeriesPanel > .series-panel--missing { color: $text-disabled; text-style: italic; }
    SeriesPanel > .series-panel--trailer { color: $text-muted; }
    SeriesPanel > .series-panel--suspect { color: $warning; text-style: italic; }
    """

    @dataclass
    class JumpTo(Message):
        """The user chose a row that stands for this message."""

        message_id: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reviews: list[SeriesReview] = []
        # option id -> message id, for the rows that lead somewhere
        self._targets: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield OptionList()

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    def show(self, reviews: list[SeriesReview], current_message_id: str | None = None) -> None:
        self.reviews = list(reviews)
        self._targets = {}
        options: list[Option] = []
        highlight: int | None = None
        style = self.get_component_rich_style
        many = len(self.reviews) > 1
        for s_no, review in enumerate(self.reviews):
            s = review.series
            a, r, t = review.art
            if many or s.cover_id:
                oid = f"s{s_no}"
                header = Text(f"v{s.version}{' RFC' if s.is_rfc else ''} {clean(s.title)}  "
                              f"A:{a} R:{r} T:{t}", style=style("series-panel--header"))
                if s.cover_id:
                    self._targets[oid] = s.cover_id
                    if s.cover_id == current_message_id:
                        highlight = len(options)
                options.append(Option(header, id=oid, disabled=not s.cover_id))
            width = len(str(s.total))
            for p in review.patches:
                oid = f"s{s_no}p{p.index}"
                counter = f"{p.index:>{width}}/{s.total}"
                if p.missing:
                    options.append(Option(Text(f"{counter}  (missing)",
                                               style=style("series-panel--missing")),
                                          id=oid, disabled=True))
                    continue
                pa, pr, pt = p.art
                kind = "series-panel--reviewed" if p.reviewed else "series-panel--unreviewed"
                row = Text(f"{counter} ", style=style(kind))
                row.append(f"A:{pa} R:{pr} T:{pt}  ")
                row.append(clean(p.subject))
                self._targets[oid] = p.message_id
                if p.message_id == current_message_id:
                    highlight = len(options)
                options.append(Option(row, id=oid))
                for t_no, tr in enumerate(p.trailers):
                    if (tr.kind, tr.origin) in _NOISE or tr.kind == "Cc":
                        continue
                    tid = f"{oid}t{t_no}"
                    kind = "series-panel--suspect" if tr.suspect else "series-panel--trailer"
                    line = Text(f"{' ' * (width * 2 + 3)}{'? ' if tr.suspect else ''}"
                                f"{tr.kind}: {clean(tr.value)}", style=style(kind))
                    line.append(f"  ({_ORIGIN.get(tr.origin, tr.origin)})",
                                style=style("series-panel--trailer"))
                    self._targets[tid] = tr.message_id
                    options.append(Option(line, id=tid))
        ol = self.option_list
        ol.clear_options()
        ol.add_options(options)
        if highlight is not None:
            ol.highlighted = highlight

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets.get(event.option.id or "")
        if target:
            self.post_message(self.JumpTo(target))

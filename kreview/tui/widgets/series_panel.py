"""The series panel of the thread screen: one row per patch with its A/R/T
counts, the trailers it collected underneath, unreviewed patches marked.

A Line-API ScrollView: :meth:`SeriesPanel.show` builds a light list of row
records (plain strings and component-class names) and a row becomes a Strip
only when it is on screen, so a 40-patch series with hundreds of trailers
costs the rows you see, not one measured and wrapped widget per row.
Choosing a row (Enter or a click) posts :class:`SeriesPanel.JumpTo` with the
message it stands for; the screen decides what jumping means.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from kreview.core.grammar import parse_subject
from kreview.core.sanitize import clean_line
from kreview.core.trailers import SeriesReview
from kreview.tui.widgets.cached_lines import CachedLinesView, cursor_bindings

# The author's own sign-off and Cc lines are in every patch; the panel is for
# what reviewers gave. (`kreview trailers` still lists them all.)
_NOISE = {("Signed-off-by", "patch"), ("Cc", "patch")}

_ORIGIN = {"patch": "in patch", "reply": "reply", "cover-reply": "cover reply"}


@dataclass(frozen=True, slots=True)
class Row:
    """One panel row, not yet drawn: ``style`` (a component class) colours
    the whole row, each piece's class (or "") is layered over it."""

    pieces: tuple[tuple[str, str], ...]
    style: str
    target: str = ""  # message id the row leads to; "" leads nowhere
    disabled: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


def build_rows(reviews: list[SeriesReview]) -> tuple[list[Row], dict[str, int]]:
    """The rows for ``reviews``, and the row of each header and patch message
    (the rows the reader's current message can land on).

    Mail text goes through ``clean_line``: ``clean`` keeps \\n and \\t,
    which a row drawn as one Strip cannot hold (a \\n would break the
    terminal line); otherwise both make the same text."""
    rows: list[Row] = []
    row_of: dict[str, int] = {}
    many = len(reviews) > 1
    for review in reviews:
        s = review.series
        headed = many or s.cover_id
        if headed:
            a, r, t = review.art
            # Counts before the title: a long title is cropped, not the counts.
            header = f"v{s.version}{' RFC' if s.is_rfc else ''} A:{a} R:{r} T:{t}  {clean_line(s.title)}"
            if s.cover_id:
                row_of.setdefault(s.cover_id, len(rows))
            rows.append(Row(((header, ""),), "series-panel--header", s.cover_id or "",
                            disabled=not s.cover_id))
        width = len(str(s.total))
        indent = " " * (width * 2 + 3)  # trailers line up under the subject
        for p in review.patches:
            counter = f"{p.index:>{width}}/{s.total}"
            if p.missing:
                rows.append(Row(((f"{counter}  (missing)", ""),), "series-panel--missing",
                                disabled=True))
                continue
            pa, pr, pt = p.art
            kind = "series-panel--reviewed" if p.reviewed else "series-panel--unreviewed"
            row_of.setdefault(p.message_id, len(rows))
            marks = "".join(f"  [{flag}]" for flag in p.flags)  # extra, carried, unthreaded
            subject = _title(p.subject) if headed else p.subject  # the header row names the version
            rows.append(Row(((f"{counter} A:{pa} R:{pr} T:{pt}  {clean_line(subject)}{marks}", ""),),
                            kind, p.message_id))
            for tr in p.trailers:
                if (tr.kind, tr.origin) in _NOISE or tr.kind == "Cc":
                    continue
                kind = "series-panel--suspect" if tr.suspect else "series-panel--trailer"
                line = f"{indent}{'? ' if tr.suspect else ''}{tr.kind}: {clean_line(tr.value)}"
                why = f"; suspect: {tr.suspect_reason}" if tr.suspect and tr.suspect_reason else ""
                origin = f"  ({_ORIGIN.get(tr.origin, tr.origin)}{clean_line(why)})"
                if getattr(tr, "carried_from", 0):  # a CarriedTrailer (kreview.core.series_status)
                    origin = f"  (carried from v{tr.carried_from})"
                rows.append(Row(((line, ""), (origin, "series-panel--trailer")), kind,
                                tr.message_id))
    return rows, row_of


def _title(subject: str) -> str:
    """A patch's subject without its "[PATCH v8 1/7]": the row's counter and
    the header row above say it, and an 80-column panel had room for little
    more than the prefix."""
    info = parse_subject(subject)
    return info.title if info.has_brackets and info.title else subject


class SeriesPanel(CachedLinesView):
    """Shows a thread's :class:`SeriesReview` list; call :meth:`show`."""

    BINDINGS: ClassVar = cursor_bindings("series") + [
        Binding("enter", "jump", "Go to message", show=False, id="series.jump"),
    ]
    COMPONENT_CLASSES: ClassVar = {
        "series-panel--header",
        "series-panel--unreviewed",
        "series-panel--reviewed",
        "series-panel--missing",
        "series-panel--trailer",
        "series-panel--suspect",
        "series-panel--cursor",
        "series-panel--cursor-blurred",
    }

    # Colours come from theme variables only; these are the widget's
    # defaults and kreview.tcss may override them. Rows are cropped, never
    # wrapped or scrolled sideways.
    DEFAULT_CSS = """
    SeriesPanel { height: auto; max-height: 50%; overflow-x: hidden; }
    SeriesPanel > .series-panel--header { color: $accent; text-style: bold; }
    SeriesPanel > .series-panel--unreviewed { color: $error; }
    SeriesPanel > .series-panel--reviewed { color: $success; }
    SeriesPanel > .series-panel--missing { color: $text-disabled; text-style: italic; }
    SeriesPanel > .series-panel--trailer { color: $text-muted; }
    SeriesPanel > .series-panel--suspect { color: $warning; text-style: italic; }
    SeriesPanel > .series-panel--cursor { background: $accent 40%; }
    SeriesPanel > .series-panel--cursor-blurred { background: $accent 20%; }
    """

    @dataclass
    class JumpTo(Message):
        """The user chose a row that stands for this message."""

        message_id: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reviews: list[SeriesReview] = []
        self.rows: list[Row] = []
        self._row_of: dict[str, int] = {}
        self.cursor = 0

    @property
    def row_count(self) -> int:
        return len(self.rows)

    # -- content ---------------------------------------------------------

    def show(self, reviews: list[SeriesReview], current_message_id: str | None = None) -> None:
        """Show ``reviews`` with the cursor on ``current_message_id``'s row.
        The screen calls this on every message change with the same reviews:
        then only the cursor moves."""
        same = len(reviews) == len(self.reviews) and all(
            a is b for a, b in zip(reviews, self.reviews))
        if not same:
            self.reviews = list(reviews)
            self.rows, self._row_of = build_rows(self.reviews)
            self.cursor = self._enabled_from(0, 1)
            self._relayout()
            self.scroll_to(y=0, animate=False, immediate=True)
        row = self._row_of.get(current_message_id or "")
        if row is not None:
            self._move_to(row)

    def show_note(self, text: str) -> None:
        """One line standing in for the series until show() brings it
        ("collecting trailers"): the panel takes its place on screen at
        once, so the trailers arriving later do not move the tree."""
        self.reviews = []
        self.rows, self._row_of = [Row(((text, ""),), "series-panel--missing", disabled=True)], {}
        self.cursor = 0
        self._relayout()

    def _relayout(self) -> None:
        self._cache.clear()
        self._size_virtually()
        self.refresh()

    def _size_virtually(self) -> None:
        self.set_virtual_size(Size(self.scrollable_content_region.width, len(self.rows)))

    def on_resize(self) -> None:
        # The cache stays: its keys hold the width. The panel is shown
        # (display: none -> block) after show() ran: keep the cursor in view
        # now that it has a height.
        self._size_virtually()
        self.scroll_to_show(self.cursor)

    # -- cursor ----------------------------------------------------------

    def _enabled_from(self, row: int, step: int) -> int:
        """The first enabled row from ``row`` going ``step`` (then the other
        way); ``row`` clamped if every row is disabled."""
        row = max(0, min(len(self.rows) - 1, row))
        for direction in (step, -step):
            r = row
            while 0 <= r < len(self.rows):
                if not self.rows[r].disabled:
                    return r
                r += direction
        return max(0, row)

    def _move_to(self, row: int) -> None:
        self.place_cursor(row)

    def _step(self, delta: int) -> None:
        self._move_to(self._enabled_from(self.cursor + delta, 1 if delta > 0 else -1))

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_home(self) -> None:
        # The top, header included, even when the cursor lands below it.
        self.scroll_to(y=0, animate=False, immediate=True)
        self._move_to(self._enabled_from(0, 1))

    def action_cursor_end(self) -> None:
        self._move_to(self._enabled_from(len(self.rows) - 1, -1))

    def action_page_up_rows(self) -> None:
        self._step(-self.page_rows)

    def action_page_down_rows(self) -> None:
        self._step(self.page_rows)

    def action_jump(self) -> None:
        if 0 <= self.cursor < len(self.rows):
            row = self.rows[self.cursor]
            if row.target and not row.disabled:
                self.post_message(self.JumpTo(row.target))

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return  # on the border or a scrollbar
        row = self.scroll_offset.y + offset.y
        if 0 <= row < len(self.rows) and not self.rows[row].disabled:
            self._move_to(row)
            self.action_jump()

    # -- drawing ---------------------------------------------------------

    def line_count(self) -> int:
        return len(self.rows)

    def line_strip(self, row: int, scroll_x: int, width: int) -> Strip:
        selected = row == self.cursor
        key = (row, selected, self.has_focus, width, self.app.theme)
        strip = self._cache.get(key)
        if strip is None:
            text = self.row_text(row)
            pad = self.base_style
            if selected:  # the cursor spans the panel's width, as a bar
                cursor = self.row_cursor("series-panel")
                text.stylize(cursor)
                pad += cursor
            strip = Strip(list(text.render(self.app.console))).crop_extend(0, width, pad)
            self._cache[key] = strip
        return strip

    def row_text(self, row: int) -> Text:
        """Row ``row`` as styled text (without the cursor): full styles (see
        CachedLinesView.component_style), as spans, not the Text's base
        style, which Text.render ignores."""
        style = self.component_style
        record = self.rows[row]
        base = style(record.style)
        text = Text(end="")
        for piece, name in record.pieces:
            text.append(piece, base + style(name) if name else base)
        return text

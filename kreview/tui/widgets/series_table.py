"""The series view's list: one row per version chain, drawn with the Line API
(a row becomes a Strip only when it is on screen), so 5,000 chains cost
what one screen of them costs. Enter or a click posts
:class:`SeriesTable.Chosen` with the row's chain."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from kreview.core.sanitize import clean_line
from kreview.tui.widgets.cached_lines import CachedLinesView, CursorKeys, cursor_bindings
from kreview.tui.widgets.thread_list import fit

COLUMNS = (("Status", 18), ("Ver", 5), ("A/R/T", 8), ("Pat", 4), ("Last", 11))  # then Series, Author
AUTHOR_WIDTH = 22  # at most: narrow terminals give the title two thirds of what is left
_STATUS_CLASS = {
    "needs my review": "series-table--attention", "author replied": "series-table--attention",
    "changes requested": "series-table--waiting", "new": "series-table--new",
    "reviewed by me": "series-table--done", "applied": "series-table--done",
    "superseded": "series-table--muted", "discussed": "series-table--row",
}


def _split(rest: int) -> tuple[int, int]:
    """(title, author) widths from what the fixed columns leave."""
    author = min(AUTHOR_WIDTH, rest // 3)
    return rest - author, author


def header_text(width: int) -> str:
    head = "".join(fit(name, w) for name, w in COLUMNS)
    title, author = _split(max(0, width - len(head)))
    return head + fit("Series", title) + fit("Author", author)


class SeriesTable(CursorKeys, CachedLinesView):
    BINDINGS: ClassVar = cursor_bindings("series_table") + [
        Binding("enter", "choose", "Open newest version", show=False, id="series_table.open"),
    ]
    COMPONENT_CLASSES: ClassVar = set(_STATUS_CLASS.values()) | {
        "series-table--row", "series-table--cursor", "series-table--cursor-blurred"}
    DEFAULT_CSS = """
    SeriesTable { height: 1fr; overflow-x: hidden; }
    SeriesTable > .series-table--row { color: $text; }
    SeriesTable > .series-table--attention { color: $warning; text-style: bold; }
    SeriesTable > .series-table--waiting { color: $accent; }
    SeriesTable > .series-table--new { color: $text; text-style: bold; }
    SeriesTable > .series-table--done { color: $success; }
    SeriesTable > .series-table--muted { color: $text-muted; }
    SeriesTable > .series-table--cursor { background: $accent 40%; }
    SeriesTable > .series-table--cursor-blurred { background: $accent 20%; }
    """

    @dataclass
    class Chosen(Message):
        row: object  # a kreview.core.series_index.ChainRow

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list = []
        self.cursor = 0
        self._version = 0  # bumped when the rows change: part of every cache key

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self):
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def show_rows(self, rows: list, keep_key: str | None = None) -> None:
        self.rows = rows
        self._version += 1
        index = next((i for i, r in enumerate(rows) if r.key == keep_key), 0) if keep_key else 0
        self.cursor = min(index, max(0, len(rows) - 1))
        self.set_virtual_size(Size(self.scrollable_content_region.width, len(rows)))
        self.scroll_to_show(self.cursor)
        self.refresh()

    def on_resize(self) -> None:
        self.set_virtual_size(Size(self.scrollable_content_region.width, len(self.rows)))

    # -- cursor ------------------------------------------------------------

    def move_to(self, row: int) -> None:
        self.place_cursor(row)

    def key_move(self, row: int) -> None:
        self.move_to(row)

    def action_choose(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if 0 <= row < len(self.rows):
            self.move_to(row)
            self.action_choose()

    # -- drawing -------------------------------------------------------------

    def line_count(self) -> int:
        return len(self.rows)

    def row_text(self, row) -> str:
        v = row.newest
        a, r, t = v.art
        day = time.strftime("%Y-%m-%d", time.gmtime(row.last_activity))
        cells = (row.status, f"v{v.version}{'R' if v.resend else ''}", f"{a}/{r}/{t}", str(v.total), day)
        return "".join(fit(text, w) for text, (_, w) in zip(cells, COLUMNS))

    def line_strip(self, index: int, scroll_x: int, width: int) -> Strip:
        selected = index == self.cursor
        key = (index, selected, self.has_focus, width, self._version, self.app.theme)
        strip = self._cache.get(key)
        if strip is None:
            row = self.rows[index]
            head = self.row_text(row)
            title, author = _split(max(0, width - len(head)))
            text = head + fit(clean_line(row.title), title) + fit(clean_line(row.author_name), author)
            style = self.component_style(_STATUS_CLASS.get(row.status, "series-table--row"))
            if selected:
                style += self.row_cursor("series-table")
            strip = Strip([Segment(text, style)]).crop_extend(0, width, style)
            self._cache[key] = strip
        return strip

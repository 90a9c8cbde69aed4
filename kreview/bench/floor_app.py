"""The floor: the least a Textual app can do to show a screen of thread rows.

A DataTable of 50 rows in the same shape as kreview's thread list (date,
authors, count, subject), no database, no theme loading. Its start-up time is
what kreview's first screen is compared against: Python + Textual import +
first paint. ``python -m kreview.bench.floor_app [--exit-when-painted]``.

When $KBENCH_READY_FILE is set, the app writes ``time.monotonic()`` there
after its first screen was refreshed (CLOCK_MONOTONIC is shared by all
processes, so the parent can subtract its own start time).
"""
from __future__ import annotations

import os
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer

ROWS = 50
READY_ENV = "KBENCH_READY_FILE"


def row_text(index: int) -> tuple[str, str, str, str]:
    return (
        f"2024-{1 + index % 12:02d}-{1 + index % 28:02d}",
        f"Author {index:02d}",
        str(1 + index * 7 % 23),
        f"floor-row-{index:02d} [PATCH v2 {1 + index % 9}/9] mm: a subject of ordinary length",
    )


class FloorApp(App):
    def __init__(self, exit_when_painted: bool = False) -> None:
        super().__init__()
        self.exit_when_painted = exit_when_painted

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Authors", "Msgs", "Subject")
        for index in range(ROWS):
            table.add_row(*row_text(index))
        table.focus()
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        ready = os.environ.get(READY_ENV)
        if ready:
            with open(ready, "w", encoding="ascii") as fh:
                fh.write(repr(time.monotonic()))
        if self.exit_when_painted:
            self.exit()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    FloorApp(exit_when_painted="--exit-when-painted" in argv).run(headless="--headless" in argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

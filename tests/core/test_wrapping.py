"""core.wrapping on many generated lines: no row wider than the pane, every
character kept in order, quotes keep their marks on every row."""
from __future__ import annotations

import random

from kreview.core.wrapping import cells, wrap_line

PIECES = ["a", "bb", "漢字", "xyz", " ", "  ", "c" * 27, "é"]


def test_rows_fit_and_keep_every_character():
    rng = random.Random(17)
    for _ in range(1500):
        width = rng.randint(8, 40)
        text = " " * rng.randint(0, 50) + "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))
        for kind, line in (("text", text), ("quote", "> > " + text), ("header", "Cc: " + text)):
            rows = wrap_line(kind, line, width)
            if rows is None:
                assert cells(line) <= width
                continue
            assert all(cells(row) <= width for row in rows), (kind, line, width, rows)
            if kind == "quote":
                assert all(row.startswith("> >") for row in rows)
                rows = [row[3:] for row in rows]
                line = line[3:]
            assert "".join(rows).replace(" ", "") == line.replace(" ", ""), (kind, line, width, rows)

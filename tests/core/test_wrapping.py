"""core.wrapping on many generated lines: no row wider than the pane, every
character kept in order, quotes keep their marks on every row."""
from __future__ import annotations

import random

from kreview.core.wrapping import HEADER_ROWS, cells, wrap_line

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
            if kind == "header" and len(rows) == HEADER_ROWS and rows[-1].endswith(" …"):
                # a header stops after HEADER_ROWS rows: what is kept is its start
                assert line.replace(" ", "").startswith("".join(rows)[:-1].replace(" ", ""))
                continue
            if kind == "quote":
                assert all(row.startswith("> >") for row in rows)
                rows = [row[3:] for row in rows]
                line = line[3:]
            assert "".join(rows).replace(" ", "") == line.replace(" ", ""), (kind, line, width, rows)


def test_a_header_takes_at_most_a_few_rows():
    cc = "Cc: " + ", ".join(f"User {n} <user{n}@example.org>" for n in range(20000))
    rows = wrap_line("header", cc, 80)
    assert len(rows) == HEADER_ROWS
    assert rows[0].startswith("Cc: User 0 <user0@example.org>, User 1")
    assert rows[-1].endswith(" …") and all(cells(row) <= 80 for row in rows)
    # prose is never cut: a long paragraph keeps every word
    text = " ".join(f"word{n}" for n in range(2000))
    assert " ".join(" ".join(wrap_line("text", text, 80)).split()) == text

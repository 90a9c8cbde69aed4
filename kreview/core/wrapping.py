"""Prose lines of the message pane wrapped at word boundaries.

Only prose is wrapped (text, quotes, attributions, headers, notes,
signatures): a wrapped line of a diff would read as a line of code of its
own, so diff lines stay whole and are cut at the pane's edge instead.
Pure: the pane passes the width and gets the rows back.
"""
from __future__ import annotations

import re
import unicodedata

from kreview.core.grammar import QUOTE_PREFIX

PROSE_KINDS = frozenset({"text", "quote", "attribution", "header", "note", "signature"})
_HEADER_NAME = re.compile(r"[A-Za-z-]+: ")
_WORD = re.compile(r"\S+\s*")


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: two for wide (East Asian) characters,
    none for combining marks."""
    if text.isascii():
        return len(text)
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def continuation_prefix(kind: str, text: str, width: int) -> str:
    """What each continuation row starts with: a quote keeps its quote
    marks (a row without them would read as the reply's own words), a
    header is indented under its value, other prose keeps its indentation."""
    if kind == "quote":
        match = QUOTE_PREFIX.match(text)
        prefix = match.group(0) if match else ""
        if prefix and not prefix.endswith(" "):
            prefix += " "
    elif kind == "header":
        match = _HEADER_NAME.match(text)
        prefix = " " * (len(match.group(0)) if match else 2)
    else:
        prefix = text[:len(text) - len(text.lstrip(" "))]
    # A prefix that leaves little room would make a column of one word.
    return prefix if cells(prefix) <= width // 2 else prefix[:max(0, width // 4)]


# A header takes at most this many rows: a Cc of thousands wrapped whole
# would push the message itself thousands of rows down. The rest is cut with
# an ellipsis (the raw source, H, shows every address).
HEADER_ROWS = 4


def wrap_line(kind: str, text: str, width: int) -> list[str] | None:
    """The rows ``text`` takes in ``width`` cells, broken between words
    (a word longer than a row is broken inside: it cannot fit otherwise);
    None when it fits or is not prose. A header stops at HEADER_ROWS rows."""
    if width < 8 or kind not in PROSE_KINDS or cells(text) <= width:
        return None
    rows = _wrap_rows(kind, text, width, HEADER_ROWS + 1 if kind == "header" else None)
    if kind == "header" and len(rows) > HEADER_ROWS:
        rows = rows[:HEADER_ROWS]
        last, _ = _take(rows[-1], width - 2)
        rows[-1] = last.rstrip() + " …"
    return rows


def _wrap_rows(kind: str, text: str, width: int, limit: int | None = None) -> list[str]:
    """The rows, stopping once there are ``limit`` of them."""
    lead = continuation_prefix(kind, text, width)
    rows: list[str] = []
    indent = len(text) - len(text.lstrip(" "))
    row, used = text[:indent], cells(text[:indent])
    for match in _WORD.finditer(text, indent):
        if limit is not None and len(rows) >= limit:
            return rows
        word = match.group(0)
        bare = word.rstrip()
        size = cells(bare)
        # A word that fits no row is broken where it is (as textwrap does),
        # not after a row left nearly empty.
        if used + size > width and row.strip() and row != lead and size <= width - cells(lead):
            rows.append(row.rstrip())
            row, used = lead, cells(lead)
        while used + size > width:  # a word wider than a whole row
            head, taken = _take(bare, width - used)
            if not head:  # not one more character fits on this row
                if row.strip() and row != lead:
                    rows.append(row.rstrip())
                    row, used = lead, cells(lead)
                else:  # only indentation: drop it (width >= 8 leaves room for a character)
                    row, used = "", 0
                continue
            rows.append(row + head)
            bare, size = bare[len(head):], size - taken
            word = bare + word[len(word.rstrip()):]
            row, used = lead, cells(lead)
        row += word
        used += cells(word)
    if row.strip() and row != lead:
        rows.append(row.rstrip())
    return rows


def _take(word: str, room: int) -> tuple[str, int]:
    """The longest start of ``word`` that fits ``room`` cells (maybe none)."""
    taken = 0
    for i, char in enumerate(word):
        size = cells(char)
        if taken + size > room:
            return word[:i], taken
        taken += size
    return word, taken

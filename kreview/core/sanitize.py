"""Make untrusted mail text safe to put on a terminal.

A mail can carry raw escape sequences (ESC [ ... m, OSC titles, C1 CSI)
that would recolour, retitle or even rewrite the user's terminal if they
reached it. Everything parse.py returns goes through ``clean`` first, so the
TUI and the CLI can print it as-is.

Decisions:
- ``\\n`` is the only line break kept. ``\\r\\n`` becomes ``\\n``; a lone
  ``\\r`` would return the cursor to column 0 and overwrite what is shown, so
  it becomes a visible ␍.
- ``\\t`` is kept, not expanded: kernel code is tab-indented and where its
  tab stops fall depends on the column the renderer draws the line at (a diff
  line sits after a +/- and a gutter), which only the renderer knows.
- Other C0 controls, DEL and ESC become their U+2400 "control pictures"
  (ESC -> ␛), so ``\\x1b[31m`` shows as ``␛[31m``: visible, harmless, and the
  reader can see that someone tried.
- C1 controls (U+0080..U+009F; U+009B is a one-byte CSI on some terminals)
  have no control picture; they become ``\\x9b``-style text.
- U+2028/U+2029 are line breaks to Python's ``str.splitlines`` and to some
  renderers but not to us; they become ␤ so a line never splits in two
  places differently.
"""
from __future__ import annotations

__all__ = ["clean", "clean_line", "is_clean"]


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if code in (0x09, 0x0A):  # tab and newline survive
            continue
        table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        table[code] = f"\\x{code:02x}"
    table[0x2028] = "\u2424"  # ␤
    table[0x2029] = "\u2424"
    return table


_TABLE = _build_table()
# Header fields are single lines: folded or encoded newlines and tabs become spaces.
_LINE_TABLE = {**_TABLE, 0x0A: " ", 0x09: " "}


def clean(text: str) -> str:
    """Return ``text`` with CRLF normalised and every control but \\n and \\t made visible."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_TABLE)


def clean_line(text: str) -> str:
    """Like ``clean`` for a one-line field (a header): line breaks and tabs become spaces."""
    if "\r\n" in text:
        text = text.replace("\r\n", " ")
    return text.translate(_LINE_TABLE)


def is_clean(text: str) -> bool:
    """True when ``text`` holds nothing ``clean`` would change apart from \\r\\n pairs."""
    return not any(ord(ch) in _TABLE for ch in text)

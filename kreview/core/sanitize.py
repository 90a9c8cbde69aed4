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
- Invisible format characters (Unicode category Cf) become ``\u202e``-style
  text, as C1 controls do. The bidi controls among them (U+202A..U+202E,
  U+2066..U+2069, U+200E/U+200F, U+061C) make a terminal that implements
  bidi (VTE, Konsole, mlterm) draw text in another order than it is stored:
  "Trojan Source" (CVE-2021-42574) hides code that way, and a subject or
  trailer can be made to read as something else. The others draw nothing
  and take no cell (U+200B zero width space, U+2060 word joiner, U+FEFF,
  the invisible operators, the tag characters U+E0000.. that can carry a
  whole hidden ASCII text): two strings that look the same would differ, a
  "Reviewed-by" with a hidden character in it would look counted and not
  be, and our width arithmetic and the terminal's could disagree. An escape
  is visible in every terminal and says which character it was; a marker
  (one glyph) would not say which.
  Kept as they are: U+200C/U+200D (ZWNJ, ZWJ), which Persian and Indic
  scripts and emoji sequences need and which only join or part the glyphs
  beside them; and U+00AD (soft hyphen), which terminals draw as a hyphen
  in one cell, as Rich counts it. The rare prepended number signs of
  Arabic (U+0600..) are Cf too and are shown as escapes: one simple rule
  over a list nobody would keep right.
"""
from __future__ import annotations

import re

__all__ = ["clean", "clean_line", "is_clean", "NEEDS_CLEANING", "FORMAT_CONTROLS"]

# Every code point of category Cf (Unicode 15), as (first, last): see the
# module's comment for why they are shown. A test checks this list against
# the running Python's unicodedata.
_FORMAT_RANGES = (
    (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F),
    (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)
# Cf characters that stay: they join or part neighbouring glyphs (scripts, emoji).
_KEPT_FORMAT = {0x200C, 0x200D}
FORMAT_CONTROLS = frozenset(
    code for first, last in _FORMAT_RANGES for code in range(first, last + 1) if code not in _KEPT_FORMAT
)


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
    for code in FORMAT_CONTROLS:
        table[code] = f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return table


_TABLE = _build_table()


def _character_class(codes) -> str:
    """``[...]`` matching ``codes``, consecutive ones as ranges."""
    parts, run = [], []
    for code in sorted(codes):
        if run and code != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(code)
    parts.append(run)
    return "[" + "".join(re.escape(chr(r[0])) + (f"-{re.escape(chr(r[-1]))}" if len(r) > 1 else "")
                         for r in parts) + "]"


# Matches any character ``clean`` changes (for callers that clean only when needed).
NEEDS_CLEANING = re.compile(_character_class(set(_TABLE) - {0x09, 0x0A}))
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

"""What the CLI writes to a terminal: mail text made safe, the same rule as
the reader's (kreview.core.sanitize), so no escape sequence, C1 control or
bidi control from a mail reaches the user's terminal through ``kreview show``,
``trailers``, ``reply`` or an error message."""
from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

from kreview.core.sanitize import NEEDS_CLEANING, clean

__all__ = ["write_text", "json_text", "error_text", "draft_for_terminal"]


def write_text(text: str, out: TextIO | None = None) -> None:
    """Write ``text`` with every control but newline and tab made visible."""
    (out or sys.stdout).write(clean(text))


def error_text(message: object) -> str:
    """An error message for stderr: it may quote a query, a path or a header."""
    return clean(str(message))


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells astral characters as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(data: Any, **options) -> str:
    """JSON with non-ASCII text kept readable but every character ``clean``
    would change written as a ``\\u`` escape: the values are exact for a
    program (a Message-ID holding a C1 control reads back as itself) and
    nothing reaches a terminal raw. Such characters can only stand inside
    JSON strings, where the escape means the same character."""
    return NEEDS_CLEANING.sub(_json_escape, json.dumps(data, ensure_ascii=False, **options))


def draft_for_terminal(draft: bytes, out=None) -> None:
    """A reply draft: the exact bytes when piped (it is a mail to send), made
    visible when stdout is a terminal (headers quote the parent's)."""
    out = out or sys.stdout
    if out.isatty():
        out.write(clean(draft.decode("utf-8", errors="replace")))
    else:
        out.buffer.write(draft)
    out.flush()

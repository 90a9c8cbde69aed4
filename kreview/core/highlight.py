"""Syntax colouring for diff lines, as pygments token names (no styles here).

The TUI highlights a 20,000-line patch lazily, one screen at a time, so the
unit of work is one line: ``highlight_line`` lexes a single line and caches
the result. Returning token type names ("Token.Keyword") rather than styles
keeps this module free of rich/textual; the theme maps names to colours.

Trade-off: lexing line by line loses lexer state, so the inside of a
multi-line C comment would be lexed as code. Kernel style writes every
continuation line of a block comment as " * text" or " */", so for C-like
lexers such lines are recognised and returned as one Comment.Multiline token.
Other multi-line constructs (Python docstrings, a string literal continued
with a backslash) are coloured as if each line stood alone. Lexing whole hunks
would be exact but would cost work for lines never shown, and a hunk mixes
the old and new file, whose states differ anyway.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Error
from pygments.util import ClassNotFound

__all__ = ["lexer_name_for", "highlight_line"]

_BY_SUFFIX = {
    ".c": "c",
    ".h": "c",
    ".rs": "rust",
    ".py": "python",
    ".sh": "bash",
    ".bash": "bash",
    ".pl": "perl",
    ".mk": "make",
    ".dts": "devicetree",
    ".dtsi": "devicetree",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".rst": "rst",
    ".S": "gas",
    ".awk": "awk",
    ".json": "json",
}
_C_LIKE = frozenset({"c", "rust", "devicetree", "gas"})
# A kernel block comment's continuation line: " * text", " *", " */".
_COMMENT_CONTINUATION = re.compile(r"^\s*\*(?:[ \t].*|/.*|)$")


def lexer_name_for(path: str) -> str:
    """The pygments lexer alias for a file in a kernel tree; "text" when unknown."""
    base = os.path.basename(path)
    stem, suffix = os.path.splitext(base)
    if base in ("Makefile", "Kbuild") or base.startswith(("Makefile.", "Kbuild.")):
        return "make"
    if base == "Kconfig" or base.startswith("Kconfig."):
        return "kconfig"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix.lower() in _BY_SUFFIX and suffix != ".S":
        return _BY_SUFFIX[suffix.lower()]
    # scripts/ and tools/testing/ hold many extension-less shell scripts.
    if not suffix and ("scripts/" in path or path.startswith("tools/testing/")):
        return "bash"
    return "text"


@lru_cache(maxsize=32)
def _lexer(name: str) -> Lexer:
    try:
        return get_lexer_by_name(name, stripnl=False, stripall=False, ensurenl=False)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False, ensurenl=False)


@lru_cache(maxsize=8192)  # highlighted lines: a few screens of many patches
def highlight_line(lexer_name: str, code: str) -> tuple[tuple[str, str], ...]:
    """(token type name, text) pairs covering ``code`` exactly, adjacent equal types merged."""
    if not code:
        return ()
    if lexer_name == "text":
        return (("Token.Text", code),)
    if lexer_name in _C_LIKE and _COMMENT_CONTINUATION.match(code):
        return (("Token.Comment.Multiline", code),)
    out: list[tuple[str, str]] = []
    try:
        tokens = list(_lexer(lexer_name).get_tokens(code))
    except Exception:  # a lexer bug must not take the pane down
        return (("Token.Text", code),)
    for ttype, value in tokens:
        if not value:
            continue
        # Per-line lexing leaves lexers mid-construct; their "Error" is not the author's.
        name = "Token.Text" if ttype in Error else str(ttype)
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + value)
        else:
            out.append((name, value))
    # Lexers may normalise text (tabs, trailing newline); never show other text than given.
    if "".join(v for _, v in out) != code:
        return (("Token.Text", code),)
    return tuple(out)

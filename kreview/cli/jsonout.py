"""JSON for a terminal: the same data, with nothing a terminal acts on.

``json`` with ``ensure_ascii=False`` escapes C0 controls (ESC becomes
``\\u001b``) but writes DEL, C1 controls (U+009B is a one-byte CSI) and the
invisible bidi/format controls (U+202E turns the rest of a line around) as
they are. A Message-ID or tag straight from notmuch can hold any of them.
Escaping them as ``\\uXXXX`` changes no value a JSON reader gets; it only
keeps ``kreview show --json`` in a terminal from being an attack.
"""
from __future__ import annotations

import json
import re
from typing import Any, TextIO

__all__ = ["dump_json"]

# Outside strings JSON is ASCII punctuation, digits and literals, so every
# match is inside a string, where \uXXXX means the same character.
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dump_json(value: Any, out: TextIO, **options: Any) -> None:
    """``json.dump(value, out, ensure_ascii=False, **options)``, terminal-safe."""
    out.write(_UNSAFE.sub(_escape, json.dumps(value, ensure_ascii=False, **options)))

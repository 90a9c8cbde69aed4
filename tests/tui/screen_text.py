"""What the reader puts on the terminal, read back for tests: the text of
every line of the current screen (with the screens under a modal), and the
check that nothing in it is markup made live or a control sent raw."""
from __future__ import annotations

import io
import re

from rich.console import Console

import unicodedata

# What Textual itself writes between characters: cursor moves and colours.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[mH]")


def raw_controls(text: str) -> list[str]:
    """Characters of ``text`` no terminal may receive from mail, by our own
    reckoning here (not sanitize's table, which is what is under test):
    C0 but newline, DEL, C1, line/paragraph separators, and the invisible
    format characters (Cf) but the two joiners and the soft hyphen."""
    found = set()
    for char in text:
        code = ord(char)
        if (code < 0x20 and char != "\n") or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029) or (
                unicodedata.category(char) == "Cf" and code not in (0x200C, 0x200D, 0xAD)):
            found.add(f"U+{code:04X}")
    return sorted(found)


def _update(app):
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def screen_lines(app) -> list[str]:
    """Each line of the terminal as a reader sees it."""
    return ["".join(segment.text for strip in line for segment in strip) for line in _update(app).strips]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def terminal_output(app) -> str:
    """The bytes (as text) Textual would write for a full repaint."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    return _update(app).render_segments(console)


def problems_on_screen(app) -> list[str]:
    """Everything wrong with what is on the terminal now: raw controls or
    invisible format characters, hyperlinks, click actions from text."""
    found = []
    output = terminal_output(app)
    if "\x1b]" in output:
        found.append("an OSC sequence (title, hyperlink) reaches the terminal")
    raw = raw_controls(_OWN_SEQUENCES.sub("", output))
    if raw:
        found.append(f"raw control or format characters reach the terminal: {raw}")
    for line in _update(app).strips:
        for strip in line:
            for segment in strip:
                style = segment.style
                if style is None:
                    continue
                if style.link:
                    found.append(f"a hyperlink to {style.link!r} on {segment.text!r}")
                action = (style.meta or {}).get("@click")
                if action and "quit" in str(action):
                    found.append(f"a click action {action!r} on {segment.text!r}")
    return found

"""Text from mail (or from anything a user or a stranger wrote: config values,
queries, error messages quoting them) on its way to a widget.

Two facts make a plain ``str`` dangerous in Textual: a ``str`` given to
``Static``/``Label``/``notify``/the command palette is parsed as markup (so
``[PATCH] x [/dev/null]`` raises MarkupError, ``[PATCH v2]`` vanishes,
``[link=…]`` and ``[@click=app.quit]`` make links and actions), and nothing
between the widget and the terminal removes control characters. So every
such text goes through :func:`plain` or :func:`plain_line`, which make it
safe to draw (kreview.core.sanitize) and wrap it in a ``Content``, which
Textual never parses. Textual's escaping of markup is not used: it does not
round-trip a backslash before a bracket.
"""
from __future__ import annotations

from textual.content import Content

from kreview.core.sanitize import clean, clean_line

__all__ = ["plain", "plain_line", "safe_str"]


def plain(text: str, style: str = "") -> Content:
    """``text`` shown as itself (line breaks kept), controls made visible."""
    return Content(clean(text)).stylize(style) if style else Content(clean(text))


def plain_line(text: str, style: str = "") -> Content:
    """A one-line field (subject, address, tag...): line breaks become spaces."""
    return Content(clean_line(text)).stylize(style) if style else Content(clean_line(text))


def safe_str(text: str) -> str:
    """``text`` safe to draw, for the few places that take a ``str`` drawn
    without markup (notifications, the app forces that: KreviewApp.notify)."""
    return clean(text)

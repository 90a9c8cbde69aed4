"""Themes are data: TOML files turned into Textual themes plus a pygments style.

A theme file has three tables: [theme] (the textual.theme.Theme colours),
[pygments] (the style for code inside diffs) and [colors] (kreview's own CSS
variables, exposed as $kr-<name>). Shipped themes live in themes/, users add
theirs to ~/.config/kreview/themes/. The schema is in docs/configuration.md.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from kreview import paths
from kreview.config import did_you_mean, find_key_line

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "kreview-dark"
VARIABLE_PREFIX = "kr-"

# The [colors] keys; each becomes the CSS variable $kr-<key>.
COLOR_KEYS: tuple[str, ...] = (
    "diff-added", "diff-added-bg", "diff-removed", "diff-removed-bg", "diff-hunk", "diff-file",
    "quote-1", "quote-2", "quote-3", "quote-4", "signature", "attribution",
    "trailer-reviewed", "trailer-acked", "trailer-tested", "trailer-suspect",
    "tag", "tag-unread", "tag-flagged", "unreviewed", "comment", "comment-bg",
)

_THEME_COLOR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface",
                     "panel", "success", "warning", "error")

# Used while a non-kreview theme (one of Textual's, picked from the command
# palette) is active, and for [colors] a user theme leaves out, so CSS using
# $kr-* always parses. Those themes may be dark or light: foregrounds are
# mid-tones readable on both, backgrounds are translucent and tint whatever
# is under them.
THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    f"{VARIABLE_PREFIX}{key}": value for key, value in {
        "diff-added": "#2b8a3e",
        "diff-added-bg": "#2f9e44 20%",
        "diff-removed": "#e03131",
        "diff-removed-bg": "#e03131 20%",
        "diff-hunk": "#1c7ed6",
        "diff-file": "#b8580c",
        "quote-1": "#4c6ef5",
        "quote-2": "#ae3ec9",
        "quote-3": "#0c8599",
        "quote-4": "#99732a",
        "signature": "#737b83",
        "attribution": "#6f7780",
        "trailer-reviewed": "#2b8a3e",
        "trailer-acked": "#1c7ed6",
        "trailer-tested": "#ae3ec9",
        "trailer-suspect": "#e03131",
        "tag": "#737b83",
        "tag-unread": "#b8580c",
        "tag-flagged": "#e03131",
        "unreviewed": "#d9480f",
        "comment": "#b8580c",
        "comment-bg": "#b8580c 15%",
    }.items()
}

# Textual's built-in themes that have a pygments namesake, so code in diffs
# matches the rest of the screen; the others get monokai or friendly.
_BUILTIN_PYGMENTS = {
    "monokai": "monokai", "dracula": "dracula", "nord": "nord", "gruvbox": "gruvbox-dark",
    "solarized-dark": "solarized-dark", "solarized-light": "solarized-light",
    "atom-one-dark": "one-dark",
}

# Theme name -> pygments style of every kreview theme register_all has seen.
# Module state because pygments_style_for is called by name from widgets that
# should not need the theme objects; only the UI thread writes it.
_pygments_by_theme: dict[str, str] = {}


class ThemeError(Exception):
    """A theme file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class KreviewTheme:
    """A loaded theme file: the Textual theme (with $kr-* variables) and its pygments style."""

    theme: Theme
    pygments_style: str
    source: Path | None = None

    @property
    def name(self) -> str:
        return self.theme.name


def load_theme_file(path: Path, check_style: bool = True) -> KreviewTheme:
    """Read and validate one theme file; raises ThemeError ("file:line: what is wrong").

    ``check_style=False`` trusts its pygments style name: the shipped themes,
    whose styles a test checks. Checking imports pygments and the style's
    module (~10 ms of start-up, before the first screen, for code that only
    diffs show)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"{path}: invalid TOML: {error}") from None

    def fail(key: tuple[str, ...], message: str) -> ThemeError:
        line = find_key_line(text, key)
        return ThemeError(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise fail((name,), f"{name} must be a table ([{name}])")
        return value

    for name in data:
        if name not in ("theme", "pygments", "colors"):
            raise fail((name,), f"unknown table [{name}]; expected [theme], [pygments], [colors]")

    theme_table = table("theme")
    if "theme" not in data:
        raise ThemeError(f"{path}: missing the [theme] table")
    theme_name = theme_table.get("name")
    if not isinstance(theme_name, str) or not theme_name.strip():
        raise fail(("theme", "name"), "theme.name must be a non-empty string")
    dark = theme_table.get("dark", True)
    if not isinstance(dark, bool):
        raise fail(("theme", "dark"), "theme.dark must be true or false")
    theme_colors: dict[str, str] = {}
    for key, value in theme_table.items():
        if key in ("name", "dark"):
            continue
        if key not in _THEME_COLOR_KEYS:
            raise fail(("theme", key), f"unknown key theme.{key}"
                       f"{did_you_mean(key, ('name', 'dark', *_THEME_COLOR_KEYS))}")
        theme_colors[key] = _colour(value, ("theme", key), fail)
    if "primary" not in theme_colors:
        raise fail(("theme",), "theme.primary is required")

    pygments_table = table("pygments")
    for key in pygments_table:
        if key != "style":
            raise fail(("pygments", key), f"unknown key pygments.{key}; expected style")
    style = pygments_table.get("style", "monokai" if dark else "friendly")
    if not isinstance(style, str) or (check_style and not _is_pygments_style(style)):
        raise fail(("pygments", "style"),
                   f"pygments.style {style!r} is not a pygments style "
                   f"(see `pygmentize -L styles`)")

    variables = dict(THEME_VARIABLE_DEFAULTS)
    for key, value in table("colors").items():
        if key not in COLOR_KEYS:
            raise fail(("colors", key), f"unknown key colors.{key}{did_you_mean(key, COLOR_KEYS)}")
        variables[VARIABLE_PREFIX + key] = _colour(value, ("colors", key), fail)

    theme = Theme(name=theme_name, dark=dark, variables=variables, **theme_colors)
    return KreviewTheme(theme=theme, pygments_style=style, source=path)


def _is_pygments_style(name: str) -> bool:
    from pygments.styles import get_style_by_name
    from pygments.util import ClassNotFound

    try:
        get_style_by_name(name)
    except ClassNotFound:
        return False
    return True


def _colour(value: Any, key: tuple[str, ...], fail) -> str:
    try:
        if not isinstance(value, str):
            raise ColorParseError("not a string")
        Color.parse(value)
    except ColorParseError:
        raise fail(key, f"{'.'.join(key)} = {value!r} is not a colour "
                        "(use \"#rrggbb\", \"rgb(r,g,b)\" or a colour name)") from None
    return value




def load_themes(dirs: Iterable[Path]) -> tuple[list[KreviewTheme], list[str]]:
    """Load every *.toml in each directory, in order; a later theme of the same name wins.

    A broken file is skipped and described in the returned errors; a missing
    directory is not an error (most users have no themes directory).
    """
    by_name: dict[str, KreviewTheme] = {}
    errors: list[str] = []
    shipped = paths.shipped_themes_dir()
    for directory in dirs:
        seen_here: dict[str, Path] = {}
        for path in sorted(Path(directory).glob("*.toml")):
            try:
                loaded = load_theme_file(path, check_style=Path(directory) != shipped)
            except ThemeError as error:
                errors.append(f"theme skipped: {error}")
                continue
            if loaded.name in seen_here:
                errors.append(f"theme skipped: {path}: theme name {loaded.name!r} is "
                              f"already used by {seen_here[loaded.name]}")
                continue
            seen_here[loaded.name] = path
            by_name[loaded.name] = loaded
    return list(by_name.values()), errors


def register_all(app: App, config_theme_name: str) -> list[str]:
    """Register shipped and user themes on ``app`` and switch to the configured one.

    Returns warnings for the user (broken theme files, an unknown theme name);
    an unknown or broken configured theme falls back to kreview-dark.
    """
    shipped = paths.shipped_themes_dir()
    themes, warnings = load_themes([shipped, paths.user_themes_dir()])
    if not any(t.source and t.source.parent == shipped for t in themes):
        warnings.append(f"no shipped themes found in {shipped}")
    for loaded in themes:
        app.register_theme(loaded.theme)
        _pygments_by_theme[loaded.name] = loaded.pygments_style
    wanted = config_theme_name
    if wanted not in app.available_themes:
        fallback = DEFAULT_THEME if DEFAULT_THEME in app.available_themes else "textual-dark"
        warnings.append(f"theme {wanted!r} not found, using {fallback!r}; available: "
                        + ", ".join(sorted(app.available_themes)))
        wanted = fallback
    _choose_theme(app, wanted)
    return warnings


def _choose_theme(app: App, name: str) -> None:
    """Make ``name`` the app's theme, before it runs if it is not running.

    Assigning ``App.theme`` makes Textual queue a refresh of all CSS, meant
    for a running app: before the first parse it would parse every
    stylesheet a second time (~25 ms of start-up). A theme as dark (or as
    light) as the current one is set without it (textual_compat)."""
    theme = app.get_theme(name)
    if app.is_running or theme is None or theme.dark != app.current_theme.dark:
        app.theme = name
        return
    from kreview.tui.textual_compat import theme_before_running

    theme_before_running(app, name)


def pygments_style_for(theme_name: str) -> str:
    """The pygments style for code in diffs under ``theme_name``."""
    if theme_name in _pygments_by_theme:
        return _pygments_by_theme[theme_name]
    if theme_name in _BUILTIN_PYGMENTS:
        return _BUILTIN_PYGMENTS[theme_name]
    builtin = BUILTIN_THEMES.get(theme_name)
    return "friendly" if builtin is not None and not builtin.dark else "monokai"


def token_styles(theme_name: str) -> Mapping[str, str]:
    """Pygments token type ("Token.Keyword") -> rich style string ("bold #f92672").

    Every token type the style defines is listed, with inherited attributes
    resolved; for a token type not listed, walk ``token.parent`` up. The
    mapping is cached per pygments style and read-only.
    """
    return _token_styles_for_style(pygments_style_for(theme_name))


@lru_cache(maxsize=16)
def _token_styles_for_style(style_name: str) -> Mapping[str, str]:
    from pygments.styles import get_style_by_name

    style = get_style_by_name(style_name)
    result: dict[str, str] = {}
    for token, _ in style:
        attributes = style.style_for_token(token)
        words = [word for word in ("bold", "italic", "underline") if attributes[word]]
        colour = _rich_colour(attributes["color"], attributes["ansicolor"])
        # Background colours are dropped on purpose: the diff pane paints the
        # added/removed line background, and token backgrounds would punch holes.
        if colour:
            words.append(colour)
        result[str(token)] = " ".join(words)
    return MappingProxyType(result)


def _rich_colour(hex_colour: str | None, ansi: str | None) -> str:
    if ansi:
        # Keep ANSI names so the terminal's palette applies: pygments
        # "ansibrightred" -> rich "bright_red"; pygments' gray is ANSI 37,
        # which rich calls white, and its white is ANSI 97.
        name = {"gray": "white", "white": "bright_white"}.get(ansi.removeprefix("ansi"),
                                                              ansi.removeprefix("ansi"))
        return "bright_" + name.removeprefix("bright") if name.startswith("bright") else name
    return f"#{hex_colour}" if hex_colour else ""

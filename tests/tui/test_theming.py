"""Theme files: loading, validation, registration in a real App, accessibility."""
from __future__ import annotations

import colorsys
import tomllib

import pytest
from pygments.styles import get_all_styles, get_style_by_name
from pygments.token import Keyword, Name
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.theme import BUILTIN_THEMES
from textual.widgets import Static

from kreview import paths
from kreview.tui import theming
from kreview.tui.theming import (
    COLOR_KEYS,
    DEFAULT_THEME,
    THEME_VARIABLE_DEFAULTS,
    ThemeError,
    load_theme_file,
    load_themes,
    pygments_style_for,
    register_all,
    token_styles,
)

SHIPPED = sorted(paths.shipped_themes_dir().glob("*.toml"))
SHIPPED_NAMES = [tomllib.loads(p.read_text())["theme"]["name"] for p in SHIPPED]


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """User themes come from a temporary config dir, never the developer's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(theming, "_pygments_by_theme", {})
    return tmp_path / "config" / "kreview" / "themes"


def relative_luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c / 255) for c in Color.parse(colour).rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hue_degrees(colour: str) -> float:
    r, g, b = Color.parse(colour).rgb
    return colorsys.rgb_to_hls(r / 255, g / 255, b / 255)[0] * 360


def colors_table(name: str) -> dict[str, str]:
    return tomllib.loads((paths.shipped_themes_dir() / f"{name}.toml").read_text())["colors"]


class ThemedApp(App[None]):
    CSS = """
    #added { color: $kr-diff-added; background: $kr-diff-added-bg; }
    #quote { color: $kr-quote-4; }
    """

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return THEME_VARIABLE_DEFAULTS

    def compose(self) -> ComposeResult:
        yield Static("+added line", id="added")
        yield Static("> > > > quoted", id="quote")


def test_the_three_required_themes_ship():
    assert {"kreview-dark", "kreview-light", "kreview-high-contrast"} <= set(SHIPPED_NAMES)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_theme_loads_with_every_colour(path):
    loaded = load_theme_file(path)
    assert loaded.name == path.stem  # file name and theme name agree, for users copying one
    # every colour spelled out in the file, not silently taken from the defaults
    assert set(tomllib.loads(path.read_text())["colors"]) == set(COLOR_KEYS)
    assert set(loaded.theme.variables) == {f"kr-{key}" for key in COLOR_KEYS}
    assert loaded.pygments_style in set(get_all_styles())


def test_shipped_theme_foregrounds_readable():
    for name in SHIPPED_NAMES:
        loaded = load_theme_file(paths.shipped_themes_dir() / f"{name}.toml")
        background = loaded.theme.background
        colors = colors_table(name)
        for key, value in colors.items():
            if key.endswith("-bg"):
                continue
            under = colors.get(f"{key}-bg", background)
            assert contrast(value, under) >= 4.0, f"{name}: {key} {value} on {under}"


async def test_register_and_switch_themes_in_real_app():
    app = ThemedApp()
    async with app.run_test() as pilot:
        assert register_all(app, "kreview-light") == []
        assert app.theme == "kreview-light"
        added = app.query_one("#added", Static)
        for name in SHIPPED_NAMES:
            app.theme = name
            await pilot.pause()
            assert app.theme == name
            assert added.styles.color == Color.parse(colors_table(name)["diff-added"])
            assert added.styles.background == Color.parse(colors_table(name)["diff-added-bg"])
            # and it really paints: the first rendered line carries the colour
            strip = added.render_lines(Region(0, 0, added.size.width, 1))[0]
            text_segments = [seg for seg in strip if seg.text.strip()]
            assert "".join(seg.text for seg in text_segments).strip() == "+added line"
            painted = text_segments[0].style.color.get_truecolor()
            assert Color(*painted) == added.styles.color
        # a Textual built-in theme: the $kr-* defaults keep the CSS valid
        app.theme = "textual-light"
        await pilot.pause()
        assert added.styles.color == Color.parse(THEME_VARIABLE_DEFAULTS["kr-diff-added"])


async def test_broken_user_theme_warns_and_default_stays(isolated_config):
    isolated_config.mkdir(parents=True)
    broken = isolated_config / "mine.toml"
    broken.write_text('[theme]\nname = "mine"\nprimary = "#123456"\n\n[colors]\n'
                      'diff-added = "not-a-colour"\n')
    app = ThemedApp()
    async with app.run_test() as pilot:
        warnings = register_all(app, "mine")
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert any(str(broken) + ":6:" in w and "colors.diff-added" in w
                   and "is not a colour" in w for w in warnings), warnings
        assert any("theme 'mine' not found, using 'kreview-dark'" in w for w in warnings)


async def test_user_theme_registers_and_overrides_shipped(isolated_config):
    isolated_config.mkdir(parents=True)
    (isolated_config / "mine.toml").write_text(
        '[theme]\nname = "mine"\ndark = false\nprimary = "#005f87"\n\n'
        '[pygments]\nstyle = "solarized-light"\n\n[colors]\nquote-4 = "#654321"\n')
    (isolated_config / "dark.toml").write_text(
        '[theme]\nname = "kreview-dark"\nprimary = "#ff00ff"\n')
    app = ThemedApp()
    async with app.run_test() as pilot:
        assert register_all(app, "mine") == []
        await pilot.pause()
        assert app.theme == "mine" and not app.current_theme.dark
        assert app.query_one("#quote", Static).styles.color == Color.parse("#654321")
        # colours the user left out come from the defaults
        assert app.current_theme.variables["kr-diff-added"] == THEME_VARIABLE_DEFAULTS["kr-diff-added"]
        assert app.get_theme("kreview-dark").primary == "#ff00ff"
    assert pygments_style_for("mine") == "solarized-light"


def test_register_before_run_sets_theme():
    app = ThemedApp()
    assert register_all(app, "kreview-high-contrast") == []
    assert app.theme == "kreview-high-contrast"


@pytest.mark.parametrize("name", SHIPPED_NAMES)
async def test_theme_chosen_before_the_run_is_in_force_from_the_first_frame(name, monkeypatch):
    """Chosen before the app runs, a theme takes effect without Textual's
    second parse of every stylesheet (start-up time), dark or light: its
    colours, its classes and Textual's own dark/light colours."""
    from textual.css.stylesheet import Stylesheet

    reparsed = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: reparsed.append(1) or original(self))
    app = ThemedApp()
    assert register_all(app, name) == []
    async with app.run_test() as pilot:
        await pilot.pause()
        added = app.query_one("#added", Static)
        assert added.styles.color == Color.parse(colors_table(name)["diff-added"])
        assert added.styles.background == Color.parse(colors_table(name)["diff-added-bg"])
        theme = app.get_theme(name)
        assert app.screen.styles.background == Color.parse(theme.background)
        assert app.has_class(f"-theme-{name}")
        assert app.has_class("-dark-mode") == theme.dark and app.has_class("-light-mode") != theme.dark
        # a light theme goes the usual way: the ANSI colour filter follows dark/light
        assert (reparsed == []) == theme.dark


@pytest.mark.parametrize("body, expected", [
    ('[theme]\nname = "x"\nprimary = "#000"\n[colors]\ndiff-aded = "#fff"\n',
     ":5: unknown key colors.diff-aded (did you mean \"diff-added\"?)"),
    ('[theme]\nname = "x"\nprimary = "#000"\n[pygments]\nstyle = "nope"\n',
     ":5: pygments.style 'nope' is not a pygments style"),
    ('[theme]\nprimary = "#000"\n', ":1: theme.name must be a non-empty string"),
    ('[theme]\nname = "x"\n', ":1: theme.primary is required"),
    ('[theme]\nname = "x"\nprimary = "#000"\ndark = "yes"\n', ":4: theme.dark must be true or false"),
    ('[theme]\nname = "x"\nprimray = "#000"\n', ":3: unknown key theme.primray (did you mean \"primary\"?)"),
    ('[colors]\ntag = "#fff"\n', ": missing the [theme] table"),
    ('[theme\nname = "x"\n', ": invalid TOML: "),
    ('[theme]\nname = "x"\nprimary = "#000"\n[extra]\n', ":4: unknown table [extra]"),
])
def test_theme_file_errors_name_file_and_problem(tmp_path, body, expected):
    path = tmp_path / "t.toml"
    path.write_text(body)
    with pytest.raises(ThemeError) as info:
        load_theme_file(path)
    assert str(info.value).startswith(f"{path}{expected}"), str(info.value)


def test_load_themes_skips_broken_and_duplicate_names(tmp_path):
    (tmp_path / "a.toml").write_text('[theme]\nname = "one"\nprimary = "#111"\n')
    (tmp_path / "b.toml").write_text('[theme]\nname = "one"\nprimary = "#222"\n')
    (tmp_path / "c.toml").write_text("not toml [")
    themes, errors = load_themes([tmp_path, tmp_path / "missing"])
    assert [t.theme.primary for t in themes] == ["#111"]
    assert len(errors) == 2
    assert "already used by" in errors[0] and str(tmp_path / "b.toml") in errors[0]
    assert str(tmp_path / "c.toml") in errors[1]


def test_high_contrast_diff_colours_are_colour_blind_safe():
    colors = colors_table("kreview-high-contrast")
    added, removed = colors["diff-added"], colors["diff-removed"]
    hue_a, hue_r = hue_degrees(added), hue_degrees(removed)
    difference = min(abs(hue_a - hue_r), 360 - abs(hue_a - hue_r))
    assert difference >= 120, (hue_a, hue_r)

    def is_red(h: float) -> bool:
        return h >= 335 or h < 20

    def is_green(h: float) -> bool:
        return 75 <= h <= 165

    assert not (is_red(hue_a) or is_red(hue_r) or is_green(hue_a) or is_green(hue_r))
    # distinguishable without hue too: clearly different brightness
    assert contrast(added, removed) >= 1.5
    assert not (is_red(hue_degrees(colors["diff-removed-bg"]))
                or is_green(hue_degrees(colors["diff-added-bg"])))


def test_high_contrast_quote_levels_step_in_lightness():
    colors = colors_table("kreview-high-contrast")
    levels = [colors[f"quote-{n}"] for n in range(1, 5)]
    for outer, inner in zip(levels, levels[1:]):
        assert contrast(outer, inner) >= 1.15, (outer, inner)
    for level in levels:
        assert contrast(level, "#000000") >= 4.5


def test_variable_defaults_cover_every_colour_and_read_on_dark_and_light():
    assert set(THEME_VARIABLE_DEFAULTS) == {f"kr-{key}" for key in COLOR_KEYS}
    for name in ("textual-dark", "textual-light"):
        theme = BUILTIN_THEMES[name]
        background = theme.to_color_system().generate()["background"]
        for key, value in THEME_VARIABLE_DEFAULTS.items():
            if key.endswith("-bg"):
                assert value.endswith("%"), "backgrounds must be translucent to suit any theme"
            else:
                assert contrast(value, background) >= 3.0, f"{key} {value} on {name} {background}"


def test_pygments_style_for():
    assert pygments_style_for("textual-dark") == "monokai"
    assert pygments_style_for("textual-light") == "friendly"
    assert pygments_style_for("catppuccin-latte") == "friendly"
    assert pygments_style_for("nord") == "nord"
    assert pygments_style_for("no-such-theme") == "monokai"
    register_all(App(), DEFAULT_THEME)
    assert pygments_style_for("kreview-light") == "friendly"
    assert pygments_style_for("kreview-high-contrast") == "github-dark"


def test_token_styles_are_rich_styles_from_pygments():
    styles = token_styles("monokai")
    assert styles is token_styles("textual-dark")  # same pygments style, one cached mapping
    monokai = get_style_by_name("monokai")
    assert styles["Token.Keyword"] == "#" + monokai.style_for_token(Keyword)["color"]
    assert styles["Token.Name.Tag"] == "#" + monokai.style_for_token(Name.Tag)["color"]
    with pytest.raises(TypeError):
        styles["Token.Keyword"] = "red"  # type: ignore[index]
    friendly = token_styles("textual-light")
    assert "bold" in friendly["Token.Keyword"].split()
    assert "italic" in friendly["Token.Comment"].split()


@pytest.mark.parametrize("style", sorted(get_all_styles()))
def test_every_pygments_style_converts(style, monkeypatch):
    monkeypatch.setitem(theming._pygments_by_theme, "probe", style)
    styles = token_styles("probe")
    assert "Token.Comment" in styles
    for value in styles.values():
        Style.parse(value)  # raises on anything rich cannot read


@pytest.mark.parametrize("name", SHIPPED_NAMES)
async def test_the_reader_makes_its_theme_colours_once_and_shows_them(name, monkeypatch, store):
    """KreviewApp skips the colours of Textual's default theme, which
    App.__init__ made for its stylesheet before kreview's theme was chosen
    (start-up time); the chosen theme's are in force from the first frame."""
    from textual.theme import Theme

    from kreview.tui.app import build_app

    made = []
    original = Theme.to_color_system
    monkeypatch.setattr(Theme, "to_color_system", lambda self: made.append(self.name) or original(self))
    app = build_app(store, None, query="*", theme=name)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert made and set(made) == {name}  # (a light theme's are made when the app starts)
        assert app.screen.styles.background == Color.parse(app.get_theme(name).background)
        assert app.stylesheet._variables["kr-diff-added"] == colors_table(name)["diff-added"]

"""What kreview relies on in Textual beyond its documented API
(kreview/tui/textual_compat.py), checked against the installed Textual:
each test fails when a release changes the behaviour relied on."""
from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from kreview.tui.textual_compat import (
    add_css_file,
    bind_on,
    is_exiting,
    lay_out_unseen,
    mount_unseen,
    propagation_stopped,
    set_virtual_size_quietly,
    theme_before_running,
)


class _Bound(Screen):
    pressed: list[str]

    def on_mount(self) -> None:
        self.pressed = []
        bind_on(self, "x", "note('x')", "hidden", show=False)
        bind_on(self, "y", "note('y')", "shown")

    def action_note(self, key: str) -> None:
        self.pressed.append(key)


async def test_bind_on_binds_keys_on_that_screen_only():
    class BindApp(App):
        def on_mount(self) -> None:
            self.push_screen(_Bound())

    app = BindApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("x", "y", "x")
        assert screen.pressed == ["x", "y", "x"]
        active = screen.active_bindings
        assert active["x"].binding.show is False and active["y"].binding.description == "shown"
        app.push_screen(Screen())
        await pilot.pause()
        await pilot.press("x")
        assert screen.pressed == ["x", "y", "x"]  # another screen: not bound there


class _Themed(App):
    CSS = "Static { background: $primary; color: $text-accent; }"

    def compose(self) -> ComposeResult:
        yield Static("x")


async def _looks(app: App) -> tuple:
    async with app.run_test() as pilot:
        await pilot.pause()
        static = app.query_one(Static)
        return (app.theme, sorted(c for c in app.classes if c.startswith("-")),
                static.styles.background, static.styles.color)


async def test_theme_before_running_looks_as_assigning_the_theme_does():
    for name in ("nord", "gruvbox", "dracula"):  # dark, as Textual's default
        assigned = _Themed()
        assigned.theme = name
        quiet = _Themed()
        assert quiet.current_theme.dark and quiet.get_theme(name).dark
        theme_before_running(quiet, name)
        expected = await _looks(assigned)
        assert expected[0] == name and f"-theme-{name}" in expected[1]
        assert await _looks(quiet) == expected


class _Lines(ScrollView):
    DEFAULT_CSS = "_Lines { height: 10; overflow-y: scroll; }"

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width)


async def test_virtual_size_set_quietly_moves_the_thumb_and_the_scroll_bound():
    class LinesApp(App):
        def compose(self) -> ComposeResult:
            yield _Lines()

    app = LinesApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(_Lines)
        view.virtual_size = Size(20, 100)
        await pilot.pause()
        assert view.show_vertical_scrollbar and view.vertical_scrollbar.window_virtual_size == 100
        set_virtual_size_quietly(view, Size(20, 500))
        assert view.virtual_size == Size(20, 500)
        assert view.vertical_scrollbar.window_virtual_size == 500
        assert view.max_scroll_y == 500 - view.scrollable_content_region.height
        view.scroll_to(y=400, animate=False, immediate=True)
        assert view.scroll_offset.y == 400


def test_propagation_stopped_tells_a_stopped_message():
    key = events.Key("a", "a")
    assert propagation_stopped(key) is False
    key.stop()
    assert propagation_stopped(key) is True


class _Ahead(Screen):
    def compose(self) -> ComposeResult:
        yield Static("ahead", id="ahead-text")


async def test_a_screen_mounted_and_laid_out_unseen_is_shown_as_it_is_by_push():
    ahead = _Ahead()

    class _App(App):
        HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
        CSS = "_Ahead.-wide #ahead-text { width: 30; }"

        def compose(self) -> ComposeResult:
            yield Static("base")

    app = _App()
    async with app.run_test(size=(90, 20)) as pilot:
        base = app.screen
        mount_unseen(app, ahead)
        await pilot.pause()
        assert ahead.is_mounted and ahead.query_one("#ahead-text").is_mounted
        lay_out_unseen(ahead, app.size)
        # Laid out with its size class already (Textual sets it in the resize handler, later).
        assert ahead.has_class("-wide") and ahead.query_one("#ahead-text").size.width == 30
        await pilot.pause()
        assert app.screen is base  # nothing shown
        assert ahead.size == app.size
        assert not is_exiting(app)
        await app.push_screen(ahead)
        await pilot.pause()
        assert app.screen is ahead
        app.exit()
        assert is_exiting(app)


async def test_a_css_file_added_to_a_running_app_styles_what_is_mounted_and_what_comes(tmp_path):
    css = tmp_path / "later.tcss"
    css.write_text("#first { width: 7; } #second { width: 9; } .later { height: 3; }")

    class _App(App):
        CSS = "Static { height: 1; }"

        def compose(self) -> ComposeResult:
            yield Static("first", id="first", classes="later")

    app = _App()
    async with app.run_test(size=(40, 20)) as pilot:
        first = app.query_one("#first")
        assert first.styles.width is None or first.styles.width.value != 7
        parsed_before = list(app.stylesheet.rules)
        assert add_css_file(app, css) is True
        await pilot.pause()
        assert first.styles.width.value == 7 and first.styles.height.value == 3  # restyled, as pushing a screen does
        second = Static("second", id="second")
        await app.screen.mount(second)
        await pilot.pause()
        assert second.styles.width.value == 9
        # Only the new file was parsed: the other sources' rules are the ones
        # parsed before (Textual's reparse() would have parsed them all again).
        rules = set(map(id, app.stylesheet.rules))
        assert parsed_before and all(id(rule) in rules for rule in parsed_before)
        assert add_css_file(app, css) is False

"""How the list's first screen is styled: only the list's CSS (kreview.tcss)
is parsed before it, every other screen's (screens.tcss) is added while the
list is read, or by the first push of another screen if that comes first
(KreviewApp.load_screens_css); and the screen has its size class from the
start (KreviewApp.get_default_screen)."""
from __future__ import annotations

from kreview.tui.app import SCREENS_CSS, build_app
from kreview.tui.screens.help import HelpScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for


def _has_screens_css(app) -> bool:
    return app.stylesheet.has_source(str(SCREENS_CSS.resolve()))


async def test_the_list_is_drawn_first_and_the_thread_screen_is_built_with_its_rules(store):
    app = build_app(store, None, query="*")
    at_first_frame = []
    prepare = app._prepare_reading

    def first_frame_drawn():
        at_first_frame.append(_has_screens_css(app))
        prepare()

    app._prepare_reading = first_frame_drawn
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app._thread_screen is not None and app._thread_screen.is_mounted)
        assert at_first_frame == [False]
        assert app.screen.query_one(ThreadList).row_count > 0
        assert _has_screens_css(app)
        title_bar = app._thread_screen.query_one("#title-bar")
        assert title_bar.styles.height.value == 1  # a screens.tcss rule


async def test_a_screen_pushed_before_the_warm_up_has_its_rules(store):
    app = build_app(store, None, query="*")
    app._prepare_reading = lambda: None  # no warm-up: the push itself adds the rules
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        assert not _has_screens_css(app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        box = app.screen.query_one("#help-box")
        assert box.styles.width.value == 90  # a screens.tcss rule (90%)


async def test_the_list_screen_has_its_size_class_before_it_is_mounted(store):
    """Textual gives a screen its size class (HORIZONTAL_BREAKPOINTS) in its
    first resize handler, which in a terminal comes after the first frame;
    the list's screen has it from the start, so that handler restyles none
    of its widgets, and it still follows the terminal's width."""
    app = build_app(store, None, query="*")
    made = []
    default_screen = app.get_default_screen

    def first_screen():
        screen = default_screen()
        made.append(sorted(c for c in screen.classes if c.startswith("-")))
        return screen

    app.get_default_screen = first_screen
    async with app.run_test(size=(210, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        assert made == [["-wide"]]
        await pilot.resize_terminal(120, 30)
        await wait_for(pilot, lambda: app.screen.has_class("-narrow"))
        assert not app.screen.has_class("-wide")

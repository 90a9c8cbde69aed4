"""The key line follows the focus and the keymap, and a click presses a key."""
from __future__ import annotations

from kreview.config import parse_config
from kreview.tui.app import build_app
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.body_view import BodyView
from kreview.tui.widgets.key_hints import KeyHints
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for

REMAP = '''
[keymap]
"thread.series_panel" = "P"
'''


def line(app) -> str:
    """The key line as rendered now."""
    return str(app.screen.query_one(KeyHints).render())


def on_screen(app, text: str) -> bool:
    """What the terminal shows (repainted only if the widget refreshed)."""
    return text in app.export_screenshot().replace("&#160;", " ")


async def test_keys_follow_focus_and_keymap(store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(REMAP)
    app = build_app(store, parse_config(REMAP, path), query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        assert "Open" in line(app) and "Search" in line(app)
        await pilot.press("slash")  # the query input: the list's keys go away
        await wait_for(pilot, lambda: not on_screen(app, "Open"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, "Open"))

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        assert " P Series" in line(app)  # remapped, shown as remapped
        assert "Fold/unfold" not in line(app)  # a body key, and the tree has focus
        await pilot.press("tab")
        await wait_for(pilot, lambda: isinstance(app.focused, BodyView))
        await wait_for(pilot, lambda: on_screen(app, "Fold/unfold"))


async def test_click_on_a_key_presses_it(store):
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        hints = app.screen.query_one(KeyHints)
        text = line(app)
        column = text.index("Open")  # on the description of Enter
        await pilot.click(KeyHints, offset=(column, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        assert hints is not app.screen.query_one(KeyHints)


async def test_a_focus_move_that_changes_no_key_repaints_no_key_line(store, monkeypatch):
    """Opening a thread focuses its tree, and Textual then says the bindings
    changed: a key line with the same keys is not drawn again (a frame)."""
    drawn: list[str] = []
    render = KeyHints.render

    def counted(self):
        drawn.append(type(self.screen).__name__)
        return render(self)

    monkeypatch.setattr(KeyHints, "render", counted)
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0 and on_screen(app, "Open"))
        await pilot.pause()
        painted = len(drawn)
        app.screen.refresh_bindings()  # the bindings "changed", the keys did not
        await pilot.pause(0.1)
        assert len(drawn) == painted
        await pilot.press("slash")  # they do change now: the list's keys go away
        await wait_for(pilot, lambda: not on_screen(app, "Open"))
        assert len(drawn) > painted

"""Keymap overrides from the config reach the bindings and the help screen;
[tag_keys] become keys."""
from __future__ import annotations

from kreview.config import parse_config
from kreview.tui.app import build_app
from kreview.tui.screens.help import HelpScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for

CONFIG = '''
[keymap]
"thread.next" = "n"

[tag_keys]
x = "+killed -inbox"
'''


def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return parse_config(CONFIG, path)


async def test_remapped_key_moves_and_help_shows_it(store, tmp_path):
    app = build_app(store, config(tmp_path), query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        screen = app.screen
        first = screen.shown.message_id
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.shown.message_id != first)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from kreview.tui.screens.help import help_table
        from kreview.tui.tagging import review_key_map

        table = help_table(app.keymap_in_force, review_key_map(app.kreview_config))
        rows = list(zip(*[[str(cell) for cell in c._cells] for c in table.columns]))
        assert ("n", "Next msg", "thread.next") in rows
        assert ("x", "+killed -inbox", "") in rows


async def test_tag_key_from_config_tags_the_thread(store, tmp_path):
    app = build_app(store, config(tmp_path), query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("x")
        await wait_for(pilot, lambda: "killed" in threads.threads[0].tags)
        assert store.count_messages("tag:killed and tag:inbox") == 0

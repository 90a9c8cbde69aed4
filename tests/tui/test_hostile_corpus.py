"""The hostile-mail corpus (tests/hostile_mail.py) through the reader: every
thread opened from the list, every message of it shown, and on the way no
crash, no markup effect, no raw control on the terminal, and each literal
text the corpus says must show is in what the reader shows, with a note
where the corpus says something is broken."""
from __future__ import annotations

import pytest

from kreview.core.demo import DEMO_IDENTITY, build_database
from kreview.core.layout import message_lines
from kreview.core.sanitize import clean_line
from kreview.core.store import Store
from kreview.tui.app import build_app
from kreview.tui.screens.search import SearchScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.series_panel import SeriesPanel
from kreview.tui.widgets.thread_list import ThreadList
from tests.hostile_mail import write_hostile_maildir
from tests.tui.screen_text import problems_on_screen, raw_controls, screen_text
from tests.tui.pilot import wait_for

# Where each field of a case shows in the reader.
PANE_FIELDS = {"from", "to", "cc", "subject", "body", "attachment"}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    maildir = tmp_path_factory.mktemp("hostile-mail") / "maildir"
    cases = write_hostile_maildir(maildir)
    root = tmp_path_factory.mktemp("hostile-db") / "db"
    build_database(maildir, root, DEMO_IDENTITY)
    return root, cases


def pane_text(screen: ThreadScreen) -> str:
    """The message as the pane shows it with every fold opened."""
    body = screen.body
    lines = message_lines(body.parsed, body.blocks, set(), body.tags, **body.keep)
    return "\n".join(line.text for line in lines)


def panel_text(screen: ThreadScreen) -> str:
    panel = screen.query_one(SeriesPanel)
    return "\n".join("".join(piece for piece, _ in row.pieces) for row in panel.rows)


async def test_every_hostile_message_is_shown_safely(hostile_root, monkeypatch):
    root, cases = hostile_root
    monkeypatch.setenv("NOTMUCH_CONFIG", str(root / "notmuch-config"))
    store = Store(root / "notmuch-config")
    by_id = {case.message_id: case for case in cases}
    seen: set[str] = set()
    gaps: dict[str, list[str]] = {}
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0 and threads.all_listed)
        await pilot.pause()
        assert problems_on_screen(app) == []
        for row in range(threads.row_count):
            threads.move_cursor(row=row)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None,
                           timeout=30)
            screen = app.screen
            title = clean_line(screen.thread.subject)[:60]  # the title bar crops a long one
            assert title in screen_text(app), f"title {title!r} not shown"
            for node in list(screen.tree.messages):
                if node.missing:
                    continue
                screen.tree.select_message(node.message_id)
                await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == node.message_id
                               and screen.body.parsed is not None, timeout=30)
                await pilot.pause()
                seen.add(node.message_id)
                assert problems_on_screen(app) == [], (node.message_id, problems_on_screen(app))
                text = pane_text(screen)
                assert raw_controls(text) == [], (node.message_id, raw_controls(text))
                case = by_id.get(node.message_id)
                if case is None:
                    continue
                # A patch sent as an attachment shows as its diff, not by name.
                patch_names = {p.filename for p in screen.body.parsed.patches}
                for field, literal in case.shows:
                    if field not in PANE_FIELDS | {"trailer"} or (field == "attachment" and clean_line(literal) in patch_names):
                        continue
                    # A trailer shows in the series panel, and in the message.
                    where = panel_text(screen) + "\n" + text if field == "trailer" else text
                    for fragment in _fragments(literal):
                        if fragment not in where:
                            gaps.setdefault(case.name, []).append(f"{field}: {fragment[:80]!r}")
                if case.expects_note:
                    if not any(line.kind == "note" for line in screen.body.lines):
                        gaps.setdefault(case.name, []).append("no note says what was wrong")
            await pilot.press("q")
            await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
    assert set(by_id) <= seen, sorted(set(by_id) - seen)
    assert not gaps, "\n".join(f"{name}: {found}" for name, found in gaps.items())


def _fragments(literal: str) -> list[str]:
    """The parts of ``literal`` between controls, as the reader shows them
    (one line, controls made visible between them)."""
    from tests.hostile_mail import visible_fragments

    return [clean_line(part).strip() for part in visible_fragments(literal)]

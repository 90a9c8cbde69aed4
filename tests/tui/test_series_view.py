"""The series view, the versions list and the interdiff screen, driven with
Pilot on a real notmuch database of real-shaped chains (tests/core/chain_mail.py)."""
from __future__ import annotations

from textual.widgets import OptionList

from kreview.tui.app import build_app
from kreview.tui.screens.interdiff import InterdiffScreen, InterdiffView
from kreview.tui.screens.series_view import SeriesScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.screens.versions import VersionsScreen
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import wait_for


async def test_series_view_lists_chains_filters_and_opens_newest(chain_store):
    app = build_app(chain_store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen) and app.screen.note == "updated 8 series"
                       and len(app.screen.shown) == 8, timeout=20)
        screen = app.screen
        from kreview.tui.widgets.series_table import SeriesTable

        table = screen.query_one(SeriesTable)
        assert table.row_count == 8
        foo = next(r for r in screen.shown if r.title.startswith("foo:"))
        assert foo.status == "needs my review" and foo.newest.version == 4
        # filter: needs my review only (the picker lists counts)
        await pilot.press("f")
        await wait_for(pilot, lambda: app.screen is not screen)
        labels = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "needs my review (2)" in labels
        app.screen.query_one(OptionList).highlighted = labels.index("needs my review (2)")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and len(screen.shown) == 2)
        row = next(i for i, r in enumerate(screen.shown) if r.title.startswith("foo:"))
        table.move_to(row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        assert app.screen.shown.message_id == "v4-0@example.com"


def interdiff_shown(app) -> bool:
    """The interdiff screen is on top with its lines (it fills them when
    mounted, a moment after it becomes the current screen)."""
    screen = app.screen
    return isinstance(screen, InterdiffScreen) and bool(screen.query(InterdiffView)) and bool(
        screen.query_one(InterdiffView).lines)


async def test_versions_list_and_interdiff_from_the_thread(chain_store):
    app = build_app(chain_store, query="subject:v3 and subject:2/3 and not subject:Re")
    async with app.run_test(size=(120, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.reviews)
        thread_screen = app.screen
        thread_screen.tree.select_message("v3-2@example.com")
        await wait_for(pilot, lambda: thread_screen.shown.message_id == "v3-2@example.com")
        await pilot.press("I")
        # A v3 has an earlier version: the screen comes at once and fills,
        # with no "Comparing versions …" toast before it.
        assert isinstance(app.screen, InterdiffScreen)
        await wait_for(pilot, lambda: interdiff_shown(app), timeout=15)
        assert not [n for n in app._notifications if "Comparing" in n.message]
        lines = app.screen.query_one(InterdiffView).lines
        texts = [line.text for line in lines]
        assert "2: modified: foo: cache the bar lookups" in texts
        added = next(line for line in lines if line.text == "++return cache_lookup(key) ?: slow_lookup(key);")
        assert added.kind == "diff-add" and added.lexer == "c" and added.code_start == 2
        await pilot.press("q")
        assert app.screen is thread_screen
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, VersionsScreen) and app.screen.chain is not None)
        versions = app.screen
        assert [(v.version, v.resend) for v in versions.chain.versions] == [
            (1, False), (2, False), (2, True), (3, False), (4, False)]
        assert versions.statuses == ["superseded"] * 4 + ["needs my review"]
        # mark v4, move to v1, compare the two: whole series
        await pilot.press("space")
        options = versions.query_one(OptionList)
        options.highlighted = 0
        await pilot.press("d")
        await wait_for(pilot, lambda: interdiff_shown(app), timeout=15)
        texts = [line.text for line in app.screen.query_one(InterdiffView).lines]
        assert texts[0].startswith("Interdiff v1 -> v4")
        assert "3: dropped: foo: count bar cache hits" in texts


async def test_series_view_opened_again_is_the_same_screen(chain_store):
    app = build_app(chain_store, query="*")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen) and len(app.screen.shown) == 8, timeout=20)
        first = app.screen
        await wait_for(pilot, lambda: not any(w.is_running for w in app.workers))
        await pilot.press("q")
        await pilot.press("V")
        assert app.screen is first and len(first.shown) == 8  # drawn at once, as it was
        await pilot.press("q")


async def test_series_panel_marks_trailers_carried_from_an_earlier_version(store):
    """On the sample, Christoph Hellwig's Reviewed-by of v4's 5th patch carries
    to v8 (same patch-id through v7): the panel says so and counts it."""
    from kreview.tui.widgets.series_panel import SeriesPanel

    app = build_app(store, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and any(
            "carried" in row.text for row in app.screen.query_one(SeriesPanel).rows), timeout=20)
        rows = [row.text.strip() for row in app.screen.query_one(SeriesPanel).rows]
        assert "Reviewed-by: Christoph Hellwig <hch@lst.de>  (carried from v4)" in rows
        assert next(r for r in rows if r.startswith("5/7")).startswith("5/7 A:0 R:1 T:2")


async def test_a_new_version_shows_in_the_series_view_kept_and_new(chain_store, monkeypatch):
    """The view drawn from the row digest: opened again after new mail, then in
    a new app (first rows before the rest), the new version is there."""
    from pathlib import Path

    from kreview.tui.screens import series_view
    from kreview.tui.widgets.series_table import SeriesTable
    from tests.core import chain_mail

    def foo_version(screen) -> int:
        return next((r.newest.version for r in screen.rows if r.title.startswith("foo:")), 0)

    app = build_app(chain_store, query="*")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen) and len(app.screen.shown) == 8
                       and app.screen.note == "updated 8 series", timeout=20)
        first = app.screen
        await wait_for(pilot, lambda: not any(w.is_running for w in app.workers))
        assert foo_version(first) == 4
        await pilot.press("q")
        v5 = chain_mail._version("v5", " v5", "foo: rework the bar and baz caches", ["lock", "baz", "cache2c"], 60)
        for n, mail in enumerate(v5):
            path = Path(chain_store.check()) / "cur" / f"v5-{n}:2,S"
            path.write_bytes(mail.render())
            chain_store.index_file(path)
        await pilot.press("V")
        assert app.screen is first
        await wait_for(pilot, lambda: foo_version(first) == 5 and first.note == "updated 1 series", timeout=20)
        assert first.rows[0].title.startswith("foo:") and first.complete
        await wait_for(pilot, lambda: not any(w.is_running for w in app.workers))

    shown: list[int] = []
    original = SeriesTable.show_rows

    def show_rows(self, rows, keep_key=None):
        shown.append(len(rows))
        return original(self, rows, keep_key)

    monkeypatch.setattr(SeriesTable, "show_rows", show_rows)
    monkeypatch.setattr(series_view, "FIRST_ROWS", 3)
    series_view._LAST_ROWS.clear()  # a new process: nothing in memory, the digest on disk
    app = build_app(chain_store, query="*")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen) and app.screen.complete
                       and len(app.screen.shown) == 8 and app.screen.note == "up to date", timeout=20)
        assert shown[:2] == [3, 8]  # the first screenful from the digest, then the rest
        assert foo_version(app.screen) == 5 and app.screen.rows[0].title.startswith("foo:")


async def test_interdiff_from_the_series_view_shows_its_screen_at_once(chain_store):
    from kreview.tui.series_actions import start_interdiff
    from kreview.tui.widgets.series_table import SeriesTable

    app = build_app(chain_store, query="*")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ThreadList).row_count > 0)
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen) and len(app.screen.shown) == 8
                       and app.screen.complete, timeout=20)
        view = app.screen
        await wait_for(pilot, lambda: not any(w.is_running for w in app.workers))
        view.query_one(SeriesTable).move_to(next(i for i, r in enumerate(view.shown) if r.title.startswith("foo:")))
        view.action_interdiff()
        shown = app.screen_stack[-1]  # pushed by the key itself, before anything is compared
        assert isinstance(shown, InterdiffScreen) and "comparing" in shown.title_text
        await wait_for(pilot, lambda: shown.done and interdiff_shown(app), timeout=15)
        texts = [line.text for line in shown.query_one(InterdiffView).lines]
        assert texts[0].startswith("Interdiff v3 -> v4") and "2: added: foo: add the baz cache" in texts
        assert shown.title_text.startswith("v3 -> v4")
        await pilot.press("q")
        assert app.screen is view
        # nothing to compare after all (v1 is the first version): back, told why
        start_interdiff(app, "v1-0@example.com", whole=True, at_once="comparing …")
        assert isinstance(app.screen_stack[-1], InterdiffScreen)
        await wait_for(pilot, lambda: app.screen is view, timeout=15)
        assert any("first version" in str(n.message) for n in app._notifications)

"""Pilot tests of the reading path on a real temporary notmuch database:
search screen -> thread screen -> message pane, and the help screen."""
from __future__ import annotations

from textual.widgets import Input

from kreview.tui.app import build_app
from kreview.tui.screens.help import HelpScreen
from kreview.tui.screens.search import SearchScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.body_view import BodyView
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.pilot import box_open, enter_and_look_on_arrival, index_big_patch, open_thread_at, open_v8, wait_for, workers_done


async def back_and_open_the_other_thread(pilot, app, threads) -> None:
    """From a thread opened on a two-row list: back to the list, Enter on the other row."""
    row = threads.cursor_row
    await pilot.press("q")
    await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
    threads.move_cursor(row=1 - row)
    await pilot.press("enter")


async def test_search_shows_threads_newest_first(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        assert threads.row_count == store.count_threads("*")
        dates = [t.newest_date for t in threads.threads]
        assert dates == sorted(dates, reverse=True)
        await wait_for(pilot, lambda: "9 threads" in str(app.screen.query_one("#status").render()))


async def test_open_the_v8_series_shows_tree_and_body(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        nodes = screen.tree.messages
        assert nodes[0].depth == 0 and "[PATCH v8 0/7]" in nodes[0].subject
        assert any(n.depth >= 2 for n in nodes)
        body = screen.query_one(BodyView)
        texts = [line.text for line in body.lines]
        assert any(t.startswith("From: Dan Williams") for t in texts)
        assert any("EXPORT_SYMBOL_GPL" in t for t in texts)
        # j moves to the next message and the pane follows.
        first = screen.shown.message_id
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id != first)
        assert screen.shown.message_id == nodes[1].message_id
        await pilot.press("q")
        assert isinstance(app.screen, SearchScreen)


async def test_patch_shows_diff_lines_with_highlighting(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        await pilot.press("j")  # the first patch after the cover letter
        await wait_for(pilot, lambda: screen.shown is not None and "1/7" in screen.shown.subject)
        body = screen.body
        kinds = {line.kind for line in body.lines}
        assert {"diff-file", "diff-hunk", "diff-add"} <= kinds
        added = next(line for line in body.lines if line.kind == "diff-add")
        assert added.lexer == "c"


async def test_pane_keys_pressed_in_the_tree_move_to_the_pane_and_act(store):
    """] (next hunk) and c (comment) in the tree said "does nothing here"; now
    the pane takes the focus: ] jumps to the first hunk, c says how to comment."""
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_v8(pilot, app)
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.shown is not None and "1/7" in screen.shown.subject)
        body = screen.body
        assert screen.tree.has_focus and body.cursor == 0
        first_hunk = next(i for i, line in enumerate(body.lines) if line.kind == "diff-hunk")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: body.has_focus and body.cursor == first_hunk)
        await pilot.press("tab")
        await wait_for(pilot, lambda: screen.tree.has_focus)
        await pilot.press("c")
        await wait_for(pilot, lambda: body.has_focus)
        assert any("j/k to the line, then c" in str(n.message) for n in app._notifications)
        await pilot.press("j", "c")  # now in the pane: a comment box opens on that line
        await wait_for(pilot, lambda: box_open(app))


async def test_slash_searches(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("slash")
        query = app.screen.query_one("#query", Input)
        assert query.has_focus
        query.value = ""
        await pilot.press(*"subject:v8", "enter")
        await wait_for(pilot, lambda: app.screen.query_text == "subject:v8" and "subject:v8" in threads.query_text and threads.row_count > 0)
        assert all("v8" in t.subject for t in threads.threads)


async def test_bad_query_says_so(store):
    app = build_app(store, query="tag:inbox and (")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: "Bad query" in str(app.screen.query_one("#status").render()))


async def test_help_lists_bindings(store):
    app = build_app(store, query="*")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from kreview.tui.screens.help import help_table

        ids = [str(cell) for cell in help_table(app.keymap_in_force).columns[2]._cells]
        assert "search.query" in ids and "reply.reviewed_by" in ids and "tag.prompt" in ids
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


async def test_help_scrolls_with_j_k_space_g_and_G(store):
    """The help is taller than 80x24; j/k move everywhere else, so they scroll it
    (they used to say "key j does nothing here")."""
    from textual.containers import VerticalScroll

    app = build_app(store, query="*")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        box = app.screen.query_one("#help-box", VerticalScroll)
        await wait_for(pilot, lambda: box.max_scroll_y > 20)
        await pilot.press("j", "j", "j")
        await wait_for(pilot, lambda: box.scroll_y == 3)
        await pilot.press("k")
        await wait_for(pilot, lambda: box.scroll_y == 2)
        await pilot.press("space")
        await wait_for(pilot, lambda: box.scroll_y > 10)
        await pilot.press("G")
        await wait_for(pilot, lambda: box.scroll_y == box.max_scroll_y)
        await pilot.press("b")
        await wait_for(pilot, lambda: box.scroll_y < box.max_scroll_y)
        await pilot.press("g")
        await wait_for(pilot, lambda: box.scroll_y == 0)
        assert isinstance(app.screen, HelpScreen)


async def test_unreadable_message_file_says_what_went_wrong(store):
    """A file that vanished under notmuch (moved by another MUA) gives a note, not a traceback."""
    import os

    node = store.messages("subject:v8 and subject:0/7")[0]
    os.unlink(node.path)
    app = build_app(store, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        notes = [line.text for line in app.screen.body.lines if line.kind == "note"]
        assert any("could not" in n.lower() or "cannot" in n.lower() or "no such file" in n.lower() for n in notes), notes


async def test_tagging_from_the_list_and_undo(store):
    app = build_app(store, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("a")  # archive the thread
        await wait_for(pilot, lambda: "inbox" not in threads.threads[0].tags)
        assert store.count_messages("thread:%s and tag:inbox" % threads.threads[0].thread_id) == 0
        await pilot.press("u")
        await wait_for(pilot, lambda: "inbox" in threads.threads[0].tags)
        await pilot.press("t")
        await pilot.press(*"+needs-work", "enter")
        await wait_for(pilot, lambda: "needs-work" in threads.threads[0].tags)
        assert store.count_threads("tag:needs-work") == 1


async def test_jump_to_another_version_of_the_series(store):
    app = build_app(store, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.reviews)
        v8_screen = app.screen
        await pilot.press("V")
        from textual.widgets import OptionList

        from kreview.tui.screens.versions import VersionsScreen

        await wait_for(pilot, lambda: isinstance(app.screen, VersionsScreen) and app.screen.chain is not None)
        versions = app.screen.chain.versions
        # one row per posting, oldest first; v4 had another title but shares patch titles
        assert [v.version for v in versions] == [4, 7, 8]
        labels = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "2018-" in labels[1] and "7p" in labels[1] and "(this thread)" in labels[2]
        await pilot.press("up")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen is not v8_screen
                       and app.screen.shown is not None)
        assert "[PATCH v7 0/7]" in app.screen.shown.subject
        await pilot.press("q")
        assert app.screen is v8_screen


async def test_thread_screen_arrives_with_tree_and_message(store):
    """Enter loads the thread and its first message before the screen is
    pushed: the screen never shows an empty tree or "Loading"."""
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        count, shown = await enter_and_look_on_arrival(
            pilot, app, lambda screen: (len(screen.tree.messages), screen.shown))
        assert count > 5 and shown is not None
        assert shown.message_id == app.screen.tree.current.message_id
        body = app.screen.query_one(BodyView)
        assert any(shown.subject in line.text for line in body.lines[:8])


async def test_thread_that_vanished_before_open_says_so(store):
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count > 0)
        for node in store.thread_messages(threads.current.thread_id):
            if not node.missing:
                store.remove_file(node.path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
        screen = app.screen
        await wait_for(pilot, lambda: "no longer in the database" in "\n".join(l.text for l in screen.body.lines))


async def test_long_patch_is_shown_first_in_part_then_whole(store, notmuch_root, tmp_path, monkeypatch):
    """A patch longer than the first-screen budget opens at once with its
    beginning, then the rest is laid out; the reader's place is kept."""
    from kreview.core.reading import FIRST_LINES

    index_big_patch(store, notmuch_root, tmp_path, files=3, lines_per_hunk=FIRST_LINES)
    shown_first = []
    original = BodyView.show_message

    def show_message(self, parsed, blocks, tags=frozenset(), lines=None):
        original(self, parsed, blocks, tags, lines)
        shown_first.append(len(self.lines))
        self.cursor = 40  # the reader moves down before the rest arrives

    monkeypatch.setattr(BodyView, "show_message", show_message)
    app = build_app(store, None, query="id:big@example.org")
    async with app.run_test(size=(160, 40)) as pilot:
        body = (await open_thread_at(pilot, app, rows=1)).body
        await wait_for(pilot, lambda: len(body.lines) > 3 * FIRST_LINES)
        assert len(shown_first) == 1 and shown_first[0] < FIRST_LINES + 50  # the part, once
        assert body.cursor == 40
        assert not any("being laid out" in line.text for line in body.lines)
        assert sum(1 for line in body.lines if line.kind == "diff-file") == 3
        assert f"+{FIRST_LINES} -0" in next(line.text for line in body.lines if line.kind == "diff-file")


async def test_the_rest_of_a_long_unread_patch_keeps_it_read(store, notmuch_root, tmp_path, monkeypatch):
    """The message is marked read while its rest is laid out (from the
    message as it was): the whole, when it comes, says read too."""
    import time as _time

    import kreview.tui.screens.thread as thread_screen
    from kreview.core.reading import FIRST_LINES

    index_big_patch(store, notmuch_root, tmp_path, files=3, lines_per_hunk=FIRST_LINES, tags=("inbox", "unread"))
    real = thread_screen.complete_view

    def slow_complete_view(view, folding):
        _time.sleep(0.5)  # mark-read lands first
        return real(view, folding)

    monkeypatch.setattr(thread_screen, "complete_view", slow_complete_view)
    app = build_app(store, None, query="id:big@example.org")
    async with app.run_test(size=(160, 40)) as pilot:
        body = (await open_thread_at(pilot, app, rows=1)).body
        await wait_for(pilot, lambda: len(body.lines) > 3 * FIRST_LINES)
        assert store.count_messages("id:big@example.org and tag:unread") == 0
        tags_line = next(line.text for line in body.lines if line.text.startswith("Tags:"))
        assert "unread" not in tags_line and "inbox" in tags_line

async def test_thread_screen_is_reused_for_the_next_thread(store):
    """Back in the list and into another thread: the same screen shows the
    new thread, with nothing of the previous one left (tree, message,
    series panel, title)."""
    from kreview.tui.widgets.series_panel import SeriesPanel

    app = build_app(store, None, query="subject:v8 and subject:0/7 or subject:Invitation")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        first = await open_thread_at(pilot, app, rows=2, subject="[PATCH v8 0/7]")
        panel = first.query_one(SeriesPanel)
        await wait_for(pilot, lambda: bool(panel.reviews))
        assert panel.has_class("visible")
        await back_and_open_the_other_thread(pilot, app, threads)
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None
                       and "Invitation" in app.screen.shown.subject)
        second = app.screen
        assert second is first
        assert all("Invitation" in n.subject for n in second.tree.messages)
        assert "Invitation" in str(second.query_one("#thread-title").render())
        await workers_done(pilot, app)  # a late series result from the first thread must not land here
        assert not panel.has_class("visible") and panel.reviews == [] and second.reviews == []
        assert app.focused is second.tree
        await back_and_open_the_other_thread(pilot, app, threads)
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and bool(panel.reviews))
        assert app.screen is first and panel.has_class("visible")
        assert panel.rows[0].text.startswith("v8 A:")


async def test_late_series_of_the_previous_thread_is_dropped(store, monkeypatch):
    import time as _time

    import kreview.tui.screens.thread as thread_screen
    from kreview.core.review import TrailerCountCache
    from kreview.tui.widgets.series_panel import SeriesPanel

    real = thread_screen.reviews_of

    def slow_reviews_of(nodes):
        _time.sleep(0.6)  # the reader leaves before the trailers are collected
        return real(nodes)

    monkeypatch.setattr(thread_screen, "reviews_of", slow_reviews_of)
    # About the worker's late answer: nothing the list's count read is reused here.
    monkeypatch.setattr(TrailerCountCache, "known_reviews", lambda *_args: None)
    app = build_app(store, None, query="subject:v8 and subject:0/7 or subject:Invitation")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        screen = await open_thread_at(pilot, app, rows=2, subject="[PATCH v8 0/7]")
        panel = screen.query_one(SeriesPanel)
        assert panel.has_class("visible") and not panel.reviews  # still collecting
        await back_and_open_the_other_thread(pilot, app, threads)
        await wait_for(pilot, lambda: app.screen is screen and screen.shown is not None
                       and "Invitation" in screen.shown.subject)
        await workers_done(pilot, app)  # the first thread's trailers have arrived (0.6 s late)
        assert screen.reviews == [] and panel.reviews == [] and not panel.has_class("visible")


async def test_list_position_follows_scrolling(store):
    app = build_app(store, None, query="*")
    async with app.run_test(size=(120, 12)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == 9)
        position = app.screen.query_one("#list-position")

        def shown() -> str:
            return str(position.render())

        def height() -> int:
            return threads.scrollable_content_region.height

        await wait_for(pilot, lambda: height() < 9 and shown() == f"1-{height()} of 9")
        await pilot.press("G")  # the last thread: the list scrolls
        await wait_for(pilot, lambda: shown() == f"{9 - height() + 1}-9 of 9")


async def test_series_counted_in_the_list_opens_with_its_panel(store, monkeypatch):
    """The list's A/R/T count read the series' trailers: opening the thread
    shows them in the same frame, and reads no file for them again."""
    import kreview.tui.screens.thread as thread_screen
    from kreview.tui.widgets.series_panel import SeriesPanel

    collected = []
    real = thread_screen.reviews_of
    monkeypatch.setattr(thread_screen, "reviews_of", lambda nodes: collected.append(1) or real(nodes))
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == 1 and threads.art_labels)
        counted = next(iter(threads.art_labels.values()))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        panel = app.screen.query_one(SeriesPanel)
        assert panel.has_class("visible") and panel.reviews  # with the message, not after it
        assert panel.rows[0].text.startswith(f"v8 A:{counted.replace('/', ' R:', 1).replace('/', ' T:', 1)}")
        await workers_done(pilot, app)
        assert collected == []


async def test_up_on_the_first_message_keeps_the_pane_where_it_is(store):
    app = build_app(store, None, query="subject:v8 and subject:0/7")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_thread_at(pilot, app, rows=1)
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.tree.cursor == 0 and screen.shown is not None
                       and screen.shown.message_id == screen.tree.current.message_id)
        screen.body.goto_line(30)
        await pilot.press("up")
        await workers_done(pilot, app)  # a message chosen again would have been read and shown by now
        assert screen.tree.cursor == 0 and screen.body.cursor == 30

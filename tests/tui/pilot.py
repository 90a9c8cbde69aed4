"""Pilot helpers shared by the TUI tests: wait for a condition (never
sleep a fixed time), open a thread, settle before a snapshot."""
from __future__ import annotations

from kreview.tui.comment_editor import CommentBox
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.widgets.thread_list import ThreadList

def palette_lines(app) -> list[str]:
    """The command palette's rows as shown (each option's first line); none
    when the palette is not open."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return []
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]

async def wait_for(pilot, condition, timeout=10.0):
    """Let workers finish: pause until ``condition()`` holds."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)

async def workers_done(pilot, app, timeout=10.0):
    """Wait until every worker has ended (the call a thread worker returned
    for the UI thread is posted by then) and the messages they posted are
    handled: what a late answer would do has been done, however slow the
    machine."""
    import asyncio

    from textual.worker import WorkerCancelled, WorkerState

    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        # A worker cancelled meanwhile (the list's A/R/T count stops when a
        # screen is pushed, maybe while it waits for the reading of the thread
        # being opened) has ended as far as the app is concerned.
        pending = [w for w in app.workers if w.state is not WorkerState.CANCELLED]
        left = deadline - asyncio.get_running_loop().time()
        try:
            await asyncio.wait_for(app.workers.wait_for_complete(pending), max(left, 0.01))
            break
        except WorkerCancelled:
            continue
    await pilot.pause()

async def open_thread_at(pilot, app, rows: int | None = None, subject: str | None = None):
    """Wait for the list (``rows`` threads, or any), put the cursor on the
    thread whose subject holds ``subject`` (else the first), press Enter and
    wait until the thread screen shows a message; returns that screen."""
    threads = app.screen.query_one(ThreadList)
    await wait_for(pilot, lambda: threads.row_count == rows if rows is not None else threads.row_count > 0)
    if subject is not None:
        threads.move_cursor(row=next(i for i, t in enumerate(threads.threads) if subject in t.subject))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
    return app.screen

def index_big_patch(store, notmuch_root, tmp_path, *, files: int, lines_per_hunk: int,
                    tags=("inbox",)) -> None:
    """Put a long patch (id:big@example.org) into the test's database."""
    from tests.core.helpers import big_patch_mail

    node = big_patch_mail(tmp_path, files=files, lines_per_hunk=lines_per_hunk)
    target = notmuch_root / "mail" / "cur" / "big-patch:2,S"
    target.write_bytes(open(node.path, "rb").read())
    store.index_file(target, tags=list(tags))

async def enter_and_look_on_arrival(pilot, app, look):
    """Press Enter on the list; returns what ``look(screen)`` saw as the
    thread screen was given its thread (mounted with it, or the screen the
    app built ahead pointed at it: reopen), before its first paint."""
    seen = []
    original, original_reopen = ThreadScreen.on_mount, ThreadScreen.reopen

    def on_mount(screen):
        original(screen)
        if screen.thread is not None:  # not the screen built ahead, still empty
            seen.append(look(screen))

    def reopen(screen, *args):
        original_reopen(screen, *args)
        seen.append(look(screen))

    ThreadScreen.on_mount, ThreadScreen.reopen = on_mount, reopen
    try:
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
    finally:
        ThreadScreen.on_mount, ThreadScreen.reopen = original, original_reopen
    (found,) = seen
    return found

async def open_v8(pilot, app):
    threads = app.screen.query_one(ThreadList)
    await wait_for(pilot, lambda: len(threads.threads) > 0)
    index = next(i for i, t in enumerate(threads.threads) if "[PATCH v8 0/7]" in t.subject)
    threads.move_cursor(row=index)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen))
    screen = app.screen
    await wait_for(pilot, lambda: len(screen.tree.messages) > 0 and screen.shown is not None)
    return screen

def box_open(app) -> bool:
    boxes = app.screen.query(CommentBox)
    return bool(boxes) and boxes.first().is_open and app.focused is boxes.first().area

async def settle(pilot, condition, timeout=15.0):
    await wait_for(pilot, condition, timeout)
    # Workers start workers (reading clears unread, which redraws the tree):
    # settle only when a pause leaves none running.
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        if not any(w.is_running for w in pilot.app.workers):
            break

def open_message(subject_part: str, message_part: str, *, focus_body: bool = False, steps: list[str] = ()):
    """A run_before that opens the thread whose subject holds ``subject_part``
    and selects the first message whose subject holds ``message_part``."""

    async def run_before(pilot) -> None:
        app = pilot.app
        threads = app.screen.query_one(ThreadList)
        await settle(pilot, lambda: threads.row_count > 0)
        index = next(i for i, t in enumerate(threads.threads) if subject_part in t.subject)
        threads.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        screen = app.screen
        target = next(n for n in screen.tree.messages if message_part in n.subject and not n.missing)
        screen.tree.select_message(target.message_id)
        await settle(pilot, lambda: screen.shown is not None and screen.shown.message_id == target.message_id)
        if focus_body:
            await pilot.press("tab")
        for key in steps:
            await pilot.press(key)
        await settle(pilot, lambda: True)

    return run_before

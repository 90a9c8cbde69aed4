"""The measurements: each function times one thing once and returns seconds
(or KiB); :func:`repeat` runs one several times and keeps every value.

Three levels, so a slow row can be traced to its layer:
  * notmuch: the ``notmuch`` command and :class:`kreview.core.store.Store`;
  * in-process: the app under Textual's headless driver (``App.run_test``),
    timed from the key press until the widget has content and the screen
    has refreshed after it (``call_after_refresh``) — no terminal I/O;
  * end-to-end: a real terminal (tmux), from process start or key press
    until ``capture-pane`` shows the expected screen (see tmux_e2e).
"""
from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kreview.core.store import Store


@dataclass
class Figure:
    name: str
    unit: str  # "s" or "KiB"
    values: list[float] = field(default_factory=list)
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    def as_dict(self) -> dict:
        return {"name": self.name, "unit": self.unit, "median": self.median, "values": self.values,
                "note": self.note, "error": self.error}


def repeat(name: str, runs: int, fn: Callable[[], float], unit: str = "s", note: str = "") -> Figure:
    figure = Figure(name, unit, note=note)
    try:
        for _ in range(runs):
            figure.values.append(fn())
    except Exception as exc:  # a failed row is reported, the others still run
        figure.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return figure


# -- targets -------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """What the browsing measurements open, found in the database."""

    big_thread: str  # thread id
    big_thread_size: int
    big_patch: str  # message id
    big_patch_thread: str
    series_thread: str  # thread of the series with most replies
    series_size: int
    newest_subject: str


def _thread_of(store: Store, message_id: str) -> str:
    found = store.messages(f"id:{message_id}", limit=1)
    if not found:
        raise LookupError(f"message {message_id} is not in the database")
    return found[0].thread_id


def targets_from_info(store: Store, info) -> Targets:
    """The generated mailbox knows its own special messages."""
    first = next(store.iter_threads("*"))
    return Targets(
        big_thread=_thread_of(store, info.big_thread_root),
        big_thread_size=info.big_thread_size,
        big_patch=info.big_patch,
        big_patch_thread=_thread_of(store, info.big_patch),
        series_thread=_thread_of(store, info.big_series_cover),
        series_size=1 + info.big_series_patches + info.big_series_replies,
        newest_subject=first.subject,
    )


def find_targets(store: Store) -> Targets:
    """Any database: the biggest thread, the biggest patch file, and the
    patch-series thread (subject with ``PATCH``) holding the most messages."""
    threads = list(store.iter_threads("*"))
    if not threads:
        raise LookupError("the database holds no threads")
    biggest = max(threads, key=lambda t: t.total)
    series = [t for t in threads if "PATCH" in t.subject]
    series_thread = max(series or threads, key=lambda t: t.total)
    best_size, best = -1, None
    for node in store.messages("subject:PATCH and not subject:Re"):
        try:
            size = os.stat(node.path).st_size
        except OSError:
            continue
        if size > best_size:
            best_size, best = size, node
    if best is None:
        raise LookupError("the database holds no patch")
    return Targets(biggest.thread_id, biggest.total, best.message_id, best.thread_id,
                   series_thread.thread_id, series_thread.total, threads[0].subject)


class UnreadKept:
    """Opening a message marks it read, and a thread opens on its first
    unread message: each run of the rows that open the targets would open
    the big thread further on than the last (after a few dozen runs the
    generated one had nothing unread left and opened at its root, a case
    measured as the other). The unread tags the targets' threads had at the
    start are put back after each run, so every run opens the same message."""

    def __init__(self, config: Path, targets: Targets) -> None:
        self.store = Store(config)
        threads = " or ".join(f"thread:{t}" for t in
                              {targets.big_thread, targets.big_patch_thread, targets.series_thread})
        self.query = f"tag:unread and ({threads})"
        self.unread = self._unread_now()

    def _unread_now(self) -> set[str]:
        return {node.message_id for node in self.store.messages(self.query)}

    def put_back(self) -> None:
        lost = self.unread - self._unread_now()
        if lost:
            self.store.change_tags(sorted(lost), add=["unread"])


# -- notmuch level ---------------------------------------------------------------


def notmuch_search_cli(config: Path) -> float:
    env = dict(os.environ, NOTMUCH_CONFIG=str(config))
    t0 = time.perf_counter()
    subprocess.run(["notmuch", "search", "--limit=50", "*"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def store_first_page(config: Path, rows: int = 50) -> float:
    t0 = time.perf_counter()
    store = Store(config)
    threads = store.iter_threads("*")
    page = [thread for _, thread in zip(range(rows), threads)]
    threads.close()
    if not page:
        raise LookupError("no threads")
    return time.perf_counter() - t0


def store_thread(config: Path, thread_id: str) -> float:
    t0 = time.perf_counter()
    nodes = Store(config).thread_messages(thread_id)
    if not nodes:
        raise LookupError(f"thread {thread_id} is empty")
    return time.perf_counter() - t0


# -- the floor -------------------------------------------------------------------


def floor_headless() -> float:
    """Process start to the floor app's first refreshed screen (headless driver)."""
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready"
        env = dict(os.environ, KBENCH_READY_FILE=str(ready))
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "kreview.bench.floor_app", "--headless", "--exit-when-painted"],
                       env=env, check=True, timeout=60)
        return float(ready.read_text()) - t0


# -- in process (Textual headless + Pilot) ---------------------------------------


async def _until(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state in time")
        await asyncio.sleep(0.001)


async def _refreshed(app) -> None:
    """Wait until the screen has refreshed once more (what was just set is painted)."""
    done = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: done.done() or done.set_result(None))
    await asyncio.wait_for(done, 30)


# A key held down repeats 25 times a second (X and most consoles by default),
# so a user's keys are at least 40 ms apart. "Burst" rows press the next key
# as soon as the last repaint is done: then Textual's frame timer (60 fps)
# is what the key waits for, not kreview.
KEY_REPEAT_GAP = 0.04


async def _until_time(when: float) -> None:
    delay = when - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)


_CHARACTERS = {"enter": "\r", "space": " ", "tab": "\t"}


def _press(app, key: str) -> None:
    """Post a key event as the terminal driver does. ``Pilot.press`` would
    then wait for the process to look idle in 20 ms steps, which would be
    measured as well; here the caller polls for the effect instead."""
    from textual import events

    app.post_message(events.Key(key, _CHARACTERS.get(key, key if len(key) == 1 else None)))


@dataclass
class InProcessResult:
    first_page: float = 0.0
    open_big_thread: float = 0.0
    big_patch_first_paint: float = 0.0
    series_panel: float = 0.0
    list_key: list[float] = field(default_factory=list)  # at key-repeat pace
    body_key: list[float] = field(default_factory=list)
    list_key_burst: list[float] = field(default_factory=list)  # each key right after the last repaint
    list_page: list[float] = field(default_factory=list)  # PageDown in the list, at key-repeat pace
    body_key_burst: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# A reviewer reads the row before pressing Enter: "rested" rows wait this
# long with the cursor on the row (the reader reads that thread ahead,
# kreview.tui.read_ahead); the others press Enter as soon as it is painted.
READ_ROW = 0.5


async def _in_process(store: Store, targets: Targets, size=(200, 50), keys: int = 10,
                      rest: float = 0.0) -> InProcessResult:
    from kreview.config import Config
    from kreview.tui.app import build_app
    from kreview.tui.screens.thread import ThreadScreen
    from kreview.tui.widgets.body_view import BodyView
    from kreview.tui.widgets.thread_list import ThreadList

    from kreview.bench.paints import counting_paints

    result = InProcessResult()
    app = build_app(store, Config(), "*")
    t0 = time.perf_counter()
    async with app.run_test(size=size) as pilot, counting_paints(BodyView) as drawn:
        def thread_list() -> ThreadList | None:
            found = app.screen.query(ThreadList)
            return found.first() if found else None

        await _until(lambda: thread_list() is not None and thread_list().row_count > 0)
        await _refreshed(app)
        result.first_page = time.perf_counter() - t0

        listing = thread_list()

        async def list_alone(thread_id: str) -> None:
            """Show only this thread in the list, painted, ready for Enter."""
            app.screen.run_query(f"thread:{thread_id}")
            await _until(lambda: listing.row_count == 1 and listing.threads[0].thread_id == thread_id)
            await _refreshed(app)
            if rest:
                await asyncio.sleep(rest)

        async def key_time(key: str, moved: Callable[[], bool], painted: Callable[[], bool] | None = None) -> float:
            """Press ``key``; seconds until ``moved`` holds and the screen has
            refreshed after it (and ``painted`` holds, when given)."""
            t = time.perf_counter()
            _press(app, key)
            await _until(moved)
            await _refreshed(app)
            if painted is not None:
                await _until(painted)
            return time.perf_counter() - t
        for paced, out in ((True, result.list_key), (False, result.list_key_burst)):
            for _ in range(keys):
                before, t = listing.cursor_row, time.perf_counter()
                out.append(await key_time("j", lambda: listing.cursor_row != before))
                if paced:
                    await _until_time(t + KEY_REPEAT_GAP)

        # PageDown through the list: rows scroll, and pages of threads are
        # fetched in the background as the cursor nears the end.
        for _ in range(keys):
            await _until(lambda: not listing.fetching)  # a page still coming would hold the cursor
            before, top, t = listing.cursor_row, listing.scroll_offset.y, time.perf_counter()
            elapsed = await key_time("pagedown", lambda: listing.cursor_row != before)
            if listing.scroll_offset.y != top:
                result.list_page.append(elapsed)
            await _until_time(t + KEY_REPEAT_GAP)

        # Enter on the 1,000-message thread: list it alone, then press Enter.
        await list_alone(targets.big_thread)
        t = time.perf_counter()
        _press(app, "enter")
        await _until(lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None
                     and len(app.screen.tree.messages) >= min(targets.big_thread_size, 2))
        await _refreshed(app)
        result.open_big_thread = time.perf_counter() - t
        app.pop_screen()
        await pilot.pause()

        # The 20,000-line patch: open its thread from the list (Enter), as a
        # reviewer does; if the thread opens on another message, move the
        # tree cursor to the patch (as j/k would) and time from that move.
        await list_alone(targets.big_patch_thread)
        opened = time.perf_counter()
        _press(app, "enter")
        await _until(lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
        await _refreshed(app)
        screen = app.screen
        body = screen.query_one(BodyView)
        if screen.shown.message_id == targets.big_patch:
            result.big_patch_first_paint = time.perf_counter() - opened
            result.notes.append("big patch: the thread opens on it; timed from Enter")
        else:
            painted = drawn[body]
            t = time.perf_counter()
            screen.tree.select_message(targets.big_patch)
            await _until(lambda: screen.shown is not None and screen.shown.message_id == targets.big_patch)
            await _refreshed(app)
            await _until(lambda: drawn[body] > painted)
            result.big_patch_first_paint = time.perf_counter() - t
        body.focus()
        await pilot.pause()
        for paced, out in ((True, result.body_key), (False, result.body_key_burst)):
            for _ in range(keys):
                if body.cursor >= len(body.lines) - 1:
                    break  # a short patch (small mailbox): no page left
                painted, cursor, t = drawn[body], body.cursor, time.perf_counter()
                out.append(await key_time("pagedown", lambda: body.cursor != cursor,
                                          lambda: drawn[body] > painted))
                if paced:
                    await _until_time(t + KEY_REPEAT_GAP)
        app.pop_screen()
        await pilot.pause()

        # Enter on the 40-patch series with 300 replies, until its series
        # panel (patches and their trailers, collected from every file) shows.
        from kreview.tui.widgets.series_panel import SeriesPanel

        await list_alone(targets.series_thread)
        t = time.perf_counter()
        _press(app, "enter")

        def panel_ready() -> bool:
            if not isinstance(app.screen, ThreadScreen):
                return False
            panels = app.screen.query(SeriesPanel)
            return bool(panels) and panels.first().has_class("visible") and bool(panels.first().reviews)

        await _until(panel_ready)
        await _refreshed(app)
        result.series_panel = time.perf_counter() - t
        app.pop_screen()
        await pilot.pause()
    return result


def in_process(config: Path, targets: Targets, rest: float = 0.0, keys: int = 10) -> InProcessResult:
    """The in-process rows, at the thread switch interval the reader runs at
    (its entry point sets it; at Python's default 5 ms, the UI thread waited
    up to 5 ms each time a worker held the interpreter, which the reader in a
    terminal does not), and with the app's long-lived objects frozen after
    its warm-up as the reader's are (only the first app of the process was)."""
    from kreview.cli import READER_SWITCH_INTERVAL
    from kreview.tui.memory import allow_another_freeze

    # Each run stands for a reader's only app, which freezes what it keeps
    # after its warm-up (kreview.tui.memory): so does each run's app here.
    allow_another_freeze()
    default = sys.getswitchinterval()
    sys.setswitchinterval(READER_SWITCH_INTERVAL)
    try:
        return asyncio.run(_in_process(Store(config), targets, keys=keys, rest=rest))
    finally:
        sys.setswitchinterval(default)

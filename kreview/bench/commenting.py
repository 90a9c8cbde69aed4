"""Benchmark rows for comment mode on the big patch, runnable alone::

    python -m kreview.bench.commenting --notmuch-config ~/.cache/kreview/bench/100000-1/notmuch-config

- "c on the N-line patch, key to the comment box painted": the first comment
  key after a layout builds the line index of the whole patch (opening
  comment mode), then the box opens; the index is dropped before each run so
  every run pays for it;
- "ctrl+s in the comment box, key to the comment painted under its line":
  the comment woven into the pane's lines and the screen repainted (the
  review file is written by a worker meanwhile).

Reviews go to a temporary XDG_DATA_HOME: the bench never touches yours.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from kreview.bench import measure
from kreview.bench.measure import Figure, _press, _refreshed, _until
from kreview.bench.paints import counting_paints
from kreview.core.store import Store


async def _measure(store: Store, targets: measure.Targets, runs: int, size=(200, 50)) -> tuple[list, list, int]:
    from kreview.config import Config
    from kreview.tui.app import build_app
    from kreview.tui.comment_editor import CommentBox
    from kreview.tui.screens.thread import ThreadScreen
    from kreview.tui.widgets.body_view import BodyView

    app = build_app(store, Config(), f"id:{targets.big_patch}")
    opening: list[float] = []
    adding: list[float] = []
    reference: list[float] = []  # j in the same pane: what any key costs on this machine now
    cpu_open: list[float] = []  # CPU time of the process (less hostage to a busy machine)
    cpu_add: list[float] = []
    async with app.run_test(size=size) as pilot, counting_paints(BodyView) as drawn:
        from kreview.tui.widgets.thread_list import ThreadList

        await _until(lambda: bool(app.screen.query(ThreadList)) and app.screen.query_one(ThreadList).row_count > 0)
        _press(app, "enter")
        await _until(lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None
                     and app.screen.shown.message_id == targets.big_patch)
        screen = app.screen
        body = screen.query_one(BodyView)
        # Wait for the whole patch (it is shown first in part).
        await _until(lambda: len(body.lines) > 3 and "more lines are being laid out" not in body.lines[-1].text)
        body.focus()
        await pilot.pause()
        middle = len(body.lines) // 2
        target = next(i for i in range(middle, len(body.lines)) if body.lines[i].kind in ("diff-add", "diff-ctx"))
        for _ in range(runs):
            body.goto_line(target)
            await _refreshed(app)
            t = time.perf_counter()
            painted = drawn[body]
            _press(app, "j")
            await _until(lambda: body.cursor == target + 1)
            await _refreshed(app)
            await _until(lambda: drawn[body] > painted)
            reference.append(time.perf_counter() - t)
            body.goto_line(target)
            body._index = None  # every run opens comment mode afresh
            body._body_of = None
            await _refreshed(app)
            t, cpu = time.perf_counter(), time.process_time()
            _press(app, "c")
            await _until(lambda: bool(screen.query(CommentBox)) and screen.query_one(CommentBox).is_open)
            await _refreshed(app)
            opening.append(time.perf_counter() - t)
            cpu_open.append(time.process_time() - cpu)
            editor = screen.query_one(CommentBox)
            _press(app, "x")
            await _until(lambda: editor.text == "x")
            await pilot.pause()
            t, cpu = time.perf_counter(), time.process_time()
            _press(app, "ctrl+s")
            await _until(lambda: not editor.is_open and target + 1 < len(body.lines)
                         and body.lines[target + 1].kind == "comment")
            await _refreshed(app)
            adding.append(time.perf_counter() - t)
            cpu_add.append(time.process_time() - cpu)
            _press(app, "D")  # the comment goes again: the next run adds it anew
            await _until(lambda: not body.review_comments)
            await pilot.pause()
    return opening, adding, reference, cpu_open, cpu_add, len(body.lines)


def run(config: Path, runs: int) -> list[Figure]:
    store = Store(config)
    targets = measure.find_targets(store)
    with tempfile.TemporaryDirectory(prefix="kbench-reviews-") as data_home:
        saved = os.environ.get("XDG_DATA_HOME")
        os.environ["XDG_DATA_HOME"] = data_home
        try:
            opening, adding, reference, cpu_open, cpu_add, lines = asyncio.run(_measure(store, targets, runs))
        finally:
            if saved is None:
                os.environ.pop("XDG_DATA_HOME", None)
            else:
                os.environ["XDG_DATA_HOME"] = saved
    return [
        Figure(f"app (in-process): c on the {lines}-line patch, key to the comment box painted", "s", opening),
        Figure("app (in-process): ctrl+s in the comment box, key to the comment painted under its line", "s",
               adding),
        Figure("  the same, CPU time of the process (c)", "s", cpu_open),
        Figure("  the same, CPU time of the process (ctrl+s)", "s", cpu_add),
        Figure("app (in-process): j in the same patch, key to repaint (reference: the machine's pace now)", "s",
               reference),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.commenting", description=__doc__.splitlines()[0])
    parser.add_argument("--notmuch-config", metavar="FILE", required=True)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kbench-") as isolated:
        os.environ["KREVIEW_CONFIG"] = str(Path(isolated) / "no-config.toml")
        os.environ["NOTMUCH_CONFIG"] = str(Path(args.notmuch_config).expanduser())
        figures = run(Path(args.notmuch_config).expanduser(), args.runs)
    for f in figures:
        values = sorted(v * 1000 for v in f.values)
        print(f"{f.name}: median {f.median * 1000:.1f} ms (min {values[0]:.1f}, max {values[-1]:.1f}, n {len(values)})")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

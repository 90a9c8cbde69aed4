"""The list's size and the palette's counts on a big mailbox (issue 17's rows).

  python -m kreview.bench.list_counts [--notmuch-config FILE] [--runs 3] [--json]

Per run, headless in process, with an empty count cache (a temporary
XDG_CACHE_HOME, so every count is taken, not read from a previous run):
  - start to the first page of threads painted (the count must not slow it);
  - start to the thread count shown in the status line;
  - G to the query's last thread under the cursor, painted;
  - ctrl+p to the command palette listing the saved searches (counts arrive
    later, from a worker: the row is the time to open, not to count), and
    the UI thread's CPU time for it.
Without --notmuch-config: the generated 100,000-message mailbox
(~/.cache/kreview/bench/100000-1), built first if missing.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from kreview.bench.measure import Figure, _press, _refreshed, _until

FIRST_PAGE = "list: start to first page of threads painted (count running)"
COUNT_SHOWN = "list: start to thread count shown in the status line"
LAST_THREAD = "list: G to the last thread, painted"
PALETTE = "palette: ctrl+p to saved searches listed"
# The same opening in CPU time of the UI thread (the app runs in this one):
# on a loaded machine the wall-clock row above is mostly time spent waiting
# for a core; this one is not. Printed, not judged (no budget).
PALETTE_CPU = "palette, UI-thread CPU time of that opening"


async def _one_run(config: Path) -> dict[str, float]:
    from textual.command import CommandList, CommandPalette

    from kreview.core.store import Store
    from kreview.tui.app import build_app
    from kreview.tui.widgets.thread_list import ThreadList

    store = Store(config)
    out: dict[str, float] = {}
    began = time.perf_counter()
    app = build_app(store, query="*")
    async with app.run_test(size=(200, 50)):
        def thread_list():
            found = app.screen.query(ThreadList)
            return found.first() if found else None

        await _until(lambda: thread_list() is not None and thread_list().row_count > 0)
        await _refreshed(app)
        out[FIRST_PAGE] = time.perf_counter() - began
        threads = thread_list()
        await _until(lambda: threads.known_total is not None
                     and f"{threads.known_total:,} threads" in str(app.screen.query_one("#status").render()))
        out[COUNT_SHOWN] = time.perf_counter() - began

        last = threads.known_total - 1
        t = time.perf_counter()
        _press(app, "G")
        await _until(lambda: threads.cursor_row == last and threads.current is not None)
        await _refreshed(app)
        out[LAST_THREAD] = time.perf_counter() - t

        await asyncio.sleep(2)  # the A/R/T of the rows G showed are read by then: a still list
        t, cpu = time.perf_counter(), time.thread_time()
        _press(app, "ctrl+p")

        def listed() -> bool:
            if not isinstance(app.screen, CommandPalette):
                return False
            options = app.screen.query(CommandList)
            return bool(options) and any("Saved search" in str(option.prompt) for option in options.first().options)

        await _until(listed)
        await _refreshed(app)
        out[PALETTE] = time.perf_counter() - t
        out[PALETTE_CPU] = time.thread_time() - cpu
    return out


def figures(config: Path, runs: int) -> list[Figure]:
    rows = {name: Figure(name, "s") for name in (FIRST_PAGE, COUNT_SHOWN, LAST_THREAD, PALETTE, PALETTE_CPU)}
    saved = os.environ.get("XDG_CACHE_HOME")
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="kbench-counts-") as cache:
                os.environ["XDG_CACHE_HOME"] = cache
                try:
                    result = asyncio.run(_one_run(config))
                    gc.unfreeze()  # each run starts as a fresh process would
                except Exception as exc:  # a failed run is reported, the rows still print
                    for figure in rows.values():
                        figure.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
                    break
            for name, value in result.items():
                rows[name].values.append(value)
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    return list(rows.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.list_counts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notmuch-config", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    config = args.notmuch_config
    if config is None:
        from kreview.bench.generate import ensure_database

        config = ensure_database(100_000, 1).config
    with tempfile.TemporaryDirectory(prefix="kbench-") as isolated:
        os.environ["KREVIEW_CONFIG"] = str(Path(isolated) / "no-config.toml")  # defaults only
        found = figures(config.expanduser(), args.runs)
    if args.json:
        print(json.dumps([f.as_dict() for f in found], indent=2))
    else:
        for figure in found:
            values = ", ".join(f"{v:.3f}" for v in figure.values)
            shown = f"{figure.median:.3f} s  ({values})" if figure.median is not None else figure.error
            print(f"{figure.name:62} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

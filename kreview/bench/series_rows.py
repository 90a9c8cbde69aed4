"""python -m kreview.bench.series_rows: the series-view rows of the benchmark (issue 15).

  python -m kreview.bench.series_rows --notmuch-config FILE [--runs 5] [--new-mail-dir DIR]

It WRITES to the database (kreview.* properties, and new mail for the
refresh rows): give it a copy. ``--new-mail-dir`` is a directory inside the
copy's mail root where the generated new mail goes (default: extra/ under
the mail root). Rows, each the median of --runs (spread: min-max):

* index build (first refresh, reads every patch thread; once);
* series view first rows, cold: a new process opens notmuch and reads the
  index (properties only), imports excluded and included;
* series view first rows, warm: the same in a process that did it before;
* the series screen in the reader: from the key to its first rows (Pilot,
  headless), first and second time in one app;
* refresh after new mail: 1, 10, 100 new replies (each with a Reviewed-by)
  to patches, and one new 41-message version of the biggest series;
* interdiff of that series (v1 -> v2, every patch).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from kreview.core.store import Store

_COLD = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from kreview.core.series_index import chain_rows
from kreview.core.store import Store
t1, c1 = time.perf_counter(), time.process_time()
rows = chain_rows(Store(Path(sys.argv[1])), "*", Path(sys.argv[2]) if sys.argv[2] else None)[:60]
t2, c2 = time.perf_counter(), time.process_time()
print(t2 - t1, t2 - t0, c2 - c1, len(rows))
"""


def _fig(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f}, n={len(values)})"


def _log(text: str) -> None:
    print(f"[series-bench] {text}", file=sys.stderr, flush=True)


def _write(mail_dir: Path, message_id: str, subject: str, sender: str, body: str, parent: str = "") -> Path:
    import email.utils

    head = [f"From: {sender}", "To: list@vger.example.org", f"Subject: {subject}",
            f"Date: {email.utils.formatdate(time.time())}", f"Message-ID: <{message_id}>"]
    if parent:
        head += [f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
    path = mail_dir / "cur" / f"{message_id.replace('/', '_')}:2,S"
    path.write_text("\n".join(head) + "\n\n" + body, encoding="utf-8")
    return path


def _body(store: Store, message_id: str) -> str:
    from kreview.core.review import message_from_node

    node = store.messages(f'id:"{message_id}"', limit=1)[0]
    message = message_from_node(node)
    return message.body_text if message else ""


def refresh_rows(store: Store, mail_dir: Path, runs: int, seed: int = 15) -> dict[str, str]:
    from kreview.core.series_index import refresh

    rng = random.Random(seed)
    patches = [n for n in store.messages("subject:PATCH and not subject:Re and not subject:00/ "
                                         "and not subject:0/", limit=20000)]
    out: dict[str, str] = {}
    stamp = int(time.time())
    for count in (1, 10, 100):
        seconds, reads = [], []
        for run in range(max(1, runs if count < 100 else min(runs, 3))):
            for n in range(count):
                target = rng.choice(patches)
                path = _write(mail_dir, f"bench-{stamp}-{count}-{run}-{n}@reviewer.example.org",
                              "Re: " + target.subject, "Rae Viewer <rae@reviewer.example.org>",
                              "> quoted\n\nReviewed-by: Rae Viewer <rae@reviewer.example.org>\n",
                              target.message_id)
                store.index_file(path)
            began = time.perf_counter()
            result = refresh(store)
            seconds.append(time.perf_counter() - began)
            reads.append(result.threads_read)
        out[f"refresh after {count} new repl{'y' if count == 1 else 'ies'}"] = (
            f"{_fig(seconds)}; threads read: median {statistics.median(reads):.0f}")
    return out


def new_version(store: Store, mail_dir: Path, cover_id: str) -> tuple[str, int]:
    """Post a v2 of the series headed by ``cover_id``: the same patches, one changed."""
    from kreview.core.chains import thread_versions

    tid = store.thread_ids_of([cover_id])[0]
    version = next(v for v in thread_versions(store, tid) if v.key == cover_id)
    stamp = int(time.time())
    new_cover = f"bench-v2-{stamp}-0@author.example.org"
    sender = f"{version.author_name} <{version.author_email}>"

    def v2(subject: str) -> str:
        return subject.replace("[PATCH ", "[PATCH v2 ", 1)

    store.index_file(_write(mail_dir, new_cover, v2(store.messages(f'id:"{cover_id}"')[0].subject), sender,
                            "v2 of the big series.\n\nChanges in v2:\n- patch 3 reworked\n"))
    for p in version.patches:
        body = _body(store, p.message_id)
        if p.index == 3:
            body = body.replace("\n+", "\n+\t/* reworked in v2 */\n+", 1)
        store.index_file(_write(mail_dir, f"bench-v2-{stamp}-{p.index}@author.example.org", v2(p.subject),
                                sender, body, new_cover))
    return new_cover, len(version.patches) + 1


class _FramesWithRows:
    """Counts the frames the app writes (``App._display``) while the series
    screen is on top with rows in its table: "the key's screen is shown".
    (Counting ``render_line`` calls would miss a kept screen shown again:
    Textual repaints it from the lines it cached, without asking the widget.)"""

    def __init__(self, app) -> None:
        self.count = 0
        self._app = app
        self._original = app._display

    def __enter__(self) -> _FramesWithRows:
        from kreview.tui.screens.series_view import SeriesScreen
        from kreview.tui.widgets.series_table import SeriesTable

        def display(screen, renderable):
            if (renderable is not None and isinstance(screen, SeriesScreen)
                    and screen.query_one(SeriesTable).row_count > 0):
                self.count += 1
            return self._original(screen, renderable)

        self._app._display = display
        return self

    def __exit__(self, *exc) -> None:
        self._app._display = self._original


async def _screen_rows(store: Store, xdg_cache: str, times: int = 2) -> list[tuple[float, float]]:
    """(wall, CPU) seconds from the V key's action to the first frame showing
    the series screen with rows, ``times`` times in one new app."""
    from kreview.tui.app import build_app
    from kreview.tui.screens import series_view
    from kreview.tui.widgets.thread_list import ThreadList

    import os

    series_view._LAST_ROWS.clear()  # a new app: nothing in memory
    os.environ["XDG_CACHE_HOME"] = xdg_cache  # where the reader keeps its row digest
    app = build_app(store, query="*")
    timings = []
    async with app.run_test(size=(200, 50)) as pilot:
        while app.screen.query_one(ThreadList).row_count == 0:
            await pilot.pause(0.02)
        search = app.screen
        with _FramesWithRows(app) as frames:
            for _ in range(times):
                # The action the key runs, then the event loop until a frame
                # with the rows is out (Pilot's press would also wait for every
                # worker the screen starts, which is not what the reader waits for).
                before = frames.count
                began, cpu = time.perf_counter(), time.process_time()
                search.action_series_view()
                while frames.count == before:
                    await asyncio.sleep(0.002)
                timings.append((time.perf_counter() - began, time.process_time() - cpu))
                while any(w.is_running for w in app.workers):  # the rest of the rows, the index refresh
                    await pilot.pause(0.05)
                await pilot.press("q")
    return timings


async def _interdiff_key_rows(store: Store, cover: str, xdg_cache: str, times: int) -> list[tuple[float, float, float]]:
    """(screen shown, comparison shown, CPU until then) seconds from the series view's ``d``
    on the row of ``cover`` (its action, as the key runs it) to the first
    frame of the interdiff screen, and to the first frame with the
    comparison in it; ``times`` times in one app."""
    import os

    from kreview.tui.app import build_app
    from kreview.tui.screens import series_view
    from kreview.tui.screens.interdiff import InterdiffScreen
    from kreview.tui.widgets.series_table import SeriesTable
    from kreview.tui.widgets.thread_list import ThreadList

    series_view._LAST_ROWS.clear()
    os.environ["XDG_CACHE_HOME"] = xdg_cache
    app = build_app(store, query="*")
    out = []
    async with app.run_test(size=(200, 50)) as pilot:
        while app.screen.query_one(ThreadList).row_count == 0:
            await pilot.pause(0.02)
        app.screen.action_series_view()
        while not (isinstance(app.screen, series_view.SeriesScreen) and app.screen.complete):
            await pilot.pause(0.02)
        view = app.screen
        while any(w.is_running for w in app.workers):
            await pilot.pause(0.05)
        table = view.query_one(SeriesTable)
        table.move_to(next(i for i, r in enumerate(view.shown) if r.newest.head_id == cover))
        frames: list[tuple[float, bool, float]] = []
        original = app._display

        def display(screen, renderable):
            if renderable is not None and isinstance(screen, InterdiffScreen):
                frames.append((time.perf_counter(), screen.done, time.process_time()))
            return original(screen, renderable)

        app._display = display
        try:
            for _ in range(times):
                frames.clear()
                began, cpu = time.perf_counter(), time.process_time()
                view.action_interdiff()
                while not any(done for _, done, _ in frames):
                    await asyncio.sleep(0.002)
                t_done, c_done = next((t, c) for t, done, c in frames if done)
                out.append((frames[0][0] - began, t_done - began, c_done - cpu))
                await pilot.press("q")
                while app.screen is not view:
                    await pilot.pause(0.02)
        finally:
            app._display = original
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.series_rows", description=__doc__.splitlines()[0])
    parser.add_argument("--notmuch-config", required=True, help="config of a COPY of the database (it is written)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--new-mail-dir", help="directory in the mail root for new mail (default MAILROOT/extra)")
    parser.add_argument("--big-series", help="cover Message-ID of the series to post a v2 of")
    parser.add_argument("--skip-new-mail", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    config = Path(args.notmuch_config).expanduser()
    store = Store(config)
    from kreview.core.series_index import chain_rows, refresh

    figures: dict[str, str] = _Shown()
    figures["load average at start (2 cores shared)"] = " ".join(f"{x:.1f}" for x in __import__("os").getloadavg())
    began = time.perf_counter()
    first = refresh(store, lambda done, total: _log(f"indexing {done}/{total}") if done % 1000 == 0 else None)
    figures["index build" if first.full else "index catch-up at start"] = (
        f"{time.perf_counter() - began:.1f} s, {first.threads_read} threads read, {first.chains_written} chains")
    import tempfile

    cache = Path(tempfile.mkdtemp(prefix="kbench-series-"))
    for label, cache_arg in (("properties only, no row cache", ""), ("with the row cache", str(cache))):
        cold_core, cold_all, cold_cpu = [], [], []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", _COLD, str(config), cache_arg], capture_output=True,
                                 text=True, check=True)
            core, whole, cpu, _rows = out.stdout.split()
            cold_core.append(float(core))
            cold_all.append(float(whole))
            cold_cpu.append(float(cpu))
        figures[f"series rows, cold process, {label}"] = _fig(cold_core)
        figures[f"series rows, cold process, CPU time, {label}"] = _fig(cold_cpu)
        figures[f"series rows, cold process incl. imports, {label}"] = _fig(cold_all)
        warm, warm_cpu = [], []
        chain_rows(store, "*", cache if cache_arg else None)
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            rows = chain_rows(store, "*", cache if cache_arg else None)
            warm.append(time.perf_counter() - t)
            warm_cpu.append(time.process_time() - c)
        figures[f"series rows, warm ({len(rows)} chains), {label}"] = _fig(warm)
        figures[f"series rows, warm, CPU time, {label}"] = _fig(warm_cpu)
    for label, fresh in (("no row digest on disk yet", True), ("row digest on disk", False)):
        screen_first, screen_second = [], []
        xdg = tempfile.mkdtemp(prefix="kbench-xdg-")
        if not fresh:
            chain_rows(store, "*", Path(xdg) / "kreview")
        for _ in range(max(1, args.runs // 2)):
            if fresh:
                xdg = tempfile.mkdtemp(prefix="kbench-xdg-")
            a, b = asyncio.run(_screen_rows(store, xdg))
            screen_first.append(a)
            screen_second.append(b)
        for when, values in (("first time in a new app", screen_first), ("again in the same app", screen_second)):
            figures[f"series screen: action to first rows painted, {when}, {label}"] = (
                f"{_fig([w for w, _ in values])}; CPU (all threads) {_fig([c for _, c in values])}")
    if not args.skip_new_mail:
        mail_dir = Path(args.new_mail_dir) if args.new_mail_dir else store.check() / "extra"
        for sub in ("cur", "new", "tmp"):
            (mail_dir / sub).mkdir(parents=True, exist_ok=True)
        figures.update(refresh_rows(store, mail_dir, args.runs))
        cover = args.big_series or _biggest_cover(store)
        new_cover, posted = new_version(store, mail_dir, cover)
        t = time.perf_counter()
        result = refresh(store)
        figures[f"refresh after a new {posted}-message version of the biggest series"] = (
            f"{time.perf_counter() - t:.3f} s; threads read {result.threads_read}")
        from kreview.core.compare import compare

        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            comparison = compare(store, new_cover)
            times.append(time.perf_counter() - t)
        kinds = {}
        for c in comparison.changes:
            kinds[c.change] = kinds.get(c.change, 0) + 1
        figures[f"interdiff v1 -> v2 of the biggest series ({len(comparison.changes)} patches: {kinds})"] = _fig(times)
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
    else:
        for name, value in figures.items():
            print(f"{name:<75} {value}")
    return 0


class _Shown(dict):
    """Figures, each logged as it is measured (a failing row keeps the others)."""

    def __setitem__(self, key, value) -> None:
        _log(f"{key}: {value}")
        super().__setitem__(key, value)

    def update(self, other) -> None:
        for key, value in other.items():
            self[key] = value


def _biggest_cover(store: Store) -> str:
    from kreview.core.series_index import chain_rows

    rows = chain_rows(store, "*")
    best = max((v for r in rows for v in r.versions if v.is_cover), key=lambda v: v.total)
    return best.head_id


if __name__ == "__main__":
    raise SystemExit(main())


# -- the rows of the main bench (python -m kreview.bench) -----------------------

SCREEN_COLD = "series view: V to first rows painted, new app, row digest on disk from an earlier session"
SCREEN_WARM = "series view: V to first rows painted, again in the same app"
# Not a key of everyday use: the digest is written by every index refresh of
# the reader and of `kreview series`, so only a wiped cache directory (or an
# index built by another kreview version) leaves it out, once.
NO_DIGEST = ("series index read without its row digest (once, after the cache is wiped): "
             "V to first rows painted, new app")


def _interdiff_target(store: Store) -> str:
    """The head of the newest version of the biggest series that has an older version."""
    from kreview.core.series_index import chain_rows

    heads = [r.newest for r in chain_rows(store, "*") if len(r.versions) > 1 and r.newest.is_cover]
    if not heads:
        raise LookupError("no series with two versions in the database")
    return max(heads, key=lambda v: v.total).head_id


def prepared_copy(config: Path, big_series_cover: str | None, log=_log) -> Path:
    """The working copy's config (kreview.bench.working_copy), with its series
    index built and, given ``big_series_cover`` (the generated mailbox's,
    which has one version only), a v2 of that series posted: each once."""
    from kreview.bench import working_copy
    from kreview.core.series_index import refresh

    copied = working_copy.make_copy(config, log)
    state = working_copy.read_state(copied)
    store = Store(copied)
    if not state.get("indexed"):
        log("building the copy's series index (once; minutes on 100,000 messages)")
        refresh(store, lambda done, total: log(f"indexing {done}/{total}") if done % 2000 == 0 else None)
        state["indexed"] = True
        working_copy.write_state(copied.parent, state)
    if big_series_cover and not state.get("v2_cover"):
        mail_dir = store.check() / "kbench-new"
        for sub in ("cur", "new", "tmp"):
            (mail_dir / sub).mkdir(parents=True, exist_ok=True)
        state["v2_cover"], _ = new_version(store, mail_dir, big_series_cover)
        refresh(store)
        working_copy.write_state(copied.parent, state)
    return copied


def bench_figures(config: Path, big_series_cover: str | None, runs: int, log=_log) -> list:
    """Series view cold and warm (the reader, headless) and the interdiff of
    the big series, on the working copy of ``config``'s database."""
    import os
    import tempfile

    from kreview.bench.measure import Figure
    from kreview.core.compare import compare

    copied = prepared_copy(config, big_series_cover, log)
    store = Store(copied)
    from kreview.core.series_index import chain_rows

    cold, warm, no_digest = Figure(SCREEN_COLD, "s"), Figure(SCREEN_WARM, "s"), Figure(NO_DIGEST, "s")
    saved = os.environ.get("XDG_CACHE_HOME")
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="kbench-xdg-") as xdg:
                chain_rows(store, "*", Path(xdg) / "kreview")  # an earlier session's digest
                (first, _cpu), (again, _cpu2) = asyncio.run(_screen_rows(store, xdg))
            cold.values.append(first)
            warm.values.append(again)
            with tempfile.TemporaryDirectory(prefix="kbench-xdg-") as xdg:
                ((bare, _cpu3),) = asyncio.run(_screen_rows(store, xdg, times=1))
            no_digest.values.append(bare)
    except Exception as exc:  # a failed row is reported, the others still run
        cold.error = warm.error = no_digest.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    interdiff = Figure("interdiff of the big series, newest version against the one before (in process)", "s")
    try:
        cover = _interdiff_target(store)
        for _ in range(runs):
            began = time.perf_counter()
            comparison = compare(store, cover)
            interdiff.values.append(time.perf_counter() - began)
        interdiff.name = (f"interdiff of the big series ({len(comparison.changes)} patches), newest version "
                          "against the one before (in process)")
    except Exception as exc:
        interdiff.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    key_screen = Figure("interdiff: d in the series view to the interdiff screen painted (filled when compared)", "s")
    key_done = Figure("interdiff: d in the series view to the comparison painted", "s")
    try:
        cover = _interdiff_target(store)
        with tempfile.TemporaryDirectory(prefix="kbench-xdg-") as xdg:
            chain_rows(store, "*", Path(xdg) / "kreview")
            for shown, done, _cpu in asyncio.run(_interdiff_key_rows(store, cover, xdg, runs)):
                key_screen.values.append(shown)
                key_done.values.append(done)
    except Exception as exc:
        key_screen.error = key_done.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    return [cold, warm, no_digest, interdiff, key_screen, key_done]

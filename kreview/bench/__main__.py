"""python -m kreview.bench: measure kreview on a big mailbox and print a table.

  python -m kreview.bench                       generated 100,000 messages (seed 1), built once
  python -m kreview.bench --messages 20000      a smaller generated mailbox
  python -m kreview.bench --notmuch-config FILE any notmuch database (targets found in it)
  ... --runs 5 --skip-tmux --json
  python -m kreview.bench --check               short run, judged against the budget and baseline
  python -m kreview.bench --save-baseline       store this run's medians as the baseline
  python -m kreview.bench --only start --only session   only these groups of rows (--list names them)

Each row is the median of --runs runs. Rows that fail say why and the rest
still run. See kreview/bench/measure.py for what each level means.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kreview.bench import budget, measure, tmux_e2e
from kreview.bench.measure import Figure, Targets

BASELINE = Path(__file__).with_name("baseline.json")

# The benchmark's groups of rows, in the order they run: ``--only WORD``
# runs the groups whose name or words hold WORD (case does not matter), so a
# person can time one feature without the whole table (many minutes).
GROUPS: tuple[tuple[str, str], ...] = (
    ("notmuch", "notmuch search and the Store: first page, the big thread"),
    ("archive", "fill a thread from a local public-inbox server"),
    ("am", "kreview am: export of the big series"),
    ("list", "list size, G to the last thread, palette counts"),
    ("floor", "the floor app, headless"),
    ("in-process", "app in process: first page, open thread, big patch, series panel, keys to repaint"),
    ("comment", "comment mode on the big patch"),
    ("series-view", "series view cold and warm, interdiff of the big series (on a working copy of the database)"),
    ("start", "tmux: floor and kreview start to their first screen, in turns"),
    ("session", "tmux: a reading session (open thread, big patch, series panel, keys, RSS memory)"),
)


def selected(only: list[str] | None) -> list[str]:
    """The groups ``--only`` asks for (every group without it)."""
    if not only:
        return [name for name, _ in GROUPS]
    words = [w.lower() for w in only]
    return [name for name, about in GROUPS if any(w in name or w in about.lower() for w in words)]


def _log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


# The kreview program the tmux rows start (--kreview): by default the one
# installed beside this Python; another checkout's, to time a before/after
# pair with the same benchmark code.
KREVIEW_PROGRAM: list[Path] = []


def _kreview_argv(config: Path, query: str) -> list[str]:
    if KREVIEW_PROGRAM:
        return [str(KREVIEW_PROGRAM[0]), "--notmuch-config", str(config), query]
    script = Path(sys.executable).with_name("kreview")
    head = [str(script)] if script.exists() else [sys.executable, "-c", "import sys; from kreview.cli import main; sys.exit(main())"]
    return head + ["--notmuch-config", str(config), query]


def _subject_marker(subject: str) -> str:
    # What the list's Subject column surely shows of it: the first 30 characters.
    return subject.strip()[:30]


def _headers(screen: str) -> tuple[str, ...]:
    """The shown message's header lines: they change when another message is shown."""
    return tuple(re.findall(r"▕ (?:From|Date|Subject): .*", screen))


SETTLE = 1.0  # seconds between the first screen and the first key of a reading session


def tmux_session_run(config: Path, targets: Targets, big_patch_subject: str, env: dict[str, str],
                     keys: int = 5) -> dict[str, list[float]]:
    """Two kreview processes in tmux doing what a reviewer does; returns times per step.

    Only navigation keys are sent (arrows, PageDown, Enter, Tab, j, q): typed
    text that lands on the wrong widget would run tag or archive commands and
    change the database being measured. So the threads to open are chosen by
    the command-line query, not typed into the search field."""
    out: dict[str, list[float]] = {k: [] for k in ("start", "list_key", "open_big_thread", "big_patch",
                                                    "body_key", "series_panel", "rss_kib", "rss_settled_kib")}
    with tmux_e2e.TmuxSession() as tmux:
        elapsed, screen = _start_to_first_rows(tmux, config, targets, env)
        out["start"].append(elapsed)
        for _ in range(keys):  # page down in the thread list: the rows shown change
            t = tmux.send_keys("PageDown")
            seen, screen = tmux.wait_for(lambda s, before=screen: s != before, 30)
            out["list_key"].append(seen - t)

    wanted = list(dict.fromkeys((targets.big_thread, targets.big_patch_thread, targets.series_thread)))
    query = " or ".join(f"thread:{tid}" for tid in wanted)
    from kreview.core.store import Store

    rows = [t.thread_id for t in Store(config).iter_threads(query)]
    thread_shown = lambda s: "Loading thread" not in s and "▕ Subject: " in s  # noqa: E731
    with tmux_e2e.TmuxSession() as tmux:
        tmux.start(_kreview_argv(config, query), env)
        tmux.wait_for(tmux_e2e.matches(rf": {len(rows)} threads"), 120)
        # A reviewer reads the list before opening a thread: Enter is timed
        # on a settled app, not on one still finishing its start-up (the
        # start is its own row above).
        time.sleep(SETTLE)
        pid = tmux.pane_pid()
        cursor = 0

        def open_row(thread_id: str) -> float:
            """Move the list cursor to the thread (untimed), read the row as a
            reviewer does (measure.READ_ROW), press Enter; returns the time of Enter."""
            nonlocal cursor
            target = rows.index(thread_id)
            while cursor != target:
                before = tmux.capture(styles=True)
                tmux.send_keys("Down" if target > cursor else "Up")
                tmux.wait_for(lambda s: s != before, 30, styles=True)
                cursor += 1 if target > cursor else -1
            time.sleep(measure.READ_ROW)
            return tmux.send_keys("Enter")

        def back() -> None:
            tmux.send_keys("q")
            tmux.wait_for(tmux_e2e.matches(rf": {len(rows)} threads"), 30)

        t = open_row(targets.big_thread)
        seen, screen = tmux.wait_for(thread_shown, 120)
        out["open_big_thread"].append(seen - t)
        back()

        # Timed from Enter: when the big patch is the thread's first message,
        # opening the thread is what shows it.
        t = open_row(targets.big_patch_thread)
        seen, screen = tmux.wait_for(thread_shown, 120)
        marker = "Subject: " + big_patch_subject[:40]
        for _ in range(60):  # j through the thread until the big patch is shown
            if marker in screen:
                break
            t = tmux.send_keys("j")
            seen, screen = tmux.wait_for(
                lambda s, before=_headers(screen): _headers(s) and _headers(s) != before, 60)
        if marker in screen:
            out["big_patch"].append(seen - t)
            tmux.send_keys("Tab")
            time.sleep(0.2)
            screen = tmux.capture(styles=True)
            for _ in range(keys):  # the first pages move the cursor highlight only
                t = tmux.send_keys("PageDown")
                seen, screen = tmux.wait_for(lambda s, before=screen: s != before, 30, styles=True)
                out["body_key"].append(seen - t)
        back()

        t = open_row(targets.series_thread)
        seen, _ = tmux.wait_for(tmux_e2e.matches(r"A:\d+ R:\d+ T:\d+"), 120)
        out["series_panel"].append(seen - t)
        out["rss_kib"].append(tmux_e2e.rss_kib(pid))
        time.sleep(SETTLE)  # the reader reads the panel: work left for idle moments is done
        out["rss_settled_kib"].append(tmux_e2e.rss_kib(pid))
    return out


START_PAIRS_PER_RUN = 3  # floor/kreview start-up pairs per run: the closest-run row gets more samples


# CPU time (all threads) of the last process started by floor_tmux or
# _start_to_first_rows, read as soon as its first screen was seen.
_last_start_cpu: list[float] = []


def _note_cpu(tmux: tmux_e2e.TmuxSession) -> None:
    try:
        _last_start_cpu.append(tmux_e2e.cpu_seconds(tmux.pane_pid()))
    except (OSError, ValueError):
        pass


def _start_to_first_rows(tmux: tmux_e2e.TmuxSession, config: Path, targets: Targets,
                         env: dict[str, str]) -> tuple[float, str]:
    """Start kreview on '*' in ``tmux``: seconds to its first screen of threads, and that screen."""
    first_rows = tmux_e2e.matches(r"^ \S.*: \d+\+? .*thread")
    t0 = tmux.start(_kreview_argv(config, "*"), env)
    seen, screen = tmux.wait_for(lambda s: _subject_marker(targets.newest_subject) in s and first_rows(s), 120)
    _note_cpu(tmux)
    return seen - t0, screen


def kreview_start_tmux(config: Path, targets: Targets, env: dict[str, str]) -> float:
    """kreview started in tmux until its first screen of threads, and no more."""
    with tmux_e2e.TmuxSession() as tmux:
        return _start_to_first_rows(tmux, config, targets, env)[0]


def floor_tmux() -> float:
    with tmux_e2e.TmuxSession() as tmux:
        t0 = tmux.start([sys.executable, "-m", "kreview.bench.floor_app"])
        seen, _ = tmux.wait_for(tmux_e2e.contains("floor-row-10"), 60)
        _note_cpu(tmux)
        return seen - t0


def _compile_kreview() -> None:
    """Write kreview's bytecode before timing start-up, as installing a
    wheel does. From a source checkout with PYTHONDONTWRITEBYTECODE set
    (as on the machines this was written on), every start would otherwise
    compile each module changed since the last .pyc: tens of ms that a
    user's install never pays."""
    import compileall

    import kreview

    compileall.compile_dir(str(Path(kreview.__file__).parent), quiet=1)
    if KREVIEW_PROGRAM:  # another checkout's kreview: its own bytecode too
        python = KREVIEW_PROGRAM[0].with_name("python")
        subprocess.run([str(python) if python.exists() else sys.executable, "-c",
                        "import compileall, kreview, os; "
                        "compileall.compile_dir(os.path.dirname(kreview.__file__), quiet=1)"],
                       check=False, cwd="/")


def _quiet_machine_check() -> list[str]:
    """Clear what a killed earlier run left behind, and say what else is busy.

    The tmux servers of a benchmark killed mid-run (and the kreview in them)
    are ended: one still working would slow every row. Other kreview
    processes using the CPU are not ours to end; they are named in the
    report, whose figures they make worse."""
    warnings = []
    if tmux_e2e.available():
        swept = tmux_e2e.sweep_stale_servers()
        if swept:
            warnings.append(f"ended {len(swept)} tmux server(s) left by an earlier, killed benchmark")
    for pid, command in tmux_e2e.busy_kreview_processes({os.getpid()}):
        warnings.append(f"another kreview process was using the CPU when the run began: {pid} {command[:120]}")
    for warning in warnings:
        _log(f"warning: {warning}")
    return warnings


def run(args: argparse.Namespace) -> dict:
    _compile_kreview()
    warnings = _quiet_machine_check()
    info = None
    if args.notmuch_config:
        config = Path(args.notmuch_config).expanduser()
        source = str(config)
    else:
        from kreview.bench.generate import ensure_database

        db = ensure_database(args.messages, args.seed, log=_log)
        config, info = db.config, db.info
        source = f"generated {args.messages} messages, seed {args.seed} ({db.root})"
    from kreview.core.store import Store

    store = Store(config)
    _log("finding the threads to open")
    targets = measure.targets_from_info(store, info) if info else measure.find_targets(store)
    big_patch_subject = store.messages(f"id:{targets.big_patch}", limit=1)[0].subject
    with open(store.messages(f"id:{targets.big_patch}", limit=1)[0].path, "rb") as fh:
        big_patch_lines = fh.read().count(b"\n")
    # The bench runs kreview with no user config at all: defaults only.
    # (A directory removed when run() returns: the file in it never exists.)
    isolated = tempfile.TemporaryDirectory(prefix="kbench-")
    env = {"KREVIEW_CONFIG": str(Path(isolated.name) / "no-config.toml"), "NOTMUCH_CONFIG": str(config)}
    os.environ.update(env)
    runs = args.runs
    groups = selected(args.only)
    figures: list[Figure] = []

    def add(figure: Figure) -> None:
        figures.append(figure)
        shown = f"{figure.median:.3f}" if figure.median is not None else figure.error
        _log(f"{figure.name}: {shown.splitlines()[0] if shown else shown}")

    if "notmuch" in groups:
        _log("notmuch level")
        add(measure.repeat("notmuch search --limit=50 '*' (process)", runs,
                           lambda: measure.notmuch_search_cli(config)))
        add(measure.repeat("Store.iter_threads('*'): first 50 ThreadSummary", runs,
                           lambda: measure.store_first_page(config)))
        add(measure.repeat(f"Store.thread_messages, {targets.big_thread_size}-message thread", runs,
                           lambda: measure.store_thread(config, targets.big_thread)))
    if "archive" in groups:
        _log("archive: fill a thread from a local public-inbox server (alone: python -m kreview.bench.archive_fill)")
        from kreview.bench.archive_fill import fill_figure

        add(fill_figure(runs))
    if "am" in groups:
        from kreview.bench import am_export  # its own row, runnable alone: python -m kreview.bench.am_export

        add(am_export.figure(config, targets, runs))
    if "list" in groups:
        _log("list size and palette counts (alone: python -m kreview.bench.list_counts)")
        from kreview.bench.list_counts import figures as list_count_figures

        for figure in list_count_figures(config, runs):
            add(figure)
    if "floor" in groups:
        _log("floor")
        add(measure.repeat("floor app: process start to first screen (headless)", runs, measure.floor_headless))
    if "in-process" in groups:
        _in_process_rows(config, targets, big_patch_lines, runs, add)
    if "comment" in groups:
        _log("comment mode on the big patch (also alone: python -m kreview.bench.commenting)")
        try:
            from kreview.bench import commenting

            for figure in commenting.run(config, runs):
                add(figure)
        except Exception as exc:  # a failed row is reported, the others still run
            add(Figure("comment mode rows", "s", error=f"{type(exc).__name__}: {exc}"[:200]))
    if "series-view" in groups:
        _log("series view and interdiff, on a working copy (also alone: python -m kreview.bench.series_rows)")
        from kreview.bench import series_rows

        for figure in series_rows.bench_figures(config, info.big_series_cover if info else None, runs, _log):
            add(figure)
    if ("start" in groups or "session" in groups) and not args.skip_tmux:
        _tmux_rows(config, targets, big_patch_subject, big_patch_lines, env, runs, groups, add)
    return {"source": source, "runs": runs, "groups": groups, "warnings": warnings, "targets": targets.__dict__,
            "big_patch_lines": big_patch_lines, "figures": [f.as_dict() for f in figures]}


def _in_process_rows(config: Path, targets: Targets, big_patch_lines: int, runs: int, add) -> None:
    _log("in process (headless Pilot)")
    kept = measure.UnreadKept(config, targets)
    results = []
    for _ in range(runs):
        try:
            results.append(measure.in_process(config, targets))
        except Exception as exc:
            add(Figure("in-process run", "s", error=f"{type(exc).__name__}: {exc}"[:200]))
            break
        finally:
            kept.put_back()
    for attr, name in (
        ("first_page", "app (in-process): start to first page of threads painted"),
        ("open_big_thread", f"app (in-process): Enter on {targets.big_thread_size}-message thread to tree + message"),
        ("big_patch_first_paint", f"app (in-process): first paint of the {big_patch_lines}-line patch"),
        ("series_panel", f"app (in-process): Enter on series ({targets.series_size} msgs) to series panel"),
    ):
        if results:
            add(Figure(name, "s", [getattr(r, attr) for r in results]))
    rested = []  # the same Enters after the cursor rested on the row (read ahead), no scrolling keys
    for _ in range(runs if results else 0):
        rested.append(measure.in_process(config, targets, rest=measure.READ_ROW, keys=0))
        kept.put_back()
    for attr, name in (
        ("open_big_thread", f"app (in-process): Enter on {targets.big_thread_size}-message thread to tree + message"),
        ("big_patch_first_paint", f"app (in-process): first paint of the {big_patch_lines}-line patch"),
        ("series_panel", f"app (in-process): Enter on series ({targets.series_size} msgs) to series panel"),
    ):
        if rested:
            add(Figure(f"{name}, row read first ({measure.READ_ROW:g} s on it)", "s", [getattr(r, attr) for r in rested]))
    if results:
        add(Figure("app (in-process): j in thread list, key to repaint (keys 40 ms apart)", "s",
                   [v for r in results for v in r.list_key]))
        add(Figure("app (in-process): PageDown in thread list, key to repaint (keys 40 ms apart)", "s",
                   [v for r in results for v in r.list_page]))
        add(Figure("app (in-process): PageDown in the big patch, key to repaint (keys 40 ms apart)", "s",
                   [v for r in results for v in r.body_key]))
        add(Figure("app (in-process): j in thread list, key to repaint (back to back)", "s",
                   [v for r in results for v in r.list_key_burst]))
        add(Figure("app (in-process): PageDown in the big patch, key to repaint (back to back)", "s",
                   [v for r in results for v in r.body_key_burst]))


def _tmux_rows(config: Path, targets: Targets, big_patch_subject: str, big_patch_lines: int,
               env: dict[str, str], runs: int, groups: list[str], add) -> None:
    if not tmux_e2e.available():
        add(Figure("tmux rows", "s", error="tmux is not installed"))
        return
    _log("end to end (tmux 200x50)")
    # The floor and kreview start in turns, so both see the same
    # machine: this shared VM's speed drifts by tens of percent
    # within minutes, and a block of floor runs followed by a block
    # of kreview runs measured the drift as much as kreview.
    starts, reading = "start" in groups, "session" in groups
    sessions, floor_starts, kreview_starts, differences = [], [], [], []
    floor_cpu, kreview_cpu = [], []
    kept = measure.UnreadKept(config, targets) if reading else None
    for _ in range(runs):
        try:
            if not starts:  # the reading session alone
                sessions.append(tmux_session_run(config, targets, big_patch_subject, env))
                kept.put_back()
                continue
            for extra in range(START_PAIRS_PER_RUN):
                _last_start_cpu.clear()
                floor = floor_tmux()
                if extra == 0 and reading:
                    session = tmux_session_run(config, targets, big_patch_subject, env)
                    kept.put_back()
                    sessions.append(session)
                    start = session["start"][-1]
                else:
                    start = kreview_start_tmux(config, targets, env)
                floor_starts.append(floor)
                kreview_starts.append(start)
                differences.append(start - floor)
                if len(_last_start_cpu) == 2:
                    floor_cpu.append(_last_start_cpu[0])
                    kreview_cpu.append(_last_start_cpu[1])
        except Exception as exc:
            # One flaky session costs its own run only; the others still count.
            add(Figure("tmux kreview session (failed run)", "s", error=f"{type(exc).__name__}: {exc}"[:6000]))
            continue
    if starts:
        add(Figure("floor app in tmux: process start to first screen", "s", floor_starts))
        add(Figure("kreview '*' in tmux: process start to first screen of threads", "s", kreview_starts))
        add(Figure("kreview start minus floor start, taken in turns (tmux)", "s", differences))
        # CPU time (every thread) at the first screen: less hostage to a busy machine than wall time.
        add(Figure("floor app in tmux: CPU time at first screen", "s", floor_cpu))
        add(Figure("kreview '*' in tmux: CPU time at first screen of threads", "s", kreview_cpu))
        add(Figure("kreview CPU time minus floor CPU time at first screen (tmux)", "s",
                   [k - f for f, k in zip(floor_cpu, kreview_cpu)]))
    if not reading:
        return
    for key, name, unit in (
        ("list_key", "tmux: PageDown in thread list, key to new screen", "s"),
        ("open_big_thread", f"tmux: Enter on {targets.big_thread_size}-message thread to tree + message", "s"),
        ("big_patch", f"tmux: open the {big_patch_lines}-line patch (Enter, or j to it), key to its first screen", "s"),
        ("body_key", "tmux: PageDown in the big patch, key to new screen", "s"),
        ("series_panel", f"tmux: Enter on series ({targets.series_size} msgs) to series panel", "s"),
        ("rss_kib", "kreview RSS after opening those 3 threads (VmRSS)", "KiB"),
        ("rss_settled_kib", f"kreview RSS {SETTLE:.0f} s later (VmRSS, settled)", "KiB"),
    ):
        values = [v for s in sessions for v in s[key]]
        if sessions:
            add(Figure(name, unit, values, error="" if values else "step not reached"))


def print_table(report: dict) -> None:
    rows = report["figures"]
    width = max(len(r["name"]) for r in rows)
    print(f"kreview bench: {report['source']} (median of {report['runs']} runs)")
    for warning in report.get("warnings", ()):
        print(f"warning: {warning}")
    print(f"{'measurement':<{width}}  {'median':>10}  {'min':>9}  {'max':>9}  n")
    for r in rows:
        if r["median"] is None:
            print(f"{r['name']:<{width}}  {'-':>10}  {r['error'].splitlines()[0] if r['error'] else ''}")
            continue
        scale, unit = (1000, "ms") if r["unit"] == "s" else (1 / 1024, "MiB")
        vals = r["values"]
        print(f"{r['name']:<{width}}  {r['median'] * scale:>7.1f} {unit:<3}{min(vals) * scale:>8.1f}  "
              f"{max(vals) * scale:>8.1f}  {len(vals)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--notmuch-config", metavar="FILE", help="measure this database instead of the generated one")
    parser.add_argument("--runs", type=int, default=None, help="runs per row (default 5; 3 with --check)")
    parser.add_argument("--skip-tmux", action="store_true")
    parser.add_argument("--only", metavar="WORD", action="append",
                        help="run only the groups of rows whose name or description holds WORD "
                             "(repeatable; --list shows them)")
    parser.add_argument("--list", action="store_true", help="list the groups of rows and exit")
    parser.add_argument("--kreview", metavar="PROGRAM", type=Path,
                        help="the kreview the tmux rows start (default: the one beside this Python), "
                             "e.g. another checkout's .venv/bin/kreview for a before/after pair")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true",
                        help="a short run (3 runs unless --runs), judged against the budget and the "
                             "baseline; exits 1 when a row fails")
    parser.add_argument("--save-baseline", action="store_true", help="store this run's medians as the baseline")
    parser.add_argument("--baseline", metavar="FILE", type=Path, default=BASELINE,
                        help=f"baseline file (default {BASELINE.name} beside the benchmark)")
    args = parser.parse_args(argv)
    if args.list:
        for name, about in GROUPS:
            print(f"{name:<12} {about}")
        return 0
    if args.only and not selected(args.only):
        parser.error(f"no group of rows matches {args.only}; --list shows them")
    if args.kreview:
        KREVIEW_PROGRAM[:] = [args.kreview.expanduser().resolve()]
    if args.runs is None:
        args.runs = 3 if args.check else 5
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    key = _baseline_key(args)
    # Judged against the baseline stored before this run (with --save-baseline
    # too, the run is not compared with itself).
    verdicts = budget.judge(report, budget.load_baseline(args.baseline, key)) if args.check else []
    if args.save_baseline:
        # A partial run (--only) updates its own rows and keeps the others.
        budget.save_baseline(args.baseline, key, report, merge=bool(args.only))
        print(f"baseline for {key} saved in {args.baseline}")
    if args.check:
        print()
        budget.print_verdicts(verdicts, report["source"])
        return 0 if all(v.ok for v in verdicts) else 1
    return 0


def _baseline_key(args: argparse.Namespace) -> str:
    """Baselines are per mailbox: the generated one by size and seed, others by config path."""
    if args.notmuch_config:
        return str(Path(args.notmuch_config).expanduser().resolve())
    return f"generated-{args.messages}-{args.seed}"


if __name__ == "__main__":
    raise SystemExit(main())

"""python -m kreview.bench.key_rows: only the "key to its screen" rows of the benchmark.

  python -m kreview.bench.key_rows --notmuch-config FILE [--runs 5] [--skip-tmux] [--skip-in-process]

Opening the biggest thread, the first paint of the biggest patch and the
series panel, measured by the same code as ``python -m kreview.bench``
(measure._in_process headless, and the tmux reading session), without the
rest of the benchmark (minutes, and a busy machine for everyone else).

Opening a thread marks its first message read: give it a COPY of the
database. A generated mailbox is recognised by the generated.json beside
its maildir (its targets are named there); any other is searched for them.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

from kreview.bench import measure
from kreview.bench.measure import Figure, Targets
from kreview.core.store import Store


def targets_of(store: Store) -> Targets:
    from kreview.bench.generate import GeneratedInfo, info_path

    info_file = info_path(store.mail_root)
    if info_file.is_file():
        return measure.targets_from_info(store, GeneratedInfo.read(info_file))
    return measure.find_targets(store)


def big_patch_lines(store: Store, targets: Targets) -> tuple[str, int]:
    node = store.messages(f"id:{targets.big_patch}", limit=1)[0]
    with open(node.path, "rb") as fh:
        return node.subject, fh.read().count(b"\n")


def in_process_rows(config: Path, targets: Targets, runs: int, size=(200, 50),
                    rest: float = 0.0) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"open_big_thread": [], "big_patch_first_paint": [], "series_panel": []}
    for _ in range(runs):
        result = asyncio.run(measure._in_process(Store(config), targets, size=size, keys=2, rest=rest))
        for key in out:
            out[key].append(getattr(result, key))
    return out


def tmux_rows(config: Path, targets: Targets, subject: str, runs: int) -> dict[str, list[float]]:
    from kreview.bench.__main__ import tmux_session_run

    isolated = tempfile.TemporaryDirectory(prefix="kbench-")
    env = {"KREVIEW_CONFIG": str(Path(isolated.name) / "no-config.toml"), "NOTMUCH_CONFIG": str(config)}
    out: dict[str, list[float]] = {"open_big_thread": [], "big_patch": [], "series_panel": []}
    for _ in range(runs):
        session = tmux_session_run(config, targets, subject, env, keys=1)
        for key in out:
            out[key].extend(session[key])
    return out


def _shown(values: list[float]) -> str:
    if not values:
        return "-"
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):6.1f} ms  ({min(ms):.0f}-{max(ms):.0f}, n={len(ms)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.key_rows", description=__doc__.splitlines()[0])
    parser.add_argument("--notmuch-config", required=True, help="config of a COPY of the database")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-tmux", action="store_true")
    parser.add_argument("--skip-in-process", action="store_true")
    args = parser.parse_args(argv)
    config = Path(args.notmuch_config).expanduser()
    store = Store(config)
    targets = targets_of(store)
    subject, lines = big_patch_lines(store, targets)
    figures: list[Figure] = []
    if not args.skip_in_process:
        for rest in (0.0, measure.READ_ROW):
            rows = in_process_rows(config, targets, args.runs, rest=rest)
            tail = f", row read first ({rest:g} s on it)" if rest else ""
            figures += [
                Figure(f"app (in-process): Enter on {targets.big_thread_size}-message thread to tree + message{tail}",
                       "s", rows["open_big_thread"]),
                Figure(f"app (in-process): first paint of the {lines}-line patch{tail}", "s",
                       rows["big_patch_first_paint"]),
                Figure(f"app (in-process): Enter on series ({targets.series_size} msgs) to series panel{tail}", "s",
                       rows["series_panel"]),
            ]
    if not args.skip_tmux:
        rows = tmux_rows(config, targets, subject, args.runs)
        figures += [
            Figure(f"tmux: Enter on {targets.big_thread_size}-message thread to tree + message", "s",
                   rows["open_big_thread"]),
            Figure(f"tmux: open the {lines}-line patch (Enter, or j to it), key to its first screen", "s",
                   rows["big_patch"]),
            Figure(f"tmux: Enter on series ({targets.series_size} msgs) to series panel", "s", rows["series_panel"]),
        ]
    width = max((len(f.name) for f in figures), default=0)
    for figure in figures:
        print(f"{figure.name:<{width}}  {_shown(figure.values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

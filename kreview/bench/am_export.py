"""The ``kreview am`` row of the benchmark, runnable on its own:

    python -m kreview.bench.am_export                       # generated 100,000-message mailbox
    python -m kreview.bench.am_export --notmuch-config /work/wt/nvdimm-db/notmuch-config

Times the export of the series thread with the most replies (on the
generated mailbox: 40 patches, 300 replies), in process, as ``kreview am
thread:ID`` does it: find the thread's messages, collect every trailer (every
file of the thread is read), write the am mbox into a temporary directory.
Goal: at most 0.5 s.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kreview.bench import measure


def am_export(config: Path, thread_id: str) -> float:
    from kreview.core.am import AmOptions, export_am, find_series
    from kreview.core.store import Store

    with tempfile.TemporaryDirectory(prefix="kbench-am-") as out:
        started = time.perf_counter()
        found = find_series(Store(config), f"thread:{thread_id}")
        export_am(found, out, AmOptions(partial=True, cover=True))
        return time.perf_counter() - started


def figure(config: Path, targets: measure.Targets, runs: int) -> measure.Figure:
    return measure.repeat(f"kreview am: export of the series thread ({targets.series_size} msgs)", runs,
                          lambda: am_export(config, targets.series_thread))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.am_export", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--notmuch-config", metavar="FILE")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from kreview.core.store import Store

    if args.notmuch_config:
        config, info = Path(args.notmuch_config).expanduser(), None
    else:
        from kreview.bench.generate import ensure_database

        db = ensure_database(args.messages, args.seed)
        config, info = db.config, db.info
    store = Store(config)
    targets = measure.targets_from_info(store, info) if info else measure.find_targets(store)
    result = figure(config, targets, args.runs)
    if result.error:
        print(f"{result.name}: {result.error}")
        return 1
    values = sorted(result.values)
    print(f"{result.name}: median {result.median * 1000:.0f} ms "
          f"(min {values[0] * 1000:.0f}, max {values[-1] * 1000:.0f}, {len(values)} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time to fill a 300-message thread from a local public-inbox server.

  python -m kreview.bench.archive_fill [--runs 7] [--json]

Builds a public-inbox inbox in a temporary directory (the sample mailbox plus
a generated 300-message thread), serves it with public-inbox-httpd on
127.0.0.1, and per run: a fresh notmuch database holding the sample and the
thread's first message only, then ``fetch_thread`` on that message, timed
from the request to the last message indexed (299 added). Needs public-inbox
(``make test`` installs it); touches no database of yours.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kreview.bench.measure import Figure

NAME = "kreview fetch: fill a 300-message thread from a local public-inbox server (299 added)"


def fill_figure(runs: int, sample: Path | None = None) -> Figure:
    """The figure for the bench table (an error row when public-inbox is missing)."""
    from kreview.bench.public_inbox import BIG_ROOT, BIG_SIZE, HttpServer, build_archive, missing_tools

    missing = missing_tools()
    if missing:
        return Figure(NAME, "s", error=f"public-inbox is not installed (no {', '.join(missing)})")
    from kreview import paths
    from kreview.core.archive import ArchiveClient
    from kreview.core.demo import build_database
    from kreview.core.drafts import deliver, maildir
    from kreview.core.fetching import Delivery, delivery_tags, fetch_thread
    from kreview.core.store import Store

    sample = sample or paths.sample_maildir_dir()
    figure = Figure(NAME, "s")
    with tempfile.TemporaryDirectory(prefix="kbench-archive-") as tmp:
        root = Path(tmp)
        inbox = build_archive(root / "archive", sample)
        server = HttpServer(inbox).start()
        try:
            indexed = root / "indexed"
            build_database(sample, indexed)
            root_file = next((root / "archive" / "big" / "cur").glob("*.000000.big*"))
            for run in range(runs):
                db = root / f"run-{run}"
                shutil.copytree(indexed, db, symlinks=True)
                config = db / "notmuch-config"
                config.write_text(config.read_text().replace(str(indexed), str(db)))
                store = Store(config)
                store.index_file(deliver(maildir(store, "INBOX"), root_file.read_bytes(), "S"), ["inbox"])
                how = Delivery(tags=delivery_tags(store.settings.new_tags))
                began = time.perf_counter()
                report = fetch_thread(store, ArchiveClient((server.base_url,)), [BIG_ROOT], how)
                took = time.perf_counter() - began
                if len(report.added) != BIG_SIZE - 1:
                    figure.error = f"run {run}: added {len(report.added)}, expected {BIG_SIZE - 1}"
                    break
                figure.values.append(took)
                shutil.rmtree(db)
        finally:
            server.stop()
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kreview.bench.archive_fill", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figure = fill_figure(max(1, args.runs))
    if args.json:
        print(json.dumps(figure.as_dict(), indent=2))
    elif figure.error:
        print(f"{figure.name}: {figure.error}", file=sys.stderr)
        return 1
    else:
        ms = sorted(v * 1000 for v in figure.values)
        print(f"{figure.name}: median {figure.median * 1000:.0f} ms, min {ms[0]:.0f}, max {ms[-1]:.0f} "
              f"(n={len(ms)}): {', '.join(f'{v:.0f}' for v in ms)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

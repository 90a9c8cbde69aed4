"""``kreview series QUERY [--json]``: every series the query matches, one row
per version chain (its newest version), with its status.

The rows come from the series index kept as notmuch properties (see
:mod:`kreview.core.series_index`), brought up to date first (only what
changed since the last run is read; ``--no-refresh`` skips even that).
The JSON shape is built by :func:`kreview.core.series_index.rows_as_json`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from kreview.cli.arguments import add_subcommand
from kreview.core.series_index import STATUS_ORDER, ChainRow, chain_rows, refresh, rows_as_json, status_counts


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "series", run,
        help="print the patch series (version chains) a query matches, with their status",
        description="One row per series (its newest version): version, A/R/T, patches, last "
                    "activity and whose turn it is (new, needs my review, reviewed by me, changes "
                    "requested, author replied, superseded, applied, discussed).",
        query="notmuch query (default: every series)",
        query_nargs="*",
        json="print JSON (shape in kreview.core.series_index)",
    )
    parser.add_argument("--status", action="append", metavar="STATUS",
                        help="only series with this status (repeatable)")
    parser.add_argument("--no-refresh", action="store_true", help="print the index as it is; read no mail")
    parser.add_argument("--rebuild", action="store_true", help="read every series again (slow)")


def run(args: argparse.Namespace, store, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not args.no_refresh:
        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\rkreview: indexing series: {done}/{total} threads")
        from kreview.core.store import DatabaseLocked

        try:
            from kreview import paths

            result = refresh(store, progress, full=args.rebuild, cache_dir=paths.cache_dir())
        except DatabaseLocked as exc:  # the index as it is beats no answer
            print(f"kreview: series index not refreshed: {exc}", file=sys.stderr)
            result = None
        if result is not None and result.full and sys.stderr.isatty():
            sys.stderr.write(f"\rkreview: indexed {result.chains_written} series in {result.seconds:.1f} s\n")
    from kreview import paths

    rows = chain_rows(store, " ".join(args.query) or "*", paths.cache_dir())
    if args.status:
        wanted = {s.replace("-", " ") for s in args.status}
        rows = [r for r in rows if r.status in wanted]
    if args.json:
        json.dump(rows_as_json(rows), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(render_table(rows))
    return 0


def render_table(rows: list[ChainRow]) -> str:
    if not rows:
        return "No patch series found.\n"
    lines = []
    for row in rows:
        v = row.newest
        a, r, t = v.art
        day = time.strftime("%Y-%m-%d", time.gmtime(row.last_activity))
        lines.append(f"{row.status:<17}  v{v.version:<2} {a}/{r}/{t:<3} {v.total:>3}p  {day}  "
                     f"{row.title}  ({row.author_name}; v{', v'.join(str(x.version) for x in row.versions)})")
    counts = status_counts(rows)
    lines.append("")
    lines.append("  ".join(f"{s}: {counts[s]}" for s in STATUS_ORDER if s in counts))
    return "\n".join(lines) + "\n"

"""``kreview search QUERY [--json] [--limit N] [--oldest-first] [--counts]``:
the threads a query finds, as the reader's thread list shows them.

Muted threads are left out unless the query names them (the list's rule,
:mod:`kreview.core.muting`). ``--counts`` adds each series' A/R/T (distinct
people who acked, reviewed, tested its newest version), the list's column:
it reads every message of the threads that hold patches, so it is asked
for, not given by default.

JSON shape::

    {"query": "...", "threads": [{"thread_id", "subject", "authors": [...],
      "newest_date", "oldest_date" (epoch seconds), "matched", "total",
      "tags": [...], "counts": {"A", "R", "T"} or null (with --counts)}]}
"""
from __future__ import annotations

import argparse
import sys
import time
from itertools import islice

from kreview.cli.arguments import add_subcommand
from kreview.cli.output import json_text, write_text
from kreview.core.model import ThreadSummary, author_names
from kreview.core.muting import without_muted


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "search", run,
        help="list the threads matching QUERY, as the thread list shows them",
        description="List the threads matching QUERY, newest first, with their authors, "
                    "message counts and tags. Muted threads are left out unless QUERY names "
                    "tag:muted.",
        query="notmuch query",
        json="print JSON instead of text",
    )
    parser.add_argument("--limit", type=_positive, default=None, metavar="N", help="at most N threads")
    parser.add_argument("--oldest-first", action="store_true", help="oldest threads first")
    parser.add_argument("--counts", action="store_true",
                        help="add each series' A/R/T counts (reads the threads that hold patches)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run(args: argparse.Namespace, store) -> int:
    query = " ".join(args.query)
    threads = store.iter_threads(without_muted(query), newest_first=not args.oldest_first)
    try:
        found = list(islice(threads, args.limit))
    finally:
        threads.close()  # the database stays open until the generator ends
    counts = _counts(store, found) if args.counts else None
    if args.json:
        rows = [_as_json(t, counts) for t in found]
        sys.stdout.write(json_text({"query": query, "threads": rows}, indent=1) + "\n")
    else:
        write_text("".join(_as_text(t, counts) + "\n" for t in found))
    return 0


def _counts(store, found: list[ThreadSummary]) -> dict[str, tuple[int, int, int] | None]:
    from kreview.core.review import TrailerCountCache

    cache = TrailerCountCache(store)
    return {t.thread_id: cache.get(t) for t in found}


def _as_json(summary: ThreadSummary, counts) -> dict:
    row = {
        "thread_id": summary.thread_id,
        "subject": summary.subject,
        "authors": author_names(summary.authors),
        "newest_date": summary.newest_date,
        "oldest_date": summary.oldest_date,
        "matched": summary.matched,
        "total": summary.total,
        "tags": sorted(summary.tags),
    }
    if counts is not None:
        art = counts.get(summary.thread_id)
        row["counts"] = dict(zip("ART", art)) if art is not None else None
    return row


def _as_text(summary: ThreadSummary, counts) -> str:
    """notmuch search's line: thread, date, [matched/total], authors; subject
    (tags), with A/R/T after the count when asked."""
    date = time.strftime("%Y-%m-%d", time.localtime(summary.newest_date)) if summary.newest_date > 0 else "(no date)"
    art = ""
    if counts is not None:
        values = counts.get(summary.thread_id)
        art = " A:{} R:{} T:{}".format(*values) if values is not None else " -"
    tags = " ".join(sorted(summary.tags))
    return (f"thread:{summary.thread_id}  {date} [{summary.matched}/{summary.total}]{art} "
            f"{', '.join(author_names(summary.authors))}; {summary.subject} ({tags})")

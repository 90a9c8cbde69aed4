"""``kreview trailers QUERY [--json]``: the series a query finds, with the
trailers each patch collected.

The JSON shape is documented (and built) in :mod:`kreview.core.review`.
The table marks suspect trailers (address not the sender's) with ``?`` and
says which message each trailer came from.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from kreview.core.review import load_series, reviews_as_json
from kreview.core.trailers import SeriesReview

_ORIGIN = {"patch": "in patch", "reply": "reply", "cover-reply": "cover reply"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "trailers",
        help="print patch series and the trailers per patch",
        description="Print the patch series in the threads matching QUERY, with the "
                    "Reviewed-by/Acked-by/Tested-by... trailers each patch collected, "
                    "counted the way 'b4 am' counts them.",
    )
    parser.add_argument("query", nargs="+", help="notmuch query (e.g. id:MSGID or 'subject:foo')")
    parser.add_argument("--json", action="store_true", help="print JSON (shape documented in kreview.core.review)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, store, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    reviews = load_series(store, " ".join(args.query))
    if args.json:
        from kreview.core.carry import add_carried_json  # trailer "carried_from": issue 15

        json.dump(add_carried_json(store, reviews, reviews_as_json(reviews)), out, indent=2)
        out.write("\n")
    else:
        out.write(render_table(reviews))
    return 0


def render_table(reviews: list[SeriesReview]) -> str:
    if not reviews:
        return "No patch series found.\n"
    lines: list[str] = []
    for review in reviews:
        s = review.series
        a, r, t = review.art
        rfc = " RFC" if s.is_rfc else ""
        lines.append(f"{s.title}  (v{s.version}{rfc}, {s.total} patch{'es' if s.total != 1 else ''}, "
                     f"A:{a} R:{r} T:{t})")
        lines.append(f"  cover: <{s.cover_id}>" if s.cover_id else "  cover: none")
        width = len(str(s.total))
        for p in review.patches:
            if p.missing:
                lines.append(f"  {p.index:>{width}}/{s.total}  (missing)")
                continue
            pa, pr, pt = p.art
            flag = "" if p.reviewed else "  [no review]"
            lines.append(f"  {p.index:>{width}}/{s.total}  A:{pa} R:{pr} T:{pt}  {p.subject}{flag}")
            for tr in p.trailers:
                mark = "?" if tr.suspect else " "
                note = " (suspect: not the sender's address)" if tr.suspect else ""
                lines.append(f"      {mark} {tr.kind}: {tr.value}  "
                             f"[{_ORIGIN.get(tr.origin, tr.origin)} <{tr.message_id}>]{note}")
        lines.append("")
    return "\n".join(lines)

"""``kreview trailers QUERY [--json]``: the series a query finds, with the
trailers each patch collected.

The JSON shape is documented (and built) in :mod:`kreview.core.review`.
The table marks suspect trailers with ``?`` and says why they are suspect
(not counted), which message each trailer came from, and the flags of a
patch slot (extra, carried from an earlier version, unthreaded).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from kreview.cli.arguments import add_subcommand
from kreview.cli.output import write_text
from kreview.core.review import load_series, reviews_as_json
from kreview.core.sanitize import clean_line
from kreview.core.trailers import SeriesReview

_ORIGIN = {"patch": "in patch", "reply": "reply", "cover-reply": "cover reply"}


def register(subparsers) -> None:
    add_subcommand(
        subparsers, "trailers", run,
        help="print patch series and the trailers per patch",
        description="Print the patch series in the threads matching QUERY, with the "
                    "Reviewed-by/Acked-by/Tested-by... trailers each patch collected, "
                    "counted the way 'b4 am' counts them.",
        query="notmuch query (e.g. id:MSGID or 'subject:foo')",
        json="print JSON (shape documented in kreview.core.review)",
    )


def run(args: argparse.Namespace, store, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    reviews = load_series(store, " ".join(args.query))
    if args.json:
        from kreview.core.carry import add_carried_json  # trailer "carried_from": issue 15

        json.dump(add_carried_json(store, reviews, reviews_as_json(reviews)), out, indent=2)
        out.write("\n")
    else:
        write_text(render_table(reviews), out)
    return 0


def render_table(reviews: list[SeriesReview]) -> str:
    """The text table; each mail field on one line (clean_line), and the
    caller cleans the whole (write_text): a Message-ID is mail text too."""
    if not reviews:
        return "No patch series found.\n"
    lines: list[str] = []
    for review in reviews:
        s = review.series
        a, r, t = review.art
        rfc = " RFC" if s.is_rfc else ""
        notes = "".join([", unthreaded" if s.unthreaded else "",
                         f", completed from v{s.rerolled_from}" if s.rerolled_from else ""])
        lines.append(f"{clean_line(s.title)}  (v{s.revision or s.version}{rfc}, {s.total} "
                     f"patch{'es' if s.total != 1 else ''}{notes}, A:{a} R:{r} T:{t})")
        carried = f" (from v{s.rerolled_from})" if s.cover_carried else ""
        lines.append(f"  cover: <{clean_line(s.cover_id)}>{carried}" if s.cover_id else "  cover: none")
        width = len(str(s.total))
        for p in review.patches:
            if p.missing:
                lines.append(f"  {p.index:>{width}}/{s.total}  (missing)")
                continue
            pa, pr, pt = p.art
            flag = "" if p.reviewed else "  [no review]"
            flag += "".join(f"  [{f}]" for f in p.flags)
            lines.append(f"  {p.index:>{width}}/{s.total}  A:{pa} R:{pr} T:{pt}  {clean_line(p.subject)}{flag}")
            for tr in p.trailers:
                mark = "?" if tr.suspect else " "
                note = f" (suspect: {clean_line(tr.suspect_reason or 'not counted')})" if tr.suspect else ""
                lines.append(f"      {mark} {clean_line(tr.kind)}: {clean_line(tr.value)}  "
                             f"[{_ORIGIN.get(tr.origin, tr.origin)} <{clean_line(tr.message_id)}>]{note}")
        lines.append("")
    return "\n".join(lines)

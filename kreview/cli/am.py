"""``kreview am QUERY``: an am-ready mbox of the series the query finds, with
the trailers its patches collected (see :mod:`kreview.core.am`).

Prints b4 am's summary (patches, the trailers added, the cover, the link,
the ``git am`` line) on stderr and nothing else, or with ``--json``:
``{"mbox": str, "cover": str | null, "version": int, "patches": [{"index",
"message_id", "subject", "added_trailers": [str]}], "missing": [int]}``
on stdout (paths absolute, trailer lines as written).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from kreview.cli.arguments import add_subcommand
from kreview.core.am import AmError, AmOptions, export_am, find_series, summary
from kreview.core.sanitize import clean


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "am", run,
        help="write an am-ready mbox of a series with its collected trailers",
        description="Write the patch series found by QUERY (its newest version, or -v N) "
                    "as an mbox for 'git am', each commit message with the Reviewed-by/"
                    "Acked-by/Tested-by... trailers collected from the replies, like "
                    "'b4 am' but from your local mail.",
        query="notmuch query (e.g. id:MSGID of any message of the thread)",
        json="print what was written as JSON on stdout",
    )
    parser.add_argument("-o", "--outdir", default=".", help="directory to write into (default: .)")
    parser.add_argument("-v", "--use-version", dest="version", type=int, metavar="N",
                        help="the version to take (default: the newest found)")
    parser.add_argument("-c", "--cover", action="store_true", help="also write the cover letter to SLUG.cover")
    parser.add_argument("-l", "--link", action="store_true",
                        help="add a Link: trailer to each patch (archive from config am_link_mask)")
    parser.add_argument("-s", "--signoff", action="store_true",
                        help="add your Signed-off-by (identity from the notmuch or kreview config) last")
    parser.add_argument("-t", "--no-trailers", action="store_true", help="add no collected trailers")
    parser.add_argument("-S", "--sloppy", action="store_true",
                        help="also add suspect trailers (address not the sender's)")
    parser.add_argument("--partial", action="store_true", help="write the patches that exist when some are missing")
    parser.add_argument("-3", "--threeway", action="store_true", help="print 'git am -3' in the summary")


def _signoff(store, config) -> str:
    identity = store.identity
    override = getattr(config, "identity", None)
    if override is not None:
        identity = override.apply(identity)
    if not identity.primary_email:
        raise ValueError("-s needs your address: set user.primary_email in the notmuch config "
                         "or [identity] email in kreview's config")
    name = identity.name.strip()
    return f"{name} <{identity.primary_email}>" if name else identity.primary_email


def options_from(args: argparse.Namespace, store, config) -> AmOptions:
    return AmOptions(
        add_trailers=not args.no_trailers,
        add_link=args.link,
        link_mask=getattr(config, "am_link_mask", None) or AmOptions.link_mask,
        signoff=_signoff(store, config) if args.signoff else None,
        sloppy=args.sloppy,
        partial=args.partial,
        cover=args.cover,
    )


def run(args: argparse.Namespace, store, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    config = getattr(args, "kreview_config", None)
    try:
        found = find_series(store, " ".join(args.query), args.version)
        result = export_am(found, args.outdir, options_from(args, store, config))
    except AmError as exc:
        print(f"kreview am: {clean(str(exc))}", file=err)
        return 1
    err.write(summary(result, threeway=args.threeway))
    if args.json:
        json.dump(result.as_json(), out, indent=2)  # ASCII: no control byte of a subject reaches a terminal
        out.write("\n")
    return 0

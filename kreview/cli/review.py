"""``kreview review QUERY --comments FILE [--with reviewed-by]``: print the
review draft kreview would create from comments on the first (oldest)
message matching QUERY.

FILE is JSON (``-`` reads stdin)::

    [{"file": "mm/hmm.c", "line": 123, "side": "new", "end_line": null, "text": "..."}]

Line numbers are the file's, as in the hunk headers ("old" for removed
lines); ``"file": null`` names a line of the commit message by its line in
the body. A file or line the patch does not show is an error that says which.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kreview.cli.arguments import add_subcommand
from kreview.core.blocks import split_blocks
from kreview.core.comments import comments_from_json
from kreview.core.parse import read_message
from kreview.core.patch_index import index_blocks
from kreview.core.reply import REVIEW_TRAILERS
from kreview.core.review_reply import build_review_reply, parse_patch_numbers


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "review", run,
        help="print the review draft for comments on the first message matching QUERY",
        description="Print the review reply kreview would create from the comments in FILE on the "
                    "first (oldest) message matching QUERY: only the commented lines quoted, with "
                    "context and their diff headers, each comment below its lines.",
        query="notmuch query",
    )
    parser.add_argument("--comments", required=True, metavar="FILE",
                        help="JSON list of comments ('-' for stdin): "
                             '[{"file", "line", "side": "new"|"old", "end_line", "text"}]')
    parser.add_argument("--with", dest="trailer", choices=sorted(REVIEW_TRAILERS),
                        help="end with your trailer")
    parser.add_argument("--for-patches", metavar="N-M", help="scope the trailer (on a cover letter): 1-3,5")
    parser.add_argument("--context", type=int, default=None, metavar="N",
                        help="lines of context above each commented stretch (default: review_context_lines, 3)")


def run(args: argparse.Namespace, store) -> int:
    from kreview.cli.reply import identity_for

    raw = sys.stdin.read() if args.comments == "-" else Path(args.comments).read_text("utf-8")
    try:
        items = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"{args.comments}: not JSON ({exc})") from None
    query = " ".join(args.query)
    found = store.messages(query, limit=1)
    if not found:
        raise ValueError(f"no message matches {query!r}")
    path = store.file_of(found[0].message_id)
    if path is None:
        raise ValueError(f"message {found[0].message_id} has no file")
    parent = read_message(path)
    blocks = split_blocks(parent.text, patches=parent.patches)
    comments = comments_from_json(items, index_blocks(blocks))
    config = getattr(args, "kreview_config", None)
    context = args.context if args.context is not None else getattr(config, "review_context_lines", 3)
    scope = parse_patch_numbers(args.for_patches) if args.for_patches else ()
    draft = build_review_reply(parent, identity_for(args, store), comments, blocks=blocks,
                               trailer=args.trailer, scope=scope, context=context)
    sys.stdout.buffer.write(bytes(draft))
    sys.stdout.flush()
    return 0

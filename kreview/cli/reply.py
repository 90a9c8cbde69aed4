"""``kreview reply QUERY [--all] [--with reviewed-by]``: print the reply
draft kreview would open, like ``notmuch reply`` (the first, oldest matching
message is the parent)."""
from __future__ import annotations

import argparse

from kreview.cli.output import draft_for_terminal
from kreview.config import IdentityOverride
from kreview.cli.arguments import add_subcommand
from kreview.core.reply import REVIEW_TRAILERS, reply_to_message


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "reply", run,
        help="print the reply draft for the first message matching QUERY",
        description="Print the reply draft kreview would open for the first (oldest) message matching QUERY.",
        query="notmuch query",
    )
    parser.add_argument("--all", action="store_true", help="reply to all: keep every To/Cc recipient")
    parser.add_argument(
        "--with", dest="trailer", choices=sorted(REVIEW_TRAILERS), help="add your trailer below the quote"
    )


def identity_for(args: argparse.Namespace, store):
    """The notmuch identity, with the kreview config's [identity] override applied."""
    return IdentityOverride.applied(getattr(args, "kreview_config", None), store.identity)


def run(args: argparse.Namespace, store) -> int:
    query = " ".join(args.query)
    found = store.messages(query, limit=1)
    if not found:
        raise ValueError(f"no message matches {query!r}")
    options = {}
    if args.trailer:
        # As R/K/T do: a patch's commit message is quoted, not its diff (quote_on_trailer_reply).
        from kreview.core.parse import read_message
        from kreview.core.review_reply import build_review_reply, commit_message_quote

        mode = getattr(getattr(args, "kreview_config", None), "quote_on_trailer_reply", "message")
        path = store.file_of(found[0].message_id)
        head = commit_message_quote(read_message(path), mode) if path is not None else None
        if head == "":
            draft = build_review_reply(read_message(path), identity_for(args, store), [], trailer=args.trailer)
            draft_for_terminal(bytes(draft))  # exact bytes when piped, visible on a terminal
            return 0
        if head is not None:
            options["quote_text"] = head
    draft = reply_to_message(
        store, found[0].message_id, identity_for(args, store), reply_all=args.all, trailer=args.trailer, **options
    )
    draft_for_terminal(bytes(draft))
    return 0

"""``kreview tag +a -b -- QUERY``: tag from scripts through the store's
single write path (atomic, retried while `notmuch new` holds the lock)."""
from __future__ import annotations

import argparse
import re
import sys

from kreview.cli.arguments import add_subcommand
from kreview.cli.output import error_text
from kreview.core.tagops import parse_tag_ops

USAGE = "kreview tag [--demo] [--notmuch-config FILE] +TAG -TAG ... -- QUERY"


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "tag", run,
        usage=USAGE,
        help="add/remove tags on the messages matching QUERY",
        description="Add (+tag or a bare word before --) and remove (-tag) tags on every message matching QUERY.",
        add_help=False,  # "-h" would swallow tags like -hold; --help stays
    )
    parser.add_argument("--help", action="help", help="show this help message and exit")
    parser.add_argument("words", nargs=argparse.REMAINDER, metavar="+TAG -TAG -- QUERY")
    # argparse takes "-inbox" for an unknown option; treating every
    # single-dash word as a value (as it does for negative numbers) lets tag
    # removals through, while --demo/--help still match their options first.
    parser._negative_number_matcher = re.compile(r"^-[^-]")


def split_words(words: list[str]) -> tuple[str, str]:
    """("+a -b", "query"): split at "--", or, without it, after the leading
    +/- words (notmuch tag's own rule)."""
    if "--" in words:
        cut = words.index("--")
        return " ".join(words[:cut]), " ".join(words[cut + 1 :])
    cut = 0
    while cut < len(words) and words[cut][:1] in ("+", "-"):
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def run(args: argparse.Namespace, store) -> int:
    ops_text, query = split_words(list(args.words))
    ops = parse_tag_ops(ops_text)
    if not query.strip():
        raise ValueError("no query given: kreview tag +TAG -TAG -- QUERY")
    ids = [node.message_id for node in store.messages(query)]
    if not ids:
        raise ValueError(f"no message matches {query!r}")
    change = store.change_tags(ids, ops.add, ops.remove)
    count = len(change.message_ids)
    print(error_text(f"kreview: {ops.describe()} on {count} message{'s' if count != 1 else ''}"), file=sys.stderr)
    return 0

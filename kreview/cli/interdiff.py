"""``kreview interdiff MESSAGE-ID [--against VERSION] [--json]``: what changed in a
patch (or, given the cover letter, in every patch of the series) since the
previous version, or since VERSION. The JSON shape is documented in
:mod:`kreview.core.compare`."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from kreview.cli.arguments import add_subcommand
from kreview.core.compare import compare, comparison_as_json, comparison_lines


def register(subparsers) -> None:
    parser = add_subcommand(
        subparsers, "interdiff", run,
        help="print what changed in a patch or series since its previous version",
        description="Pair the patches of two versions (by title, then by patch-id) and print "
                    "the diff of each pair of diffs, with the commit-message changes.",
        json="print JSON (shape in kreview.core.compare)",
    )
    parser.add_argument("message_id", help="Message-ID of a patch, or of the cover letter for the whole series")
    parser.add_argument("--against", type=int, metavar="VERSION", help="compare with this version (default: previous)")


def run(args: argparse.Namespace, store, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    message_id = args.message_id.strip().removeprefix("id:").strip("<>")
    result = compare(store, message_id, args.against)
    if args.json:
        json.dump(comparison_as_json(result), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write("\n".join(comparison_lines(result)) + "\n")
    return 0

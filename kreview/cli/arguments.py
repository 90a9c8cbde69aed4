"""What every subcommand's parser has in common, said once: its name and
help, the notmuch QUERY words most of them take, the ``--json`` flag of
those whose output is a promised shape, and the ``run`` it calls."""
from __future__ import annotations

import argparse
from collections.abc import Callable


def add_subcommand(subparsers, name: str, run: Callable[..., int], *, help: str,  # noqa: A002 - argparse's name
                   description: str | None = None, query: str | None = None, query_nargs: str = "+",
                   json: str | None = None, **parser_options) -> argparse.ArgumentParser:
    """The parser of ``kreview NAME``. With ``query`` (its help text), the
    positional notmuch QUERY words (``query_nargs``: "+", or "*" for a
    command with a default); with ``json`` (its help text), ``--json``."""
    parser = subparsers.add_parser(name, help=help, description=description, **parser_options)
    if query is not None:
        parser.add_argument("query", nargs=query_nargs, help=query,
                            **({"default": ["*"]} if query_nargs == "*" else {}))
    if json is not None:
        parser.add_argument("--json", action="store_true", help=json)
    parser.set_defaults(run=run)
    return parser

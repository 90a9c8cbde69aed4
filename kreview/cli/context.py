"""From command-line arguments to a kreview Config and an open Store.

Shared by the reader and every subcommand, so ``kreview --demo show ...`` and
``kreview --demo`` look at the same database.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kreview.core.notmuch_config import find_config_file
from kreview.core.store import DatabaseMissing, Store

if TYPE_CHECKING:
    import argparse  # the reader's plain command line is read without it (kreview.cli)


def load_settings(args: argparse.Namespace):
    from kreview.config import load_config

    path = Path(args.config).expanduser() if getattr(args, "config", None) else None
    return load_config(path)


def demo_store() -> Store:
    from kreview import paths
    from kreview.core.demo import ensure_demo_database

    config = ensure_demo_database(paths.sample_maildir_dir(), paths.cache_dir())
    store = Store(config)
    store.is_demo = True
    return store


def open_store(args: argparse.Namespace, config) -> Store:
    """The user's notmuch database (with any tag write a killed kreview left
    half-done finished, and said so on stderr), or the demo when asked for or
    when there is none.

    An explicitly named notmuch config that does not work is an error; only
    the implicit case falls back to the demo, and says so on stderr.
    """
    if getattr(args, "demo", False):
        return demo_store()
    explicit = getattr(args, "notmuch_config", None) or getattr(config, "notmuch_config", None)
    config_file = find_config_file(explicit)
    if explicit:
        if not config_file.is_file():
            raise DatabaseMissing(f"notmuch config file {config_file} does not exist")
        store = Store(config_file)
        store.check()
        return _recovered(store)
    store = Store(config_file)
    try:
        store.check()
    except DatabaseMissing:
        print(
            "kreview: no notmuch database found (set NOTMUCH_CONFIG or run `notmuch setup`); "
            "showing the embedded demo mailbox instead.",
            file=sys.stderr,
        )
        return demo_store()
    store.is_demo = False
    return _recovered(store)


def _recovered(store: Store) -> Store:
    """Finish interrupted tag writes now, before anything reads tags or flags."""
    for note in store.recover():
        print(f"kreview: {note}", file=sys.stderr)
    return store

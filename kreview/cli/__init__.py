"""kreview's command line: ``kreview [QUERY]`` opens the reader; subcommands
(``show``, ``trailers``, ``reply``, ``tag``, ``search``) print the same facts
for scripts, with ``--json`` where a shape is promised.

Subcommand contract: a module in this package has ``register(subparsers)``,
which adds its parser (``arguments.add_subcommand``: name, QUERY, --json,
the ``run`` it calls), and ``run(args, store) -> int``. Errors meant for
people are raised as StoreError/ValueError and printed on stderr by
:func:`main`, never as a traceback.
"""
from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

from kreview import __version__

if TYPE_CHECKING:
    import argparse

SUBCOMMANDS = ("search", "show", "trailers", "reply", "review", "tag", "fetch", "am", "series", "interdiff")

DESCRIPTION = """\
kreview reads Linux-kernel review mail from a notmuch database: threads,
patch series, quoted replies, diffs and the trailers (Reviewed-by, Acked-by,
Tested-by) each patch has collected.

  kreview                      open the reader on your default query
  kreview 'tag:inbox and subject:PATCH'
  kreview --demo               open the reader on the embedded sample mailbox
  kreview show QUERY --json    print messages and their body blocks
  kreview trailers QUERY       print series and the trailers per patch
  kreview reply QUERY --all    print the reply draft kreview would open
  kreview review QUERY --comments FILE --with reviewed-by
                               print the review reply for comments on a patch
  kreview tag +reviewed -inbox -- QUERY
  kreview fetch MESSAGE-ID     complete a thread from lore (public-inbox) into notmuch
  kreview series QUERY --json  print series (version chains) with whose turn it is
  kreview interdiff MSGID      print what changed since the previous version
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true", help="use the embedded sample mailbox")
    parser.add_argument("--config", metavar="FILE", help="kreview config file (default: $KREVIEW_CONFIG or ~/.config/kreview/config.toml)")
    parser.add_argument("--notmuch-config", metavar="FILE", help="notmuch config file (default: as notmuch finds it)")


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="kreview",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Subcommands: " + ", ".join(SUBCOMMANDS) + ". Run 'kreview SUBCOMMAND --help' for each.",
    )
    parser.add_argument("query", nargs="*", help="notmuch query to open (default: from config; '*' with --demo)")
    _add_common(parser)
    parser.add_argument("--theme", help="theme name (see themes/ and ~/.config/kreview/themes)")
    parser.add_argument("--print-config", action="store_true", help="print the effective configuration and exit")
    parser.add_argument("--version", action="version", version=f"kreview {__version__}")
    return parser


def build_subcommand_parser(name: str) -> argparse.ArgumentParser:
    import argparse
    import importlib

    parser = argparse.ArgumentParser(prog="kreview")
    subparsers = parser.add_subparsers(dest="command", required=True)
    module = importlib.import_module(f"kreview.cli.{name}")
    module.register(subparsers)
    for sub in subparsers.choices.values():
        _add_common(sub)
    return parser


_TAKES_VALUE = {"--config", "--notmuch-config", "--theme"}


def reader_arguments(argv: list[str]):
    """The reader's arguments read without argparse, when ``argv`` is the
    plain ``kreview [--demo] [--notmuch-config F] [--config F] [--theme T]
    [QUERY...]``: the same values build_parser() would give. None for
    anything else (help, --version, --print-config, ``--``, an abbreviated or
    unknown option, query words split by an option), which argparse reads.

    Importing argparse (and gettext) and building the parser cost ~5 ms
    before the first screen of every start; this is the line everyone types.
    """
    values = {"demo": False, "config": None, "notmuch_config": None, "theme": None}
    query: list[str] = []
    query_ended = False  # argparse reads the query words as one run
    i = 0
    while i < len(argv):
        word = argv[i]
        if not word.startswith("-"):
            if query_ended:
                return None
            query.append(word)
            i += 1
            continue
        if query:
            query_ended = True
        name, equals, value = word.partition("=")
        if name in _TAKES_VALUE:
            if not equals:
                if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                    return None  # argparse says what is missing
                value = argv[i + 1]
                i += 1
            values[name[2:].replace("-", "_")] = value
        elif word == "--demo":
            values["demo"] = True
        else:
            return None
        i += 1
    return SimpleNamespace(query=query, print_config=False, **values)


def _subcommand_first(argv: list[str]) -> list[str]:
    """Let common options come before the subcommand (`kreview --demo show X`)
    by moving them after it, where the subcommand's parser reads them."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in SUBCOMMANDS:
            return [word] + argv[:i] + argv[i + 1:]
        if not word.startswith("-") or word == "--":
            break
        i += 2 if word in _TAKES_VALUE else 1
    return argv


def _limit_malloc_arenas(arenas: int = 1) -> None:
    """Ask glibc for at most ``arenas`` malloc arenas.

    glibc gives each thread that allocates under contention an arena of its
    own, and memory freed there stays mapped. The reader's workers build
    big things (a 20,000-line patch, a 1,000-message tree) and drop them,
    and load modules (the reading path, after the first frame): long-lived
    objects scattered through a second arena keep its freed pages mapped.
    Measured in tmux after opening the bench's three big threads: 96-98 MiB
    with an arena per thread; 81-83 MiB with two, and 91-94 once a worker
    loaded the reading path; 79-84 MiB with one, and no slower (the GIL
    already serialises most allocation). The same as
    MALLOC_ARENA_MAX=1, which cannot be set from inside the process.
    Elsewhere, or if libc says no, nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        M_ARENA_MAX = -8  # from glibc's malloc.h
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass


# How often the interpreter hands the GIL between threads, for the reader
# process only: library code never changes it (it is process-wide), and the
# CLI subcommands and the tests run at Python's default (5 ms).
# - 0.5 ms while the first page of threads is fetched ahead: the fetch is a
#   few hundred short libnotmuch calls, and after each one the fetching thread
#   must win the GIL back from the main thread, which (importing Textual)
#   gives it up only every switch interval: at 5 ms the page took 200+ ms
#   instead of ~80 ms on the 100,000-message bench mailbox.
# - 1 ms from then on: workers (pages of threads, A/R/T counts, trailers) run
#   Python next to the UI thread, and at 5 ms a key could wait that long,
#   several times (a page of threads arriving during a PageDown cost the
#   repaint ~30 ms).
PREFETCH_SWITCH_INTERVAL = 0.0005
READER_SWITCH_INTERVAL = 0.001


def first_page_rows(default: int, most: int) -> int:
    """How many threads to fetch ahead for the first screen: as many as the
    terminal has lines (the list shows a few fewer: the query bar, header,
    status and key lines take theirs), at most ``most`` (a page); ``default``
    when the size is not known. Textual reads the size the same way (shutil).

    Every thread of that page is ~25 short libnotmuch calls in the prefetch
    thread, each handing the interpreter back and forth with the main thread
    while it imports Textual: 60 rows for a 50-line terminal cost the first
    screen ~4 ms of the main thread's CPU for rows nobody sees until the
    first key (which reads the next page anyway). A terminal taller than 60
    lines now gets its whole first screen in the first frame."""
    import shutil

    lines = shutil.get_terminal_size(fallback=(0, 0)).lines
    return min(lines, most) if lines > 0 else default


def main(argv: list[str] | None = None) -> int:
    argv = _subcommand_first(list(sys.argv[1:] if argv is None else argv))
    reader = None if argv and argv[0] in SUBCOMMANDS else reader_arguments(argv)
    if reader is not None:  # the plain reader start: libnotmuch loads while the config is read
        from kreview.cli.preload import load_notmuch_in_background

        _limit_malloc_arenas()  # before the first thread starts
        load_notmuch_in_background()
    from kreview.cli.context import load_settings, open_store
    from kreview.config import ConfigError
    from kreview.core.store import StoreError  # noqa: PLC0415 (keeps --help fast)

    try:
        if argv and argv[0] in SUBCOMMANDS:
            args = build_subcommand_parser(argv[0]).parse_args(argv)
            config = load_settings(args)
            store = open_store(args, config)
            args.kreview_config = config
            return int(args.run(args, store) or 0)
        args = reader or build_parser().parse_args(argv)
        config = load_settings(args)
        if args.print_config:
            from pathlib import Path

            from kreview import paths
            from kreview.config import render_config

            source = Path(args.config).expanduser() if args.config else paths.config_file()
            sys.stdout.write(render_config(config, source if source.is_file() else None))
            return 0
        store = open_store(args, config)
        if reader is None:
            _limit_malloc_arenas()  # before the first worker thread starts
        # Start notmuch on the first page now, while Textual is being imported.
        from kreview.core.muting import without_muted
        from kreview.core.paging import FIRST_PAGE, PAGE_SIZE, ThreadPager

        pager = ThreadPager(store, without_muted(config.starting_query(args.query, store.is_demo)))
        # Thread switching tuned for the reader, here and nowhere else (see above).
        sys.setswitchinterval(PREFETCH_SWITCH_INTERVAL)
        pager.prefetch(first_page_rows(FIRST_PAGE, PAGE_SIZE), on_ready=lambda: sys.setswitchinterval(READER_SWITCH_INTERVAL))
        from kreview.tui.app import run_app  # Textual is imported only for the reader

        return run_app(store, args, config, pager)
    except (StoreError, ConfigError, ValueError, OSError) as exc:
        from kreview.cli.output import error_text

        print(f"kreview: {error_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

"""The reader's start: its command line read without argparse
(kreview.cli.reader_arguments: the same values as argparse for the plain
forms, argparse for everything else, and no argparse imported on the plain
start), and libnotmuch loaded in a thread before notmuch2 is imported
(kreview.cli.preload)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kreview.cli import build_parser, reader_arguments
from tests.conftest import REPO

PLAIN = [
    [],
    ["*"],
    ["tag:inbox", "and", "subject:PATCH"],
    ["--demo"],
    ["--demo", "*"],
    ["*", "--demo"],
    ["--notmuch-config", "/tmp/nm", "*"],
    ["--notmuch-config=/tmp/nm", "tag:unread"],
    ["--notmuch-config=", "x"],
    ["--config", "c.toml", "--theme", "kreview-light", "--notmuch-config", "n", "a", "b"],
    ["a", "b", "--theme=kreview-light"],
    ["--theme", "one", "--theme", "two"],  # the last one wins, as with argparse
    ["", "from:x"],
    ["--config", "my file.toml", "subject:[PATCH v2]"],
]

NOT_PLAIN = [
    ["--help"],
    ["-h"],
    ["--version"],
    ["--print-config"],
    ["--notm", "x"],  # an abbreviation: argparse's to accept or refuse
    ["a", "--demo", "b"],  # query words split by an option: argparse refuses
    ["--theme"],
    ["--theme", "--demo"],
    ["--", "-tag:x"],
    ["-"],
    ["--demo=yes"],
    ["--unknown"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_reader_arguments_are_what_argparse_reads(argv):
    fast = reader_arguments(argv)
    assert fast is not None
    assert vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=" ".join)
def test_anything_else_is_left_to_argparse(argv):
    assert reader_arguments(argv) is None


START = textwrap.dedent("""
    import sys
    import kreview.tui.app as app_module

    def run_app(store, args, config, pager):
        pager.close()
        print("argparse" in sys.modules, "gettext" in sys.modules, args.query)
        return 0

    app_module.run_app = run_app
    from kreview.cli import main
    sys.exit(main(["--notmuch-config", sys.argv[1], "tag:inbox"]))
""")


def test_plain_start_does_not_import_argparse(notmuch_root):
    done = subprocess.run([sys.executable, "-c", START, str(notmuch_root / "notmuch-config")],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "['tag:inbox']"]


PRELOAD = textwrap.dedent("""
    import sys
    from kreview.cli.preload import load_notmuch_in_background, notmuch_extension

    def mapped(name):
        with open("/proc/self/maps") as maps:
            return any(name in line for line in maps)

    before = mapped("libnotmuch")
    load_notmuch_in_background().join()
    print(before, mapped("libnotmuch"), mapped(notmuch_extension().name), "notmuch2" in sys.modules)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_libnotmuch_is_loaded_in_a_thread_without_importing_notmuch2():
    done = subprocess.run([sys.executable, "-c", PRELOAD], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True", "False"]


RECOVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kreview.core.store import Store

    store = Store(Path(sys.argv[1]))
    store.check()
    store._intents_dir().mkdir()  # as left by the first tag write: empty once it was done
    print(store.recover(), "kreview.core.intents" in sys.modules, "secrets" in sys.modules)
""")


def test_an_empty_intent_log_is_not_read_at_start(notmuch_root):
    done = subprocess.run([sys.executable, "-c", RECOVER, str(notmuch_root / "notmuch-config")],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "False", "False"]


FIRST_PAGE_SIZE = textwrap.dedent("""
    import sys
    import kreview.tui.app as app_module

    def run_app(store, args, config, pager):
        print("rows", len(pager.next_page()), flush=True)  # the page fetched ahead, once it is in
        pager.close()
        return 0

    app_module.run_app = run_app
    from kreview.cli import main
    sys.exit(main(["--notmuch-config", sys.argv[1], "*"]))
""")


def _rows_fetched_ahead(notmuch_root, terminal_lines: int | None) -> int:
    """The first page the reader fetched while starting with its stdout on
    a terminal of ``terminal_lines`` lines (a real pseudo-terminal), or on a
    pipe (None)."""
    import fcntl
    import os
    import struct
    import termios

    env = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}  # shutil reads these first
    argv = [sys.executable, "-c", FIRST_PAGE_SIZE, str(notmuch_root / "notmuch-config")]
    if terminal_lines is None:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
        assert done.returncode == 0, done.stderr
        return int(done.stdout.split()[1])
    leader, follower = os.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", terminal_lines, 100, 0, 0))
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE,
                              text=True, timeout=120, cwd=REPO, env=env)
        assert done.returncode == 0, done.stderr
        os.close(follower)
        follower = -1
        out = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal's other side is closed and read out
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    return int(out.decode().split()[1])


def test_the_first_page_fetched_ahead_is_as_long_as_the_terminal(notmuch_root):
    everything = _rows_fetched_ahead(notmuch_root, None)  # no terminal: paging.FIRST_PAGE, more than the sample has
    assert everything > 7
    assert _rows_fetched_ahead(notmuch_root, 7) == 7
    assert _rows_fetched_ahead(notmuch_root, 500) == everything

"""End to end in a real terminal (tmux): keys typed in one burst land where
the keys before them put the focus, and the hostile-mail corpus goes through
the reader without a crash, without touching the terminal (its title stays),
and with markup shown as text."""
from __future__ import annotations

import os
import subprocess

import pytest

from kreview.core.demo import DEMO_IDENTITY, build_database
from tests.e2e.tmux import Terminal, kreview_command
from tests.hostile_mail import CONTROL_SEQUENCES, DOMAIN, write_hostile_maildir


def _env(**extra: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                                       "NOTMUCH_CONFIG", "KREVIEW_CONFIG", "PATH")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", **extra)
    return env


def _pane_title(term: Terminal) -> str:
    return term._tmux("display-message", "-p", "-t", "t", "#{pane_title}").strip()


def test_a_query_typed_in_one_burst_after_slash_goes_to_the_query(isolated_env):
    term = Terminal(kreview_command() + ["--demo"], _env())
    try:
        term.wait_for("9 threads")
        # One send-keys: "/" and the query reach kreview in one read. Before
        # the fix "s", "u", "b", "j", "t"... went to the list (u undoes, t
        # opens the tag prompt...).
        term.send("/subject:v8 and subject:0/7", "Enter")
        term.wait_for("subject:v8 and subject:0/7: 1 thread")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()


@pytest.fixture
def hostile_config(tmp_path):
    maildir = tmp_path / "maildir"
    write_hostile_maildir(maildir)
    root = tmp_path / "db"
    build_database(maildir, root, DEMO_IDENTITY)
    return root / "notmuch-config"


def test_the_hostile_corpus_in_a_real_terminal(hostile_config):
    count = int(subprocess.run(["notmuch", "count", "--output=threads", "*"], capture_output=True, text=True,
                               env={**os.environ, "NOTMUCH_CONFIG": str(hostile_config)}).stdout)
    term = Terminal(kreview_command() + ["--notmuch-config", str(hostile_config), "*"], _env(),
                    width=160, height=45)
    try:
        term.wait_for(f"*: {count} threads")
        title = _pane_title(term)
        list_screen = term.screen()
        assert "[PATCH] scripts: fix [/dev/null] handling" in list_screen
        for row in range(count):
            term.send("Enter")
            # The thread screen's key line. This test is about crashes and the
            # terminal, not speed (the benchmark times opening): the 1 MB line
            # and the 20,000-address Cc may take long on a loaded machine (make
            # test runs another test process beside this one).
            term.wait_for("q Back", timeout=120)
            term.send("j", "j", "j", "j", "j", "j", "j", "j", "q")  # walk the thread, back
            term.wait_for("/ Search", timeout=120)
            term.send("j")  # the next thread
        screen = term.screen()
        assert "EXITED" not in screen  # no crash
        assert "pwned" not in _pane_title(term) and _pane_title(term) == title
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()


def test_escapes_in_a_message_show_as_text_in_a_real_terminal(hostile_config):
    """What the escapes would have done had one reached the terminal, looked
    for in the cells (``capture-pane -p`` shows cells, never escapes): CSI
    "2J 31m" would vanish from the Cc line (clearing the screen), "\\r" would
    send the cursor back over the start of the body line, OSC 0 would retitle
    the pane."""
    assert CONTROL_SEQUENCES["csi"] == "\x1b[2J\x1b[31m"  # what the Cc name carries
    term = Terminal(kreview_command() + ["--notmuch-config", str(hostile_config), f"id:escapes-in-headers@{DOMAIN}"],
                    _env(), width=200, height=50)
    try:
        term.wait_for(": 1 thread")
        title = _pane_title(term)
        term.send("Enter")
        # Both rows painted (a capture can fall between two paints of the pane).
        screen = term.wait_until(lambda shown: "Plain body text" in shown and "OVERWRITTEN" in shown,
                                 "the body's first rows")
        assert "Cc\u241b[2J\u241b[31mPerson" in screen  # ESC drawn as its symbol, the text around it kept
        # The paragraph may wrap, and the escapes sit inside one word
        # ("before...after") longer than a row: it is cut where the row ends,
        # wherever that falls. "\r" would have sent the cursor back to the
        # row's start and overwritten "Plain body text" with what follows.
        pane = [line.split("\u2595 ", 1)[1] if "\u2595 " in line else line for line in screen.splitlines()]
        start = next(i for i, line in enumerate(pane) if "Plain body text" in line)
        assert pane[start].startswith("Plain body text")
        paragraph = "".join(pane[start:start + 3])  # the rows of the wrapped word, joined back
        assert paragraph.index("Plain body text") < paragraph.index("before") < paragraph.index("OVERWRITTEN")
        assert _pane_title(term) == title
        term.send("q")
        term.wait_for(": 1 thread")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()

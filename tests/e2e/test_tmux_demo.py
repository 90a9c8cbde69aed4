"""End to end in a real terminal: `kreview --demo` under tmux, keys in, screen out."""
from __future__ import annotations

import os
import time

import pytest

from tests.e2e.tmux import Terminal, kreview_command


@pytest.fixture
def demo_terminal(isolated_env):
    env = {k: os.environ[k] for k in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                                       "NOTMUCH_CONFIG", "KREVIEW_CONFIG", "PATH")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    term = Terminal(kreview_command() + ["--demo"], env)
    yield term
    term.close()


def test_demo_opens_v8_series_and_reads_it(demo_terminal):
    term = demo_terminal
    term.wait_for("[PATCH v8 0/7]")
    term.wait_for("9 threads")
    term.send("/")
    # The query input has focus: the footer shows its keys, not the list's.
    term.wait_until(lambda screen: "Open" not in screen, "the query input focused")
    time.sleep(0.5)  # a person does not type within a frame of pressing /
    term.send("C-u")
    term.send("subject:v8 and subject:0/7", "Enter")
    term.wait_for("subject:v8 and subject:0/7: 1 thread")
    term.send("Enter")
    screen = term.wait_for("EXPORT_SYMBOL_GPL")
    assert "Dan Williams" in screen
    assert "├─" in screen or "└─" in screen  # the tree is drawn
    term.send("j")
    term.wait_for("[PATCH v8 1/7]")
    term.send("q")
    term.wait_for("subject:v8 and subject:0/7")
    term.send("q")
    term.wait_for("EXITED 0")

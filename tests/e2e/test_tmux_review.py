"""End to end in a real terminal: comment mode on a patch, kreview killed
with SIGKILL while a comment is being typed, the comment back in the next
session, and the review draft made from it with W."""
from __future__ import annotations

import os
import signal
import subprocess

from kreview.core.parse import read_message
from tests.e2e.tmux import Terminal, kreview_command, terminal_env
from tests.core.helpers import PATCH_ID


def kreview_pid(term: Terminal) -> int:
    shell = term._tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").split()[0]
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
    return int(children[0])


def focus_pane(term: Terminal) -> None:
    """Tab until the message pane has the focus (its keys show in the footer)."""
    for _ in range(3):
        term.send("Tab")
        try:
            term.wait_for("c Comment", timeout=3)
            return
        except AssertionError:
            continue
    raise AssertionError("the message pane never took the focus")


def test_comment_survives_kill_9_and_becomes_the_review(store, notmuch_root, isolated_env):
    config = notmuch_root / "notmuch-config"
    env = terminal_env(EDITOR="true", NOTMUCH_CONFIG=str(config))
    command = kreview_command() + [f"id:{PATCH_ID}"]
    term = Terminal(command, env, width=120, height=40)
    try:
        term.wait_for("1-1 of 1")
        term.send("Enter")
        term.wait_for("Subject: [PATCH v8 5/7]")
        focus_pane(term)
        term.send("]")  # the first hunk: include/linux/hmm.h
        for _ in range(4):
            term.send("j")
        term.send("c")
        term.wait_for("Comment on include/linux/hmm.h:515 (old)")
        term.send("-l", "Still used out of tree?")
        term.wait_for("Still used out of tree?")
        pid = kreview_pid(term)
        os.kill(pid, signal.SIGKILL)  # no save key pressed: the text is only typed
        term.wait_for("EXITED 137")
    finally:
        term.close()

    term = Terminal(command, env, width=120, height=40)
    try:
        term.wait_for("1-1 of 1")
        term.send("Enter")
        screen = term.wait_for("A comment you were typing was restored.")
        focus_pane(term)
        term.send(")")
        screen = term.wait_for("▎ Still used out of tree?")
        lines = screen.split("\n")
        at = next(i for i, line in enumerate(lines) if "▎ Still used out of tree?" in line)
        assert "-void hmm_devmem_remove(struct hmm_devmem *devmem);" in lines[at - 1]
        term.send("W")
        term.wait_for("which trailer")
        term.send("Enter")  # no trailer
        term.wait_for("Draft saved")
        term.send("q")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()

    drafts = store.messages("tag:draft")
    assert len(drafts) == 1
    text = read_message(drafts[0].path).text
    assert "> -void hmm_devmem_remove(struct hmm_devmem *devmem);\n\nStill used out of tree?" in text
    assert "> diff --git a/include/linux/hmm.h b/include/linux/hmm.h\n" in text

"""End to end: a review reply from the reader, with $EDITOR a script that
adds a comment, in a real terminal. Afterwards the draft sits in Drafts/,
indexed with tag:draft, and git's own mail parser reads its headers."""
from __future__ import annotations

import os
import subprocess

from kreview.core.parse import read_message
from tests.e2e.tmux import Terminal, editor_script, kreview_command, terminal_env

EDITOR = """#!/bin/sh
printf '\\nThe EXPORT_SYMBOL_GPL change looks right to me.\\n' >> "$1"
"""


def test_review_reply_lands_in_drafts(store, notmuch_root, tmp_path, isolated_env):
    editor = editor_script(tmp_path / "editor.sh", EDITOR)
    config = notmuch_root / "notmuch-config"
    env = terminal_env(EDITOR=editor, NOTMUCH_CONFIG=str(config))
    term = Terminal(kreview_command() + ["subject:v8 and subject:3/7"], env)
    try:
        term.wait_for("1 thread")
        term.send("Enter")
        term.wait_for("Subject: [PATCH v8 3/7]")
        term.send("R")  # reply to all with my Reviewed-by
        term.wait_for("Draft saved")
        term.send("q")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()

    drafts = store.messages("tag:draft")
    assert len(drafts) == 1
    path = drafts[0].path
    assert os.path.dirname(os.path.dirname(path)) == str(notmuch_root / "mail" / "Drafts")
    assert os.path.basename(os.path.dirname(path)) == "cur"
    draft = read_message(path)
    assert draft.headers.subject.startswith("Re: [PATCH v8 3/7]")
    assert draft.headers.from_ == "Demo Reviewer <reviewer@example.org>"
    assert draft.headers.in_reply_to and draft.headers.references[-1] == draft.headers.in_reply_to
    assert "Reviewed-by: Demo Reviewer <reviewer@example.org>" in draft.text
    assert draft.text.rstrip().endswith("The EXPORT_SYMBOL_GPL change looks right to me.")
    # git am's parser accepts the headers as they are.
    info = subprocess.run(["git", "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch")],
                          stdin=open(path, "rb"), capture_output=True, text=True, check=True)
    assert "Author: Demo Reviewer" in info.stdout and "Email: reviewer@example.org" in info.stdout

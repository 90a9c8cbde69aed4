"""End to end: an $EDITOR that deletes the draft it was given. The reader
keeps running, says where the text is kept, and tag:draft names that file."""
from __future__ import annotations

from pathlib import Path

from tests.e2e.tmux import Terminal, editor_script, kreview_command, terminal_env


def test_editor_deleting_the_draft_keeps_it_and_the_reader(store, notmuch_root, tmp_path, isolated_env):
    editor = editor_script(tmp_path / "editor.sh", '#!/bin/sh\nrm -f "$1"\n')
    config = notmuch_root / "notmuch-config"
    env = terminal_env(EDITOR=editor, NOTMUCH_CONFIG=str(config))
    term = Terminal(kreview_command() + ["subject:v8 and subject:3/7"], env)
    try:
        term.wait_for("1 thread")
        term.send("Enter")
        term.wait_for("Subject: [PATCH v8 3/7]")
        term.send("r")
        term.wait_for("draft file was removed")
        term.send("q")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()
    [draft] = store.messages("tag:draft")
    assert Path(draft.path).is_file()
    assert draft.subject.startswith("Re: [PATCH v8 3/7]")

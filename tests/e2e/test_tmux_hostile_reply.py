"""End to end: `r` and `R` in the reader on hostile messages (a Date in the
year 99999, which used to end the app with OverflowError; 20,000 Cc, which
took 35 s to build) leave a draft and the reader running."""
from __future__ import annotations

import time

from kreview.core.parse import read_message
from kreview.core.store import StoreError
from tests.e2e.tmux import Terminal, editor_script, kreview_command, terminal_env
from tests.hostile_mail import write_hostile_maildir

EDITOR = """#!/bin/sh
printf '\\nA reply to hostile mail.\\n' >> "$1"
"""


def wait_for_edited_drafts(store, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            drafts = [read_message(n.path) for n in store.messages("tag:draft")]
        except StoreError:  # the reader holds the write lock for a moment
            drafts = []
        if sum("A reply to hostile mail." in d.text for d in drafts) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"never saw {count} edited drafts")


def test_reply_in_the_reader_to_hostile_mail(store, notmuch_root, tmp_path, isolated_env):
    cases = {c.name: c for c in write_hostile_maildir(tmp_path / "hostile")}
    for name in ("date-year-99999", "thousands-of-cc"):
        target = notmuch_root / "mail" / "cur" / cases[name].filename
        target.write_bytes((tmp_path / "hostile" / "cur" / cases[name].filename).read_bytes())
        store.index_file(target)
    editor = editor_script(tmp_path / "editor.sh", EDITOR)
    config = notmuch_root / "notmuch-config"
    env = terminal_env(EDITOR=editor, NOTMUCH_CONFIG=str(config))
    term = Terminal(kreview_command() + ["from:mallory@hostile.example"], env)
    try:
        term.wait_for("2 threads")
        term.send("Enter")  # newest first: the 20,000 Cc (the other has no usable date)
        term.wait_for("Subject: 20000 Cc recipients")
        term.send("g")  # reply to all
        term.wait_for("Draft saved", timeout=60)
        term.send("q")
        term.wait_for("2 threads")
        term.send("Down", "Enter")
        term.wait_for("treated as undated")  # the parse note, shown in the pane
        term.send("r")
        # The first reply's "Draft saved" may still be on screen: wait for the
        # second draft itself, edited, in the database.
        wait_for_edited_drafts(store, 2)
        term.send("q")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()

    drafts = [read_message(n.path) for n in store.messages("tag:draft")]
    assert len(drafts) == 2
    by_subject = {d.headers.subject: d for d in drafts}
    undated = by_subject["Re: [PATCH] broken date year-99999"]
    assert undated.text.startswith("Mallory wrote:\n> Body of the message dated year-99999.")
    many = by_subject["Re: 20000 Cc recipients"]
    assert len(many.headers.cc) == 20_001
    assert many.text.rstrip().endswith("A reply to hostile mail.")

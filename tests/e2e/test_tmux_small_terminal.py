"""End to end at 80x24, in a real terminal: the list shows its count and
enough subject to read, G reaches the last thread, the thread screen gives
the message the whole width (tree above it), a mistyped key says so."""
from __future__ import annotations


from tests.e2e.tmux import Terminal, kreview_command, terminal_env


def test_a_day_at_80x24(store, notmuch_root, isolated_env):
    config = notmuch_root / "notmuch-config"
    env = terminal_env(NOTMUCH_CONFIG=str(config), TZ="UTC")
    total = store.count_threads("*")
    last = list(store.iter_threads("*"))[-1].subject[:20]
    term = Terminal(kreview_command() + ["*"], env, width=80, height=24)
    try:
        term.wait_for(f"*: {total} threads")
        term.wait_for("[PATCH 4.14 000/105] 4.14.93-stabl")  # the subject column is readable at 80
        term.send("y")
        term.wait_for("key y does nothing here; ? for help")
        term.send("G")
        term.send("Enter")  # the last thread opens
        term.wait_until(lambda screen: screen.splitlines()[0].startswith(" " + last), "the last thread")
        term.send("q")
        term.wait_for(f"*: {total} threads")
        term.send("g", "j", "j", "j", "j", "Enter")  # the v8 series
        # The message pane is the width of the terminal: a long header line is not cut at 47.
        screen = term.wait_for("Subject: [PATCH v8 0/7]")
        subject_line = next(line for line in screen.splitlines() if "Subject: " in line)
        assert subject_line.startswith(" Subject: [PATCH v8 0/7] mm: Merge hmm into devm_memremap_pages")
        term.send("q")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()

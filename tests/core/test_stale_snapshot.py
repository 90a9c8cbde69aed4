"""The thread list reads one notmuch query a page at a time, and the reader
writes meanwhile (reading a message clears its unread tag, which renames its
file). libnotmuch reads a Xapian snapshot: two commits later it is gone, and
the next page got NULL strings (RuntimeError) and then a SIGABRT of the whole
reader. Found by CI, where the abort also hung the run.

The scenarios run in a child process: a regression aborts the child, which
this test reports, instead of killing the test worker.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kreview.bench.generate import generate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def _thousand_messages(tmp_path_factory) -> Path:
    """A generated mailbox big enough that two commits reuse the blocks an
    old snapshot reads (the 64-message sample never showed it)."""
    root = tmp_path_factory.mktemp("stale-db")
    generate(root / "mail", 1500, seed=3)
    config = root / "notmuch-config"
    config.write_text(f"[database]\npath={root / 'mail'}\n\n[user]\nname=R\nprimary_email=r@example.org\n\n"
                      "[new]\ntags=unread;inbox\n\n[maildir]\nsynchronize_flags=true\n")
    subprocess.run(["notmuch", "new", "--quiet"], check=True, env={**os.environ, "NOTMUCH_CONFIG": str(config)})
    return root


@pytest.fixture
def mailbox(_thousand_messages, tmp_path) -> Path:
    from tests.conftest import private_copy

    return private_copy(_thousand_messages, tmp_path / "db") / "notmuch-config"


def run_child(script: str, config: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script), str(config), *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120, env={**os.environ, "NOTMUCH_CONFIG": str(config)})
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


PAGES_WITH_WRITES = """
    import json, sys
    from pathlib import Path
    from kreview.core.store import Store

    store = Store(Path(sys.argv[1]))
    newest_first = sys.argv[2] == "newest-first"
    everything = [t.thread_id for t in store.iter_threads("*", newest_first=newest_first)]
    unread = [n.message_id for n in store.messages("tag:unread")][:60]
    pages, given = store.iter_threads("*", newest_first=newest_first), []
    for page in range(6):
        given += [t.thread_id for _, t in zip(range(20), pages)]
        for k in range(3):  # reading three messages: three tag writes, each with its flag rename
            store.change_tags(unread[page * 10 + k:page * 10 + k + 1], remove=["unread"])
    given += [t.thread_id for t in pages]
    print(json.dumps({"everything": everything, "given": given}))
"""


@pytest.mark.parametrize("order", ["newest-first", "oldest-first"])  # the list, and G's tail of it
def test_the_list_pages_on_after_the_reader_wrote_tags(mailbox, order):
    """Each thread once, in order (tags do not move threads), the one dated
    0 (no usable Date:) included: the query started again after a write is
    bounded by the last thread's date, and notmuch's "date:..@X" left it out."""
    out = run_child(PAGES_WITH_WRITES, mailbox, order)
    assert len(out["everything"]) > 150
    assert out["given"] == out["everything"]


OTHER_WRITER = """
    import json, os, subprocess, sys
    from pathlib import Path
    from kreview.core import store as store_module
    from kreview.core.store import Store

    store_module._Snapshot.PAUSE = 0.0  # the reader comes back "after a pause" at every step
    config = Path(sys.argv[1])
    store = Store(config)
    pages = store.iter_threads("*")
    given = [t.thread_id for _, t in zip(range(20), pages)]
    mail = store.mail_root / "new" / "late.msg"
    mail.write_text("From: Late <late@example.org>\\nTo: list@example.org\\nSubject: late news\\n"
                    "Date: Mon, 1 Jan 1990 00:00:00 +0000\\nMessage-ID: <late@example.org>\\n\\nbody\\n")
    subprocess.run(["notmuch", "new", "--quiet"], check=True)
    unread = [n.message_id for n in store.messages("tag:unread")][:5]
    for message_id in unread:
        subprocess.run(["notmuch", "tag", "-unread", "--", f"id:{message_id}"], check=True)
    given += [t.thread_id for t in pages]
    late = store.thread_ids_of(["late@example.org"])
    print(json.dumps({"given": given, "late": late, "now": [t.thread_id for t in store.iter_threads("*")]}))
"""


def test_the_list_reads_the_database_again_after_another_writer(mailbox):
    out = run_child(OTHER_WRITER, mailbox)
    # A thread `notmuch new` added between two pages is found (from an old
    # snapshot it was not): the query started again, and gave no thread twice.
    assert out["late"] and out["late"][0] in out["given"][20:]
    assert len(out["given"]) == len(set(out["given"]))
    assert sorted(out["given"]) == sorted(out["now"])

"""Helpers shared by the core and TUI tests: messages and store operations
on the per-test notmuch database (tests/conftest.py), and the sample's
patches and review comments several tests open."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from kreview.core.drafts import write_draft
from kreview.core.model import Identity
from kreview.core.parse import parse_message
from kreview.core.reply import build_reply
from kreview.core.store import Store

REPO = Path(__file__).resolve().parents[2]

# -- the sample's [PATCH v8 5/7] and three review comments on it ---------------

PATCH = REPO / "sample_maildir/cur/1542755595.000037.kreview-sample:2,S"  # [PATCH v8 5/7]

PATCH_ID = "154275559545.76910.6488148645483791108.stgit@dwillia2-desk3.amr.corp.intel.com"

GOLDEN = Path(__file__).parent / "fixtures/review/three-hunks-two-files.txt"

THREE = [
    {"file": "include/linux/hmm.h", "line": 515, "side": "old", "end_line": None, "text": "Any out-of-tree user left?"},
    {"file": "mm/hmm.c", "line": 990, "side": "new", "end_line": None,
     "text": "This now waits for the completion:\nsay so in the changelog."},
    {"file": "mm/hmm.c", "line": 1194, "side": "new", "end_line": None, "text": "devm_kzalloc() loses the NUMA node."},
]


# -- messages in the test's database ----------------------------------------------

MESSAGE = b"""\
From: Dan Williams <dan.j.williams@intel.com>
To: linux-mm@kvack.org
Subject: [PATCH v8 3/7] mm: tag test
Date: Tue, 20 Nov 2018 15:12:49 -0800
Message-ID: <tagtest-1@intel.com>

Body.
"""

def add_message(store: Store, root: Path, data: bytes = MESSAGE, name: str = "1542755569.tagtest.host:2,") -> str:
    """A message file in mail/cur with no flags, indexed the way `notmuch new` would."""
    path = root / "mail" / "cur" / name
    path.write_bytes(data)
    return store.index_file(path, ("inbox", "unread"))

def add_two_messages(store: Store, root: Path) -> tuple[str, str]:
    """Two messages of one test thread, indexed: their ids."""
    first = add_message(store, root)
    second = add_message(store, root, MESSAGE.replace(b"tagtest-1", b"tagtest-2"), "1542755570.tagtest.host:2,")
    return first, second


def flags_of(store: Store, message_id: str) -> str:
    return store.file_of(message_id).name.rsplit(":2,", 1)[1]

def drop(store, message_ids) -> None:
    """Make the local mailbox lack these messages (file and index entry)."""
    for message_id in message_ids:
        path = store.file_of(message_id)
        store.remove_file(path)
        path.unlink()

def thread_ids(store, message_id) -> list[str]:
    (thread,) = store.thread_ids_of([message_id])
    return [node.message_id for node in store.messages(f"thread:{thread}")]

V4_COVER = "153128607770.2928.2044648049226303617.stgit@dwillia2-desk3.amr.corp.intel.com"


def big_patch_mail(tmp_path, files: int = 3, lines_per_hunk: int = 1200, attach: bool = False):
    """A patch mail of ``files`` files, each one hunk adding lines_per_hunk lines."""
    diff = []
    for f in range(files):
        path = f"drivers/big/file{f}.c"
        diff += [f"diff --git a/{path} b/{path}", "index 1111111..2222222 100644", f"--- a/{path}",
                 f"+++ b/{path}", f"@@ -0,0 +1,{lines_per_hunk} @@"]
        diff += [f"+\tint value_{f}_{i} = {i};" for i in range(lines_per_hunk)]
    body = "Long patch.\n\nSigned-off-by: A U Thor <author@example.org>\n---\n"
    headers = ("From: A U Thor <author@example.org>\nTo: list@example.org\n"
               "Subject: [PATCH] big: add values\nMessage-ID: <big@example.org>\n"
               "Date: Tue, 20 Nov 2018 12:00:00 +0000\n")
    if attach:
        mail = (headers + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\n"
                "Content-Type: text/plain\n\n" + body + "\n--XX\nContent-Type: text/x-patch; name=big.patch\n"
                "Content-Disposition: attachment; filename=big.patch\n\n" + "\n".join(diff) + "\n--XX--\n")
    else:
        mail = headers + "\n" + body + "\n".join(diff) + "\n"
    path = tmp_path / ("attached.eml" if attach else "inline.eml")
    path.write_text(mail)
    from kreview.core.model import MessageNode

    return MessageNode(message_id="big@example.org", thread_id="t", parent_id=None, depth=0,
                       author="A U Thor <author@example.org>", subject="[PATCH] big: add values",
                       date=0, path=str(path))


# -- drafts --------------------------------------------------------------------------

ME = Identity("Demo Reviewer", "reviewer@example.org")

PARENT = parse_message(
    b"From: Dan Williams <dan.j.williams@intel.com>\n"
    b"To: akpm@linux-foundation.org\n"
    b"Cc: linux-mm@kvack.org, reviewer@example.org\n"
    b"Subject: [PATCH v8 1/7] mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL\n"
    b"Date: Tue, 20 Nov 2018 15:12:49 -0800\n"
    b"Message-ID: <154275557457.76910.16923571232582744134.stgit@dwillia2-desk3.amr.corp.intel.com>\n"
    b"\n"
    b"The change is simple.\n"
)

def editor(tmp_path: Path, body: str) -> dict[str, str]:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return {"EDITOR": str(path), "PATH": os.environ["PATH"]}

def new_draft(store):
    return write_draft(store, build_reply(PARENT, ME, reply_all=True), "Drafts")


# -- another writer holding the database's lock ---------------------------------

HOLDER = textwrap.dedent(
    """
    import sys, time, notmuch2
    db = notmuch2.Database(mode=notmuch2.Database.MODE.READ_WRITE, config=sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    db.close()
    """
)


def hold_lock(config: Path, seconds: float) -> subprocess.Popen:
    """A process that holds the write lock of the database of notmuch config
    ``config`` for ``seconds``; returns once it holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(config), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder

"""Index a Maildir into a new notmuch database the way ``notmuch new`` would.

Used for the embedded demo and for the benchmark's generated mailboxes, so
both get the same tags from the same rules. Needs libnotmuch only.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import notmuch2


def index_maildir(mail: Path, config: Path, *, batch: int = 1000, log=None) -> int:
    """Create the notmuch database of ``mail`` and add every file of cur/ and
    new/, ``batch`` files per ``db.atomic()``; new messages get inbox and
    unread, then their Maildir flags apply (S clears unread) as with
    ``notmuch new``. Returns the number of messages added."""
    stale = mail / ".notmuch"
    if stale.exists():
        shutil.rmtree(stale)  # a half-built index from an interrupted run
    files = sorted((mail / "cur").iterdir()) + sorted((mail / "new").iterdir())
    added = 0
    began = time.perf_counter()
    with notmuch2.Database.create(str(mail), config=str(config)) as db:
        for first in range(0, len(files), batch):
            with db.atomic():
                for path in files[first:first + batch]:
                    try:
                        result = db.add(str(path), sync_flags=False)
                    except notmuch2.NotmuchError:
                        continue  # not mail: notmuch new skips it too
                    if result.dup:
                        continue
                    msg = result.msg
                    with msg.frozen():
                        msg.tags.add("inbox")
                        msg.tags.add("unread")
                        if path.parent.name == "cur":
                            msg.tags.from_maildir_flags()
                    added += 1
            if log:
                done = min(first + batch, len(files))
                log(f"indexed {done}/{len(files)} files in {time.perf_counter() - began:.0f} s")
    return added

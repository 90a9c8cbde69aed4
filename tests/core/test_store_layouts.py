"""A notmuch database kept apart from the mail (``database.path`` and
``database.mail_root`` both set; the index in ``<path>/xapian``), made by
the real `notmuch new`: a write while another writer holds the lock gives
up after its retries and says so, instead of waiting as long as the other
writer runs, and a tag write there works and syncs the flags."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kreview.core.store import DatabaseLocked, LockRetry, Store
from tests.core.helpers import PATCH, hold_lock


@pytest.fixture
def apart(tmp_path) -> Path:
    mail, index = tmp_path / "mail", tmp_path / "index"
    for sub in ("cur", "new", "tmp"):
        (mail / sub).mkdir(parents=True)
    index.mkdir()
    shutil.copy(PATCH, mail / "cur" / PATCH.name)
    config = tmp_path / "notmuch-config"
    config.write_text(f"[database]\npath={index}\nmail_root={mail}\n\n[new]\ntags=unread;inbox\n\n"
                      "[maildir]\nsynchronize_flags=true\n")
    subprocess.run(["notmuch", "new", "--quiet"], check=True, env={**os.environ, "NOTMUCH_CONFIG": str(config)})
    assert (index / "xapian").is_dir() and not (mail / ".notmuch").exists()
    return config


def test_a_write_to_a_database_kept_apart_gives_up_while_it_is_locked(apart):
    store = Store(apart, lock_retry=LockRetry(attempts=3, delay=0.05))
    [message] = store.messages("*")
    holder = hold_lock(apart, 8)  # without the lock probe, the write would wait these 8 s and succeed
    try:
        with pytest.raises(DatabaseLocked, match="locked by another writer"):
            store.change_tags([message.message_id], add=["flagged"])
    finally:
        holder.kill()
        holder.wait()
    assert store.message_tags([message.message_id])[message.message_id] == {"inbox"}

    store.change_tags([message.message_id], add=["flagged"])
    [flagged] = store.messages("*")
    assert flagged.tags == {"inbox", "flagged"} and flagged.path.endswith(":2,FS")

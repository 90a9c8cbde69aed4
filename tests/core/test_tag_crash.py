"""Bulk tagging survives kill -9: a real `kreview tag` on 10,000 messages is
killed at several moments, and after the next start every message's tags and
Maildir flags agree, every file the database names exists, and the change was
made on all messages or on none. `notmuch new` afterwards finds nothing to do."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import notmuch2
import pytest

from kreview.core.demo import DEMO_IDENTITY
from kreview.core.indexing import index_maildir
from kreview.core.intents import Intent
from kreview.core.notmuch_config import write_config
from kreview.core.store import INTENTS_DIR, Store

MESSAGES = 10_000


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """10,000 small messages, indexed once for the module (inbox, unread, no flags)."""
    root = tmp_path_factory.mktemp("crash") / "db"
    mail = root / "mail"
    for sub in ("cur", "new", "tmp"):
        (mail / sub).mkdir(parents=True)
    for i in range(MESSAGES):
        (mail / "cur" / f"1600000000.M{i}P1.host:2,").write_bytes(
            f"From: A <a@example.org>\nTo: list@example.org\nSubject: message {i}\n"
            f"Date: Tue, 20 Nov 2018 15:12:49 -0800\nMessage-ID: <m{i}@example.org>\n\nbody {i}\n".encode()
        )
    write_config(root / "notmuch-config", mail, DEMO_IDENTITY)
    index_maildir(mail, root / "notmuch-config")
    return root


def copy_of(pristine: Path, tmp_path: Path) -> Path:
    """A private copy; the mail files are hard links (a flag sync renames
    them, never writes them), the index a real copy."""
    root = tmp_path / "db"
    shutil.copytree(pristine, root, ignore=lambda folder, _: ["cur"] if folder == str(pristine / "mail") else [])
    shutil.copytree(pristine / "mail" / "cur", root / "mail" / "cur", copy_function=os.link)
    config = root / "notmuch-config"
    config.write_text(config.read_text().replace(str(pristine), str(root)))
    return config


def flagged_files(cur: Path) -> int:
    return sum(name.endswith(":2,FS") for name in os.listdir(cur))  # the sync renames ":2," to ":2,FS"


def intents(mail: Path) -> list[str]:
    folder = mail / ".notmuch" / INTENTS_DIR
    return [n for n in os.listdir(folder) if n.endswith(".json")] if folder.is_dir() else []


def kreview(config: Path, *words: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kreview", words[0], "--notmuch-config", str(config), *words[1:]],
        env=dict(os.environ), **popen,
    )


def kill_when(process: subprocess.Popen, ready, what: str) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, f"the tag write ended before {what}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.03)  # polling 10,000 names must not starve the writer
    assert process.poll() is None, f"the tag write ended before {what}"
    process.send_signal(signal.SIGKILL)
    process.wait()


def agreement(config: Path) -> set[tuple[bool, bool]]:
    """Check tags against flags for every message; return the (flagged, unread) states seen."""
    states: set[tuple[bool, bool]] = set()
    with notmuch2.Database(config=str(config)) as db:
        for msg in db.messages("*"):
            tags = {str(t) for t in msg.tags}
            for name in msg.filenames():
                assert name.exists(), f"the database names {name}, which does not exist"
                flags = name.name.rsplit(":2,", 1)[1]
                assert ("F" in flags) == ("flagged" in tags), (name.name, tags)
                assert ("S" in flags) == ("unread" not in tags), (name.name, tags)
            states.add(("flagged" in tags, "unread" in tags))
    return states


@pytest.mark.parametrize(
    ("moment", "renamed"),
    [
        ("the intent is written (tags in the transaction)", 0),
        ("the first renames", 1),
        ("half the renames", MESSAGES // 2),
    ],
)
def test_kill_during_a_bulk_tag_is_repaired_at_the_next_start(pristine, tmp_path, moment, renamed):
    config = copy_of(pristine, tmp_path)
    mail = config.parent / "mail"
    writer = kreview(config, "tag", "-unread", "+flagged", "--", "*",
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if renamed:
        kill_when(writer, lambda: flagged_files(mail / "cur") >= renamed, moment)
    else:
        kill_when(writer, lambda: bool(intents(mail)), moment)
    assert intents(mail), "a killed write leaves its intent"

    start = kreview(config, "show", "id:m0@example.org", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                    text=True)
    _, said = start.communicate(timeout=120)
    assert start.returncode == 0, said
    assert "A tag write was interrupted (+flagged -unread on 10000 messages)" in said
    if renamed:  # renames start only once the tags are saved: the change happened
        assert "the database had saved it" in said
    assert intents(mail) == []

    states = agreement(config)
    assert states in ({(True, False)}, {(False, True)}), f"half-applied: {states}"
    assert len(os.listdir(mail / "cur")) == MESSAGES
    done = subprocess.run(["notmuch", "--config", str(config), "new"], capture_output=True, text=True,
                          env=dict(os.environ), check=True)
    assert "No new mail" in done.stdout and "rename" not in done.stdout, done.stdout
    assert agreement(config) == states


def test_a_live_writers_intent_is_left_to_it(store):
    """A second kreview starting while the first is mid-write must not take
    the live write for an interrupted one."""
    message_id = store.messages("*", limit=1)[0].message_id
    log = store._intents()
    pending = log.begin(Intent(label="+x on 1 message", message_ids=(message_id,), add=("x",)))
    try:
        assert Store(store.config_path).recover() == []
        assert len(list(log.directory.glob("*.json"))) == 1
    finally:
        pending.release()
    notes = Store(store.config_path).recover()
    assert notes == ["A tag write was interrupted (+x on 1 message): the database had not saved it, "
                     "so nothing changed; tags and Maildir flags already agreed."]
    assert list(log.directory.glob("*.json")) == []

"""A write-ahead note for tag writes, so a killed kreview can be finished.

A tag change with ``synchronize_flags`` has two halves that no single
transaction covers: the tags in the Xapian database and the Maildir flags in
the file names. libnotmuch makes a tag change durable only when the database
is closed (its atomic sections are not flushed), and it renames a file the
moment it syncs that file's flags; so a kill between the two leaves files
renamed for tags the database never saved, or tags saved for files never
renamed. Before the first write, the store writes an *intent*: which messages
it is about to change and how. The intent is removed once tags and flags
agree; one found at the next start names the messages to make agree again.

An intent file is held with ``flock`` by the process writing it, so another
kreview (a second reader, a CLI ``kreview tag``) never takes a live write for
an interrupted one. The lock goes with the process: a killed writer's intent
is free to take.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".intent.json"


@dataclass(frozen=True)
class Intent:
    """One tag write: the messages it touches and what it meant to do."""

    label: str  # "+flagged -unread on 20000 messages", for the note at the next start
    message_ids: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # files being indexed (their Message-ID is not known yet)
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    restore: dict[str, tuple[str, ...]] = field(default_factory=dict)  # an undo: id -> tags wanted
    replaces: tuple[str, ...] = ()  # files the new ``paths`` take the place of in the index
    delete_replaced: bool = False  # and delete them once ``paths`` are indexed (their text was copied)

    def to_json(self) -> bytes:
        return json.dumps({
            "label": self.label, "message_ids": list(self.message_ids), "paths": list(self.paths),
            "add": list(self.add), "remove": list(self.remove),
            "restore": {k: list(v) for k, v in self.restore.items()},
            "replaces": list(self.replaces), "delete_replaced": self.delete_replaced,
        }).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Intent:
        raw = json.loads(data)
        return cls(
            label=str(raw.get("label", "a tag change")),
            message_ids=tuple(raw.get("message_ids", ())),
            paths=tuple(raw.get("paths", ())),
            add=tuple(raw.get("add", ())),
            remove=tuple(raw.get("remove", ())),
            restore={k: tuple(v) for k, v in (raw.get("restore") or {}).items()},
            replaces=tuple(raw.get("replaces", ())),
            delete_replaced=bool(raw.get("delete_replaced", False)),
        )


class Pending:
    """An intent this process wrote and holds; ``finish`` once tags and flags agree."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def finish(self) -> None:
        """Tags and flags agree: forget the intent."""
        self.path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        """Let go without removing it: whoever writes next (or the next start) finishes it."""
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


class IntentLog:
    """The intents of one notmuch database, as files in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def begin(self, intent: Intent) -> Pending:
        """Write ``intent`` whole (tmp, then rename), locked by us.

        Not fsynced: what it guards against is the process dying (kill -9, a
        crash), and the kernel keeps what a dead process wrote. After a power
        loss the file renames libnotmuch made are no more durable than it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(6)}"
        tmp = self.directory / f".{name}.tmp"
        final = self.directory / f"{name}{SUFFIX}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # on the open file: it follows the rename
            os.write(fd, intent.to_json())
            os.rename(tmp, final)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        return Pending(final, fd)

    def orphans(self) -> Iterator[tuple[Intent, Pending]]:
        """Intents whose writer is gone (nobody holds their lock), oldest first.
        Each comes locked by us; ``finish`` it once repaired."""
        try:
            names = sorted(self.directory.iterdir(), key=_mtime)
        except FileNotFoundError:
            return
        for path in names:
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                _drop_dead_tmp(path)
                continue
            if not path.name.endswith(SUFFIX):
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue  # finished meanwhile
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # its writer is alive and still at it
            if not path.exists():  # finished between our open and our lock
                os.close(fd)
                continue
            try:
                intent = Intent.from_json(path.read_bytes())
            except (ValueError, OSError, TypeError, AttributeError):
                intent = Intent(label="an unreadable intent")
            yield intent, Pending(path, fd)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _drop_dead_tmp(path: Path) -> None:
    """A tmp file is renamed before its writer writes anything to notmuch:
    one nobody holds was never an intent."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return
    else:
        path.unlink(missing_ok=True)
    finally:
        os.close(fd)

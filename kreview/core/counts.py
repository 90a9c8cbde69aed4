"""Counts of threads and messages, taken once and kept until the database changes.

Counting threads is the slow part of a notmuch search (seconds on a
100,000-message database), so the reader never counts on the UI thread and
never counts twice at one revision. Every count is stored with the database
revision (uuid, lastmod) it was taken at; any change raises lastmod, so an
entry is true exactly while the revision is unchanged. Entries are also kept
in a small JSON file, so a reader started again on an unchanged database
knows its counts at once.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from kreview.core.store import BadQuery, Store

Revision = tuple[str, int]


@dataclass(frozen=True)
class Count:
    value: int | None  # None: the query is not valid notmuch syntax
    revision: Revision


class CountCache:
    """``get`` counts (or reuses); ``known`` answers from memory only, for the UI thread."""

    MAX_ENTRIES = 200

    def __init__(self, store: Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], Count] = {}
        self._loaded = path is None
        self.last_revision: Revision | None = None  # the newest revision a get() has seen

    def is_current(self, count: Count | None) -> bool:
        """Whether ``count`` was taken at the newest revision seen (from memory only)."""
        return count is not None and count.revision == self.last_revision

    def _load(self) -> None:
        """Read the file once, lazily (from a worker: it is disk I/O)."""
        if self._loaded:
            return
        self._loaded = True
        entries = dict(self._entries)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            for how, query, value, uuid, rev in data.get("counts", []):
                entries.setdefault((how, query), Count(value, (uuid, int(rev))))
        except (OSError, ValueError, TypeError):
            pass  # no file yet, or one we cannot read: count again
        self._entries = entries

    def _save(self) -> None:
        if self.path is None:
            return
        rows = [[how, query, c.value, c.revision[0], c.revision[1]]
                for (how, query), c in list(self._entries.items())[-self.MAX_ENTRIES:]]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"counts": rows}), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # a cache we cannot write only costs a count next time

    def known(self, query: str, how: str = "threads") -> Count | None:
        """The last count taken, maybe at an older revision (the caller may
        show it while a fresh one is taken); never touches the database and
        never waits: the UI thread asks for each label it draws, while a
        worker may hold the lock writing the file (entries are swapped whole,
        so a reader sees the old dict or the new one)."""
        return self._entries.get((how, query))

    def get(self, query: str, how: str = "threads", revision: Revision | None = None) -> Count:
        """The count at the database's current revision: from the cache when
        nothing changed since it was taken, else counted now (slow: call from
        a worker). ``revision`` saves asking for it when the caller just did."""
        with self._lock:
            self._load()
            cached = self._entries.get((how, query))
        current = revision or self.store.revision_key()
        self.last_revision = current
        if cached is not None and cached.revision == current:
            return cached
        try:
            value, taken_at = self.store.count_at_revision(query, how)
        except BadQuery:
            value, taken_at = None, current
        fresh = Count(value, taken_at)
        with self._lock:
            entries = dict(self._entries)
            entries.pop((how, query), None)
            entries[(how, query)] = fresh  # last: the newest entries are the ones kept
            self._entries = entries
            self._save()
        return fresh

    def get_many(self, queries: list[str], how: str = "threads"):
        """Yield (query, Count) for each, asking for the revision once."""
        revision = self.store.revision_key()
        for query in queries:
            yield query, at_low_priority(self.get, query, how, revision)


LOW_PRIORITY = 10  # the nice value counting runs at (unless the process is nicer already)


def at_low_priority(work, *args):
    """``work(*args)`` run at a lower CPU priority; its result (or its error).

    A count is seconds of libnotmuch work that nobody waits on, and on a busy
    machine it slowed the keys and the palette it was counting for. Linux
    gives each thread its own nice value, but an unprivileged thread cannot
    raise it back, and the reader's workers run on a pool of reused threads:
    lowering the worker's own thread left every later job on it (opening a
    thread, say) at low priority. So the work gets a short-lived thread of its
    own, which the caller waits for. Elsewhere than Linux nothing is lowered.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            thread_id = threading.get_native_id()
            if os.getpriority(os.PRIO_PROCESS, thread_id) < LOW_PRIORITY:  # never raised (root could)
                os.setpriority(os.PRIO_PROCESS, thread_id, LOW_PRIORITY)
        except (AttributeError, OSError):
            pass
        try:
            outcome["value"] = work(*args)
        except BaseException as error:  # noqa: BLE001 - handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="kreview-low-priority", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")

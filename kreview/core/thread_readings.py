"""One reading of a thread's messages, shared by the readers that want it at once.

Reading the 1,000-message thread of a big mailbox is ~110 ms of libnotmuch
CPU. When the list's cursor rests on a row, two workers want that thread:
the read-ahead (what Enter will show) and the list's A/R/T count (which
reads every thread on screen). Each read it for itself, at the same moment,
competing with each other and with the screen for the interpreter. Here
the second asker waits for the reading under way and takes its nodes.

A reading is used only at the database revision it was taken at (read
before the thread): a tag change or new mail makes the next asker read the
thread again. The last few readings are kept (``keep``), so a count that
comes just after the read-ahead (or the reverse) reads nothing either.

The A/R/T count does not care which messages the list's query matched (the
``matched`` flag), so it takes a reading made for any query; a reader for
a query takes only a reading for the same one (``*`` and no query are the
same: every message matches).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from kreview.core.model import MessageNode
from kreview.core.store import FirstNodes, Store


def _query_key(query: str | None) -> str | None:
    return None if query is None or query.strip() in ("", "*") else query


@dataclass
class _Reading:
    revision: object = None
    nodes: list[MessageNode] | None = None  # None: under way, or failed
    done: threading.Event = field(default_factory=threading.Event)
    # A big thread's first nodes, given while the rest is read (Store.thread_messages'
    # on_first); ``first_or_done`` is set with them, or when the reading ends.
    first: FirstNodes | None = None
    first_or_done: threading.Event = field(default_factory=threading.Event)

    def end(self) -> None:
        self.first_or_done.set()
        self.done.set()


class ThreadReadings:
    """Thread-safe; call :meth:`read` from workers (it may wait, and it asks
    the database for its revision)."""

    def __init__(self, store: Store, keep: int = 2) -> None:
        self.store = store
        self.keep = keep
        self._lock = threading.Lock()
        self._readings: OrderedDict[tuple[str, str | None], _Reading] = OrderedDict()
        self.reads = 0  # readings made (not shared): for tests and the benchmark

    def _usable(self, thread_id: str, query: str | None, any_query: bool) -> list[_Reading]:
        with self._lock:
            exact = self._readings.get((thread_id, query))
            others = [r for (tid, q), r in self._readings.items() if tid == thread_id and q != query] \
                if any_query else []
        return [r for r in [exact, *others] if r is not None]

    def read(self, thread_id: str, query: str | None = None, *, any_query: bool = False,
             on_first: Callable[[FirstNodes], None] | None = None) -> tuple[object, list[MessageNode]]:
        """(revision, nodes) of the thread as ``store.thread_messages`` gives
        them, shared with a reading under way or kept (see the module).

        ``on_first``: as in ``store.thread_messages``, a big thread's first
        nodes while the rest is read, also when joining a reading under way
        (not called when the whole thread is at hand at once)."""
        query = _query_key(query)
        revision_now = None
        for reading in self._usable(thread_id, query, any_query):
            if on_first is not None:
                reading.first_or_done.wait()
                if not reading.done.is_set() and reading.first is not None:
                    revision_now = self.store.revision_key()
                    if reading.revision == revision_now:
                        on_first(reading.first)
                        on_first = None  # given once
            reading.done.wait()
            if reading.nodes is None:
                continue
            if revision_now is None:
                revision_now = self.store.revision_key()
            if reading.revision == revision_now:
                return reading.revision, reading.nodes
        reading = _Reading()
        key = (thread_id, query)
        with self._lock:
            self._readings[key] = reading
            self._readings.move_to_end(key)
            while len(self._readings) > self.keep:
                self._readings.popitem(last=False)
            self.reads += 1
        def first_part(first: FirstNodes) -> None:
            reading.first = first
            reading.first_or_done.set()  # a reader joining this one shows them too
            if on_first is not None:
                on_first(first)

        try:
            reading.revision = self.store.revision_key()  # before: a change meanwhile makes it stale
            reading.nodes = self.store.thread_messages(thread_id, query, on_first=first_part)
            return reading.revision, reading.nodes
        finally:
            reading.end()  # a failed reading (nodes None) is read again by the next asker

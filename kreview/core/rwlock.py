"""A readers-writer lock for the notmuch database within one process.

libnotmuch reads a Xapian snapshot. When a writer commits twice while a
read is under way (a tag change commits once for the tags and once for the
Maildir flags), the reader's snapshot is gone: libnotmuch then hands back
NULL strings, or aborts the whole process from C++ (SIGABRT, nothing to
catch). The reader's workers read while others write (mark-read, the
series index, counts), so writes in this process wait for the reads under
way, and reads wait for a write under way.

Writers go first: a reader that comes while a writer waits queues behind
it, or a steady stream of background reads would keep a tag change waiting
for ever. A thread that holds the lock may take it again (a write that
reads the settings, a read within a read); a thread that reads must not
start a write (it would wait for itself), which raises at once instead.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class ReadWriteLock:
    def __init__(self) -> None:
        self._state = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer: int | None = None  # the thread ident holding the write
        self._write_depth = 0
        self._writers_waiting = 0
        self._held = threading.local()  # this thread's read depth
        self.writes = 0  # writes finished: a long-lived reader compares it to know its snapshot is old

    def _read_depth(self) -> int:
        return getattr(self._held, "reads", 0)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        me = threading.get_ident()
        depth = self._read_depth()
        with self._state:
            if depth == 0 and self._writer != me:
                while self._writer is not None or self._writers_waiting:
                    self._state.wait()
            self._readers += 1
        self._held.reads = depth + 1
        try:
            yield
        finally:
            self._held.reads = depth
            with self._state:
                self._readers -= 1
                if self._readers == 0:
                    self._state.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._state:
            if self._writer == me:
                self._write_depth += 1
            else:
                if self._read_depth():
                    raise RuntimeError("a write started inside a read of the same thread would wait for itself")
                self._writers_waiting += 1
                try:
                    while self._writer is not None or self._readers:
                        self._state.wait()
                finally:
                    self._writers_waiting -= 1
                    self._state.notify_all()  # readers queued behind this writer look again
                self._writer = me
                self._write_depth = 1
        try:
            yield
        finally:
            with self._state:
                self._write_depth -= 1
                if self._write_depth == 0:
                    self._writer = None
                    self.writes += 1
                    self._state.notify_all()

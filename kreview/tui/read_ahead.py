"""Reading ahead the thread under the list's cursor.

Opening the 1,000-message thread of a big mailbox is ~100 ms of notmuch
(libnotmuch builds the thread, then every message's tags and file are
read) before anything can be drawn. A reviewer looks at a row before
pressing Enter: while the cursor rests on it, the search screen reads that
thread (tree and first message laid out) in a worker, and Enter then only
draws. Enter while the thread's messages are still being read joins that
reading (kreview.core.thread_readings) rather than waiting for all of it:
a big thread's first screen is shown from its first nodes while the rest
is read. Enter while the first message is being laid out waits for it.
(A series' trailers are not read here: the list's A/R/T count reads them
for the rows on screen and keeps them for the thread screen.)

What was read ahead is used only if the database has not changed since
(notmuch's revision, read before the thread): a tag changed or new mail
makes Enter read the thread again. One thread is kept at a time, and it
is dropped once used.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

# Enter waits this long at most for a reading under way (then reads anew).
JOIN_TIMEOUT = 5.0


class ReadAhead:
    """One thread read ahead: a key (thread, query), the database revision it
    was read at, and what was read. Safe to use from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Hashable | None = None
        self._done = threading.Event()
        self._laying_out = False  # the messages are read: the view is milliseconds away
        self._revision = None
        self._value = None

    def wanted(self, key: Hashable) -> bool:
        """Whether ``key`` is neither read nor being read."""
        with self._lock:
            return self._key != key

    def begin(self, key: Hashable) -> threading.Event:
        """Start reading ``key`` (what was kept for another key is dropped);
        the event is passed back to :meth:`finish`."""
        with self._lock:
            self._key, self._done, self._revision, self._value = key, threading.Event(), None, None
            self._laying_out = False
            return self._done

    def laying_out(self, key: Hashable, done: threading.Event) -> bool:
        """The reading begun with ``done`` has the thread's messages and now
        lays out its first message: Enter waits for that. False: Enter took
        the thread over meanwhile (or the cursor moved on), nothing is kept."""
        with self._lock:
            if self._key == key and self._done is done:
                self._laying_out = True
                return True
            return False

    def finish(self, key: Hashable, done: threading.Event, revision, value) -> None:
        """What the reading begun with ``done`` found (None: nothing usable)."""
        with self._lock:
            if self._key == key and self._done is done:
                self._revision, self._value = revision, value
        done.set()

    def take(self, key: Hashable, revision_now: Callable[[], object], timeout: float = JOIN_TIMEOUT):
        """What was read for ``key`` if it is still true (the revision has not
        moved), waiting for a first message being laid out; None otherwise,
        and at once while the messages are still being read (the caller
        joins that reading through ThreadReadings: the reading ahead stops
        there). Call from a worker: it may wait, and ``revision_now`` asks
        the database."""
        with self._lock:
            if self._key != key:
                return None
            done = self._done
            if not done.is_set() and not self._laying_out:
                self._key = None  # taken over: the reading ahead keeps nothing
                return None
        if not done.wait(timeout):
            return None
        with self._lock:
            if self._key != key or self._done is not done:
                return None
            revision, value = self._revision, self._value
            self._key, self._revision, self._value = None, None, None  # used once: the screen holds it now
        if value is None or revision != revision_now():
            return None
        return value

    def clear(self) -> None:
        with self._lock:
            self._key, self._revision, self._value = None, None, None

"""Give the C heap's freed pages back to the system after big work.

Opening the 1,000-message thread, laying out a 20,000-line patch or reading
every file of a series builds tens of MiB of short-lived objects; once they
are dropped glibc keeps the freed pages mapped, where they count as the
reader's resident memory until the heap happens to shrink from its top.
``malloc_trim(0)`` returns every free page (the heap's middle too). Measured
in process after the benchmark's three big threads on the 100,000-message
mailbox: 94 -> 80 MiB, in 1.9 ms; a second call right after: 0.03 ms.

The workers that do such work call :func:`release_freed_memory_soon` as they
end: the trim runs half a second later, in a thread of its own. Run at once
it fell on the frame being drawn with the new screen (trimming holds the
malloc lock and gives pages back with syscalls; the new screen then faults
its pages in again): an A/B in process on a loaded machine showed opening
the big thread, patch and series 1.5-2.5x slower (n=4, wide spread, but
not worth the risk). Elsewhere than glibc, nothing happens.
"""
from __future__ import annotations

import sys
import threading

_trim = None
_looked = False
_lock = threading.Lock()


def _malloc_trim():
    global _trim, _looked
    with _lock:
        if not _looked:
            _looked = True
            if sys.platform.startswith("linux"):
                try:
                    import ctypes

                    _trim = ctypes.CDLL("libc.so.6").malloc_trim
                    _trim.argtypes = (ctypes.c_size_t,)
                except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
                    _trim = None
    return _trim


def release_freed_memory() -> bool:
    """Return the heap's free pages to the system; whether it could be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


TRIM_DELAY = 0.5  # seconds after big work: the screen it built is drawn by then


_pending: threading.Timer | None = None


def release_freed_memory_soon(delay: float = TRIM_DELAY) -> None:
    """Trim the heap ``delay`` seconds from now, off the UI thread; asked
    again before then, the trim moves to ``delay`` after the last asking.

    Big work comes in runs (a thread opened, its long message laid out, its
    series' trailers read, the next thread opened): one trim after the run,
    rather than one per piece landing on the paints of the pieces after it."""
    global _pending
    timer = threading.Timer(delay, release_freed_memory)
    timer.daemon = True  # never holds the process open at exit
    with _lock:
        earlier, _pending = _pending, timer
        if earlier is not None:
            earlier.cancel()
        timer.start()


_frozen = False


def freeze_long_lived_objects() -> bool:
    """Keep the objects alive now out of every later garbage collection
    (``gc.freeze``); whether this call froze them (only the first does).

    Called once, after the first screen is drawn and the reading path is
    imported: what exists then (Textual, the modules, the app's widgets) lives
    as long as the reader. Python's full collection walks every object it
    tracks; on the 100,000-message bench mailbox one fell on the first paint
    of the 1,000-message thread and held the UI thread 95-260 ms (under load;
    25-30 ms once these were frozen). Objects freed by their reference count
    (most of them) are freed as before; only cycles that exist now stay.
    Once per process: the tests build many apps in one process, and freezing
    at each would keep every earlier app's cycles."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        _frozen = True
    import gc

    gc.freeze()
    return True


def allow_another_freeze() -> None:
    """Let the next :func:`freeze_long_lived_objects` freeze again. For the
    benchmark, which runs reader after reader in one process where each
    stands for a reader's only app: without it only the first was frozen,
    and the later ones' full collections walked everything the earlier ones
    left (in process, Enter on the 1,000-message thread: 164 ms median with
    pauses to 200, 118 with each app frozen as the reader freezes it)."""
    global _frozen
    with _lock:
        _frozen = False

"""Give the C heap's freed pages back to the system after big work.

Opening the 1,000-message thread, laying out a 20,000-line patch or reading
every file of a series builds tens of MiB of short-lived objects; once they
are dropped glibc keeps the freed pages mapped, where they count as the
reader's resident memory until the heap happens to shrink from its top.
``malloc_trim(0)`` returns every free page (the heap's middle too). Measured
in process after the benchmark's three big threads on the 100,000-message
mailbox: 94 -> 80 MiB, in 1.9 ms; a second call right after: 0.03 ms.

Called at the end of the workers that do such work (in their thread: ctypes
lets the interpreter run meanwhile; Python's small objects come from its own
arenas, so the UI thread rarely waits on the malloc lock). Elsewhere than
glibc, nothing happens.
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

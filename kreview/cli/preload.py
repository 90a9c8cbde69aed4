"""Load libnotmuch's shared libraries in a thread while the reader starts.

``import notmuch2`` loads its C extension, and with it libnotmuch, Xapian,
GMime, GLib and libstdc++: ~20 ms of dynamic linking before the first
screen, in the main thread, holding the GIL (CPython's import does not let
go of it around ``dlopen``). ctypes does, so the same libraries loaded
through ctypes in a thread cost the main thread nothing while it reads the
config; the import then finds them loaded (``dlopen`` of a library already
loaded only counts a reference). Nothing is imported or initialised here:
if anything fails, the import does the whole work as before.
"""
from __future__ import annotations

import threading
from importlib.machinery import EXTENSION_SUFFIXES, PathFinder
from pathlib import Path

EXTENSION = "_capi"  # notmuch2's C extension (cffi): the one linked against libnotmuch


def notmuch_extension() -> Path | None:
    """The file of notmuch2's C extension, found without importing notmuch2."""
    spec = PathFinder.find_spec("notmuch2")
    for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
        for suffix in EXTENSION_SUFFIXES:
            path = Path(folder) / f"{EXTENSION}{suffix}"
            if path.is_file():
                return path
    return None


def _load() -> None:
    try:
        import ctypes

        path = notmuch_extension()
        if path is not None:
            ctypes.CDLL(str(path))
    except Exception:  # noqa: BLE001 - a head start only: the import reports real problems
        pass


def load_notmuch_in_background() -> threading.Thread:
    thread = threading.Thread(target=_load, name="kreview-preload", daemon=True)
    thread.start()
    return thread

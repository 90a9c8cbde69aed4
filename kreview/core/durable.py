"""Writes that survive a crash: a file written, renamed into place, is on
disk only once its directory entry is too (rename(2) says nothing about the
directory's own durability; ext4 and xfs need the directory fsynced)."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["fsync_dir"]


def fsync_dir(path: Path) -> None:
    """Flush ``path``'s directory entries to disk (after a rename into it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

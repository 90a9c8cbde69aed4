"""Freed heap pages go back to the system when the reader asks (glibc)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import sys
    from kreview.tui.memory import release_freed_memory

    def rss_mib():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

    # 60 MiB in blocks below glibc's mmap threshold (they come from the heap),
    # then all freed but the last, which keeps the heap from shrinking at its top.
    blocks = [bytes(100_000) for _ in range(600)]
    keep = blocks[-1]
    del blocks
    before = rss_mib()
    asked = release_freed_memory()
    print(asked, before - rss_mib())
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_heap_pages_are_given_back():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    asked, released = done.stdout.split()
    assert asked == "True"
    assert float(released) > 30  # MiB of the 60 freed

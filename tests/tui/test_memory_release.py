"""Freed heap pages go back to the system when the reader asks (glibc)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import sys, time
    from kreview.tui.memory import release_freed_memory, release_freed_memory_soon

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
    if sys.argv[1] == "now":
        asked = release_freed_memory()
    else:  # in a timer thread, a moment later
        release_freed_memory_soon(0.05)
        deadline = time.monotonic() + 10
        while before - rss_mib() < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        asked = True
    print(asked, before - rss_mib())
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
@pytest.mark.parametrize("when", ["now", "soon"])
def test_freed_heap_pages_are_given_back(when):
    done = subprocess.run([sys.executable, "-c", SCRIPT, when], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    asked, released = done.stdout.split()
    assert asked == "True"
    assert float(released) > 30  # MiB of the 60 freed


FREEZE_SCRIPT = textwrap.dedent("""
    import gc
    from kreview.tui.app import import_reading_path
    from kreview.tui.memory import freeze_long_lived_objects

    assert gc.get_freeze_count() == 0
    import_reading_path()  # the reader's warm-up, after its first screen
    frozen = gc.get_freeze_count()
    again = freeze_long_lived_objects()
    print(frozen, again, gc.get_freeze_count() == frozen)
""")


def test_the_warm_up_freezes_the_long_lived_objects_once():
    """Full collections then skip what the reader keeps for its whole life
    (one fell on the first paint of the biggest thread); a second call,
    as the tests' many apps make, freezes nothing more."""
    done = subprocess.run([sys.executable, "-c", FREEZE_SCRIPT], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    frozen, again, same = done.stdout.split()
    assert int(frozen) > 10_000  # the modules' functions, classes, ...
    assert again == "False" and same == "True"


def test_a_trim_asked_again_before_its_time_moves_after_the_last_asking(monkeypatch):
    """One trim after a run of big work, not one per piece of it."""
    from kreview.tui import memory

    memory.release_freed_memory_soon(30)
    first = memory._pending
    memory.release_freed_memory_soon(30)
    second = memory._pending
    try:
        assert first is not second
        assert first.finished.is_set()  # cancelled: it will not trim
        assert second.is_alive() and not second.finished.is_set()
    finally:
        second.cancel()


REFREEZE_SCRIPT = textwrap.dedent("""
    import gc
    from kreview.tui.memory import allow_another_freeze, freeze_long_lived_objects

    assert freeze_long_lived_objects()
    first = gc.get_freeze_count()
    kept = [[object()] for _ in range(5000)]  # the next reader's app, made after the first freeze
    allow_another_freeze()
    print(freeze_long_lived_objects(), gc.get_freeze_count() - first >= 5000)
""")


def test_the_benchmark_freezes_each_reader_it_runs_in_one_process():
    """kreview.bench runs reader after reader in one process; each stands for
    a reader's only app, frozen after its warm-up like the first."""
    done = subprocess.run([sys.executable, "-c", REFREEZE_SCRIPT], capture_output=True, text=True, timeout=60,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]

"""The benchmark ends what a killed earlier run left running in tmux, and
checks that a program it ran in tmux has ended, so no leftover process
slows the rows it measures next."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from kreview.bench import tmux_e2e

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture(autouse=True)
def short_grace(monkeypatch):
    monkeypatch.setattr(tmux_e2e.TmuxSession, "exit_grace", 0.3)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _wait_until(predicate, timeout=10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_servers_of_a_killed_benchmark_are_ended_and_live_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TMUX_TMPDIR", str(tmp_path))  # tmux and the sweep look here only
    stale, live = tmux_e2e.TmuxSession(), tmux_e2e.TmuxSession()
    stale.socket = f"kbench-{_dead_pid()}-1"  # as named by a benchmark that was killed
    live.socket = f"kbench-{os.getpid()}-99"  # this process runs: its server is left alone
    try:
        # A program that ignores the hang-up, as a process stuck in a worker would.
        stale.start([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
                                           "time.sleep(120)"])
        live.start(["sleep", "120"])
        _wait_until(lambda: stale.capture() is not None and stale._tmux("list-panes", check=False).returncode == 0)
        stuck = stale.pane_pid()
        swept = tmux_e2e.sweep_stale_servers()
        assert swept == [stale.socket]
        assert not tmux_e2e._running(stuck)
        assert live._tmux("list-sessions", check=False).returncode == 0
    finally:
        stale.kill()
        live.kill()


def test_a_program_that_outlives_its_terminal_is_killed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMUX_TMPDIR", str(tmp_path))
    session = tmux_e2e.TmuxSession()
    session.start([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
                                         "time.sleep(120)"])
    pid = session.pane_pid()
    session.kill()
    assert not tmux_e2e._running(pid)


def test_cpu_seconds_counts_every_thread_and_busy_kreview_processes_are_named():
    spin = ("import sys, threading, time\n"
            "def spin():\n    while True: pass\n"
            "for _ in range(int(sys.argv[1])): threading.Thread(target=spin, daemon=True).start()\n"
            "time.sleep(60)")
    busy = subprocess.Popen([sys.executable, "-c", spin, "2", "kreview-like"])
    idle = subprocess.Popen([sys.executable, "-c", spin, "0", "kreview-like"])
    try:
        _wait_until(lambda: tmux_e2e.cpu_seconds(busy.pid) > 0.3)  # the spinning threads' time is counted
        assert tmux_e2e.cpu_seconds(idle.pid) < 0.3
        named = [pid for pid, _ in tmux_e2e.busy_kreview_processes({os.getpid()})]
        assert busy.pid in named and idle.pid not in named
    finally:
        for child in (busy, idle):
            child.kill()
            child.wait()

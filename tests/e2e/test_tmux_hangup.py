"""A closed terminal ends the reader, even when SIGHUP never reaches it.

`make demo` is the session leader of its terminal: it catches SIGHUP and
waits for its child, so a closed terminal sends kreview no signal at all.
The reader used to spin on its dead tty at most of a core until killed.
"""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import uuid

from tests.e2e.tmux import kreview_command, terminal_env

# Stands in for make: catches SIGHUP, runs the reader, waits for it.
WRAPPER = """
import signal, subprocess, sys
signal.signal(signal.SIGHUP, lambda *_: None)
child = subprocess.Popen(sys.argv[2:])
open(sys.argv[1], "w").write(str(child.pid))
while True:
    try:
        sys.exit(child.wait())
    except InterruptedError:
        pass
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose (its parent has not reaped it yet).
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_reader_exits_when_its_terminal_is_closed(isolated_env, tmp_path):
    pid_file = tmp_path / "reader.pid"
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in terminal_env().items())
    command = [sys.executable, str(wrapper), str(pid_file), *kreview_command(), "--demo"]
    socket = f"kreview-test-{uuid.uuid4().hex[:8]}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=20).stdout

    # exec: the wrapper, not a shell, is the terminal's session leader.
    tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", f"exec env -i {exports} {shlex.join(command)}")
    reader = None
    try:
        deadline = time.monotonic() + 30
        while "threads" not in tmux("capture-pane", "-p", "-t", "t"):
            assert time.monotonic() < deadline, "the reader never drew its list"
            time.sleep(0.1)
        reader = int(pid_file.read_text())
        tmux("kill-server")  # the terminal is closed
        deadline = time.monotonic() + 10
        while _alive(reader) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(reader), "the reader kept running on a closed terminal"
    finally:
        tmux("kill-server")
        if reader is not None and _alive(reader):
            os.kill(reader, signal.SIGKILL)

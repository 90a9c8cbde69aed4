"""End-to-end timing in a real terminal: tmux runs the program, we poll the screen.

Each session runs on its own tmux server socket (``tmux -L``), so nobody's
own tmux is touched and a crashed run leaves nothing attached. Times are
from just before ``tmux new-session`` (or just before ``send-keys``) until a
``capture-pane`` first shows what we wait for; the poll interval (~10 ms)
plus one capture (~2-4 ms) bounds the error.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.01


class TmuxTimeout(Exception):
    pass


def available() -> bool:
    return shutil.which("tmux") is not None


class TmuxSession:
    _count = 0

    def __init__(self, name: str = "kbench", width: int = 200, height: int = 50) -> None:
        self.name = name
        TmuxSession._count += 1  # a fresh server per session: no state carried over
        self.socket = f"kbench-{os.getpid()}-{TmuxSession._count}"
        self.width = width
        self.height = height
        self.started = False

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, argv: list[str], env: dict[str, str] | None = None) -> float:
        """Start ``argv`` in a detached session; returns the monotonic start time."""
        env_args: list[str] = []
        for key, value in (env or {}).items():
            env_args += ["-e", f"{key}={value}"]
        command = "exec " + " ".join(shlex.quote(a) for a in argv)
        t0 = time.monotonic()
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(self.width), "-y", str(self.height),
                   *env_args, command)
        self.started = True
        return t0

    def capture(self, styles: bool = False) -> str:
        """The screen's text; with ``styles``, with its SGR sequences too, so a
        moved highlight (same text, other colours) counts as a change."""
        flags = ("-p", "-e") if styles else ("-p",)
        return self._tmux("capture-pane", *flags, "-t", self.name, check=False).stdout

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 60.0,
                 styles: bool = False) -> tuple[float, str]:
        """Poll until ``predicate(screen)``; returns (monotonic time seen, screen)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(styles)
            if predicate(screen):
                return time.monotonic(), screen
            time.sleep(POLL)
        raise TmuxTimeout(f"screen did not show what was expected within {timeout:.0f} s; last screen:\n{screen}")

    def send_keys(self, *keys: str) -> float:
        t0 = time.monotonic()
        self._tmux("send-keys", "-t", self.name, *keys)
        return t0

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())

    def kill(self) -> None:
        if self.started:
            self._tmux("kill-server", check=False)
            self.started = False

    def __enter__(self) -> TmuxSession:
        return self

    def __exit__(self, *exc) -> None:
        self.kill()


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` from /proc (VmRSS, KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(f"no VmRSS for {pid}")


def contains(*needles: str) -> Callable[[str], bool]:
    return lambda screen: all(n in screen for n in needles)


def matches(pattern: str) -> Callable[[str], bool]:
    rx = re.compile(pattern, re.M)
    return lambda screen: rx.search(screen) is not None

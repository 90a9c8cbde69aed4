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
import signal
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
    exit_grace = 3.0  # seconds a program gets to end after its server, before it is killed

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
        """End the server, and make sure the program in it ended too: one
        that outlived its terminal (a worker thread still running) would go
        on using the CPU while the next rows are measured."""
        if self.started:
            try:
                pid = self.pane_pid()
            except (ValueError, subprocess.SubprocessError):
                pid = None
            self._tmux("kill-server", check=False)
            self.started = False
            if pid is not None:
                end_process(pid, self.exit_grace)

    def __enter__(self) -> TmuxSession:
        return self

    def __exit__(self, *exc) -> None:
        self.kill()


SOCKET_PREFIX = "kbench-"


def end_process(pid: int, grace: float = 3.0) -> None:
    """Wait up to ``grace`` seconds for ``pid`` to end, then kill it."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _running(pid):
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace  # SIGKILL is not instant either
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie uses no CPU: it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _socket_dir() -> Path:
    return Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"


def sweep_stale_servers() -> list[str]:
    """End the tmux servers a killed benchmark left (sockets ``kbench-PID-N``
    whose PID is gone) still running, with what runs in them. Returns the
    sockets swept. Servers of a benchmark still running are left."""
    swept = []
    directory = _socket_dir()
    if not directory.is_dir():
        return swept
    for socket in sorted(directory.glob(f"{SOCKET_PREFIX}*")):
        owner = socket.name[len(SOCKET_PREFIX):].split("-")[0]
        if not owner.isdigit() or _running(int(owner)):
            continue
        session = TmuxSession()
        session.socket, session.started = socket.name, True
        if session._tmux("list-sessions", check=False).returncode == 0:  # a server still runs
            session.kill()
            socket.unlink(missing_ok=True)
            swept.append(socket.name)
    return swept


def busy_kreview_processes(exclude: set[int], interval: float = 0.5) -> list[tuple[int, str]]:
    """Other kreview processes using the CPU now (pid, command line): they
    would slow every row. Measured over ``interval`` seconds."""
    def cpu_ticks() -> dict[int, tuple[int, str]]:
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in exclude:
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
                if "kreview" not in command:
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                found[int(entry.name)] = (int(fields[11]) + int(fields[12]), command)
            except (OSError, IndexError, ValueError):
                continue
        return found

    before = cpu_ticks()
    time.sleep(interval)
    after = cpu_ticks()
    return [(pid, command) for pid, (ticks, command) in after.items()
            if pid in before and ticks > before[pid][0]]


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by every thread of ``pid`` (from schedstat, in
    nanoseconds; clock ticks would be 10 ms coarse). On a busy machine wall
    times stretch with the load, CPU times much less."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue  # a thread that just ended
    return total / 1e9


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

"""A real terminal for end-to-end tests: kreview runs in a private tmux server
(its own socket, so no user session or stale environment leaks in)."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid

import pytest


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str], width: int = 160, height: int = 45) -> None:
        if shutil.which("tmux") is None:
            pytest.fail("tmux is not installed: run `make test`, which installs it")
        self.socket = f"kreview-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # env -i: only what the test passes (pytest plugins export COLUMNS=80,
        # which would make kreview ignore the real terminal size).
        line = f"env -i {exports} {shlex.join(command)}; echo EXITED $?; sleep 60"
        self._tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), line)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def wait_until(self, predicate, what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"never saw {what}; the screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


def kreview_command() -> list[str]:
    """The installed console script next to this interpreter (what `make demo` runs)."""
    import sys

    script = os.path.join(os.path.dirname(sys.executable), "kreview")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "kreview"]


def terminal_env(**extra: str) -> dict[str, str]:
    """What kreview gets in a test terminal: the test's private HOME, XDG
    directories and configs (from conftest's isolated_env and store), a
    UTF-8 xterm, and ``extra``."""
    env = {k: os.environ[k] for k in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                                       "NOTMUCH_CONFIG", "KREVIEW_CONFIG", "PATH")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", **extra)
    return env


def editor_script(path, body: str) -> str:
    """A shell script (``body``, its #! line included) standing in for $EDITOR;
    its first argument is the draft."""
    path.write_text(body)
    path.chmod(0o755)
    return str(path)

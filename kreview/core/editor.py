"""Run the user's editor on a file, as a pure function the TUI wraps in
``app.suspend()``.

The command comes from $VISUAL or $EDITOR only, split like a shell would
split it (so ``EDITOR="emacsclient -t"`` works) but never run through a
shell, and the only other argument is the path kreview chose: nothing taken
from a mail reaches the command line.
"""
from __future__ import annotations

import os
import shlex
import signal as signals
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_EDITOR = "vi"


@dataclass(frozen=True)
class EditorResult:
    returncode: int | None  # None when the editor never ran or died of a signal
    signal: int | None = None  # the signal that killed it
    error: str = ""  # why it could not run, for people
    argv: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.error

    def describe(self) -> str:
        """One line for the status bar."""
        if self.error:
            return self.error
        if self.signal is not None:
            try:
                name = signals.Signals(self.signal).name
            except ValueError:
                name = f"signal {self.signal}"
            return f"the editor was killed by {name}"
        if self.returncode:
            return f"the editor exited with status {self.returncode}"
        return "the editor finished"


def editor_argv(path: str | os.PathLike, env: Mapping[str, str] = os.environ) -> list[str]:
    """argv for editing ``path``; ValueError when $VISUAL/$EDITOR cannot be split."""
    command = env.get("VISUAL") or env.get("EDITOR") or DEFAULT_EDITOR
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise ValueError(f"cannot understand the editor command {command!r}: {exc}") from None
    if not words:
        words = [DEFAULT_EDITOR]
    return [*words, os.fspath(Path(path))]


def run_editor(path: str | os.PathLike, env: Mapping[str, str] = os.environ) -> EditorResult:
    """Run the editor on ``path`` in the foreground and wait. Never raises:
    a missing or unusable editor comes back as a result with ``error`` set."""
    try:
        argv = editor_argv(path, env)
    except ValueError as exc:
        return EditorResult(None, error=str(exc))
    try:
        # The editor inherits the terminal (no capture): it needs it.
        completed = subprocess.run(argv, env=dict(env), check=False)
    except FileNotFoundError:
        return EditorResult(None, error=f"editor {argv[0]!r} not found (set $VISUAL or $EDITOR)", argv=tuple(argv))
    except OSError as exc:
        return EditorResult(None, error=f"could not run editor {argv[0]!r}: {exc.strerror or exc}", argv=tuple(argv))
    if completed.returncode < 0:
        return EditorResult(None, signal=-completed.returncode, argv=tuple(argv))
    return EditorResult(completed.returncode, argv=tuple(argv))

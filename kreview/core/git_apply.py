"""Apply an am-ready mbox to a git repository: a dry run first, then ``git am``.

Which repository: a name from the config's ``[repos]`` table, else its
default, else the repository the current directory is in. The core is given
those values; it never reads the config itself.

After a failed ``git am`` the repository is left exactly as git left it
(the user may want to resolve the conflict), and the result says how to get
out: ``git -C REPO am --abort``. Nothing here runs ``--abort`` on its own.
Every git command runs with ``LC_ALL=C`` so the output shown is the same
everywhere, and with stdin closed, so git never waits for an answer.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping


class ApplyError(Exception):
    """The apply cannot start (no repository, an am already in progress); in words."""


@dataclass(frozen=True)
class GitResult:
    ok: bool
    command: tuple[str, ...]
    output: str  # stdout and stderr, interleaved as git wrote them
    cancelled: bool = False


@dataclass(frozen=True)
class AmOutcome:
    ok: bool
    repo: Path
    output: str
    applied: int  # commits git am made
    abort_command: str | None  # how to leave a stopped am; None when nothing is pending
    cancelled: bool = False

    @property
    def summary(self) -> str:
        if self.ok:
            return f"git am applied {self.applied} patch{'es' if self.applied != 1 else ''} in {self.repo}"
        head = "git am was cancelled" if self.cancelled else "git am stopped"
        tail = f"; to give up: {self.abort_command}" if self.abort_command else ""
        return f"{head} after {self.applied} patch{'es' if self.applied != 1 else ''} in {self.repo}{tail}"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(LC_ALL="C", LANG="C", GIT_TERMINAL_PROMPT="0", GIT_EDITOR="true")
    return env


def run_git(repo: Path, args: list[str], cancelled: Callable[[], bool] | None = None,
            timeout: float = 600.0) -> GitResult:
    """Run ``git -C repo ARGS``; ``cancelled`` is polled, and stops git when it says so."""
    command = ("git", "-C", str(repo), *args)
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=_env())
    except OSError as exc:
        raise ApplyError(f"cannot run git: {exc.strerror or exc}") from exc
    deadline = time.monotonic() + timeout
    while True:
        try:
            out, _ = proc.communicate(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            if (cancelled is not None and cancelled()) or time.monotonic() > deadline:
                proc.terminate()
                out, _ = proc.communicate()
                return GitResult(False, command, out.decode("utf-8", "replace"), cancelled=True)
    return GitResult(proc.returncode == 0, command, out.decode("utf-8", "replace"))


def toplevel(path: Path) -> Path | None:
    """The work tree ``path`` is in, or None."""
    try:
        done = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                              capture_output=True, text=True, env=_env(), stdin=subprocess.DEVNULL)
    except OSError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def choose_repo(name: str | None, repos: Mapping[str, str], default: str | None,
                cwd: Path | None = None) -> Path:
    """The repository to apply to (see the module docstring)."""
    if name:
        if name not in repos:
            known = ", ".join(sorted(repos)) or "none configured"
            raise ApplyError(f"no repository named {name!r} in [repos] ({known})")
        wanted = Path(repos[name]).expanduser()
    elif default:
        wanted = Path(repos.get(default, default)).expanduser()
    else:
        wanted = cwd or Path.cwd()
    top = toplevel(wanted)
    if top is None:
        raise ApplyError(f"{wanted} is not in a git repository (set am_repo or [repos] in the config)")
    return top


def _git_dir(repo: Path) -> Path:
    done = subprocess.run(["git", "-C", str(repo), "rev-parse", "--absolute-git-dir"],
                          capture_output=True, text=True, env=_env(), stdin=subprocess.DEVNULL)
    return Path(done.stdout.strip())


def am_in_progress(repo: Path) -> bool:
    git_dir = _git_dir(repo)
    return (git_dir / "rebase-apply").exists() or (git_dir / "rebase-merge").exists()


def check(repo: Path, mbox: Path, cancelled: Callable[[], bool] | None = None) -> GitResult:
    """``git apply --check``: would the series apply to the work tree as it is?

    git apply reads every patch of the mbox in order, later patches seeing
    the earlier ones' result, so a series that edits one file twice checks."""
    return run_git(repo, ["apply", "--check", "--verbose", str(mbox)], cancelled)


def _head(repo: Path) -> str | None:
    done = run_git(repo, ["rev-parse", "--verify", "-q", "HEAD"])
    return done.output.strip() if done.ok else None


def _count(repo: Path, before: str | None) -> int:
    if before is None:
        done = run_git(repo, ["rev-list", "--count", "HEAD"])
    else:
        done = run_git(repo, ["rev-list", "--count", f"{before}..HEAD"])
    return int(done.output.strip()) if done.ok and done.output.strip().isdigit() else 0


def git_am(repo: Path, mbox: Path, threeway: bool = True,
           cancelled: Callable[[], bool] | None = None) -> AmOutcome:
    """``git am [-3] MBOX`` in ``repo``; on failure, leave it for the user."""
    if am_in_progress(repo):
        raise ApplyError(f"a git am or rebase is already in progress in {repo}; "
                         f"finish it or run: git -C {repo} am --abort")
    before = _head(repo)
    args = ["am", *(["-3"] if threeway else []), str(mbox)]
    result = run_git(repo, args, cancelled)
    applied = _count(repo, before)
    pending = am_in_progress(repo)
    abort = f"git -C {repo} am --abort" if pending else None
    return AmOutcome(ok=result.ok and not pending, repo=repo, output=result.output,
                     applied=applied, abort_command=abort, cancelled=result.cancelled)

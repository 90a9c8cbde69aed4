"""A real git repository for an am mbox: a base commit holding, for every
file the patches change, the lines the patches expect (their pre-image),
with filler lines where no hunk looks.

The patches of a series build on each other (patch 3 edits what patch 1
wrote), so the base is worked out by replaying them: each file is a list of
entries, either a line of the base (a numbered slot, its text learnt from
the first hunk that reads it) or a line a patch wrote. A hunk's context and
removed lines teach the base the text of the slots they fall on; its added
lines replace the removed ones. Slots no hunk reads get "filler N" lines.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from unidiff import PatchSet

# Fixed identity and dates: tests pass on any machine, in any time zone.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.org",
    "GIT_AUTHOR_DATE": "2020-01-01T00:00:00+0000", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00+0000",
    "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "TZ": "UTC",
}


def git(repo: Path, *args: str, input: bytes | None = None, check: bool = True) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True, env=env)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout.decode()}{done.stderr.decode()}")
    return done.stdout.decode("utf-8", "replace")


def patches_of(mbox: bytes, work: Path) -> list[str]:
    """The diff part of each message, as git mailinfo separates it."""
    messages = [m for m in mbox.split(b"From git@z Thu Jan  1 00:00:00 1970\n") if m]
    diffs = []
    for message in messages:
        done = subprocess.run(["git", "mailinfo", "-u", str(work / "msg"), str(work / "patch")],
                              input=message, capture_output=True, check=True)
        assert done.returncode == 0
        diffs.append((work / "patch").read_text("utf-8"))
    return diffs


def base_files(diffs: list[str]) -> dict[str, str]:
    """path -> base content that every diff, in order, applies to exactly."""
    files: dict[str, list] = {}
    base: dict[str, dict[int, str]] = {}
    created: set[str] = set()
    for diff in diffs:
        for pf in PatchSet(diff):
            if pf.is_added_file:
                created.add(pf.path)
            path = pf.source_file[2:] if pf.source_file.startswith("a/") else pf.path
            if pf.is_added_file:
                files[pf.path] = []
                continue
            if path not in files:
                size = max(h.source_start + h.source_length for h in pf) + 50
                files[path] = [("slot", i) for i in range(size)]
                base[path] = {}
            current = files[path]
            # Later hunks first: the line numbers of earlier ones stay valid.
            for hunk in reversed(list(pf)):
                at = max(hunk.source_start - 1, 0) if hunk.source_length else hunk.source_start
                olds = [line.value.rstrip("\n") for line in hunk if not line.is_added]
                at = _place(current, base[path], at, olds, path)
                for offset, text in enumerate(olds):
                    entry = current[at + offset]
                    if entry[0] == "slot":
                        base[path].setdefault(entry[1], text)
                new, read = [], 0
                for line in hunk:
                    if line.is_added:
                        new.append(("text", line.value.rstrip("\n")))
                        continue
                    if line.is_context:
                        new.append(current[at + read])  # a kept line stays what it was
                    read += 1
                current[at: at + len(olds)] = new
    out = {}
    for path, slots in base.items():
        if path in created:
            continue
        last = max(slots) if slots else 0
        out[path] = "".join((slots.get(i, f"filler {i}") + "\n") for i in range(last + 20))
    return out


def _fits(current: list, known: dict[int, str], at: int, olds: list[str]) -> bool:
    if at < 0 or at + len(olds) > len(current):
        return False
    for offset, text in enumerate(olds):
        kind, value = current[at + offset]
        if kind == "slot" and known.get(value, text) != text:
            return False
        if kind == "text" and value != text:
            return False
    return True


def _place(current: list, known: dict[int, str], at: int, olds: list[str], path: str) -> int:
    """Where the hunk applies: at its line number, else the nearest place its
    lines fit (git apply too accepts a hunk moved by a few lines)."""
    for distance in range(0, 400):
        for candidate in ((at,) if distance == 0 else (at - distance, at + distance)):
            if _fits(current, known, candidate, olds):
                return candidate
    raise AssertionError(f"{path}: no place near line {at + 1} fits the hunk")


def repo_for(mbox: bytes, root: Path) -> Path:
    """A repository whose HEAD is the base the series in ``mbox`` applies to."""
    repo = root / "repo"
    repo.mkdir()
    work = root / "mailinfo"
    work.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for path, content in base_files(patches_of(mbox, work)).items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base: the pre-image of the series")
    return repo

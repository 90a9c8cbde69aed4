"""Unified diffs as frozen records: files, hunks, +/- lines, and a diffstat.

Two parsers: unidiff for whole, well-formed patches (it knows git's rename,
mode and binary headers), and a tolerant one of our own for what reviewers
quote: hunks snipped in the middle, whose line counts no longer match, which
unidiff rightly refuses. Nothing is ever dropped: when neither finds a diff the
result carries ``error`` and the raw lines, to be shown as plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import unidiff

from kreview.core.grammar import HUNK_HEADER, diff_path, git_diff_names, strip_quote
from kreview.core.highlight import lexer_name_for

__all__ = ["DiffLine", "Hunk", "FileDiff", "DiffInfo", "parse_diff", "diffstat"]


class DiffLine(NamedTuple):  # a NamedTuple: a 20,000-line patch makes 20,000 of these
    # '+', '-', ' ' or '\\' ("\ No newline at end of file"); "" for a line that is
    # no diff line at all inside a quoted hunk (a "[...]" snip mark, a stray comment).
    kind: str
    text: str  # without the kind character


@dataclass(frozen=True)
class Hunk:
    header: str  # "@@ -a,b +c,d @@" without the function part; "" when none was quoted
    function: str  # git's section heading: "static void foo(void)", or ""
    source_start: int
    target_start: int
    lines: tuple[DiffLine, ...]


@dataclass(frozen=True)
class FileDiff:
    path: str  # the file as it is after the change (before it, when deleted)
    source_path: str  # as written in the diff: "a/x.c", "/dev/null"
    target_path: str
    added: int
    removed: int
    lexer: str  # pygments alias for colouring, see highlight.lexer_name_for
    hunks: tuple[Hunk, ...]


@dataclass(frozen=True)
class DiffInfo:
    files: tuple[FileDiff, ...]
    raw: tuple[str, ...] = ()  # the lines parsed, quote prefix removed
    error: str = ""  # non-empty when no diff could be read: show ``raw`` as text
    tolerant: bool = False  # True when unidiff refused and our own parser read it




def parse_diff(text: str, *, default_path: str = "") -> DiffInfo:
    """Read a diff (or a quoted piece of one); leading non-diff text is ignored.

    ``default_path`` names the file of hunks quoted without their file header
    (the caller knows it from an earlier quote), so they still get its lexer.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    non_blank = [ln for ln in lines if ln.strip()]
    if non_blank and all(ln.startswith(">") for ln in non_blank):
        lines = [strip_quote(ln) for ln in lines]
    raw = tuple(lines)
    try:
        patch = unidiff.PatchSet("\n".join(lines) + "\n")
        files = tuple(_from_unidiff(f) for f in patch)
        if files and any(f.hunks for f in files) or _only_headers(files, lines):
            return DiffInfo(files, raw)
        error = "no hunk found"
    except Exception as exc:  # UnidiffParseError, and anything odd it trips on
        error = str(exc) or exc.__class__.__name__
    files = _tolerant(lines, default_path)
    if files:
        return DiffInfo(files, raw, tolerant=True)
    return DiffInfo((), raw, error=f"not a readable diff ({error})")


_HUNKLESS = ("rename from ", "copy from ", "new mode ", "Binary files ", "GIT binary patch",
             "new file mode ", "deleted file mode ")


def _only_headers(files: tuple[FileDiff, ...], lines: list[str]) -> bool:
    # Pure renames, mode changes and binary files have no hunks, and that is fine;
    # a bare "diff --git" line with nothing after it is not a diff.
    return bool(files) and not any(HUNK_HEADER.match(ln) for ln in lines) and any(
        ln.startswith(_HUNKLESS) for ln in lines
    )


def _path(source: str, target: str) -> str:
    chosen = target if target and target != "/dev/null" else source
    return diff_path(chosen)


def _from_unidiff(pf: unidiff.PatchedFile) -> FileDiff:
    hunks = []
    for h in pf:
        lines = tuple(DiffLine(ln.line_type, ln.value.rstrip("\n")) for ln in h)
        header = f"@@ -{h.source_start},{h.source_length} +{h.target_start},{h.target_length} @@"
        hunks.append(Hunk(header, (h.section_header or "").strip(), h.source_start, h.target_start, lines))
    path = _path(pf.source_file or "", pf.target_file or "")
    return FileDiff(path, pf.source_file or "", pf.target_file or "", pf.added, pf.removed,
                    lexer_name_for(path), tuple(hunks))


class _FileBuilder:
    def __init__(self, source: str = "", target: str = "") -> None:
        self.source = source
        self.target = target
        self.hunks: list[Hunk] = []
        # (header, function, source_start, target_start) of the open hunk
        self.header: tuple[str, str, int, int] | None = None
        self.lines: list[DiffLine] = []
        self.meta = False  # saw a rename/mode/binary line: a file change without hunks

    def close_hunk(self) -> None:
        # A header with no diff line under it is not worth a hunk (and may be prose).
        if self.header is not None and any(ln.kind in ("+", "-", " ") for ln in self.lines):
            head, function, source_start, target_start = self.header
            self.hunks.append(Hunk(head, function, source_start, target_start, tuple(self.lines)))
        self.header, self.lines = None, []

    def open_hunk(self, m: re.Match[str]) -> None:
        self.close_hunk()
        head, function = m.group(0), m.group("function").strip()
        if function:
            head = head[: head.rindex(function)].rstrip()
        self.header = (head, function, int(m.group("old_start")), int(m.group("new_start")))

    def build(self, default_path: str) -> FileDiff:
        self.close_hunk()
        added = sum(ln.kind == "+" for h in self.hunks for ln in h.lines)
        removed = sum(ln.kind == "-" for h in self.hunks for ln in h.lines)
        path = _path(self.source, self.target) or default_path
        return FileDiff(path, self.source, self.target, added, removed, lexer_name_for(path), tuple(self.hunks))


def _tolerant(lines: list[str], default_path: str) -> tuple[FileDiff, ...]:
    """Read hunks without trusting their line counts.

    A quoted snippet may start in the middle of a hunk (no header at all): its
    +/- lines still go into one header-less hunk so they keep their colours.
    """
    files: list[_FileBuilder] = []
    current: _FileBuilder | None = None
    pending_source = ""

    def start(source: str = "", target: str = "") -> _FileBuilder:
        nonlocal current
        if current is not None:
            current.close_hunk()
        current = _FileBuilder(source, target)
        files.append(current)
        return current

    for i, line in enumerate(lines):
        names = git_diff_names(line) if line.startswith("diff --git ") else None
        if names:
            start(*names)
            continue
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            pending_source = line[4:].split("\t")[0].strip()
            continue
        if line.startswith("+++ ") and pending_source:
            target = line[4:].split("\t")[0].strip()
            if current is None or current.hunks or current.header is not None:
                start(pending_source, target)
            else:
                current.source, current.target = pending_source, target
            pending_source = ""
            continue
        hunk = HUNK_HEADER.match(line)
        if hunk:
            (current or start()).open_hunk(hunk)
            continue
        if current is not None and current.header is None and line.startswith(_HUNKLESS):
            current.meta = True
            if line.startswith(("rename from ", "copy from ")):
                current.source = line.split(" ", 2)[2]
            continue
        if current is not None and current.header is not None:
            if line[:1] in ("+", "-", " ", "\\"):
                current.lines.append(DiffLine(line[0], line[1:]))
            elif line == "":
                current.lines.append(DiffLine(" ", ""))  # a mailer ate the context space
            else:
                current.lines.append(DiffLine("", line))
        elif current is None and line[:1] in ("+", "-") and line != "---":
            # +/- lines before any header: a snippet quoted from the middle of a hunk.
            builder = start()
            builder.header = ("", "", 0, 0)  # no header was quoted
            builder.lines.append(DiffLine(line[0], line[1:]))
    built = [(f.build(default_path), f.meta) for f in files]
    return tuple(diff for diff, meta in built if diff.hunks or meta)


def diffstat(info: DiffInfo, width: int = 50) -> list[str]:
    """git-style diffstat lines: " path | 12 +++---" and a summary line."""
    if not info.files:
        return []
    name_w = max(len(f.path) for f in info.files)
    most = max((f.added + f.removed for f in info.files), default=0)
    count_w = len(str(most))
    out = []
    for f in info.files:
        total = f.added + f.removed
        plus, minus = f.added, f.removed
        if most > width:  # scale like git, but keep every change visible
            plus = max(round(f.added * width / most), 1 if f.added else 0)
            minus = max(round(f.removed * width / most), 1 if f.removed else 0)
        out.append(f" {f.path.ljust(name_w)} | {str(total).rjust(count_w)} {'+' * plus}{'-' * minus}".rstrip())
    n = len(info.files)
    added = sum(f.added for f in info.files)
    removed = sum(f.removed for f in info.files)
    summary = f" {n} file{'s' if n != 1 else ''} changed"
    if added:
        summary += f", {added} insertion{'s' if added != 1 else ''}(+)"
    if removed:
        summary += f", {removed} deletion{'s' if removed != 1 else ''}(-)"
    out.append(summary)
    return out

"""What the author changed between two versions of a series, patch by patch.

Patches of the two versions are paired first by title, then by patch-id
(a retitled patch with the same diff), as ``git range-diff`` pairs commits;
what is left is added or dropped. A pair is ``unchanged`` when its diff has
the same patch-id and its commit message (trailers aside: those are
expected to grow) is the same, ``moved`` when only its place changed,
otherwise ``modified``, with a diff of the two diffs: the outer column says
what happened to each line of the patch (``-+x``: an added line x is gone;
``++x``: added line x is new). Line numbers of hunk headers and ``index``
lines are left out, as range-diff does: a rebase moves them without the
author changing anything.

Pure: the callers read the mail (see :mod:`kreview.core.chains`).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kreview.core.patchid import patch_id, split_patch
from kreview.core.series import parse_subject

CHANGES = ("unchanged", "modified", "moved", "added", "dropped")
_HUNK_NUMBERS = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?")
_TRAILER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*-by:\s|^(?:Cc|Link|Closes|Fixes):\s", re.I)


@dataclass(frozen=True)
class PatchText:
    """One patch of one version, as the interdiff needs it."""

    index: int
    message_id: str
    subject: str
    body: str
    # its patch-id when already known (the chain's facts hold it): the
    # interdiff compares every pair by it, and computing it again per patch
    # is a good part of a big series' compare
    known_id: str | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return " ".join(parse_subject(self.subject).title.lower().split())

    @property
    def patch_id(self) -> str | None:
        return self.known_id if self.known_id is not None else patch_id(self.body)


@dataclass(frozen=True)
class PatchChange:
    index: int  # in the newer version; in the older one for a dropped patch
    change: str  # one of CHANGES
    old: PatchText | None
    new: PatchText | None
    diff: tuple[str, ...]  # the diff of the two patches (empty when unchanged)

    @property
    def title(self) -> str:
        return parse_subject((self.new or self.old).subject).title  # type: ignore[union-attr]


def _message_without_trailers(lines: list[str]) -> list[str]:
    return [line for line in lines if not _TRAILER_LINE.match(line)]


def _normalised_diff(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if line.startswith("index "):
            continue
        out.append(_HUNK_NUMBERS.sub("@@ ", line) if line.startswith("@@ -") else line)
    return out


def patch_interdiff(old: PatchText, new: PatchText, context: int = 3) -> list[str]:
    """The diff of two postings of a patch: commit message, then code."""
    old_msg, old_diff = split_patch(old.body)
    new_msg, new_diff = split_patch(new.body)
    out: list[str] = []
    sections = (
        # titles without the "[PATCH v3 2/5]" prefix: its version always differs
        ("## Commit message ##", [parse_subject(old.subject).title] + _message_without_trailers(old_msg),
         [parse_subject(new.subject).title] + _message_without_trailers(new_msg)),
        ("## Diff ##", _normalised_diff(old_diff), _normalised_diff(new_diff)),
    )
    for heading, before, after in sections:
        if before == after:
            continue
        out.append(heading)
        # [2:]: difflib's "---"/"+++" file header; there are no file names here
        hunks = list(difflib.unified_diff(before, after, lineterm="", n=context))[2:]
        if heading == "## Diff ##":
            hunks = _name_files(hunks, before, after)
        out.extend(hunks)
    return out


_OUTER_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@$")


def _files_by_line(lines: list[str]) -> list[str]:
    """The file each line of a diff belongs to."""
    current, out = "", []
    for line in lines:
        if line.startswith("diff --git "):
            current = line.rsplit(" b/", 1)[-1]
        out.append(current)
    return out


def _name_files(hunks: list[str], before: list[str], after: list[str]) -> list[str]:
    """Each hunk of the diff of diffs says which file of the patch it is in
    ("@@ -12,7 +12,7 @@ drivers/foo/bar.c"): its "diff --git" line is
    usually outside the hunk's context, and the reader colours code by file."""
    old_files, new_files = _files_by_line(before), _files_by_line(after)
    out = []
    for line in hunks:
        m = _OUTER_HUNK.match(line)
        if m:
            start_old, start_new = int(m.group(1)), int(m.group(2))
            name = (new_files[start_new - 1] if 0 < start_new <= len(new_files) else "") or (
                old_files[start_old - 1] if 0 < start_old <= len(old_files) else "")
            line = f"{line} {name}" if name else line
        out.append(line)
    return out


def _same_message(old: PatchText, new: PatchText) -> bool:
    old_msg, _ = split_patch(old.body)
    new_msg, _ = split_patch(new.body)
    return (_message_without_trailers(old_msg) == _message_without_trailers(new_msg)
            and parse_subject(old.subject).title == parse_subject(new.subject).title)


def pair_patches(old: list[PatchText], new: list[PatchText]) -> list[tuple[PatchText | None, PatchText | None]]:
    """Pairs (old, new) by title, then by patch-id; singles are dropped/added."""
    pairs: list[tuple[PatchText | None, PatchText | None]] = []
    left = list(old)
    unmatched_new: list[PatchText] = []
    for patch in new:
        match = next((o for o in left if o.title == patch.title), None)
        if match is None:
            unmatched_new.append(patch)
            continue
        left.remove(match)
        pairs.append((match, patch))
    ids = {id(o): o.patch_id for o in left}
    for patch in unmatched_new:
        pid = patch.patch_id
        match = next((o for o in left if pid is not None and ids[id(o)] == pid), None)
        if match is None:
            pairs.append((None, patch))
        else:
            left.remove(match)
            pairs.append((match, patch))
    pairs.extend((o, None) for o in left)
    return pairs


def series_interdiff(old: list[PatchText], new: list[PatchText]) -> list[PatchChange]:
    """Every patch of both versions, classified, in the newer version's order
    (dropped ones after, in the older version's order)."""
    changes: list[PatchChange] = []
    # A patch is "moved" when it sits elsewhere relative to the patches both
    # versions share: one dropped patch must not make every later one "moved".
    pairs = pair_patches(old, new)
    shared = [(o, n) for o, n in pairs if o is not None and n is not None]
    old_rank = {id(o): rank for rank, o in enumerate(sorted((o for o, _ in shared), key=lambda p: p.index))}
    new_rank = {id(n): rank for rank, n in enumerate(sorted((n for _, n in shared), key=lambda p: p.index))}
    for o, n in pairs:
        if o is None:
            changes.append(PatchChange(n.index, "added", None, n, tuple(patch_interdiff(_EMPTY, n))))
        elif n is None:
            changes.append(PatchChange(o.index, "dropped", o, None, ()))
        else:
            # the same diff, line numbers and index lines aside (a rebase), is
            # the same patch-id; git's, ported, is a good part of a big
            # series' compare: computed only when it decides
            same_code = (_normalised_diff(split_patch(o.body)[1]) == _normalised_diff(split_patch(n.body)[1])
                         or o.patch_id == n.patch_id)
            if same_code and _same_message(o, n):
                kind = "moved" if old_rank[id(o)] != new_rank[id(n)] else "unchanged"
                changes.append(PatchChange(n.index, kind, o, n, ()))
            else:
                changes.append(PatchChange(n.index, "modified", o, n, tuple(patch_interdiff(o, n))))
    order = {"dropped": 1}
    changes.sort(key=lambda c: (order.get(c.change, 0), c.index))
    return changes


_EMPTY = PatchText(0, "", "", "")

"""A patch's identity and its parts, from the text of the mail that carries it.

``patch_id`` computes what ``git patch-id --stable`` prints for the same
text (checked against the real command in the tests): the SHA-1 of each
file's diff with whitespace, line numbers and ``index`` lines left out,
summed per file so the order of files does not matter. Two postings of a
patch with the same id change the code the same way, whatever happened to
the commit message or to the base they were rebased on.

``split_patch`` cuts a format-patch body into the commit message (above the
``---``) and the diff (from the first ``diff`` line to the signature), the
two halves an interdiff compares.
"""
from __future__ import annotations

import hashlib
import re

_HUNK_RE = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")
_SPACE = re.compile(r"\s+")
_HEX40 = re.compile(r"[0-9a-f]{40}")


def _add_sum(total: bytearray, digest: bytes) -> None:
    """git's flush_one_hunk: a 20-byte little-endian sum with carry."""
    carry = 0
    for i, byte in enumerate(digest):
        carry += total[i] + byte
        total[i] = carry & 0xFF
        carry >>= 8


def patch_id(text: str) -> str | None:
    """``git patch-id --stable`` of the first patch in ``text``; None without a diff.

    A line-by-line port of builtin/patch-id.c (get_one_patchid) for one
    patch: lines before the first ``diff `` are the commit message and are
    skipped; hunk headers only set how many lines the hunk holds; the patch
    ends at the first line outside a hunk that starts no new file (the
    ``-- `` signature of a mail)."""
    total = bytearray(20)
    sha = hashlib.sha1()
    patchlen = 0
    before = after = -1
    binary = False
    pre_oid = post_oid = ""
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw + "\n"
        if line.startswith("\\ ") and len(line) > 12:
            continue  # "\ No newline at end of file"
        if line.startswith(("commit ", "From ")) and _HEX40.match(line.split(" ", 1)[1]):
            if patchlen:
                break  # the next commit of a format-patch stream
            continue
        if not patchlen and not line.startswith("diff "):
            continue
        if before == -1:
            if line.startswith(("GIT binary patch", "Binary files")):
                binary = True
                before = 0
                sha.update(pre_oid.encode())
                sha.update(post_oid.encode())
                _add_sum(total, sha.digest())
                sha = hashlib.sha1()
                continue
            if line.startswith("index "):
                rest = line[len("index "):]
                if ".." in rest:
                    pre, _, post = rest.partition("..")
                    pre_oid, post_oid = pre, post.split(" ", 1)[0].rstrip("\n")
                continue
            if line.startswith("--- "):
                before = after = 1
            elif not line[:1].isalpha():
                break
        if binary:
            if line.startswith("diff "):
                binary = False
                before = -1
            continue
        if before == 0 and after == 0:
            hunk = _HUNK_RE.match(line)
            if line.startswith("@@ -"):
                if hunk:
                    before = int(hunk.group(1)) if hunk.group(1) is not None else 1
                    after = int(hunk.group(2)) if hunk.group(2) is not None else 1
                continue
            if not line.startswith("diff "):
                break
            _add_sum(total, sha.digest())
            sha = hashlib.sha1()
            before = after = -1
        if line[:1] in ("-", " "):
            before -= 1
        if line[:1] in ("+", " "):
            after -= 1
        squeezed = _SPACE.sub("", line).encode("utf-8", "surrogateescape")
        patchlen += len(squeezed)
        sha.update(squeezed)
    if not patchlen:
        return None
    _add_sum(total, sha.digest())
    return bytes(total).hex()


def split_patch(text: str) -> tuple[list[str], list[str]]:
    """(commit message lines, diff lines) of a format-patch mail body.

    The message ends at the ``---`` line (or at the first ``diff``); the
    diffstat between them belongs to neither. The diff ends at the ``-- ``
    signature, so the git version under it does not show as a change."""
    lines = text.replace("\r\n", "\n").split("\n")
    message: list[str] = []
    diff: list[str] = []
    state = "message"
    for line in lines:
        if state == "message":
            if line.rstrip() == "---":
                state = "stat"
                continue
            if line.startswith("diff "):
                state = "diff"
            else:
                message.append(line)
                continue
        if state == "stat":
            if not line.startswith("diff "):
                continue
            state = "diff"
        if line == "-- ":
            break
        diff.append(line)
    while message and not message[-1].strip():
        message.pop()
    while diff and not diff[-1].strip():
        diff.pop()
    return message, diff

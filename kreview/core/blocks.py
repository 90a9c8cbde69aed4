"""Split a message body into the blocks the message pane draws and folds:
text, attributions ("On ..., X wrote:"), quotes by level, diffs (the patch,
or hunks quoted in a review), and the signature.

Invariant (tested with hypothesis): with ``patches=()`` the blocks' ``lines``,
concatenated in order, are exactly ``text.split("\\n")``. Blocks keep each
line as written, quote prefix included; folding only hides lines at display
time, it never removes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Sequence

from kreview.core.diffs import DiffInfo, parse_diff
from kreview.core.grammar import (
    DIFF_EXTENDED_HEADERS, DIFFSTAT_LINE, HUNK_HEADER, LOOSE_ATTRIBUTION, attribution_author, display_name,
    hunk_counts, hunk_line_step, quote_level,
)
from kreview.core.parse import Attachment

__all__ = ["Block", "BlockType", "split_blocks", "fold_summary", "blocks_to_json"]

# Patches longer than this are parsed in full only when asked (diff_info()):
# the pane needs their lines, not unidiff's model, for its first paint.
LAZY_DIFF_LINES = 2000

BlockType = Literal["text", "attribution", "quote", "signature", "diff"]


@dataclass(frozen=True)
class Block:
    type: BlockType
    level: int  # quote nesting: 0 for the writer's own text
    lines: tuple[str, ...]  # as written, quote prefix included
    folded: bool = False  # the default fold state
    diff: DiffInfo | None = None  # for type "diff"
    author: str = ""  # quotes: who wrote the quoted text (from the attribution above)
    head: int = 0  # lines still shown above the fold summary when folded
    tail: int = 0  # ... and below it
    attachment: str = ""  # filename when the block comes from a patch attachment

    def diff_info(self) -> DiffInfo | None:
        """The parsed diff of a diff block, parsed on first use for big patches."""
        if self.type != "diff":
            return None
        if self.diff is None:
            # Frozen, but a cache of what the block's own lines say is no mutation.
            object.__setattr__(self, "diff", parse_diff("\n".join(self.lines)))
        return self.diff

    @property
    def hidden(self) -> int:
        """How many lines the fold hides."""
        return max(len(self.lines) - self.head - self.tail, 0) if self.folded else 0


# Lines that may stand in a diff's file header (a hunk's "\\ No newline" too).
_FILE_HEADER = ("diff ", "--- ", "+++ ", "\\ ") + DIFF_EXTENDED_HEADERS


@dataclass
class _Line:
    raw: str
    level: int
    content: str


def split_blocks(
    text: str,
    *,
    fold_threshold: int = 12,
    keep_head: int = 3,
    keep_tail: int = 2,
    patches: Sequence[Attachment] = (),
) -> list[Block]:
    """The blocks of ``text``, then those of each patch attachment."""
    builder = _Splitter(fold_threshold, keep_head, keep_tail)
    blocks = builder.split(text.split("\n"))
    for patch in patches:
        for block in _Splitter(fold_threshold, keep_head, keep_tail).split(patch.text.rstrip("\n").split("\n")):
            blocks.append(_replace(block, attachment=patch.filename))
    return blocks


def _replace(block: Block, **changes: object) -> Block:
    from dataclasses import replace

    return replace(block, **changes)


class _Splitter:
    """One pass over one body; holds what earlier blocks taught (authors, diff paths)."""

    def __init__(self, fold_threshold: int, keep_head: int, keep_tail: int) -> None:
        self.fold_threshold = fold_threshold
        self.keep_head = keep_head
        self.keep_tail = keep_tail
        self.authors: dict[int, str] = {}  # quote level -> who wrote it
        self.diff_levels: set[int] = set()  # levels at which a diff has been quoted
        self.last_path = ""
        self.blocks: list[Block] = []

    def split(self, raw_lines: list[str]) -> list[Block]:
        sig = _signature_start(raw_lines)
        body = raw_lines if sig is None else raw_lines[:sig]
        lines = [_Line(raw, *quote_level(raw)) for raw in body]
        start = 0
        while start < len(lines):
            end = start
            while end < len(lines) and lines[end].level == lines[start].level:
                end += 1
            self._run(lines, start, end)
            start = end
        if sig is not None:
            sig_lines = tuple(raw_lines[sig:])
            self.blocks.append(Block("signature", 0, sig_lines, folded=True))
        return self.blocks

    # --- one run of lines at the same quote level --------------------------

    def _run(self, lines: list[_Line], start: int, end: int) -> None:
        level = lines[start].level
        contents = [ln.content for ln in lines[start:end]]
        if level and start < end and self._continues_diff(level, contents):
            self._emit_diff(lines[start:end], level)
            return
        pending: list[_Line] = []
        i = start
        while i < end:
            who, width = self._attribution_at(lines, i, end)
            if who is not None:
                self._emit_plain(pending, level)
                pending = []
                self.authors[level + 1] = who
                self.blocks.append(Block("attribution", level, tuple(ln.raw for ln in lines[i:i + width])))
                i += width
                continue
            if _is_diff_start(lines, i, end):
                first = max(_diff_preamble(lines, i, start), i - len(pending))
                stop = _diff_end(lines, i, end)
                keep = pending[: len(pending) - (i - first)]
                self._emit_plain(keep, level)
                pending = []
                self._emit_diff(lines[first:stop], level)
                i = stop
                continue
            pending.append(lines[i])
            i += 1
        self._emit_plain(pending, level)

    def _attribution_at(self, lines: list[_Line], i: int, end: int) -> tuple[str | None, int]:
        """(author, number of lines) if an attribution starts at line ``i``."""
        level = lines[i].level
        nxt = _next_non_blank(lines, i + 1)
        deeper_follows = nxt is not None and lines[nxt].level > level
        content = lines[i].content.strip()
        if not content:
            return None, 0
        who = attribution_author(content)
        if who is not None and deeper_follows:
            return who, 1
        # Wrapped over two lines: "On Thu, 13 Sep 2018 10:35:24 -0700" / "Dan <d@x> wrote:".
        if i + 1 < end and content.startswith(("On ", "Le ", "Am ")):
            joined = f"{content} {lines[i + 1].content.strip()}"
            who = attribution_author(joined)
            nxt = _next_non_blank(lines, i + 2)
            if who is not None and len(joined) < 200 and nxt is not None and lines[nxt].level > level:
                return who, 2
        if deeper_follows:
            loose = LOOSE_ATTRIBUTION.match(content)
            if loose:
                return display_name(loose.group("who")), 1
        return None, 0

    def _continues_diff(self, level: int, contents: list[str]) -> bool:
        """A quoted run with no diff header that is still a diff.

        Either a reviewer's reply cut a quoted hunk in two (a diff was quoted
        at this level before), or the run is plainly kernel code in +/- lines.
        """
        if any(HUNK_HEADER.match(c) or c.startswith("diff --git ") for c in contents):
            return False  # has its own header: the normal path finds it
        non_blank = [c for c in contents if c.strip()]
        if not non_blank or not all(_diffish(c) for c in non_blank):
            return False
        changes = [c for c in non_blank if c[:1] in "+-" and not c.startswith(("---", "+++"))]
        if not changes:
            return False
        if level in self.diff_levels:
            return True
        return any(re.match(r"^[+-](?:\t|#|\}|\{|static |struct |return )", c) for c in changes)

    # --- emitting -----------------------------------------------------------

    def _emit_plain(self, lines: list[_Line], level: int) -> None:
        if not lines:
            return
        raw = tuple(ln.raw for ln in lines)
        kind = "text" if level == 0 else "quote"
        last = self.blocks[-1] if self.blocks else None
        if last is not None and last.type == kind and last.level == level:
            # A diff that turned out unreadable leaves two plain pieces side by side.
            raw = last.lines + raw
            self.blocks.pop()
        if level == 0:
            self.blocks.append(Block("text", 0, raw))
        else:
            self.blocks.append(self._fold(Block("quote", level, raw, author=self.authors.get(level, ""))))

    def _emit_diff(self, lines: list[_Line], level: int) -> None:
        if level == 0 and len(lines) > LAZY_DIFF_LINES:
            # A big patch: its structure was checked on the way in; the full
            # parse (which only the JSON output needs) waits for diff_info().
            for ln in lines:
                if ln.content.startswith("+++ b/"):
                    self.last_path = ln.content[6:].split("\t")[0].strip()
            self.blocks.append(Block("diff", 0, tuple(ln.raw for ln in lines), author=self.authors.get(0, "")))
            return
        info = parse_diff("\n".join(ln.content for ln in lines), default_path=self.last_path)
        if info.error:
            # Looked like a diff but is not one: keep it as what it is, text or quote.
            self._emit_plain(lines, level)
            return
        for f in info.files:
            if f.path:
                self.last_path = f.path
        if level:
            self.diff_levels.add(level)
        block = Block("diff", level, tuple(ln.raw for ln in lines), diff=info, author=self.authors.get(level, ""))
        self.blocks.append(self._fold(block) if level else block)

    def _fold(self, block: Block) -> Block:
        if len(block.lines) <= self.fold_threshold:
            return block
        head = min(self.keep_head, len(block.lines))
        tail = min(self.keep_tail, len(block.lines) - head)
        return _replace(block, folded=True, head=head, tail=tail)


def _signature_start(lines: list[str]) -> int | None:
    """Index of the last unquoted "-- " line (git's "-- \\n2.17.1" trailer too)."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i] in ("-- ", "-- \r"):
            return i
    return None


def _next_non_blank(lines: list[_Line], i: int) -> int | None:
    while i < len(lines):
        if lines[i].content.strip():
            return i
        i += 1
    return None


def _diffish(content: str) -> bool:
    return content == "" or content[:1] in (" ", "+", "-", "\\") or HUNK_HEADER.match(content) is not None \
        or content.startswith(_FILE_HEADER)


def _is_diff_start(lines: list[_Line], i: int, end: int) -> bool:
    content = lines[i].content
    if content.startswith("diff --git ") or HUNK_HEADER.match(content):
        return True
    return (
        content.startswith("--- ")
        and i + 1 < end
        and lines[i + 1].content.startswith("+++ ")
    )


def _diff_preamble(lines: list[_Line], i: int, start: int) -> int:
    """Pull a git patch's "---" separator and diffstat into its diff block."""
    first = i
    k = i - 1
    while k >= start and (not lines[k].content.strip() or DIFFSTAT_LINE.match(lines[k].content)):
        k -= 1
    if k >= start and lines[k].content.rstrip() == "---":
        return k
    # No separator: still take a diffstat (but not the blank lines before it).
    k += 1
    while k < first and not lines[k].content.strip():
        k += 1
    return k if any(DIFFSTAT_LINE.match(ln.content) for ln in lines[k:first]) else first


def _diff_end(lines: list[_Line], i: int, end: int) -> int:
    """Where the diff starting at ``i`` stops: the first line that cannot belong to it.

    Inside a hunk the header's line counts say how far it goes when they are
    right; once they run out only a new header continues the diff, so a
    reply written after a complete diff is not swallowed as context. Quoted
    hunks are often snipped short, so any +/-/space line continues them.
    """
    remaining_old = remaining_new = 0
    counted = False
    counted_end = i  # past the last line a hunk's counts took, which stays even if it looks blank
    j = i
    while j < end:
        content = lines[j].content
        hunk = HUNK_HEADER.match(content)
        if hunk:
            remaining_old, remaining_new = hunk_counts(hunk)
            counted = True
        elif (content.startswith(_FILE_HEADER) and not content.startswith("\\ ")
              and not (counted and (remaining_old or remaining_new))):
            counted = False  # the next file's header (a "No newline" marker ends a hunk, it starts no file)
        elif counted and (remaining_old or remaining_new):
            step = hunk_line_step(content[:1])
            if step is None:
                break  # a snipped hunk ends where the text starts
            used_old, used_new = step
            remaining_old -= used_old
            remaining_new -= used_new
            if content:  # " " is an empty line of the file; "" may be the blank after a damaged hunk
                counted_end = j + 1
        elif counted:
            if content.startswith("\\ "):
                pass
            elif content.rstrip() == "--" or not (lines[j].level and content[:1] in ("+", "-", " ")):
                break  # "> --" is a quoted signature (or git's version trailer)
        elif not _diffish(content):
            break
        j += 1
    while j > counted_end and not lines[j - 1].content.strip():
        j -= 1  # trailing blank lines go back to the text that follows
    return j


def fold_summary(block: Block, hidden: int | None = None) -> str:
    """The one line shown in place of the hidden lines of a folded block
    (``hidden``: how many the fold hides, when the reader folded a block the
    model left open, so its head and tail are not kept)."""
    if block.type == "signature":
        n = len(block.lines)
        return f"[… signature, {n} line{'s' if n != 1 else ''}]"
    n = block.hidden if hidden is None else hidden
    who = f" from {block.author}" if block.author else ""
    return f"[… {n} quoted line{'s' if n != 1 else ''}{who}]"


def blocks_to_json(blocks: Sequence[Block]) -> list[dict]:
    """Blocks as plain data, for ``--json`` output and the golden tests."""
    out = []
    for block in blocks:
        item: dict = {"type": block.type, "level": block.level, "lines": list(block.lines), "folded": block.folded}
        info = block.diff_info()
        if info is not None:
            item["files"] = [
                {"path": f.path, "added": f.added, "removed": f.removed, "lexer": f.lexer} for f in info.files
            ]
            item["hunks"] = [{"header": h.header, "function": h.function} for f in info.files for h in f.hunks]
        out.append(item)
    return out

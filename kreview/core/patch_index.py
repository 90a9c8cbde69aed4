"""What each line of a message body is, for anchoring review comments.

A body's lines are its blocks' lines in order (``Block.lines`` keep the quote
prefix; concatenated they are the body, patch attachments after it). For
each such *body line* the index knows whether it is commit-message text, a
file header, a hunk header or a hunk line, and for hunk lines the file and
the old/new line numbers the hunk header counts from. Quoted hunks in a reply
are indexed the same way (their quote prefix stripped), so a reviewer can
comment on a hunk someone else quoted.

Each line also belongs to a *section*: the commit message, one file's
header, one hunk, or some other text. A section knows the header lines that
enclose it (``diff --git`` ... ``+++`` and the ``@@`` line of a hunk), which
is what a review reply quotes above the commented lines.

Built in one pass that notes only each line's section (a 20,000-line patch
in a few ms: opening comment mode waits for it); a line's kind and numbers
are worked out when asked, a hunk at a time. No Textual here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

from kreview.core.blocks import Block
from kreview.core.grammar import DIFF_EXTENDED_HEADERS, HUNK_HEADER, diff_path, git_diff_names, hunk_counts, hunk_line_step, strip_quote

__all__ = ["LineInfo", "Section", "PatchIndex", "index_blocks", "body_lines"]

_FILE_META = DIFF_EXTENDED_HEADERS

SIDES = ("new", "old")


class LineInfo(NamedTuple):
    # "message" (commit message / prose above a patch), "file-header",
    # "hunk-header", "+", "-", " " (hunk lines), "\\", or "other".
    kind: str
    section: int  # index into PatchIndex.sections
    file: str | None = None
    old: int | None = None  # line number on the old side ("-" and context lines)
    new: int | None = None  # ... on the new side ("+" and context lines)


@dataclass(frozen=True)
class Section:
    kind: str  # "message", "file-header", "hunk", "other"
    start: int  # first body line of the section's own content (after its headers)
    headers: tuple[int, ...]  # body lines of the enclosing headers, in order
    file: str | None = None
    level: int = 0  # quote level of the block it comes from
    old: int = 0  # a hunk's first old-side and new-side line numbers
    new: int = 0


def body_lines(blocks: Sequence[Block]) -> list[str]:
    """The body's lines, as the blocks hold them."""
    out: list[str] = []
    for block in blocks:
        out.extend(block.lines)
    return out


def _path(word: str) -> str:
    return diff_path(word.split("\t")[0].strip())


class PatchIndex:
    """Sections of a body's lines, and what each line is (see the module doc)."""

    def __init__(self, lines: list[str], section_of: list[int], sections: list[Section]) -> None:
        self.lines = lines
        self.section_of = section_of
        self.sections = sections
        self._numbers: dict[int, list[LineInfo]] = {}  # hunk section -> infos of its lines
        self._anchors: dict[tuple[str, str, int], int] | None = None

    def __len__(self) -> int:
        return len(self.section_of)

    def info(self, i: int) -> LineInfo:
        number = self.section_of[i]
        section = self.sections[number]
        if section.kind == "hunk":
            if i < section.start:
                return LineInfo("hunk-header", number, section.file)
            infos = self._numbers.get(number)
            if infos is not None:
                return infos[i - section.start]
            return self._hunk_info(i, number, section)
        kind = section.kind if section.kind != "file-header" or i >= section.start else "other"
        return LineInfo(kind, number, section.file)

    def kind(self, i: int) -> str:
        return self.info(i).kind

    def _hunk_info(self, i: int, number: int, section: Section) -> LineInfo:
        """Line ``i`` of a hunk, its numbers counted from the hunk's start
        (a 20,000-line hunk in a millisecond or two; no list of it is made)."""
        firsts = [(strip_quote(line) if section.level else line)[:1] for line in self.lines[section.start:i + 1]]
        adds, removes, notes = firsts.count("+"), firsts.count("-"), firsts.count("\\")
        others = len(firsts) - adds - removes - notes
        first = firsts[-1]
        old, new = section.old + removes + others, section.new + adds + others
        if first == "+":
            return LineInfo("+", number, section.file, None, new - 1)
        if first == "-":
            return LineInfo("-", number, section.file, old - 1, None)
        if first == "\\":
            return LineInfo("\\", number, section.file)
        return LineInfo(" ", number, section.file, old - 1, new - 1)

    def _hunk_infos(self, number: int, section: Section) -> list[LineInfo]:
        old, new, path, out = section.old, section.new, section.file, []
        i = section.start
        while i < len(self.section_of) and self.section_of[i] == number:
            line = self.lines[i]
            first = (strip_quote(line) if section.level else line)[:1]
            if first == "+":
                out.append(LineInfo("+", number, path, None, new))
                new += 1
            elif first == "-":
                out.append(LineInfo("-", number, path, old, None))
                old += 1
            elif first == "\\":
                out.append(LineInfo("\\", number, path))
            else:
                out.append(LineInfo(" ", number, path, old, new))
                old += 1
                new += 1
            i += 1
        return out

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(s.file for s in self.sections if s.file))

    def anchor_of(self, body_line: int) -> tuple[str | None, str, int]:
        """(file, side, line number) naming ``body_line``: a hunk line by its
        file and line number ("old" side for a removed line), anything else
        by ``(None, "new", body line number counted from 1)``."""
        info = self.info(body_line)
        if info.file is not None and info.kind in ("+", " ") and info.new is not None:
            return info.file, "new", info.new
        if info.file is not None and info.kind == "-" and info.old is not None:
            return info.file, "old", info.old
        return None, "new", body_line + 1

    def body_line_of(self, file: str | None, side: str, line: int) -> int:
        """The body line an anchor names; ValueError saying why when none."""
        if file is None:
            if not 1 <= line <= len(self):
                raise ValueError(f"the message has {len(self)} lines; there is no line {line}")
            return line - 1
        if side not in SIDES:
            raise ValueError(f"side must be 'new' or 'old', not {side!r}")
        if self._anchors is None:
            anchors: dict[tuple[str, str, int], int] = {}
            for number, section in enumerate(self.sections):
                if section.kind != "hunk" or section.file is None:
                    continue
                for i, info in enumerate(self._hunk_infos(number, section), section.start):
                    if info.new is not None and info.kind in ("+", " "):
                        anchors.setdefault((section.file, "new", info.new), i)
                    if info.old is not None and info.kind in ("-", " "):
                        anchors.setdefault((section.file, "old", info.old), i)
            self._anchors = anchors
        found = self._anchors.get((file, side, line))
        if found is not None:
            return found
        if file not in self.files:
            known = ", ".join(self.files) or "none"
            raise ValueError(f"no file {file!r} in this patch (files: {known})")
        spans = self._spans(file, side)
        raise ValueError(f"{file} has no {side}-side line {line} in the patch's hunks "
                         f"({side}-side lines in hunks: {spans})")

    def _spans(self, file: str, side: str) -> str:
        numbers = sorted(n for (f, s, n) in (self._anchors or {}) if f == file and s == side)
        spans: list[str] = []
        start = prev = None
        for n in numbers:
            if prev is not None and n == prev + 1:
                prev = n
                continue
            if start is not None:
                spans.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
        if start is not None:
            spans.append(f"{start}-{prev}" if prev != start else str(start))
        return ", ".join(spans) or "none"


def index_blocks(blocks: Sequence[Block]) -> PatchIndex:
    lines = body_lines(blocks)
    section_of: list[int] = []
    sections: list[Section] = []
    seen_diff = False
    # A reviewer's snip ("> [...]") can leave a quoted file header in a quote
    # block of its own: the hunks after it still belong to that file.
    carried: dict[int, tuple[str | None, list[int]]] = {}  # quote level -> (path, header lines)
    for block in blocks:
        if block.type == "diff":
            carried[block.level] = _index_diff(block, len(section_of), section_of, sections,
                                               *carried.get(block.level, (None, [])))
            seen_diff = seen_diff or block.level == 0
            continue
        if block.type == "quote":
            path, header = carried.get(block.level, (None, []))
            for i, raw in enumerate(block.lines, len(section_of)):
                line = strip_quote(raw)
                names = git_diff_names(line)
                if names:
                    path, header = _path(names[1]), [i]
                elif header and header[-1] == i - 1 and (line.startswith(_FILE_META)
                                                         or line.startswith(("--- ", "+++ "))):
                    header.append(i)
                    if line.startswith("+++ ") and _path(line[4:]) != "/dev/null":
                        path = _path(line[4:])
            carried[block.level] = (path, header)
        kind = "message" if block.type == "text" and not seen_diff else "other"
        if not (kind == "message" and sections and sections[-1].kind == "message"):
            # (the commit message goes on under a quote or a snip)
            sections.append(Section(kind, len(section_of), (), None, block.level))
        section_of.extend([len(sections) - 1] * len(block.lines))
    return PatchIndex(lines, section_of, sections)


def _index_diff(block: Block, base: int, section_of: list[int], sections: list[Section],
                path: str | None = None, header: list[int] | None = None) -> tuple[str | None, list[int]]:
    """Sections of one diff block. Inside a hunk whose counts are right (the
    patch itself) the lines are skipped by count; only a quoted, snipped
    hunk is read line by line to its end."""
    level = block.level
    raw = block.lines
    content = [strip_quote(line) for line in raw] if level else raw
    sections.append(Section("other", base, (), None, level))  # a preamble: "---", diffstat
    section = len(sections) - 1
    header = list(header or ())  # body lines of the current file's header
    add = section_of.append
    n = len(content)
    j = 0
    while j < n:
        line = content[j]
        i = base + j
        first = line[:1]
        names = git_diff_names(line) if first == "d" else None
        hunk = HUNK_HEADER.match(line) if first == "@" else None
        if names:
            path = _path(names[1])
            header = [i]
            sections.append(Section("file-header", i, (), path, level))
            section = len(sections) - 1
            add(section)
        elif hunk:
            old, new = int(hunk.group("old_start")), int(hunk.group("new_start"))
            left_old, left_new = hunk_counts(hunk)
            sections.append(Section("hunk", i + 1, tuple(header) + (i,), path, level, old, new))
            section = len(sections) - 1
            add(section)
            j += 1
            # The hunk's lines: by its counts, then (quoted, snipped) any +/-/space line.
            while j < n and (left_old > 0 or left_new > 0):
                step = hunk_line_step(content[j][:1])
                if step is None:
                    break
                used_old, used_new = step
                left_old -= used_old
                left_new -= used_new
                add(section)
                j += 1
            while j < n and (content[j][:1] == "\\" or level and content[j][:1] in ("+", "-", " ")
                             and not content[j].startswith(("--- ", "+++ "))):
                add(section)
                j += 1
            continue
        elif line.startswith(("--- ", "+++ ")) and (header and header[-1] == i - 1 or line.startswith("--- ")):
            if not header or header[-1] != i - 1:
                # "--- a/x" without a "diff --git" line: a plain unified diff.
                header, path = [], None
                sections.append(Section("file-header", i, (), None, level))
                section = len(sections) - 1
            header.append(i)
            name = _path(line[4:])
            if name != "/dev/null" and (line.startswith("+++ ") or path is None):
                path = name
                if sections[section].file != path:
                    old_section = sections[section]
                    sections[section] = Section("file-header", old_section.start, (), path, level)
            add(section)
        elif header and header[-1] == i - 1 and line.startswith(_FILE_META) \
                and sections[section].kind == "file-header":
            header.append(i)
            add(section)
        else:
            if sections[section].kind != "other":
                sections.append(Section("other", i, (), None, level))
                section = len(sections) - 1
            add(section)
        j += 1
    return path, header

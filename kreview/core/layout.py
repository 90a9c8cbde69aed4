"""From a parsed message to the lines a reader sees, folds applied.

The message pane and ``kreview show`` both print these lines, so what the
screen shows can be computed (and tested) without a terminal. Each line
carries a kind (what colour it gets), the block it belongs to (what a fold
key acts on) and, inside diffs, the lexer of the file (what highlights it).
"""
from __future__ import annotations

from typing import NamedTuple

from kreview.core.blocks import Block, fold_summary
from kreview.core.grammar import DIFF_EXTENDED_HEADERS, DIFFSTAT_LINE, HUNK_HEADER, QUOTE_PREFIX, diff_path, git_diff_names
from kreview.core.highlight import lexer_name_for
from kreview.core.parse import ParsedMessage
from kreview.core.sanitize import NEEDS_CLEANING, clean, clean_line

_HUNK_BODY = {"+": "diff-add", "-": "diff-del", " ": "diff-ctx"}


class DisplayLine(NamedTuple):  # a NamedTuple: a 20,000-line patch makes 20,000 of these
    kind: str  # header, note, text, attribution, quote, signature, fold, diff-*
    text: str  # what is shown, control characters already neutralised
    block: int = -1  # index into the message's blocks; -1 for headers
    level: int = 0  # quote level (colours quotes and quoted diffs)
    prefix: str = ""  # quote prefix shown before diff content ("> ")
    lexer: str = ""  # pygments lexer for the code in diff lines
    code_start: int = 0  # offset in text where the code starts (after +/-/space)
    source: str = ""  # the line as in the mail (tabs kept), for quoting it back


def _shown(text: str) -> str:
    """Tabs expanded as `git diff` shows them: a terminal cell per column,
    so kernel indentation lines up (a raw tab would take no cell at all)."""
    return text.expandtabs(8) if "\t" in text else text


def header_lines(parsed: ParsedMessage, tags: frozenset[str] | tuple = ()) -> list[DisplayLine]:
    h = parsed.headers
    rows = [("From", h.from_), ("To", ", ".join(h.to)), ("Cc", ", ".join(h.cc)),
            ("Date", h.date or "(no Date header)"), ("Subject", h.subject)]
    if tags:
        rows.append(("Tags", " ".join(sorted(tags))))
    out = [DisplayLine("header", clean_line(f"{name}: {value}")) for name, value in rows if value or name in ("From", "Subject")]
    for attachment in parsed.attachments:
        out.append(DisplayLine("note", clean_line(
            f"[attachment: {attachment.filename or '(unnamed)'}, {attachment.content_type}, {_size(attachment.size)}]")))
    for note in parsed.notes:
        out.append(DisplayLine("note", clean_line(f"[{note}]")))
    out.append(DisplayLine("blank", ""))
    return out


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def block_lines(blocks: list[Block], folded: set[int] | None = None, *, keep_head: int = 3,
                keep_tail: int = 2) -> list[DisplayLine]:
    """Lines of the body. ``folded`` holds the indexes of folded blocks
    (default: each block's own default)."""
    if folded is None:
        folded = {i for i, b in enumerate(blocks) if b.folded}
    out: list[DisplayLine] = []
    lexer = "text"  # a reviewer's snip ("> [...]") can split a quoted file header from its hunk
    for index, block in enumerate(blocks):
        if index in folded:
            out.extend(_folded(index, block, lexer))
        elif block.type == "diff":
            lines = _diff_lines(index, block, lexer)
            lexer = next((l.lexer for l in reversed(lines) if l.lexer), lexer)
            out.extend(lines)
        else:
            for line in block.lines:
                shown = clean(line)
                kind, prefix = block.type, ""
                if block.type == "quote":
                    kind, prefix, lexer = _quoted_diff_header(shown, lexer)
                out.append(DisplayLine(kind, _shown(shown), index, block.level, prefix, source=shown))
    return out


def _quoted_diff_header(line: str, lexer: str) -> tuple[str, str, str]:
    """A quoted ``diff --git``/``index``/``---``/``+++`` line keeps diff colours
    (kind, quote prefix, lexer for the hunks that follow)."""
    match = QUOTE_PREFIX.match(line)
    if not match:
        return "quote", "", lexer
    content = line[match.end():]
    names = git_diff_names(content)
    if names:
        return "diff-file", match.group(0), lexer_name_for(diff_path(names[1]))
    if content.startswith(("index ", "--- a/", "+++ b/", "--- /dev/null", "+++ /dev/null")):
        if content.startswith("+++ b/"):
            lexer = lexer_name_for(content[6:].split("\t")[0].strip())
        return "diff-meta", match.group(0), lexer
    return "quote", "", lexer


def _folded(index: int, block: Block, lexer: str) -> list[DisplayLine]:
    """A folded quote keeps its first and last lines around the marker (as the
    block model decided for long quotes); a folded signature is the marker alone.
    The lines kept of a folded diff stay coloured as diff lines."""
    head, tail = (block.head, block.tail) if block.folded else (0, 0)
    # A block the model left open and the reader folded (o, O) keeps no head
    # or tail: the marker counts every line it hides.
    marker = DisplayLine("fold", clean_line(fold_summary(block, len(block.lines) - head - tail)), index,
                         block.level)
    if block.type == "signature" or head + tail >= len(block.lines):
        return [marker]
    if block.type == "diff":
        shown = _diff_lines(index, block, lexer)
    else:
        shown = [DisplayLine(block.type, _shown(clean(l)), index, block.level, source=clean(l)) for l in block.lines]
    return shown[:head] + [marker] + shown[len(shown) - tail:][:tail]


def _diff_lines(index: int, block: Block, lexer: str = "text") -> list[DisplayLine]:
    out: list[DisplayLine] = []
    in_hunk = False
    lines = block.lines
    for i, raw in enumerate(lines):
        line = clean(raw) if NEEDS_CLEANING.search(raw) else raw
        prefix = ""
        if block.level:
            match = QUOTE_PREFIX.match(line)
            if match:
                prefix, line = match.group(0), line[match.end():]
        first = line[:1]
        # The hot path: inside a hunk almost every line is +, - or context.
        # "--- " starts the next file's header only when "+++ " follows (else
        # it removes a "-- " line); a "+++ " still in a hunk adds a "++ " line.
        if in_hunk and first in _HUNK_BODY and not (line.startswith("--- ") and _plus_follows(lines, i)):
            kind = _HUNK_BODY[first]
        elif in_hunk and line == "":
            kind = "diff-ctx"
        elif first == "d" and (names := git_diff_names(line)):
            lexer = lexer_name_for(diff_path(names[1]))
            kind, in_hunk = "diff-file", False

        elif line.startswith("+++ "):
            path = line[4:].split("\t")[0].strip()
            if path.startswith("b/"):
                path = path[2:]
            if path != "/dev/null":
                lexer = lexer_name_for(path)
            kind, in_hunk = "diff-meta", False
        elif line.startswith("--- "):
            kind, in_hunk = "diff-meta", False
        elif first == "@" and HUNK_HEADER.match(line):
            kind, in_hunk = "diff-hunk", True
        elif first == "\\":
            kind = "diff-meta"
        elif DIFFSTAT_LINE.match(line):
            kind = "diffstat"
        elif line.startswith(DIFF_EXTENDED_HEADERS):
            kind = "diff-meta"
        else:
            kind = "quote" if block.level else "text"
            in_hunk = False if not line.strip() and not block.level else in_hunk
        code_start = 1 if kind in ("diff-add", "diff-del", "diff-ctx") else 0
        source = prefix + line
        out.append(DisplayLine(kind, _shown(prefix + line), index, block.level, prefix,
                               lexer if code_start else "", len(prefix) + code_start, source))
    return _with_file_counts(out)


def _plus_follows(lines: tuple[str, ...], i: int) -> bool:
    """Whether the line after ``i`` is a "+++ " file header (quoted or not)."""
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1]
    match = QUOTE_PREFIX.match(nxt)
    return nxt[match.end() if match else 0:].startswith("+++ ")


def _with_file_counts(lines: list[DisplayLine]) -> list[DisplayLine]:
    """Append "+12 -3" to each file header line, counted from the hunk lines
    that follow it (no diff model needed, so a huge patch stays cheap)."""
    header = -1
    added = removed = 0

    def close() -> None:
        if header >= 0:
            line = lines[header]
            lines[header] = line._replace(text=f"{line.text}   +{added} -{removed}")

    for i, line in enumerate(lines):
        kind = line.kind
        if kind == "diff-file":
            close()
            header, added, removed = i, 0, 0
        elif kind == "diff-add":
            added += 1
        elif kind == "diff-del":
            removed += 1
    close()
    return lines


def message_lines(parsed: ParsedMessage, blocks: list[Block], folded: set[int] | None = None,
                  tags: frozenset[str] | tuple = (), **keep) -> list[DisplayLine]:
    return header_lines(parsed, tags) + block_lines(blocks, folded, **keep)

"""The review reply kernel lists expect, built from comments on a patch.

Only the commented lines are quoted, each stretch with a few lines of
context above it (inside its hunk) and the headers that say where it is
(``diff --git``/``index``/``---``/``+++`` once per file, the ``@@`` line once
per hunk); each comment follows its lines, unquoted, between blank lines;
``[...]`` stands for what was left out between two stretches; the trailer,
when one is chosen, comes last and once. Every quoted line is the patch's
line as written, behind mutt's ``> `` prefix, so the reply reads back through
the block model (attribution, diff, text) and the author's tools can match it.

Also here: what ``R``/``K``/``T`` quote on a patch without comments (the
commit message, not 6,000 lines of diff).
"""
from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from typing import Sequence

from kreview.core.blocks import Block, split_blocks
from kreview.core.comments import Comment
from kreview.core.model import Identity
from kreview.core.parse import ParsedMessage
from kreview.core.patch_index import PatchIndex, body_lines, index_blocks
from kreview.core.reply import attribution, build_reply, quote, reply_from, trailer_line

__all__ = ["SNIP", "quoted_review", "review_body", "build_review_reply", "commit_message_quote",
           "scope_line", "parse_patch_numbers", "TRAILER_QUOTES"]

SNIP = "[...]"
TRAILER_QUOTES = ("message", "none", "all")  # values of quote_on_trailer_reply


def _quote_line(line: str) -> str:
    return quote(line)  # mutt's rule for one line: "> x", ">" + "> x", ">" for ""


def quoted_review(lines: Sequence[str], index: PatchIndex, comments: Sequence[Comment],
                  context: int = 3) -> list[str]:
    """The quoted lines, comments and snips, as lines (no attribution, no trailer)."""
    if not comments:
        return []
    context = max(0, context)
    ordered = sorted(comments, key=lambda c: (c.end_body_line, c.body_line))
    out: list[str] = []
    quoted_to = -1  # last body line quoted so far
    shown_headers: set[int] = set()  # header lines quoted (a file's header once, a hunk's @@ once)
    last_section = -1
    for comment in ordered:
        first, last = comment.body_line, comment.end_body_line
        if last < first or last >= len(lines):
            raise ValueError(f"a comment names body lines {first}-{last}; the message has {len(lines)}")
        section = index.sections[index.section_of[first]]
        start = max(first - context, section.start)
        if start <= quoted_to:  # overlaps or touches what is already quoted: go on from there
            start = quoted_to + 1
        elif out:
            out += [SNIP, ""]
        if start <= last:
            headers = [h for h in section.headers if h not in shown_headers and h < start]
            if index.section_of[first] != last_section or headers:
                # A new hunk or file: its headers above the lines (ones already
                # quoted, like the file header of a second hunk, are not repeated).
                for h in headers:
                    out.append(_quote_line(lines[h]))
                    shown_headers.add(h)
            for i in range(start, last + 1):
                out.append(_quote_line(lines[i]))
                if index.kind(i) in ("file-header", "hunk-header"):
                    shown_headers.add(i)
            quoted_to = last
            last_section = index.section_of[last]
            # A stretch reaching into the next hunk has quoted that hunk's header itself.
            shown_headers.update(h for h in index.sections[last_section].headers if h <= last)
        out.append("")
        out.extend(comment.text.rstrip("\n").split("\n"))
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


def parse_patch_numbers(text: str) -> list[int]:
    """``1-3,5`` -> [1, 2, 3, 5]; ValueError for anything else."""
    out: list[int] = []
    for part in text.replace(" ", "").split(","):
        bounds = part.split("-")
        if len(bounds) not in (1, 2) or not all(b.isdigit() for b in bounds) or int(bounds[0]) > int(bounds[-1]):
            raise ValueError(f"patch numbers are numbers and ranges like 1-3,5, not {text!r}")
        out.extend(range(int(bounds[0]), int(bounds[-1]) + 1))
    return out


def scope_line(patches: Sequence[int]) -> str:
    """``For patches 1-3:`` (``For patch 2:``, ``For patches 1, 3-5:``) for a
    trailer given on a cover letter to some patches only."""
    numbers = sorted(set(patches))
    if not numbers:
        return ""
    spans: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(f"{start}-{prev}" if prev != start else str(start))
        if n is not None:
            start = prev = n
    word = "patch" if len(numbers) == 1 else "patches"
    return f"For {word} {', '.join(spans)}:"


def review_body(parent: ParsedMessage, blocks: Sequence[Block], comments: Sequence[Comment], *,
                trailer_text: str = "", context: int = 3, index: PatchIndex | None = None) -> str:
    """The whole body: attribution, quoted stretches with comments, trailer."""
    lines = body_lines(blocks)
    index = index or index_blocks(blocks)
    quoted = quoted_review(lines, index, comments, context)
    # Without comments only the trailer is said: an attribution over nothing is noise.
    parts = [attribution(parent.headers)] + quoted if quoted else []
    if trailer_text:
        if quoted:
            parts.append("")
        parts.extend(trailer_text.split("\n"))
    return "\n".join(parts) + "\n"


def build_review_reply(parent: ParsedMessage, identity: Identity, comments: Sequence[Comment], *,
                       blocks: Sequence[Block] | None = None, trailer: str | None = None,
                       scope: Sequence[int] = (), context: int = 3,
                       now: datetime | None = None) -> EmailMessage:
    """The review draft: reply-all headers as ``g`` builds them, the body above."""
    if blocks is None:
        blocks = split_blocks(parent.text, patches=parent.patches)
    message = build_reply(parent, identity, reply_all=True, quote_text="", now=now)
    trailer_text = ""
    if trailer:
        trailer_text = trailer_line(trailer, reply_from(parent.headers, identity))
        if scope:
            trailer_text = scope_line(scope) + "\n" + trailer_text
    body = review_body(parent, blocks, comments, trailer_text=trailer_text, context=context)
    message.set_content(body, charset="utf-8", cte="8bit")  # as build_reply does: the user edits it
    return message


def commit_message_quote(parent: ParsedMessage, mode: str = "message") -> str | None:
    """What a reply with a trailer and no comment quotes: for a patch, its
    commit message (down to the ``---`` before the diffstat) with ``message``,
    nothing with ``none``; None (the whole body, as before) with ``all`` or
    when the message holds no patch."""
    if mode not in TRAILER_QUOTES:
        raise ValueError(f"quote_on_trailer_reply must be one of {', '.join(TRAILER_QUOTES)}, not {mode!r}")
    if mode == "all":
        return None
    lines = parent.text.split("\n")
    cut = next((i for i, line in enumerate(lines) if line.rstrip() == "---"), None)
    if cut is None:
        cut = next((i for i, line in enumerate(lines) if line.startswith("diff --git ")), None)
    if cut is None and not parent.patches:
        return None  # not a patch: a reply quotes it whole
    if mode == "none":
        return ""
    head = lines[:cut] if cut is not None else lines
    while head and not head[-1].strip():
        head.pop()
    return "\n".join(head)

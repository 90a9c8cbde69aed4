"""Checks of a reply draft before it is sent, shown in the send confirmation
(the user may still send: these are questions, not refusals).

- a trailer carries one of the user's own addresses (sending.check_trailers);
- each trailer appears once (two ``Reviewed-by:`` lines go out silently otherwise);
- a review that asks for changes and gives its Reviewed-by/Acked-by anyway
  is questioned (unless it says "with that fixed" or the like);
- every quoted line is still the parent's line as written (an edit inside a
  quote misquotes the author, and their tools cannot match it).
"""
from __future__ import annotations

import re
from collections import Counter
from email.message import EmailMessage
from typing import Iterable

from kreview.core.grammar import PERSON_TRAILER_START, is_attribution
from kreview.core.model import Identity
from kreview.core.parse import parse_message, read_message
from kreview.core.review_reply import SNIP
from kreview.core.sending import check_trailers
from kreview.core.trailers import extract_trailers

__all__ = ["check_draft", "check_draft_in_store", "own_comments"]

_APPROVALS = ("Reviewed-by", "Acked-by")
_ASKS = re.compile(
    r"\b(?:please|should(?:n't)?|must|instead|wrong|broken|bug|why|nak|fix|drop|remove|rename|missing|"
    r"leak|race|doesn't|does not|can't|cannot|won't)\b|\?", re.IGNORECASE)
_CONDITIONAL = re.compile(
    r"\b(?:with (?:that|this|these|those|the above)|once|otherwise|if you|nit|feel free|minor|optional)\b",
    re.IGNORECASE)


def _text(message: EmailMessage | bytes) -> str:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return parse_message(raw).text


def _unquote(line: str) -> str:
    """One level of quoting off: "> x" -> "x", ">> x" -> "> x", ">" -> ""."""
    rest = line[1:]
    return rest[1:] if rest.startswith(" ") else rest


def own_comments(text: str) -> list[str]:
    """The user's own lines of a reply: not quoted, not the attribution, a
    snip, a trailer, a scope line or the signature."""
    out = []
    for line in text.split("\n"):
        if line == "-- ":
            break
        stripped = line.strip()
        if (not stripped or stripped.startswith(">") or stripped == SNIP or PERSON_TRAILER_START.match(stripped)
                or is_attribution(stripped) or re.match(r"^For patch(?:es)? [\d ,\-]+:$", stripped)):
            continue
        out.append(stripped)
    return out


def check_draft(message: EmailMessage | bytes, identity: Identity,
                parent_lines: Iterable[str] | None = None) -> list[str]:
    """Warnings for people, in the order they matter most."""
    text = _text(message)
    warnings = check_trailers(message, identity)
    trailers = extract_trailers(text)
    counts = Counter((t.kind, t.email.lower()) for t in trailers)
    for (kind, email), n in counts.items():
        if n > 1:
            warnings.append(f"{kind}: <{email}> appears {n} times; once is enough")
    quoted = [line for line in text.split("\n") if line.startswith(">")]
    comments = own_comments(text)
    approving = sorted({t.kind for t in trailers if t.kind in _APPROVALS and identity.is_me(t.email)})
    if approving and quoted and comments:
        asks = [c for c in comments if _ASKS.search(c)]
        if asks and not any(_CONDITIONAL.search(c) for c in comments):
            warnings.append(
                f"This review asks for changes (\"{asks[0][:60]}\") and gives {' and '.join(approving)}: "
                "send it anyway, or say under what condition (\"With that fixed: ...\")?")
    if parent_lines is not None and quoted:
        known = set(parent_lines)
        wrong = [line for line in quoted if _unquote(line) not in known]
        if wrong:
            warnings.append(f"{len(wrong)} quoted line(s) are not the patch's text as sent "
                            f"(first: {wrong[0][:70]!r}); quoting edited text misquotes the author")
    return warnings


def check_draft_in_store(store, data: bytes, identity: Identity) -> list[str]:
    """:func:`check_draft` with the parent (In-Reply-To) read from ``store``
    when it has it; without the parent the quotes are not checked."""
    headers = parse_message(data, headers_only=True).headers
    parent_lines = None
    if headers.in_reply_to:
        path = store.file_of(headers.in_reply_to)
        if path is not None:
            parent = read_message(path)
            parent_lines = parent.text.split("\n")
            for patch in parent.patches:
                parent_lines += patch.text.split("\n")
    return check_draft(data, identity, parent_lines)

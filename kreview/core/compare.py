"""The interdiff of one patch, or of a whole series, against another version.

``compare`` answers ``kreview interdiff MESSAGE-ID [--against VERSION]`` and
the reader's compare key: it finds the message's version chain, the version
to compare with (the previous one unless told), reads both versions' patches
and classifies them (:mod:`kreview.core.interdiff`).

JSON (``interdiff --json``)::

    {"from": {"version": int, "message_id": str},
     "to": {"version": int, "message_id": str},
     "patches": [{"index": int, "change": "unchanged"|"modified"|"added"|"dropped"|"moved",
                  "diff": [str]}]}

``message_id`` is the patch's for one patch, the head's (cover letter, else
first patch) for a series. Added fields: top-level ``title``; per patch
``title``, ``old_message_id`` and ``new_message_id`` (null when absent).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kreview.core.chains import Chain, VersionFacts, chain_of_thread, patch_texts
from kreview.core.interdiff import PatchChange, series_interdiff
from kreview.core.review import message_from_node
from kreview.core.series import parse_subject

if TYPE_CHECKING:
    from kreview.core.store import Store


class NothingToCompare(ValueError):
    """Said to the person: why there is no interdiff."""


@dataclass(frozen=True)
class Comparison:
    chain: Chain
    old: VersionFacts
    new: VersionFacts
    changes: tuple[PatchChange, ...]
    old_id: str  # the patch (one patch) or the head (whole series)
    new_id: str


def compare(store: Store, message_id: str, against: int | None = None, whole: bool = False) -> Comparison:
    """Compare the posting holding ``message_id`` with the version before it
    (or version ``against``): every patch when ``message_id`` is the cover
    letter or ``whole`` is set, else the one patch."""
    thread_ids = store.thread_ids_of([message_id])
    if not thread_ids:
        raise NothingToCompare(f"No message <{message_id}> in the database.")
    # The chain from its postings only (the replies around them say nothing
    # about what changed); the bodies read for it are kept for the interdiff:
    # a patch's file is read once.
    bodies: dict[str, str] = {}

    def read(node):
        message = message_from_node(node)
        subject = parse_subject(node.subject)
        if message is not None and subject.is_patch and not subject.is_reply:  # not the replies around them
            bodies[message.message_id] = message.body_text
        return message

    def chain_and_version(indexed: bool):
        chains = chain_of_thread(store, thread_ids[0], read=read, indexed_chains=indexed, cache=cache,
                                 postings_only=True)
        found = [(c, v) for c in chains for v in c.versions if message_id in v.message_ids]
        return found[0] if found else (None, None)

    cache: dict = {}
    # The series index names the chain's threads (nothing searched); a
    # version it has not seen yet is looked for by searching.
    chain, new = chain_and_version(True)
    if chain is None or (against is not None and chain.find(against) is None):
        chain, new = chain_and_version(False)
    if chain is None:
        raise NothingToCompare(f"<{message_id}> is not a patch or cover letter of a series.")
    if against is None:
        old = chain.previous(new)
        if old is None:
            raise NothingToCompare(f"v{new.version} is the first version of this series in the database.")
    else:
        old = chain.find(against)
        if old is None:
            have = ", ".join(f"v{v.version}" for v in chain.versions)
            raise NothingToCompare(f"No v{against} of this series in the database (it has {have}).")
    if old.key == new.key:
        raise NothingToCompare("That is the same posting.")
    changes = series_interdiff(patch_texts(store, old, bodies), patch_texts(store, new, bodies))
    if whole or message_id == new.cover_id:  # the cover stands for the whole series
        return Comparison(chain, old, new, tuple(changes), old.key, new.key)
    mine = [c for c in changes if c.new is not None and c.new.message_id == message_id]
    if not mine:
        raise NothingToCompare(f"<{message_id}> is not a patch of v{new.version}.")
    old_id = mine[0].old.message_id if mine[0].old is not None else ""
    return Comparison(chain, old, new, tuple(mine), old_id, message_id)


def comparison_as_json(c: Comparison) -> dict:
    return {
        "title": c.new.title,
        "from": {"version": c.old.version, "message_id": c.old_id},
        "to": {"version": c.new.version, "message_id": c.new_id},
        "patches": [{
            "index": p.index,
            "change": p.change,
            "diff": list(p.diff),
            "title": p.title,
            "old_message_id": p.old.message_id if p.old else None,
            "new_message_id": p.new.message_id if p.new else None,
        } for p in c.changes],
    }


def comparison_lines(c: Comparison) -> list[str]:
    """The comparison as text: one heading per patch, then its interdiff."""
    lines = [f"v{c.old.version} -> v{c.new.version}: {c.new.title}"]
    for p in c.changes:
        lines.append("")
        lines.append(f"{p.index}: {p.change}: {p.title}")
        lines.extend(p.diff)
    return lines


def comparison_display(c: Comparison) -> list:
    """The comparison as the reader's pane lines (DisplayLine), coloured by the
    outer column (what happened to the patch line) and highlighted by the
    file the inner line belongs to, like a diff in a message."""
    from kreview.core.highlight import lexer_name_for
    from kreview.core.layout import DisplayLine
    from kreview.core.sanitize import clean_line

    out = [DisplayLine("header", clean_line(f"Interdiff v{c.old.version} -> v{c.new.version}: {c.new.title}"))]
    counts: dict[str, int] = {}
    for p in c.changes:
        counts[p.change] = counts.get(p.change, 0) + 1
    out.append(DisplayLine("note", ", ".join(f"{n} {kind}" for kind, n in counts.items())))
    for p in c.changes:
        out.append(DisplayLine("text", ""))
        out.append(DisplayLine("diff-file", clean_line(f"{p.index}: {p.change}: {p.title}")))
        lexer, in_code = "", False
        for raw in p.diff:
            line = clean_line(raw.expandtabs(8))
            if raw.startswith("## "):
                in_code = raw.startswith("## Diff")
                out.append(DisplayLine("diff-meta", line))
                continue
            inner = raw[1:]
            if inner.startswith("diff --git "):
                lexer = lexer_name_for(inner.rsplit(" b/", 1)[-1])
            elif raw.startswith("@@ ") and in_code:
                named = raw.split(" @@ ", 1)  # the file interdiff names after the hunk header
                lexer = lexer_name_for(named[1]) if len(named) == 2 else lexer
            kind = {"+": "diff-add", "-": "diff-del", "@": "diff-hunk"}.get(raw[:1], "diff-ctx")
            code = in_code and kind != "diff-hunk" and inner[:1] in ("+", "-", " ")
            out.append(DisplayLine(kind, line, lexer=lexer if code else "", code_start=2 if code else 0,
                                   source=raw))
    return out

"""Trailers: find them in a mail's own text and credit them to patches.

The rules follow what reviewers already trust from ``b4 am``:

* A trailer is ``Kind: value`` at the start of a line of the message's own
  text. Person trailers (``*-by``, ``Cc``) need an address; ``Fixes`` needs a
  hash; ``Link``/``Closes`` take any value. Quoted lines (``>``) never match,
  and nothing below the ``-- `` signature line counts.
* In a patch only the commit message (above the ``---`` line) is read.
* A wrapped trailer is joined: a name on one line and ``<address>`` on the
  next, a ``Fixes: hash (subject`` whose ``)`` is on the next line, and
  git's folding (a continuation line that starts with whitespace).
* A reply's trailers go to the patch it answers, walking up the reply chain;
  trailers answering the cover letter go to every patch.
* A person trailer is ``Name <address>`` where the name may hold anything
  (``Tester2, Followup``, ``Some Tester [corporate]``), or a bare address.
  A trailer is never dropped for its shape: one with two addresses, or an
  address not written in either form, is kept as ``suspect`` with a
  ``suspect_reason``.
* A person trailer whose address is not the sender's (b4 also accepts the
  same name, and ``+tag``/subdomain variants of the address) is kept but
  marked ``suspect`` (reason: not the sender's address) and not counted.
* The same trailer is credited once per patch; one already in the patch is
  listed with origin ``"patch"``.

Beyond b4: a cover-letter reply may scope its trailers ("for patches 1-3",
"for 2/5", "For patches 1 and 3", "for the series"); a scope phrase on the
trailer's line or on an earlier line of the same reply applies to the
trailers after it, until another scope phrase.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from email.utils import parseaddr
from functools import cached_property, lru_cache
from typing import Sequence

from kreview.core.series import Series, SeriesMessage, patch_ids

_KNOWN = {k.lower(): k for k in (
    "Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Suggested-by",
    "Co-developed-by", "Signed-off-by", "Nacked-by", "Fixes", "Link", "Closes", "Cc",
)}
# The value is taken to the end of the line and stripped in code: a lazy
# ".*?" before "\s*$" is quadratic on a hostile line of spaces.
_LINE_RE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]):[ \t]+(\S.*)$")
_HASH_RE = re.compile(r"^[0-9a-f]{6,}\b")
# Runs of characters an address may hold; each run is a candidate address.
_ADDR_RUN_RE = re.compile(r"[^<>\s\"',;()\[\]]+")
# Continuation lines joined into one trailer at most: a real one wraps once
# or twice; a hostile mail must not make one trailer of 100,000 lines.
_MAX_CONTINUATIONS = 8

# The first "for ..." clause naming patches, anywhere in a line.
_SCOPE_RE = re.compile(
    r"\bfor\s+(?P<all>(?:the\s+)?(?:whole\s+|entire\s+)?series\b|all(?:\s+(?:the\s+)?patches)?\b)"
    r"|\bfor\s+(?P<word>patch(?:es)?\s*)?(?P<list>#?\d+(?:/\d+)?"
    r"(?:\s*(?:-|–|to|through|,|and|&|,\s*and)\s*#?\d+(?:/\d+)?)*)",
    re.I,
)


@dataclass(frozen=True)
class Trailer:
    """One trailer line; the provenance fields are filled in by ``collect``."""

    kind: str  # canonical spelling: "Reviewed-by", "Fixes"
    value: str  # everything after "Kind: ", wrapped lines joined
    name: str = ""
    email: str = ""  # lower-cased; "" for non-person trailers
    message_id: str = ""
    origin: str = ""  # "patch" | "reply" | "cover-reply"
    suspect: bool = False
    # Patch indexes a cover-letter reply limited this trailer to; None = all.
    scope: tuple[int, ...] | None = None
    suspect_reason: str = ""  # why it is suspect, for people; "" when it is not

    @property
    def is_person(self) -> bool:
        return bool(self.email)


def _canonical_kind(raw: str) -> str | None:
    low = raw.lower()
    if low in _KNOWN:
        return _KNOWN[low]
    if low.endswith("-by"):
        return low[0].upper() + low[1:]
    return None


@lru_cache(maxsize=4096)
def parse_address(text: str) -> tuple[str, str]:
    """email.utils.parseaddr, remembered: a series repeats the same few
    reviewers hundreds of times, and parseaddr was a third of collecting them."""
    return parseaddr(text)


def _is_address(token: str) -> bool:
    """``local@domain.tld`` in one run of non-space characters (an ``@`` with
    something before it, then a dot with something on both sides)."""
    at = token.find("@", 1)
    return at != -1 and token.find(".", at + 2, len(token) - 1) != -1


def _has_address(value: str) -> bool:
    return any(_is_address(token) for token in value.split())


def _make(kind: str, value: str) -> Trailer | None:
    if kind == "Fixes":
        return Trailer(kind, value) if _HASH_RE.match(value) else None
    if kind in ("Link", "Closes"):
        return Trailer(kind, value)
    if "://" in value or not _has_address(value):
        return None
    # b4's "# comment" suffix ("Acked-by: A <a@b> # for 1-3") is not part of the address
    addr_part = value.split(" #", 1)[0].strip()
    name, email, reason = _person(addr_part)
    if not email:
        return None
    return Trailer(kind, value, name=name, email=email.lower(), suspect=bool(reason),
                   suspect_reason=reason)


@lru_cache(maxsize=4096)
def _person(text: str) -> tuple[str, str, str]:
    """(name, address, why it is suspect) from a person trailer's value;
    a value with an address that fits no shape is kept with a reason.

    Trailers are plain text, not RFC 5322 headers: an address parser reads
    "Some, One <a@b>" as two addresses and loses the trailer. So: the first
    ``<...>`` holding an address is the address and everything before it
    the name (commas and brackets included); a missing ``>`` at the very
    end is a typo b4 forgives too. Written as plain scans, no backtracking
    regex: the text comes from anyone on the list.
    """
    pieces = text.split("<")
    for i in range(1, len(pieces)):
        inside, closed, rest = pieces[i].partition(">")
        if not closed and i != len(pieces) - 1:
            continue
        if not inside or any(c.isspace() for c in inside):
            continue
        at = inside.find("@")
        if at < 1 or at == len(inside) - 1:
            continue
        name = "<".join(pieces[:i]).strip().strip('"').strip()
        rest = (rest + "".join("<" + p for p in pieces[i + 1:])).strip()
        if "<" in name or _has_any_address(rest):
            return name, inside, "more than one address in the trailer"
        return name, inside, ""
    first, _, rest = text.partition(" ")
    bare = first.strip("<>")
    if bare.count("@") == 1 and _is_address(bare) and "<" not in bare and ">" not in bare:
        rest = rest.strip()
        name = rest[1:-1].strip() if rest.startswith("(") and rest.endswith(")") else ""
        if "@" in rest:
            return name, bare, "more than one address in the trailer"
        return name, bare, ""
    for run in _ADDR_RUN_RE.finditer(text):
        if _is_address(run.group(0)):
            name = text[:run.start()].strip(" <\"'")
            return name, run.group(0), "the address is not written as Name <address>"
    return "", "", ""


def _has_any_address(text: str) -> bool:
    return "@" in text and any(_is_address(run.group(0)) for run in _ADDR_RUN_RE.finditer(text))


def parse_scope(text: str) -> tuple[int, ...] | None | bool:
    """Patch indexes a "for ..." phrase names; None for the whole series;
    False when the text has no scope phrase."""
    m = _SCOPE_RE.search(text)
    if not m:
        return False
    if m.group("all"):
        return None
    if not m.group("word") and m.group("list").isdigit():
        return False  # "for 3 days": a bare number needs "patch" to name a patch
    indexes: set[int] = set()
    spec = re.sub(r"/\d+", "", m.group("list").replace("#", ""))
    # Split as case-blind as _SCOPE_RE matched: "For patches 1 To 3".
    for part in re.split(r"\s*(?:,\s*and|,|and|&)\s*", spec, flags=re.I):
        bounds = re.split(r"\s*(?:-|–|to|through)\s*", part.strip(), flags=re.I)
        nums = [int(b) for b in bounds if b.isdigit()]
        if len(nums) == 2 and nums[0] <= nums[1]:
            indexes.update(range(nums[0], nums[1] + 1))
        else:
            indexes.update(nums)
    return tuple(sorted(indexes)) if indexes else False


def own_text(body_text: str, is_patch: bool = False) -> str:
    """The part of a body its sender wrote as prose: above the signature,
    and for a patch above the ``---`` that ends the commit message."""
    lines = body_text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if line == "-- " or (is_patch and line.rstrip() == "---"):
            return "\n".join(lines[:i])
    return "\n".join(lines)


def extract_trailers(body_text: str, is_patch: bool = False) -> list[Trailer]:
    """Trailers in the sender's own text, in order, each with its scope."""
    lines = own_text(body_text, is_patch).split("\n")
    found: list[Trailer] = []
    scope: tuple[int, ...] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.lstrip().startswith(">"):
            continue
        m = _LINE_RE.match(line)
        kind = _canonical_kind(m.group(1)) if m else None
        if kind is None:
            phrase = parse_scope(line)
            if phrase is not False:
                scope = phrase
            continue
        value = m.group(2).rstrip()
        # join wrapped continuation lines (see module docstring)
        joined = 0
        while i < len(lines) and joined < _MAX_CONTINUATIONS:
            nxt = lines[i]
            stripped = nxt.strip()
            if not stripped or stripped.startswith(">") or _LINE_RE.match(nxt):
                break
            if ((kind != "Fixes" and "<" not in value and stripped.startswith("<")
                 and stripped.endswith(">"))
                    or (kind == "Fixes" and value.count("(") > value.count(")"))
                    or nxt[:1] in (" ", "\t")):
                value = f"{value} {stripped}"
                i += 1
                joined += 1
                continue
            break
        trailer = _make(kind, value)
        if trailer is None:
            continue
        # a scope after the address ("<a@b> # for 1-3", "<a@b> (for 2/5)")
        own = parse_scope(value.split(">", 1)[1]) if trailer.email and ">" in value else False
        found.append(replace(trailer, scope=scope if own is False else own))
    return found


def sender_matches(trailer: Trailer, from_name: str, from_email: str) -> bool:
    """b4's identity test: same address (ignoring +tags and one subdomain
    level), or the same display name."""
    ours, theirs = trailer.email.lower(), from_email.lower()
    if ours == theirs:
        return True
    if trailer.name and trailer.name.lower() == from_name.strip().lower():
        return True
    if "@" not in ours or "@" not in theirs:
        return False
    ours, theirs = re.sub(r"\+[^@]+@", "@", ours), re.sub(r"\+[^@]+@", "@", theirs)
    if ours == theirs:
        return True
    olocal, odomain = ours.split("@", 1)
    tlocal, tdomain = theirs.split("@", 1)
    return olocal == tlocal and abs(odomain.count(".") - tdomain.count(".")) == 1 and (
        odomain.endswith("." + tdomain) or tdomain.endswith("." + odomain))


# Trailers that describe a patch's metadata rather than a review; b4 ignores
# them in replies too, since reviewers paste them from the patch they quote.
_NOT_FROM_REPLIES = {"Cc"}
COUNTED = {"Acked-by": "A", "Reviewed-by": "R", "Tested-by": "T"}


@dataclass(frozen=True)
class PatchReview:
    index: int
    message_id: str  # "" for a missing patch
    subject: str
    missing: bool
    trailers: tuple[Trailer, ...]
    flags: tuple[str, ...] = ()  # the slot's flags (series.SeriesPatch.flags)

    def count(self, kind: str) -> int:
        return sum(1 for t in self.trailers if t.kind == kind and not t.suspect)

    # Cached: the review is immutable and the TUI asks for these on every
    # rebuild of the series panel (hundreds of trailers in a big series).
    # cached_property writes the instance __dict__ directly, so it works on a
    # frozen dataclass and stays out of its fields (eq, hash, replace, JSON).
    @cached_property
    def art(self) -> tuple[int, int, int]:
        return self.count("Acked-by"), self.count("Reviewed-by"), self.count("Tested-by")

    @cached_property
    def reviewed(self) -> bool:
        """Someone other than the author vouched for it (an Ack or a Review)."""
        return any(t.kind in ("Acked-by", "Reviewed-by") and not t.suspect
                   for t in self.trailers)


@dataclass(frozen=True)
class SeriesReview:
    series: Series
    patches: tuple[PatchReview, ...]

    @property
    def art(self) -> tuple[int, int, int]:
        """Distinct people per kind over the whole series, as a thread-list
        column: an Ack on the cover is one Ack, not one per patch."""
        people = {k: set() for k in COUNTED}
        for p in self.patches:
            for t in p.trailers:
                if t.kind in people and not t.suspect:
                    people[t.kind].add(t.email)
        return tuple(len(people[k]) for k in COUNTED)  # type: ignore[return-value]


def _dedup_key(t: Trailer) -> tuple[str, str]:
    return t.kind, t.email or t.value.lower()


def collect(series: Series, messages: Sequence[SeriesMessage],
            patches: set[str] | None = None) -> SeriesReview:
    """Credit every trailer in ``messages`` to the patches of ``series``.

    ``patches`` are the ids of every patch and cover among ``messages`` (of
    any series: a reply chain that reaches one stops there); computed when
    not given. Linear in the number of messages: each reply's walk up the
    thread stops at the first message whose answer is already known.
    """
    by_id = {m.message_id: m for m in messages}
    slot_of: dict[str, int] = {}
    for p in series.patches:
        for mid in p.all_ids:
            slot_of[mid] = p.index
    patch_set = patch_ids(messages) if patches is None else patches
    # A partial re-roll's carried slots and cover are messages of the
    # earlier version: they count as this series' patches too.
    patch_set = patch_set | set(slot_of) | ({series.cover_id} if series.cover_id else set())
    indexes_all = tuple(p.index for p in series.patches)

    given: dict[int, list[Trailer]] = {p.index: [] for p in series.patches}
    for p in series.patches:
        if not p.missing:
            msg = by_id.get(p.message_id)
            if msg is not None:
                given[p.index] += [replace(t, message_id=msg.message_id, origin="patch",
                                           scope=None)
                                   for t in _trailers_of(msg.body_text, True)]

    answered = _Answered(by_id, patch_set)
    for msg in sorted(messages, key=lambda m: m.date):
        if msg.message_id in patch_set:
            continue
        target = answered.target(msg.message_id)
        if target is None:
            continue
        if target == series.cover_id:
            origin, indexes = "cover-reply", None
        elif target in slot_of:
            origin, indexes = "reply", (slot_of[target],)
        else:
            continue
        for t in _trailers_of(msg.body_text, False):
            if t.kind in _NOT_FROM_REPLIES:
                continue
            reason = t.suspect_reason
            if not reason and t.is_person and not sender_matches(t, msg.from_name, msg.from_email):
                reason = f"not the sender's address (sent by {msg.from_email or 'nobody'})"
            t = replace(t, message_id=msg.message_id, origin=origin, suspect=bool(reason),
                        suspect_reason=reason,
                        scope=t.scope if origin == "cover-reply" else None)
            for index in indexes or (t.scope or indexes_all):
                if index in given:
                    given[index].append(t)

    patches_out = []
    for p in series.patches:
        kept: dict[tuple[str, str], Trailer] = {}
        for t in given[p.index]:
            key = _dedup_key(t)
            old = kept.get(key)
            # first one wins, except that a trusted copy beats a suspect one
            if old is None or (old.suspect and not t.suspect):
                kept[key] = t
        patches_out.append(PatchReview(p.index, p.message_id, p.subject, p.missing,
                                       tuple(kept.values()), p.flags))
    return SeriesReview(series, tuple(patches_out))


_TRAILERS_KEPT = 8192
_trailers_seen: dict[tuple[int, int, bool], tuple[Trailer, ...]] = {}
_trailers_lock = threading.Lock()  # the list's count worker and the thread screen's both read


def _trailers_of(body_text: str, is_patch: bool) -> tuple[Trailer, ...]:
    """A thread holding v1..v5 is collected once per series: each body is read once.

    Remembered by the body's length and hash, not by the body: an lru_cache
    keyed by the text kept up to 8,192 whole bodies alive (patches among
    them), megabytes of resident memory after a big series or a few
    screens of counted threads. (The hash is Python's, salted per process:
    two bodies of one length meeting on it is a 1-in-2**64 accident.)"""
    key = (len(body_text), hash(body_text), is_patch)
    found = _trailers_seen.get(key)
    if found is None:
        found = tuple(extract_trailers(body_text, is_patch=is_patch))
        with _trailers_lock:
            _trailers_seen[key] = found
            if len(_trailers_seen) > _TRAILERS_KEPT:
                del _trailers_seen[next(iter(_trailers_seen))]  # the oldest
    return found


class _Answered:
    """Which patch or cover each reply answers, walking up the reply chain,
    remembered for every message on the way: a 10,000-deep chain costs
    10,000 steps in all, not 50 million."""

    def __init__(self, by_id: dict[str, SeriesMessage], patch_set: set[str]) -> None:
        self._by_id = by_id
        self._patches = patch_set
        self._known: dict[str, str | None] = {}

    def target(self, message_id: str) -> str | None:
        path: list[str] = []
        seen: set[str] = set()
        node = self._by_id.get(message_id)
        parent = node.parent_id if node else None
        path.append(message_id)
        seen.add(message_id)
        result: str | None = None
        while parent:
            if parent in self._patches:
                result = parent
                break
            if parent in self._known:
                result = self._known[parent]
                break
            if parent in seen:  # a loop in broken threading: answers nothing
                break
            seen.add(parent)
            node = self._by_id.get(parent)
            if node is None:
                break
            path.append(parent)
            parent = node.parent_id
        for mid in path:
            self._known[mid] = result
        return result

"""Patch series: find a thread's patches and put them in order.

Pure (no notmuch, no files). Subjects are read by :mod:`kreview.core.grammar`
(``parse_subject`` and ``SubjectInfo`` are re-exported here for callers).

* ``assemble`` groups the patches of one thread (or of any message set) into
  ``Series``: cover letter (0/N), patches 1..N in order, gaps marked missing.
  Which mail is a patch follows b4 and patchwork: **the diff decides**, the
  subject gives the order. A mail that is not a reply (no ``Re:``) and
  carries a diff is a patch even without ``PATCH`` in its subject (``[GIT
  PULL]`` with a diff, ``[RFC]``, a list tag only); a mail without a diff is
  a reply, whatever its subject says, unless it is a cover letter: ``0/N``
  written (and not a mail answering another with a person trailer in it,
  b4's rule for a follow-up that lost its ``Re:``), or a thread root by the patches' author that the patches answer
  (a cover sent without any prefix). When the body is unknown
  (``has_diff`` None and no text) the subject decides, as it always did.
* Patches written without a version (``[PATCH 1/4]``) that answer a
  versioned cover or patch (``[PATCH net-next v3 0/4]``) take its version.
* An index above the total (``[PATCH 3/2]``, the extra patch) is kept, in
  its own slot after the others, flagged ``extra``.
* A partial re-roll (``[PATCH v3 2/2]``, or ``[PATCH v2.1 2/2]``, sent in reply to v2's 2/2) is
  completed as b4 does: the slots it does not resend are v2's patches,
  flagged ``carried``, and v2's cover is its cover (``cover_carried``).
* ``join_unthreaded`` puts together a series whose patches were each sent
  as a thread of their own (same author, version and total, within an hour),
  flagged ``unthreaded``.
* ``link_versions`` links v1..vN of the same series across threads, by the
  cover title or by any shared patch title.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterable, Sequence

from kreview.core.grammar import SubjectInfo, has_diff, has_diffstat, has_person_trailer, parse_subject

__all__ = [
    "Series", "SeriesMessage", "SeriesPatch", "SubjectInfo", "assemble", "join_unthreaded",
    "link_versions", "parse_subject", "patch_ids",
]

UNTHREADED_WINDOW = 3600  # seconds: "sent within an hour"


@dataclass(frozen=True)
class SeriesMessage:
    """One mail as the series and trailer logic needs it; built by review.py."""

    message_id: str  # without angle brackets
    parent_id: str | None  # from notmuch's thread tree
    subject: str
    from_name: str
    from_email: str
    date: int  # epoch seconds
    body_text: str
    # Whether the mail carries a diff (inline or attached); None = not known,
    # then ``body_text`` is searched, and with no text the subject decides.
    has_diff: bool | None = None

    @cached_property
    def diff(self) -> bool | None:
        """True/False when known; None when only the subject can tell."""
        if self.has_diff is not None:
            return self.has_diff
        return has_diff(self.body_text) if self.body_text else None


@dataclass(frozen=True)
class SeriesPatch:
    """One slot of a series: 1..N, then any extra ones. ``missing`` slots have no message."""

    index: int
    message_id: str  # "" when missing
    subject: str = ""
    missing: bool = False
    # Earlier copies of the same slot (a RESEND of one patch in the same
    # thread): replies to them still review this slot.
    other_ids: tuple[str, ...] = ()
    # "extra" (index above the total), "carried" (from the earlier version a
    # partial re-roll completes), "unthreaded" (sent as a thread of its own)
    flags: tuple[str, ...] = ()
    date: int = 0

    @property
    def all_ids(self) -> tuple[str, ...]:
        return ((self.message_id,) if self.message_id else ()) + self.other_ids


@dataclass(frozen=True)
class Series:
    title: str
    version: int
    total: int
    cover_id: str | None
    patches: tuple[SeriesPatch, ...]
    is_rfc: bool = False
    prefixes: tuple[str, ...] = field(default=())
    revision: str = ""  # the version as written: "3", "2.3"; "" when built by hand
    author_email: str = ""
    date: int = 0  # the first mail's
    cover_carried: bool = False  # the cover is the earlier version's (partial re-roll)
    rerolled_from: str | None = None  # revision the carried patches come from
    unthreaded: bool = False

    @property
    def key(self) -> str:
        """A stable id for this series: the cover's message-id, else the first
        patch's; never a message it shares with an earlier version."""
        if self.cover_id and not self.cover_carried:
            return self.cover_id
        present = [p for p in self.patches if not p.missing]
        own = [p for p in present if "carried" not in p.flags]
        return (own or present)[0].message_id

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(p.index for p in self.patches if p.missing)


@dataclass
class _Member:
    """A patch or cover letter while a thread is being assembled."""

    msg: SeriesMessage
    info: SubjectInfo
    index: int
    total: int
    revision: str
    is_cover: bool


def _members(messages: Sequence[SeriesMessage]) -> dict[str, _Member]:
    """The patches and numbered cover letters among ``messages``, by id."""
    found: dict[str, _Member] = {}
    for msg in messages:
        info = parse_subject(msg.subject)
        if info.is_reply:
            continue
        is_cover = info.has_counter and info.index == 0  # "0/N" written: a cover, as b4 reads it
        if is_cover and msg.parent_id and msg.diff is False and has_person_trailer(msg.body_text):
            continue  # "[PATCH 0/9] ..." answering the cover with a Tested-by: a reply
        if not is_cover:
            diff = msg.diff
            # the diff decides; only when the body is unknown does the subject
            if not (diff is True or (diff is None and info.is_patch)):
                continue
        found[msg.message_id] = _Member(msg, info, info.index, info.total, info.revision, is_cover)
    # A mail that answers a patch with that patch's own subject and slot, from
    # someone else, is a reply that quoted the diff without "> " (Outlook):
    # it must not take the patch's place. (The author's own copy in reply is
    # a resend, and a newer version in reply is a re-roll: both stay.)
    for mid, member in list(found.items()):
        parent = found.get(member.msg.parent_id or "")
        if (parent is not None and not member.is_cover and not parent.is_cover
                and (parent.index, parent.total, parent.info.revision)
                == (member.index, member.total, member.info.revision)
                and parent.msg.from_email.lower() != member.msg.from_email.lower()):
            del found[mid]
    return found


def patch_ids(messages: Sequence[SeriesMessage]) -> set[str]:
    """Ids of the mails among ``messages`` that are patches or numbered covers
    of some series (a reply chain that reaches one stops there)."""
    return set(_members(messages))


def assemble(messages: Sequence[SeriesMessage]) -> list[Series]:
    """Group the patches among ``messages`` into series, by version then title.

    Patches are grouped by (version, total): a v2 posted in reply to the v1
    cover lands in the same notmuch thread yet is a series of its own. When
    a slot is filled twice (a RESEND inside the thread), the newest copy is
    the patch and the older ids are kept in ``other_ids``. The other rules
    are in the module docstring.
    """
    by_id = {m.message_id: m for m in messages}
    members = _members(messages)
    ordered = sorted(members.values(), key=lambda m: m.msg.date)
    for member in ordered:  # oldest first: a parent's version is settled before its children's
        parent = members.get(member.msg.parent_id or "")
        if (not member.info.version_written and parent is not None and parent.total == member.total
                and parent is not member):
            member.revision = parent.revision

    groups: dict[tuple[str, int], list[_Member]] = defaultdict(list)
    for member in ordered:
        groups[(member.revision, member.total)].append(member)

    built: dict[tuple[str, int], Series] = {}
    for (revision, total), group in groups.items():
        series = _build(revision, total, group)
        if series is not None:
            built[(revision, total)] = series
    for key, series in list(built.items()):
        if series.cover_id is None:
            built[key] = _naked_cover(series, groups[key], by_id, members)
    for key, series in list(built.items()):
        if series.missing and _revision_order(series) > (1,):
            built[key] = _partial_reroll(series, groups[key], built, by_id, members)
    return sorted(built.values(), key=lambda s: (s.version, s.revision, s.title))


def _build(revision: str, total: int, group: list[_Member]) -> Series | None:
    cover: _Member | None = None
    slots: dict[int, list[_Member]] = defaultdict(list)
    for member in group:
        if member.is_cover:
            cover = cover or member  # the first cover wins; a resent cover is a copy
        else:
            slots[member.index].append(member)
    if not slots and cover is None:
        return None
    patches = []
    for index in [*range(1, total + 1), *sorted(i for i in slots if i > total)]:
        copies = slots.get(index)
        if not copies:
            patches.append(SeriesPatch(index=index, message_id="", missing=True))
            continue
        newest = copies[-1].msg
        patches.append(SeriesPatch(
            index=index, message_id=newest.message_id, subject=newest.subject,
            other_ids=tuple(m.msg.message_id for m in copies[:-1]),
            flags=("extra",) if index > total else (), date=newest.date,
        ))
    first = cover or slots[min(slots)][-1]
    author = (slots[min(slots)][-1] if slots else cover).msg.from_email.lower()
    return Series(
        # The group's revision, not the first message's own: an unversioned
        # "[PATCH 1/2]" answering "[PATCH v3 2/2]" is part of v3.
        title=first.info.title, version=int(revision.split(".")[0]), total=total,
        cover_id=cover.msg.message_id if cover else None,
        patches=tuple(patches),
        is_rfc=any(m.info.is_rfc for m in group),
        prefixes=first.info.prefixes,
        revision=revision, author_email=author,
        date=min(m.msg.date for m in group),
    )


def _naked_cover(series: Series, group: list[_Member], by_id: dict[str, SeriesMessage],
                 members: dict[str, _Member]) -> Series:
    """The cover of a series whose cover has no ``0/N``: the mail the first
    patch answers, when it carries no diff, is no reply, and is either a
    thread root by the patches' author or carries a diffstat (b4's rule)."""
    for member in sorted((m for m in group if not m.is_cover), key=lambda m: m.index):
        parent = by_id.get(member.msg.parent_id or "")
        if parent is None:
            continue
        if parent.message_id in members or parent.diff or parse_subject(parent.subject).is_reply:
            return series
        same_author = parent.from_email.lower() == member.msg.from_email.lower()
        if (parent.parent_id is None and same_author) or has_diffstat(parent.body_text):
            title = parse_subject(parent.subject).title or series.title
            return replace(series, cover_id=parent.message_id, title=title)
        return series
    return series


def _partial_reroll(series: Series, group: list[_Member], built: dict[tuple[str, int], Series],
                    by_id: dict[str, SeriesMessage], members: dict[str, _Member]) -> Series:
    """Complete a re-roll that resent only some patches, each in reply to the
    same slot of an earlier version, from that version (b4's rule)."""
    earlier: set[tuple[str, int]] = set()
    for member in group:
        if member.is_cover:
            continue
        found = _same_slot_ancestor(member, by_id, members)
        if found is None:
            return series
        earlier.add((found.revision, found.total))
    if len(earlier) != 1:
        return series
    base = built.get(earlier.pop())
    if base is None or _revision_order(base) >= _revision_order(series):
        return series  # only an earlier version completes a later one (v2 a v2.1, v2.1 a v3)
    theirs = {p.index: p for p in base.patches if not p.missing}
    patches = tuple(
        replace(theirs[p.index], flags=theirs[p.index].flags + ("carried",))
        if p.missing and p.index in theirs else p
        for p in series.patches)
    cover_carried = series.cover_id is None and base.cover_id is not None
    return replace(
        series, patches=patches, rerolled_from=base.revision or str(base.version),
        cover_id=series.cover_id or base.cover_id, cover_carried=cover_carried,
        title=base.title if cover_carried else series.title)


def _revision_order(series: Series) -> tuple[int, ...]:
    """The revision as numbers, so that v2 < v2.1 < v3 (the version of a series built by hand)."""
    return tuple(int(part) for part in (series.revision or str(series.version)).split("."))


def _same_slot_ancestor(member: _Member, by_id: dict[str, SeriesMessage],
                        members: dict[str, _Member]) -> _Member | None:
    seen = {member.msg.message_id}
    parent_id = member.msg.parent_id
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        found = members.get(parent_id)
        if (found is not None and found.index == member.index and found.total == member.total
                and found.revision != member.revision):
            return found
        node = by_id.get(parent_id)
        parent_id = node.parent_id if node else None
    return None


def join_unthreaded(candidates: Sequence[Series],
                    window: int = UNTHREADED_WINDOW) -> list[tuple[Series, tuple[int, ...]]]:
    """Series made of pieces that were each sent as a thread of their own.

    ``candidates`` are series from *different* threads (pieces from one
    thread were already grouped by ``assemble``). Pieces join when they have
    the same author, version and total (above 1), no slot in common, at most
    one cover between them, and were all sent within ``window`` seconds of
    the first. Returns each joined series with the positions of the pieces
    it was made from; pieces that joined nothing are not returned.
    """
    open_groups: list[list[int]] = []
    order = sorted(range(len(candidates)), key=lambda i: candidates[i].date)
    for i in order:
        s = candidates[i]
        if s.total < 2 or not s.author_email or s.cover_carried or s.unthreaded or not s.missing:
            continue
        present = {p.index for p in s.patches if not p.missing}
        for group in open_groups:
            head = candidates[group[0]]
            if ((head.author_email, head.revision, head.version, head.total)
                    != (s.author_email, s.revision, s.version, s.total)
                    or s.date - head.date > window):
                continue
            taken = {p.index for j in group for p in candidates[j].patches if not p.missing}
            covers = sum(1 for j in group if candidates[j].cover_id)
            if taken & present or (covers and s.cover_id):
                continue
            group.append(i)
            break
        else:
            open_groups.append([i])

    joined = []
    for group in open_groups:
        if len(group) < 2:
            continue
        pieces = [candidates[j] for j in group]
        slots = {p.index: p for s in pieces for p in s.patches if not p.missing}
        cover = next((s for s in pieces if s.cover_id), None)
        first = cover or min(pieces, key=lambda s: min(p.index for p in s.patches if not p.missing))
        indexes = [*range(1, first.total + 1), *sorted(i for i in slots if i > first.total)]
        patches = tuple(
            replace(slots[i], flags=slots[i].flags + ("unthreaded",)) if i in slots
            else SeriesPatch(index=i, message_id="", missing=True)
            for i in indexes)
        joined.append((replace(
            first, patches=patches, cover_id=cover.cover_id if cover else None,
            title=first.title, is_rfc=any(s.is_rfc for s in pieces),
            date=min(s.date for s in pieces), unthreaded=True), tuple(group)))
    return joined


def _norm(title: str) -> str:
    return " ".join(title.lower().split())


def link_versions(series_list: Iterable[Series]) -> dict[str, tuple[Series, ...]]:
    """Map each series' ``key`` to every version of it, ordered by version.

    Two series are the same work when their cover titles match or they
    share a patch title; the link is transitive, so a v3 that renamed its
    cover but kept a patch title still joins v1 and v2.
    """
    items = list(series_list)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, s in enumerate(items):
        names = {"title:" + _norm(s.title)}
        names.update("patch:" + _norm(parse_subject(p.subject).title)
                     for p in s.patches if not p.missing)
        for name in names:
            if name in seen:
                parent[find(i)] = find(seen[name])
            else:
                seen[name] = i

    families: dict[int, list[Series]] = defaultdict(list)
    for i, s in enumerate(items):
        families[find(i)].append(s)
    linked: dict[str, tuple[Series, ...]] = {}
    for members in families.values():
        ordered = tuple(sorted(members, key=lambda s: s.version))
        for s in members:
            linked[s.key] = ordered
    return linked

"""Patch series: read kernel-style subjects and put a thread's patches in order.

Three jobs, all pure (no notmuch, no files):

* ``parse_subject`` understands the prefixes kernel tools write:
  ``[PATCH v4 3/8]``, ``[PATCHv3 2/5]``, ``[RFC PATCH 0/3]``,
  ``[PATCH RESEND v2 1/2]``, ``[PATCH net-next v2 04/10]``, ``[PATCH 1 of 8]``
  (hg/quilt style), list tags such as ``[notmuch]`` and any number of reply
  markers (``Re:``, ``RE:``, ``Aw:``...). No version means v1, no counter 1/1.
* ``assemble`` groups the patches of one thread (or of any message set) into
  ``Series``: cover letter (0/N), patches 1..N in order, gaps marked missing.
* ``link_versions`` links v1..vN of the same series across threads, by the
  cover title or by any shared patch title.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

# Reply markers of the mail clients kernel people use (English, German,
# Scandinavian, Dutch); "Re[2]:" is Outlook's numbered form.
_REPLY_RE = re.compile(r"^(?:re|aw|sv|antw|ynt)(?:\[\d+\])?\s*:\s*", re.I)
_BRACKET_RE = re.compile(r"^\[([^\]]*)\]\s*")
_COUNTER_RE = re.compile(r"^(\d+)/(\d+)$")
_VERSION_RE = re.compile(r"^v(\d+)$", re.I)
# "PATCHv3", "PATCH-v3", "RFCv2": the version glued to the keyword
_GLUED_RE = re.compile(r"^(PATCH|RFC|RFT)-?(v\d+)$", re.I)
_PATCH_WORDS = {"PATCH", "RFC", "RFT"}


@dataclass(frozen=True)
class SubjectInfo:
    """What a subject line says about the message's place in a series."""

    prefixes: tuple[str, ...]  # bracket words that are not version/counter, in order
    is_reply: bool
    version: int
    index: int
    total: int
    is_rfc: bool
    is_resend: bool
    title: str  # the subject without reply markers and bracket prefixes
    is_patch: bool = False  # a PATCH/RFC keyword or a counter was present
    has_counter: bool = False  # "3/8" or "3 of 8" was written, not defaulted


@lru_cache(maxsize=8192)
def parse_subject(subject: str) -> SubjectInfo:
    """Split a subject into reply markers, bracket prefixes and the title.

    Markers and brackets may interleave ("[notmuch] Re: [PATCH 2/3] x"), so
    they are peeled off the front in a loop until plain text remains.
    """
    rest = " ".join(subject.split())
    is_reply = False
    words: list[str] = []
    while True:
        m = _REPLY_RE.match(rest)
        if m:
            is_reply = True
            rest = rest[m.end():]
            continue
        m = _BRACKET_RE.match(rest)
        if m:
            words.extend(m.group(1).replace(",", " ").split())
            rest = rest[m.end():]
            continue
        break

    prefixes: list[str] = []
    version, index, total = 1, 1, 1
    has_counter = is_patch = is_rfc = is_resend = False
    i = 0
    while i < len(words):
        word = words[i]
        glued = _GLUED_RE.match(word)
        if glued:
            word = glued.group(1)
            version = int(glued.group(2)[1:])
        counter = _COUNTER_RE.match(word)
        vmatch = _VERSION_RE.match(word)
        if counter:
            index, total, has_counter = int(counter.group(1)), int(counter.group(2)), True
        elif (word.isdigit() and i + 2 < len(words) and words[i + 1].lower() == "of"
              and words[i + 2].isdigit()):
            index, total, has_counter = int(word), int(words[i + 2]), True
            i += 2
        elif vmatch:
            version = int(vmatch.group(1))
        else:
            upper = word.upper()
            if upper in _PATCH_WORDS:
                is_patch = True
            if upper in ("RFC", "RFT"):
                is_rfc = True
            elif upper == "RESEND":
                is_resend = True
            prefixes.append(word)
        i += 1
    return SubjectInfo(
        prefixes=tuple(prefixes),
        is_reply=is_reply,
        version=max(version, 1),
        index=index,
        total=max(total, 1),
        is_rfc=is_rfc,
        is_resend=is_resend,
        title=rest.strip(),
        is_patch=is_patch or has_counter,
        has_counter=has_counter,
    )


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


@dataclass(frozen=True)
class SeriesPatch:
    """One slot 1..N of a series. ``missing`` slots have no message."""

    index: int
    message_id: str  # "" when missing
    subject: str = ""
    missing: bool = False
    # Earlier copies of the same slot (a RESEND of one patch in the same
    # thread): replies to them still review this slot.
    other_ids: tuple[str, ...] = ()

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

    @property
    def key(self) -> str:
        """A stable id for this series: the cover's message-id, else the first patch's."""
        if self.cover_id:
            return self.cover_id
        return next(p.message_id for p in self.patches if not p.missing)

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(p.index for p in self.patches if p.missing)


def _is_series_member(info: SubjectInfo) -> bool:
    return info.is_patch and not info.is_reply


def assemble(messages: Sequence[SeriesMessage]) -> list[Series]:
    """Group the patches among ``messages`` into series, oldest first.

    Patches are grouped by (version, total): a v2 posted in reply to the v1
    cover lands in the same notmuch thread yet is a series of its own. When
    a slot is filled twice (a RESEND inside the thread), the newest copy is
    the patch and the older ids are kept in ``other_ids``.
    """
    groups: dict[tuple[int, int], list[tuple[SubjectInfo, SeriesMessage]]] = defaultdict(list)
    for msg in messages:
        info = parse_subject(msg.subject)
        if _is_series_member(info) and info.index <= info.total:
            groups[(info.version, info.total)].append((info, msg))

    result: list[Series] = []
    for (version, total), members in groups.items():
        members.sort(key=lambda im: im[1].date)
        cover: SeriesMessage | None = None
        slots: dict[int, list[tuple[SubjectInfo, SeriesMessage]]] = defaultdict(list)
        for info, msg in members:
            if info.index == 0:
                cover = cover or msg  # the first cover wins; a resent cover is a copy
            else:
                slots[info.index].append((info, msg))
        if not slots and cover is None:
            continue
        patches = []
        for index in range(1, total + 1):
            copies = slots.get(index)
            if not copies:
                patches.append(SeriesPatch(index=index, message_id="", missing=True))
                continue
            newest_info, newest = copies[-1]
            patches.append(SeriesPatch(
                index=index, message_id=newest.message_id, subject=newest.subject,
                other_ids=tuple(m.message_id for _, m in copies[:-1]),
            ))
        infos = [i for i, _ in members]
        if cover is not None:
            title = parse_subject(cover.subject).title
        else:
            first = min(slots)
            title = slots[first][-1][0].title
        result.append(Series(
            title=title, version=version, total=total,
            cover_id=cover.message_id if cover else None,
            patches=tuple(patches),
            is_rfc=any(i.is_rfc for i in infos),
            prefixes=infos[0].prefixes,
        ))
    result.sort(key=lambda s: (s.version, s.title))
    return result


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

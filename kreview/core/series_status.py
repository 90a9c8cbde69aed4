"""Whose turn it is on a series, and the trailers that carry over from earlier versions.

Statuses, first rule that holds wins (for the newest posting of a chain; an
older posting is ``superseded`` unless it was applied):

* ``applied``: a reply not from the author says so ("Applied, thanks",
  "thanks, applied to ...", "applied to net-next"), or a message of the
  posting has kreview's ``applied`` tag;
* ``reviewed by me``: I gave an Acked-by/Reviewed-by/Tested-by on it, or
  one of mine carried over to it from an earlier version;
* ``author replied``: I replied without a trailer and the author answered
  below my reply afterwards (my turn again);
* ``changes requested``: I replied without a trailer, no answer yet;
* ``needs my review``: I have not replied, and I am in To/Cc or I replied
  to an earlier version of the series;
* ``new``: nobody but the author has written;
* ``discussed``: others replied, I am not involved (not in the issue's
  list: without it such a series would have no status at all).

"me" is the notmuch config's user.primary_email and user.other_email.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from kreview.core.chains import Chain, VersionFacts
from kreview.core.trailers import COUNTED, PatchReview, SeriesReview, Trailer

STATUSES = ("new", "needs my review", "reviewed by me", "changes requested", "author replied",
            "superseded", "applied", "discussed")


@dataclass(frozen=True)
class CarriedTrailer(Trailer):
    """A trailer given on an earlier version, credited to the same patch
    (same patch-id) in a later one."""

    carried_from: int = 0  # the version it was given on


def carried_trailers(older: VersionFacts, newer: VersionFacts) -> Iterator[tuple[int, CarriedTrailer]]:
    """(patch index in ``newer``, trailer) for every review trailer on ``older``
    (its own or carried into it) whose patch reached ``newer`` with the same
    patch-id. Trailers written in the patch itself are the author's and stay."""
    old_by_pid: dict[str, PatchReview] = {}
    pid_of = {p.index: p.patch_id for p in older.patches}
    for patch in older.review.patches:
        pid = pid_of.get(patch.index)
        if pid:
            old_by_pid.setdefault(pid, patch)
    new_own = {p.index: {(t.kind, t.email) for t in p.trailers} for p in newer.review.patches}
    for p in newer.patches:
        source = old_by_pid.get(p.patch_id) if p.patch_id else None
        if source is None:
            continue
        for t in source.trailers:
            if t.origin == "patch" and not isinstance(t, CarriedTrailer):
                continue
            if t.kind not in COUNTED or t.suspect or (t.kind, t.email) in new_own.get(p.index, ()):
                continue
            if isinstance(t, CarriedTrailer):
                yield p.index, t
            else:
                yield p.index, CarriedTrailer(**{f: getattr(t, f) for f in _TRAILER_FIELDS},
                                              carried_from=older.version)


_TRAILER_FIELDS = tuple(Trailer.__dataclass_fields__)


def with_carried(chain: Chain) -> Chain:
    """The chain with each posting's review holding the trailers carried into it.

    Walking oldest to newest, every earlier posting (a lower version, or the
    same version posted before: a RESEND keeps what the original collected)
    passes on what it holds, carried trailers included, so a trailer travels
    across versions for as long as its patch stays the same."""
    out: list[VersionFacts] = []
    for v in chain.versions:
        extra: dict[int, dict[tuple[str, str], CarriedTrailer]] = {}
        for older in out:
            if (older.version, older.date) >= (v.version, v.date):
                continue
            for index, t in carried_trailers(older, v):
                extra.setdefault(index, {}).setdefault((t.kind, t.email), t)
        if extra:
            patches = tuple(replace(p, trailers=p.trailers + tuple(extra.get(p.index, {}).values()))
                            for p in v.review.patches)
            v = replace(v, review=SeriesReview(v.review.series, patches))
        out.append(v)
    return Chain(tuple(out))


def version_status(chain: Chain, version: VersionFacts, me: set[str]) -> str:
    """The status of one posting in its chain (rules in the module docstring)."""
    if version.applied:
        return "applied"
    newest = chain.newest
    if version.key != newest.key:
        return "superseded"
    carried_mine = any(isinstance(t, CarriedTrailer) and t.email in me
                       for p in version.review.patches for t in p.trailers)
    if version.my_trailer or carried_mine:
        return "reviewed by me"
    if version.my_replies:
        return "author replied" if version.author_answered_me else "changes requested"
    earlier = [v for v in chain.versions if v.version < version.version]
    if version.to_me or any(v.my_replies for v in earlier):
        return "needs my review"
    return "new" if not version.other_replies else "discussed"


def chain_status(chain: Chain, me: set[str]) -> str:
    return version_status(chain, chain.newest, me)

"""Carried trailers for the series a thread holds: the glue between a
thread's reviews (:mod:`kreview.core.review`) and its version chain.

``reviews_with_carried`` gives the same SeriesReview list with the trailers
of earlier versions added to unchanged patches (as
:class:`~kreview.core.series_status.CarriedTrailer`, so their counts
include them); ``add_carried_json`` does the same to ``trailers --json``:
each trailer gets ``carried_from`` (null, or the version it was given on),
carried ones are appended to their patch's list and counted.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kreview.core.chains import VersionFacts, chain_of_thread
from kreview.core.series_status import CarriedTrailer, with_carried
from kreview.core.trailers import COUNTED, SeriesReview

if TYPE_CHECKING:
    from kreview.core.store import Store


def _carried_versions(store: Store, reviews: list[SeriesReview]) -> dict[str, VersionFacts]:
    """Each review's series key -> its posting with carried trailers, where it has earlier versions."""
    out: dict[str, VersionFacts] = {}
    cache: dict[str, list[VersionFacts]] = {}
    for review in reviews:
        key = review.series.key
        if key in out:
            continue
        thread_ids = store.thread_ids_of([key])
        if not thread_ids:
            continue
        for chain in chain_of_thread(store, thread_ids[0], cache=cache):
            if len(chain.versions) < 2:
                continue
            for v in with_carried(chain).versions:
                out[v.key] = v
    return out


def _carried_of(version: VersionFacts) -> dict[int, list[CarriedTrailer]]:
    return {p.index: [t for t in p.trailers if isinstance(t, CarriedTrailer)] for p in version.review.patches}


def reviews_with_carried(store: Store, reviews: list[SeriesReview]) -> list[SeriesReview]:
    from dataclasses import replace

    versions = _carried_versions(store, reviews)
    out = []
    for review in reviews:
        version = versions.get(review.series.key)
        carried = _carried_of(version) if version is not None else {}
        if any(carried.values()):
            review = SeriesReview(review.series, tuple(
                replace(p, trailers=p.trailers + tuple(carried.get(p.index, ()))) for p in review.patches))
        out.append(review)
    return out


def add_carried_json(store: Store, reviews: list[SeriesReview], data: dict) -> dict:
    """``trailers --json`` with carried trailers (see the module docstring)."""
    versions = _carried_versions(store, reviews)
    for review, series in zip(reviews, data["series"]):
        version = versions.get(review.series.key)
        carried = _carried_of(version) if version is not None else {}
        for patch in series["patches"]:
            for trailer in patch["trailers"]:
                trailer.setdefault("carried_from", None)
            for t in carried.get(patch["index"], ()):
                patch["trailers"].append({
                    "kind": t.kind, "name": t.name, "email": t.email, "value": t.value,
                    "message_id": t.message_id, "origin": t.origin, "suspect": t.suspect,
                    "scope": None, "carried_from": t.carried_from})
                if t.kind in COUNTED and "counts" in patch:
                    patch["counts"][COUNTED[t.kind]] = patch["counts"].get(COUNTED[t.kind], 0) + 1
    return data

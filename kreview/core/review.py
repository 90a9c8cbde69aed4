"""Series review of notmuch threads: store + parse + series + trailers.

This is the only module of the series/trailer work that touches files or
the database; ``series`` and ``trailers`` stay pure.

JSON contract (``kreview trailers --json``), built by :func:`reviews_as_json`::

    {"series": [{"subject": str, "version": int, "total": int,
                 "cover": {"message_id": str} | null,
                 "patches": [{"index": int, "message_id": str, "subject": str,
                              "trailers": [{"kind": "Reviewed-by", "name": str,
                                            "email": str, "message_id": str,
                                            "origin": "patch"|"reply"|"cover-reply",
                                            "suspect": bool}]}]}]}

Message-ids carry no angle brackets. Added fields (never renamed ones):
series ``is_rfc`` and ``missing`` (indexes of absent patches); patch
``missing`` and ``counts`` ({"A", "R", "T"}, suspect trailers not counted);
trailer ``value`` (the text after "Kind: ") and ``scope`` (patch indexes a
scoped cover-letter reply named, else null).

Missing patches are *included*, with ``"message_id": ""``, ``"subject": ""``,
no trailers and ``"missing": true``: a consumer indexing ``patches`` by
position sees every slot 1..total, and a gap is visible rather than silent.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Callable, Iterable

from kreview.core.parse import plain_text_body, read_message
from kreview.core.series import (
    Series,
    SeriesMessage,
    assemble,
    link_versions,
    parse_subject,
)
from kreview.core.trailers import COUNTED, SeriesReview, collect, parse_address

# Words of a title, for a notmuch phrase query that quoting cannot break.
_TITLE_WORDS = re.compile(r"\w+")  # Xapian keeps a_b_c as one term, so must we

if TYPE_CHECKING:
    from kreview.core.model import MessageNode, ThreadSummary
    from kreview.core.store import Store


def message_from_node(node: MessageNode) -> SeriesMessage | None:
    """Read ``node``'s file into a SeriesMessage; None for a placeholder node.

    Plain-text mail (nearly every reply) takes the fast path: the body is read
    without the email package, and the sender comes from notmuch's index.
    """
    if node.missing or not node.path:
        return None
    text = plain_text_body(node.path)
    name, address = parse_address(node.author)
    if text is None or not address:
        parsed = read_message(node.path, recipients=False)  # trailers need sender and text only
        h = parsed.headers
        text, name, address = parsed.text, h.from_name, h.from_email
        subject, date = node.subject or h.subject, node.date or h.date_epoch
    else:
        subject, date = node.subject, node.date
    return SeriesMessage(
        message_id=node.message_id,
        parent_id=node.parent_id,
        subject=subject,
        from_name=name,
        from_email=address,
        date=date,
        body_text=text,
    )


class Cancelled(Exception):
    """The caller no longer wants the result (see ``cancelled`` arguments)."""


def reviews_of(nodes: Iterable[MessageNode],
               read: Callable[[MessageNode], SeriesMessage | None] = message_from_node,
               cancelled: Callable[[], bool] | None = None,
               ) -> list[SeriesReview]:
    """The series in ``nodes`` with their trailers (reads every file).

    ``cancelled`` is asked between files; when it says yes, Cancelled is
    raised: a background count of a 1,000-message thread must not keep the
    reader waiting once they have opened something else."""
    nodes = list(nodes)
    # Subjects come from the index: a thread without a patch in it costs no file read.
    if not holds_series(nodes):
        return []
    messages = []
    for number, node in enumerate(nodes):
        if cancelled is not None and number % 16 == 0 and cancelled():
            raise Cancelled()
        if "draft" in node.tags:
            continue  # your own unsent reply: its Reviewed-by is not given yet
        message = read(node)
        if message is not None:
            messages.append(message)
    return [collect(s, messages) for s in assemble(messages)]


def holds_series(nodes: Iterable[MessageNode]) -> bool:
    """Whether a patch (not a reply to one) is among ``nodes``: from subjects only."""
    return any(_starts_series(n.subject) for n in nodes if not n.missing)


def _starts_series(subject: str) -> bool:
    info = parse_subject(subject)
    return info.is_patch and not info.is_reply


def thread_series(store: Store, thread_id: str) -> list[SeriesReview]:
    """Every series in one thread (a v2 sent in reply to v1 makes two)."""
    return reviews_of(store.thread_messages(thread_id))


def load_series(store: Store, query: str) -> list[SeriesReview]:
    """Every series in the threads that have a message matching ``query``."""
    # Take the ids first: iter_threads keeps the database open while iterating.
    thread_ids = [t.thread_id for t in store.iter_threads(query, newest_first=False)]
    return [r for tid in thread_ids for r in thread_series(store, tid)]


def other_versions(store: Store, series: Series, limit: int = 2000) -> tuple[Series, ...]:
    """Every version of ``series`` the database holds, in any thread, by version.

    Candidates come from a notmuch subject search for the title; only
    subjects are needed to assemble them, so no mail file is read.
    """
    words = _TITLE_WORDS.findall(series.title)
    if not words:
        return (series,)
    query = "subject:\"" + " ".join(words) + "\""
    nodes = store.messages(query, limit=limit)
    by_thread: dict[str, list[SeriesMessage]] = {}
    for n in nodes:
        by_thread.setdefault(n.thread_id, []).append(
            SeriesMessage(n.message_id, None, n.subject, "", "", n.date, ""))
    # assembled per thread: two postings of the same v2 must not merge
    found = [series] + [s for msgs in by_thread.values() for s in assemble(msgs)
                        if s.key != series.key]
    return link_versions(found)[series.key]


class SeriesCounts:
    """A/R/T counts per thread for the thread list, and the trailers they
    came from for the thread screen, cached.

    The counts' key includes the thread's message count and newest date, so
    a new reply (a new Reviewed-by) makes the row be counted again. Threads
    whose subject is no patch cost nothing: no file is read for them.

    Counting a row and opening its thread need the same trailers, read from
    every file of the thread: whichever comes first keeps them for the other
    (the last few threads only), keyed by the thread's messages as they were
    read, so a new reply or a draft is never answered from an older reading.
    Safe to call from several worker threads.
    """

    def __init__(self, store: Store, max_entries: int = 4096, max_reviews: int = 16) -> None:
        self._store = store
        self._max = max_entries
        self._max_reviews = max_reviews
        self._cache: OrderedDict[tuple[str, int, int], tuple[int, int, int] | None] = OrderedDict()
        self._reviews: OrderedDict[tuple[str, frozenset], list[SeriesReview]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, summary: ThreadSummary,
            cancelled: Callable[[], bool] | None = None) -> tuple[int, int, int] | None:
        """(acks, reviews, tests) as distinct people, or None if no series.
        Raises Cancelled (nothing cached) when ``cancelled`` says so."""
        if not parse_subject(summary.subject).is_patch:
            return None
        key = (summary.thread_id, summary.total, summary.newest_date)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        nodes = self._store.thread_messages(summary.thread_id)
        reviews = self.known_reviews(summary.thread_id, nodes)
        if reviews is None:
            reviews = reviews_of(nodes, cancelled=cancelled)
            self.remember_reviews(summary.thread_id, nodes, reviews)
        result = series_counts(reviews)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return result

    def known_reviews(self, thread_id: str, nodes: Iterable[MessageNode]) -> list[SeriesReview] | None:
        """The series of a thread holding exactly ``nodes``, if read lately."""
        key = _reading_key(thread_id, nodes)
        with self._lock:
            if key in self._reviews:
                self._reviews.move_to_end(key)
                return self._reviews[key]
        return None

    def remember_reviews(self, thread_id: str, nodes: Iterable[MessageNode],
                         reviews: list[SeriesReview]) -> None:
        key = _reading_key(thread_id, nodes)
        with self._lock:
            self._reviews[key] = reviews
            while len(self._reviews) > self._max_reviews:
                self._reviews.popitem(last=False)


def _reading_key(thread_id: str, nodes: Iterable[MessageNode]) -> tuple[str, frozenset]:
    # What reviews_of's answer depends on: which messages, and which are drafts.
    return thread_id, frozenset((n.message_id, "draft" in n.tags) for n in nodes if not n.missing)


def series_counts(reviews: list[SeriesReview]) -> tuple[int, int, int] | None:
    """A/R/T of a thread: of its newest version when it holds several."""
    if not reviews:
        return None
    return max(reviews, key=lambda r: r.series.version).art


def _counts(values: tuple[int, int, int]) -> dict[str, int]:
    return dict(zip(COUNTED.values(), values))


def reviews_as_json(reviews: Iterable[SeriesReview]) -> dict:
    """The ``--json`` shape documented in the module docstring."""
    out = []
    for review in reviews:
        s = review.series
        out.append({
            "subject": s.title,
            "version": s.version,
            "total": s.total,
            "is_rfc": s.is_rfc,
            "cover": {"message_id": s.cover_id} if s.cover_id else None,
            "missing": list(s.missing),
            "patches": [{
                "index": p.index,
                "message_id": p.message_id,
                "subject": p.subject,
                "missing": p.missing,
                "counts": _counts(p.art),
                "trailers": [{
                    "kind": t.kind,
                    "name": t.name,
                    "email": t.email,
                    "value": t.value,
                    "message_id": t.message_id,
                    "origin": t.origin,
                    "suspect": t.suspect,
                    "scope": list(t.scope) if t.scope is not None else None,
                } for t in p.trailers],
            } for p in review.patches],
        })
    return {"series": out}

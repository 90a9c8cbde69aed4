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
scoped cover-letter reply named, else null); trailer ``suspect_reason``
(why a suspect trailer is not counted: not the sender's address, more than
one address, an address not written as ``Name <address>``; "" otherwise);
patch ``flags`` (``"extra"``: index above the total, kept after slots
1..total; ``"carried"``: a partial re-roll's slot filled from the earlier
version; ``"unthreaded"``: sent as a thread of its own); series
``revision`` (the version as written: "3", "2.3"), ``cover_carried`` (the
cover is the earlier version's), ``rerolled_from`` (that version, else
null) and ``unthreaded``.

Missing patches are *included*, with ``"message_id": ""``, ``"subject": ""``,
no trailers and ``"missing": true``: a consumer indexing ``patches`` by
position sees every slot 1..total, and a gap is visible rather than silent;
extra slots (index above the total) follow them.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Callable, Iterable

from kreview.core.grammar import has_diff, may_start_series
from kreview.core.parse import plain_text_body, read_message
from kreview.core.series import (
    Series,
    SeriesMessage,
    assemble,
    join_unthreaded,
    link_versions,
    patch_ids,
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
    # A From that the RFC parser misreads (the "[" and ";" of an escape
    # sequence in the name) gives no address, or a fragment without "@":
    # the full parse below reads it as a person would.
    if text is None or "@" not in address:
        parsed = read_message(node.path, recipients=False)  # trailers need sender and text only
        h = parsed.headers
        text, name, address = parsed.text, h.from_name, h.from_email
        subject, date = node.subject or h.subject, node.date or h.date_epoch
        diff = has_diff(text) or any(has_diff(a.text) for a in parsed.patches)
    else:
        subject, date = node.subject, node.date
        diff = has_diff(text)
    return SeriesMessage(
        message_id=node.message_id,
        parent_id=node.parent_id,
        subject=subject,
        from_name=name,
        from_email=address,
        date=date,
        body_text=text,
        has_diff=diff,
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
    messages = thread_messages(nodes, read, cancelled)
    members = patch_ids(messages)
    return [collect(s, messages, members) for s in assemble(messages)]


def thread_messages(nodes: Iterable[MessageNode],
                    read: Callable[[MessageNode], SeriesMessage | None] = message_from_node,
                    cancelled: Callable[[], bool] | None = None,
                    ) -> list[SeriesMessage]:
    """The SeriesMessages of a thread that may hold a series (else []), drafts left out."""
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
    return messages


def holds_series(nodes: Iterable[MessageNode]) -> bool:
    """Whether a patch or cover may be among ``nodes``, from subjects only
    (no file is read): a mail that is no reply and has a patch keyword, a
    counter or any bracketed prefix (list tag, ``[GIT PULL]``); the diff
    then decides. A thread of plain subjects only is discussion."""
    return any(may_start_series(n.subject) for n in nodes if not n.missing)


def thread_series(store: Store, thread_id: str) -> list[SeriesReview]:
    """Every series in one thread (a v2 sent in reply to v1 makes two)."""
    return reviews_of(store.thread_messages(thread_id))


def load_series(store: Store, query: str) -> list[SeriesReview]:
    """Every series in the threads that have a message matching ``query``.

    A series whose patches were each sent as a thread of their own is
    joined when the query holds its pieces (series.join_unthreaded); the
    pieces are then reported only as the joined series."""
    # Take the ids first: iter_threads keeps the database open while iterating.
    thread_ids = [t.thread_id for t in store.iter_threads(query, newest_first=False)]
    found: list[tuple[Series, list[SeriesMessage], set[str]]] = []
    for tid in thread_ids:
        messages = thread_messages(store.thread_messages(tid))
        members = patch_ids(messages)
        found.extend((s, messages, members) for s in assemble(messages))
    joined = join_unthreaded([s for s, _, _ in found])
    used = {i for _, pieces in joined for i in pieces}
    out: list[tuple[int, SeriesReview]] = []
    for i, (series, messages, members) in enumerate(found):
        if i not in used:
            out.append((i, collect(series, messages, members)))
    for series, pieces in joined:
        messages = [m for i in pieces for m in found[i][1]]
        members = set().union(*(found[i][2] for i in pieces))
        out.append((min(pieces), collect(series, messages, members)))
    return [review for _, review in sorted(out, key=lambda pair: pair[0])]


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


class TrailerCountCache:
    """A/R/T counts per thread for the thread list, and the trailers they
    came from for the thread screen, cached.

    The counts' key includes the thread's message count and newest date, so
    a new reply (a new Reviewed-by) makes the row be counted again. Threads
    whose subject is no patch cost nothing: no file is read for them.

    Counting a row and opening its thread need the same messages (shared
    through ``readings``) and the same trailers, read from
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
        # The thread under a resting cursor is wanted by the count and by the
        # read-ahead at once: one reading of it serves both.
        from kreview.core.thread_readings import ThreadReadings

        self.readings = ThreadReadings(store)

    def get(self, summary: ThreadSummary,
            cancelled: Callable[[], bool] | None = None) -> tuple[int, int, int] | None:
        """(acks, reviews, tests) as distinct people, or None if no series.
        Raises Cancelled (nothing cached) when ``cancelled`` says so."""
        if not may_start_series(summary.subject) and summary.total < 2:
            return None  # one mail with a plain subject: discussion, nothing read
        key = (summary.thread_id, summary.total, summary.newest_date)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        _, nodes = self.readings.read(summary.thread_id, any_query=True)
        # A thread titled without a prefix may still hold patches (a cover
        # letter sent without "[PATCH]"): its subjects tell, from the index.
        if not holds_series(nodes):
            with self._lock:
                self._cache[key] = None
            return None
        reviews = self.known_reviews(summary.thread_id, nodes)
        if reviews is None:
            reviews = reviews_of(nodes, cancelled=cancelled)
            self.remember_reviews(summary.thread_id, nodes, reviews)
        result = newest_art(reviews)
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


def newest_art(reviews: list[SeriesReview]) -> tuple[int, int, int] | None:
    """A/R/T of a thread: of its newest version when it holds several."""
    if not reviews:
        return None
    return max(reviews, key=lambda r: r.series.version).art


def _counts(values: tuple[int, int, int]) -> dict[str, int]:
    return dict(zip(COUNTED.values(), values))


def message_roles(reviews: Iterable[SeriesReview]) -> dict[str, dict]:
    """For ``show --json``: each cover and patch message's place in its series,
    with the same counts ``trailers --json`` gives (a cover: the series'
    distinct people; a patch: its own). A carried patch or cover belongs to
    its earlier version and is described there."""
    roles: dict[str, dict] = {}
    for review in reviews:
        s = review.series
        base = {"key": s.key, "subject": s.title, "version": s.version,
                "revision": s.revision or str(s.version), "total": s.total}
        if s.cover_id and not s.cover_carried:
            roles.setdefault(s.cover_id, {"series": base, "role": "cover", "index": 0, "flags": [],
                                          "counts": _counts(review.art)})
        for p in review.patches:
            if p.missing or "carried" in p.flags:
                continue
            roles.setdefault(p.message_id, {"series": base, "role": "patch", "index": p.index,
                                            "flags": list(p.flags), "counts": _counts(p.art)})
    return roles


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
            "revision": s.revision or str(s.version),
            "cover_carried": s.cover_carried,
            "rerolled_from": s.rerolled_from,
            "unthreaded": s.unthreaded,
            "patches": [{
                "index": p.index,
                "message_id": p.message_id,
                "subject": p.subject,
                "missing": p.missing,
                "counts": _counts(p.art),
                "flags": list(p.flags),
                "trailers": [{
                    "kind": t.kind,
                    "name": t.name,
                    "email": t.email,
                    "value": t.value,
                    "message_id": t.message_id,
                    "origin": t.origin,
                    "suspect": t.suspect,
                    "suspect_reason": t.suspect_reason,
                    "scope": list(t.scope) if t.scope is not None else None,
                } for t in p.trailers],
            } for p in review.patches],
        })
    return {"series": out}

"""The series index: version chains and their status, kept in notmuch itself.

Facts derived from the mail are written back as message properties on the
head of each posted version (its cover letter, else its first patch), so
``notmuch search`` and other clients see them:

=====================  ===================================================
``kreview.head=1``     this message heads a posted version of a series
``kreview.chain=ID``   the chain (the head Message-ID of its oldest version)
``kreview.version=N``  version number; ``kreview.resend=1`` on a resend
``kreview.total=N``    patches announced (the N of "1/N")
``kreview.art=A/R/T``  Acked-by/Reviewed-by/Tested-by, carried ones included
``kreview.status=S``   new, needs-my-review, reviewed-by-me,
                       changes-requested, author-replied, superseded,
                       applied, discussed
``kreview.last=EPOCH`` date of the last message about this version
``kreview.row=JSON``   kreview's own summary of the above for the series
                       view (one read per head); not meant for searching
=====================  ===================================================

e.g. ``notmuch search property:kreview.status=needs-my-review``.

The index follows the database's ``lastmod`` counter: the revision it
reflects is kept in the database config (``kreview.series-lastmod``,
"FORMAT:UUID:REVISION"; another format or uuid means a full rebuild); a refresh reads the threads with a message changed since
(new mail, tag changes), finds their chains with notmuch queries and
rewrites those chains' properties only. The first refresh (or a database
with a new uuid) reads every thread that has a patch subject.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from kreview.core import series_digest
from kreview.core.chains import Chain, VersionFacts, chain_of_thread, link_chains, thread_versions
from kreview.core.series_digest import digest_path
from kreview.core.series_status import chain_status, version_status, with_carried
from kreview.core.store import PROPERTY_TERM_LIMIT

if TYPE_CHECKING:
    from kreview.core.store import Store

PREFIX = "kreview."
LASTMOD_KEY = "kreview.series-lastmod"
# Bumped when the properties change shape or the linking rules change: an index
# of another format is rebuilt.
INDEX_FORMAT = "3"
# Subjects a series can have: what the first refresh reads.
PATCH_QUERY = "subject:PATCH or subject:RFC or subject:RFT or subject:PATCHv* or subject:RESEND"


STATUS_ORDER = ("needs my review", "author replied", "changes requested", "new", "discussed",
                "reviewed by me", "applied", "superseded")


def slug(status: str) -> str:
    return status.replace(" ", "-")


def unslug(value: str) -> str:
    return value.replace("-", " ")


@dataclass(frozen=True)
class RefreshResult:
    full: bool
    threads_read: int
    chains_written: int
    heads_written: int
    seconds: float


def me_of(store: Store) -> set[str]:
    """My addresses, lower-cased: the notmuch config's user.primary_email and other_email."""
    identity = store.identity
    return {e.lower() for e in (identity.primary_email, *identity.other_emails) if e}


def chain_properties(chain: Chain, me: set[str]) -> dict[str, dict[str, tuple[str, ...]]]:
    """The properties of each head of ``chain`` (a chain with carried trailers)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for v in chain.versions:
        a, r, t = v.review.art
        props = {
            "kreview.head": ("1",),
            "kreview.chain": (chain_id(chain),),
            "kreview.version": (str(v.version),),
            "kreview.total": (str(v.total),),
            "kreview.art": (f"{a}/{r}/{t}",),
            "kreview.status": (slug(version_status(chain, v, me)),),
            "kreview.last": (str(v.last_activity),),
        }
        if v.resend:
            props["kreview.resend"] = ("1",)
        # Everything the series view shows, in one property: reading seven
        # properties and two headers of 10,000 heads cost seconds.
        props["kreview.row"] = (_packed_row(chain, v, slug(version_status(chain, v, me)), (a, r, t)),)
        out[v.key] = props
    return out


def _packed_row(chain: Chain, v: VersionFacts, status: str, art: tuple[int, int, int]) -> str:
    """The kreview.row value: short enough for a Xapian term (see
    PROPERTY_TERM_LIMIT); a long title or author is left out ("" and the
    reader takes them from the head's headers)."""
    def pack(title: str, name: str, email: str) -> str:
        return json.dumps([chain_id(chain), v.version, v.resend, v.total, *art, status, v.last_activity,
                           v.thread_id, v.cover_id == v.key, v.date, title, name, email],
                          ensure_ascii=False, separators=(",", ":"))
    packed = pack(v.title, v.author_name, v.author_email)
    if len(f"XPROPERTYkreview.row={packed}".encode()) > PROPERTY_TERM_LIMIT:
        packed = pack("", "", "")
    return packed


def chain_id(chain: Chain) -> str:
    """The oldest posting's head Message-ID, hashed when too long for a property term."""
    key = chain.key
    return key if len(key.encode()) <= 150 else "sha1:" + hashlib.sha1(key.encode()).hexdigest()


def refresh(store: Store, progress: Callable[[int, int], None] | None = None,
            full: bool = False, cache_dir: Path | None = None) -> RefreshResult:
    """Bring the kreview.* properties up to date with the mail (see module
    docstring); given ``cache_dir``, the digest of the rows there as well
    (kreview.core.series_digest), when the one of the stamp it started from
    is there (or this is a full build)."""
    started = time.perf_counter()
    revision, uuid = store.revision()
    stored = store.database_value(LASTMOD_KEY)
    since = None
    if not full and stored.startswith(f"{INDEX_FORMAT}:{uuid}:"):
        since = int(stored.rsplit(":", 1)[1])
    if since is not None and since >= revision:
        return RefreshResult(False, 0, 0, 0, time.perf_counter() - started)
    me = me_of(store)
    identity = store.identity
    cache: dict[str, list[VersionFacts]] = {}
    if since is None:
        thread_ids = store.thread_ids(PATCH_QUERY)
        found: list[VersionFacts] = []
        for number, tid in enumerate(thread_ids):
            if progress is not None and number % 50 == 0:
                progress(number, len(thread_ids))
            found += thread_versions(store, tid, identity)
        chains = link_chains(found)
        stale = {node.message_id for node, _ in store.property_rows("property:kreview.head=1", PREFIX)}
        read = len(thread_ids)
    else:
        changed = store.thread_ids(f"lastmod:{since + 1}..{revision}")
        by_key: dict[str, Chain] = {}
        for tid in changed:
            for chain in chain_of_thread(store, tid, identity, cache=cache, indexed_chains=True):
                by_key[chain.key] = chain
        chains = list(by_key.values())
        # heads in the changed threads that may no longer head anything
        stale = set()
        if changed:
            scope = " or ".join(f"thread:{t}" for t in changed[:500])
            stale = {node.message_id for node, _ in
                     store.property_rows(f"property:kreview.head=1 and ({scope})", PREFIX)}
        read = len(cache)
    changes: dict[str, dict[str, tuple[str, ...]]] = {}
    for chain in chains:
        changes.update(chain_properties(with_carried(chain), me))
    for message_id in stale - set(changes):
        changes[message_id] = {}
    base = None
    if cache_dir is not None:
        path = digest_path(cache_dir, store.config_path)
        base = {} if since is None else (old.entries() if (old := series_digest.read(path, stored)) else None)
    reflected = store.write_properties(changes, PREFIX, revision, LASTMOD_KEY, lambda rev: f"{INDEX_FORMAT}:{uuid}:{rev}")
    if base is not None:
        series_digest.write(path, f"{INDEX_FORMAT}:{uuid}:{reflected}", _updated(base, changes, chains))
    return RefreshResult(since is None, read, len(chains), len(changes), time.perf_counter() - started)


def _updated(base: dict, changes: dict[str, dict[str, tuple[str, ...]]], chains: list[Chain]) -> Iterable:
    """The digest entries once ``changes`` (what refresh wrote) are applied to
    ``base``: each head as a reader of the properties would find it."""
    facts = {v.key: v for chain in chains for v in chain.versions}
    for message_id, props in changes.items():
        base.pop(message_id, None)
        packed = props.get("kreview.row", ("",))[0]
        if not packed or len(f"XPROPERTYkreview.row={packed}".encode()) > PROPERTY_TERM_LIMIT:
            continue  # not written: not in the index either
        found = _version_row(message_id, packed)
        if found is None:
            continue
        key, row, title, name, email = found
        if not title and message_id in facts:  # left out of the property: too long
            v = facts[message_id]
            title, name, email = v.title, v.author_name, v.author_email
        base[message_id] = (key, row, title, name, email)
    return base.values()


# -- reading the index --------------------------------------------------------

@dataclass(frozen=True)
class VersionRow:
    version: int
    resend: bool
    thread_id: str
    head_id: str
    is_cover: bool
    total: int
    date: int
    art: tuple[int, int, int]
    status: str
    last_activity: int
    subject: str
    author: str


@dataclass(frozen=True)
class ChainRow:
    """One row of the series view: a chain, shown by its newest version."""

    key: str
    title: str
    author_name: str
    author_email: str
    status: str
    last_activity: int
    versions: tuple[VersionRow, ...]  # oldest first

    @property
    def newest(self) -> VersionRow:
        return self.versions[-1]


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _version_row(message_id: str, packed: str) -> tuple[str, VersionRow, str, str, str] | None:
    try:
        (chain, version, resend, total, a, r, t, status, last, thread_id, is_cover, date, title,
         author_name, author_email) = json.loads(packed)
    except (ValueError, TypeError):
        return None  # written by another kreview version: the next refresh rewrites it
    row = VersionRow(
        version=int(version), resend=bool(resend), thread_id=thread_id, head_id=message_id,
        is_cover=bool(is_cover), total=int(total), date=int(date), art=(int(a), int(r), int(t)),
        status=unslug(status), last_activity=int(last), subject=title, author=author_email)
    return chain or message_id, row, title, author_name, author_email


def _from_headers(row: VersionRow, headers: dict[str, tuple[str, str]]) -> tuple:
    from kreview.core.series import parse_subject
    from kreview.core.trailers import parse_address

    subject, author = headers.get(row.head_id, ("", ""))
    name, email = parse_address(author)
    return row, parse_subject(subject).title, name, email.lower()


def _index_entries(store: Store) -> tuple[str, list]:
    """(stamp, entries) of every indexed head, read from the properties (one
    lookup per head, and the headers of those whose title was too long to
    keep in kreview.row), with the stamp they reflect (one database open)."""
    stamp, heads = store.property_values_with("property:kreview.head=1", "kreview.row", LASTMOD_KEY)
    entries = [found for message_id, packed in heads if (found := _version_row(message_id, packed)) is not None]
    untitled = [row.head_id for _, row, title, _, _ in entries if not title]
    if untitled:
        headers = store.headers_of(untitled)
        entries = [entry if entry[2] else (entry[0], *_from_headers(entry[1], headers)) for entry in entries]
    return stamp, entries


def _matched_keys(store: Store, query: str) -> set[str] | None:
    """Keys of the chains with a head matching ``query`` (None: every chain)."""
    if query.strip() in ("", "*"):
        return None
    return {value or message_id for message_id, value in
            store.property_values(f"({query}) and property:kreview.head=1", "kreview.chain")}


@dataclass(frozen=True)
class RowsStage:
    rows: list[ChainRow]
    complete: bool  # False: the first rows only, more to come
    stamp: str  # the index stamp (LASTMOD_KEY) they were read under


def chain_row_stages(store: Store, query: str = "*", cache_dir: Path | None = None,
                     first: int = 0) -> Iterator[RowsStage]:
    """The rows of :func:`chain_rows`, in stages: given ``first`` and a valid
    digest in ``cache_dir`` (kreview.core.series_digest), the first ``first``
    rows (enough for a screen: milliseconds), then every row; else every
    row at once. The last stage is complete."""
    matched = _matched_keys(store, query)

    def chosen(rows: list[ChainRow]) -> list[ChainRow]:
        return [r for r in rows if r.key in matched] if matched is not None else rows

    path = digest_path(cache_dir, store.config_path) if cache_dir is not None else None
    stamp = store.database_value(LASTMOD_KEY) if path is not None else ""
    if path is not None and first > 0:
        top = series_digest.first_chains(path, stamp, first, matched)
        if top is not None and len(top) >= first:  # else the whole answer comes as fast
            yield RowsStage(top, False, stamp)
    digest = series_digest.read(path, stamp) if path is not None else None
    if digest is None:
        stamp, entries = _index_entries(store)
        rows = series_digest.write(path, stamp, entries) if path is not None else series_digest.group(entries)
        yield RowsStage(chosen(rows), True, stamp)
        return
    yield RowsStage(chosen(digest.rows()), True, digest.stamp)


def chain_rows(store: Store, query: str = "*", cache_dir: Path | None = None) -> list[ChainRow]:
    """Every indexed chain with a version head matching ``query``, newest activity first.

    Reads one property per head (no header, no mail file), or, given
    ``cache_dir``, the digest of them kept there while the index is
    unchanged (kreview.core.series_digest): what makes the series view open fast."""
    *_, last = chain_row_stages(store, query, cache_dir)
    return last.rows


def status_counts(rows: Iterable[ChainRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def _iso(epoch: int) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, timezone.utc).isoformat().replace("+00:00", "Z")


def rows_as_json(rows: Iterable[ChainRow]) -> dict:
    """``kreview series --json``: the shape issue 15 gives, versions oldest first."""
    return {"chains": [{
        "title": row.title,
        "author": {"name": row.author_name, "email": row.author_email},
        "status": row.status,
        "last_activity": _iso(row.last_activity),
        "versions": [{
            "version": v.version,
            "resend": v.resend,
            "thread_id": v.thread_id,
            "cover": {"message_id": v.head_id} if v.is_cover else None,
            "total": v.total,
            "date": _iso(v.date),
            "art": {"A": v.art[0], "R": v.art[1], "T": v.art[2]},
            "status": v.status,
            "message_id": v.head_id,
        } for v in row.versions],
    } for row in rows]}


def chain_status_of(chain: Chain, store: Store) -> str:
    return chain_status(with_carried(chain), me_of(store))

"""Version chains: v1, v2 (and its RESEND), v3... of one series, across threads.

Each posted version is read once into a :class:`VersionFacts` (its patches
with their patch-ids, the trailers they collected, who replied and how).
Two versions belong to the same chain when any of these holds:

* same author and the same title after the prefix (cover or any patch);
* the same ``change-id:`` (b4's footer) or ``Change-Id:`` (Gerrit) line,
  whoever posted it and whatever the title became;
* one version's cover names a message of the other (lore/lkml links to the
  previous posting, ``Link to v2: https://lore.kernel.org/r/...``).

A posting with the version number of an earlier one is a RESEND of it.
Chains are found two ways with the same rules: over many threads at once
(:func:`link_chains`, for the series index) and from one thread outwards
with notmuch queries (:func:`chain_of_thread`, for the reader and the CLI).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Sequence
from urllib.parse import unquote

from kreview.core.interdiff import PatchText
from kreview.core.patchid import patch_id
from kreview.core.review import holds_series, message_from_node
from kreview.core.series import SeriesMessage, assemble, parse_subject
from kreview.core.trailers import COUNTED, SeriesReview, collect, own_text, parse_address

if TYPE_CHECKING:
    from kreview.core.model import Identity, MessageNode
    from kreview.core.store import Store

_CHANGE_ID = re.compile(r"^(?:change-id:\s*(\d{8}-[\w.-]+)|Change-Id:\s*(I[0-9a-f]{40}))\s*$", re.M | re.I)
_LINK = re.compile(r"https?://(?:lore|lkml)\.kernel\.org/(?:[\w.-]+/)?(?:r/)?(?:all/)?([^/\s<>\"]+(?:@|%40)[^/\s<>\"]+)")
# A cover's line pointing at an earlier posting: "Link to v2: URL", "v1: URL",
# "previous version: URL", "[v3] URL". Other links (bug reports, the patch
# a series depends on) must not tie two series together.
_PREVIOUS_LINE = re.compile(r"\bv\d+\b|\bprev(?:ious)?\b|\bearlier\b|\bresend\b", re.I)
# A maintainer saying they took it, at the start of a line: "Applied, thanks",
# "Thanks, applied", "Thanks and applied to pending", "Series applied to
# libnvdimm-for-next:", "Applied to the vfs.fixes branch"; anywhere:
# "applied, thanks". Not a tester's "the series applied on top of v6.15"
# nor a bot's "[If your patch is applied to the wrong git tree" (both seen
# on the nvdimm archive), nor "Queued".
_APPLIED = re.compile(
    r"^\s*(?:thanks[,!.]?\s*(?:and\s+)?|(?:the\s+)?(?:whole\s+)?(?:series|patch(?:es|set)?|set)\s+)?"
    r"applied\b(?!\s+(?:on\s+top|cleanly|fine|on\s+v?\d))|\bapplied,?\s+thanks\b", re.I)
APPLIED_TAG = "applied"


@dataclass(frozen=True)
class PatchFacts:
    index: int
    message_id: str
    subject: str
    patch_id: str | None


@dataclass(frozen=True)
class VersionFacts:
    """One posting of one version of a series, with what the reviews said."""

    key: str  # the head: cover letter, else the first patch posted
    thread_id: str
    title: str
    version: int
    resend: bool
    total: int
    cover_id: str | None
    author_name: str
    author_email: str
    date: int
    last_activity: int
    patches: tuple[PatchFacts, ...]
    review: SeriesReview
    change_ids: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    to_me: bool = False
    applied: bool = False
    my_replies: int = 0
    my_trailer: bool = False
    author_answered_me: bool = False
    other_replies: int = 0
    message_ids: frozenset[str] = field(default=frozenset())

    @property
    def art(self) -> tuple[int, int, int]:
        return self.review.art

    def link_keys(self) -> set[str]:
        """What another posting may share with this one to be in its chain for sure."""
        keys = {f"title:{who}:{_norm(self.title)}" for who in self._authors()}
        keys.update(f"change:{c}" for c in self.change_ids)
        return keys

    def _authors(self) -> set[str]:
        """The author by address and by name: people post from two addresses
        (john@groves.net and john@jagalactic.com on the nvdimm archive)."""
        name = _norm(self.author_name)
        return {self.author_email.lower()} | ({f"name:{name}"} if " " in name else set())

    def weak_keys(self) -> set[str]:
        """Patch titles (same author): a renamed cover keeps most of them, but
        two different series of one author may share one too; links from a
        cover to an earlier posting (see link_chains)."""
        keys = {f"title:{who}:{_norm(parse_subject(p.subject).title)}"
                for p in self.patches for who in self._authors()}
        keys.update(f"msg:{m}" for m in self.message_ids)
        keys.update(f"msg:{m}" for m in self.links)
        return keys


@dataclass(frozen=True)
class Chain:
    """Every known posting of one series, oldest version first."""

    versions: tuple[VersionFacts, ...]

    @property
    def key(self) -> str:
        return self.versions[0].key

    @property
    def newest(self) -> VersionFacts:
        return max(self.versions, key=lambda v: (v.version, v.date))

    @property
    def last_activity(self) -> int:
        return max(v.last_activity for v in self.versions)

    def previous(self, version: VersionFacts) -> VersionFacts | None:
        """The posting before ``version``: the newest one of a lower version,
        passing over postings of which only the cover letter reached the
        database (nothing to compare with) when an older one has patches."""
        older = sorted((v for v in self.versions if v.version < version.version),
                       key=lambda v: (v.version, v.date))
        with_patches = [v for v in older if v.patches]
        return (with_patches or older or [None])[-1]

    def find(self, version: int) -> VersionFacts | None:
        found = [v for v in self.versions if v.version == version]
        return max(found, key=lambda v: v.date) if found else None


def _norm(title: str) -> str:
    return " ".join(title.lower().split())


# -- reading one thread --------------------------------------------------------

def thread_versions(store: Store, thread_id: str, identity: Identity | None = None,
                    nodes: Sequence[MessageNode] | None = None,
                    read: Callable[[MessageNode], SeriesMessage | None] = message_from_node,
                    patch_ids: bool = True) -> list[VersionFacts]:
    """Every version of a series posted in this thread, with its facts (reads
    its files). ``patch_ids=False`` leaves PatchFacts.patch_id None (not
    computed: a caller that compares versions computes the ones it needs)."""
    nodes = list(nodes) if nodes is not None else store.thread_messages(thread_id)
    if not holds_series(nodes):
        return []
    identity = identity or store.identity
    messages: list[SeriesMessage] = []
    tags_of: dict[str, frozenset[str]] = {}
    for node in nodes:
        if "draft" in node.tags:
            continue  # an unsent reply of mine has said nothing yet
        message = read(node)
        if message is not None:
            messages.append(message)
            tags_of[message.message_id] = node.tags
    to_me = _addressed_to(store, thread_id, identity) if identity.primary_email else set()
    return [_version_facts(thread_id, collect(s, messages), messages, tags_of, identity, to_me, patch_ids)
            for s in assemble(messages)]


def posting_versions(store: Store, thread_id: str, identity: Identity | None = None,
                     read: Callable[[MessageNode], SeriesMessage | None] = message_from_node,
                     ) -> list[VersionFacts]:
    """The versions posted in this thread as :func:`thread_versions` finds
    them, from the postings alone: the messages whose subject is no reply
    (each with its In-Reply-To read from its header block), not the replies
    around them. Enough to link a chain and compare its versions (patches,
    titles, links); the review facts (trailers, status) and the patch-ids
    are left out, so these never go into the series index."""
    from dataclasses import replace

    from kreview.core.store import in_reply_to_of

    postings = [mid for mid, subject in store.subjects(f"thread:{thread_id}")
                if not parse_subject(subject).is_reply and '"' not in mid]
    found = store.messages(" or ".join(f'id:"{m}"' for m in postings)) if postings else []
    nodes = [replace(n, parent_id=in_reply_to_of(n.path) or None) for n in found]
    return thread_versions(store, thread_id, identity, nodes=nodes, read=read, patch_ids=False)


def _addressed_to(store: Store, thread_id: str, identity: Identity) -> set[str]:
    """Messages of the thread with me in To or Cc (notmuch's ``to:`` covers both)."""
    mine = " or ".join(f'to:"{e}"' for e in (identity.primary_email, *identity.other_emails) if e)
    return {n.message_id for n in store.messages(f"thread:{thread_id} and ({mine})")}


def _version_facts(thread_id: str, review: SeriesReview, messages: list[SeriesMessage],
                   tags_of: dict[str, frozenset[str]], identity: Identity,
                   to_me: set[str], patch_ids: bool = True) -> VersionFacts:
    series = review.series
    by_id = {m.message_id: m for m in messages}
    own_ids = {mid for p in series.patches for mid in p.all_ids}
    if series.cover_id:
        own_ids.add(series.cover_id)
    head = by_id[series.key]
    patches = tuple(PatchFacts(p.index, p.message_id, p.subject,
                               patch_id(by_id[p.message_id].body_text) if patch_ids else None)
                    for p in series.patches if not p.missing)
    head_text = head.body_text
    change_ids = {a or b for a, b in _CHANGE_ID.findall(head_text)}
    for p in patches:
        change_ids.update(a or b for a, b in _CHANGE_ID.findall(by_id[p.message_id].body_text))
    links = tuple(dict.fromkeys(
        unquote(m).strip(">") for line in (head_text.split("\n") if series.cover_id else ())
        if _PREVIOUS_LINE.search(line.split("http", 1)[0]) for m in _LINK.findall(line)
        if unquote(m) not in own_ids))
    author = head.from_email.lower()
    replies = [m for m in messages if m.message_id not in own_ids and _answers(m, by_id, own_ids)]
    mine = [m for m in replies if identity.is_me(m.from_email)]
    trailer_ids = {t.message_id for p in review.patches for t in p.trailers
                   if t.kind in COUNTED and not t.suspect and t.origin != "patch"}
    last_mine = max((m.date for m in mine), default=None)
    answered = last_mine is not None and any(
        m.from_email.lower() == author and m.date >= last_mine and _below_mine(m, by_id, identity)
        for m in replies)
    applied = any(APPLIED_TAG in tags_of.get(mid, ()) for mid in own_ids) or any(
        m.from_email.lower() != author and _says_applied(m.body_text) for m in replies)
    return VersionFacts(
        key=series.key, thread_id=thread_id, title=series.title, version=series.version,
        resend=any(parse_subject(by_id[mid].subject).is_resend for mid in own_ids if mid in by_id),
        total=series.total, cover_id=series.cover_id,
        author_name=head.from_name or parse_address(head.from_email)[0], author_email=author,
        date=head.date, last_activity=max([head.date] + [m.date for m in replies]),
        patches=patches, review=review, change_ids=tuple(sorted(change_ids)), links=links,
        to_me=bool(to_me & own_ids) and not identity.is_me(author),
        applied=applied, my_replies=len(mine),
        my_trailer=any(m.message_id in trailer_ids for m in mine),
        author_answered_me=answered,
        other_replies=sum(1 for m in replies if m.from_email.lower() != author),
        message_ids=frozenset(own_ids),
    )


def _answers(msg: SeriesMessage, by_id: dict[str, SeriesMessage], own_ids: set[str]) -> bool:
    """Whether ``msg`` is in the reply tree under one of ``own_ids``."""
    seen: set[str] = set()
    parent = msg.parent_id
    while parent and parent not in seen:
        if parent in own_ids:
            return True
        seen.add(parent)
        node = by_id.get(parent)
        parent = node.parent_id if node is not None else None
    return False


def _below_mine(msg: SeriesMessage, by_id: dict[str, SeriesMessage], identity: Identity) -> bool:
    """Whether a message of mine is among ``msg``'s ancestors: an answer to my review."""
    seen: set[str] = set()
    parent = msg.parent_id
    while parent and parent not in seen:
        seen.add(parent)
        node = by_id.get(parent)
        if node is None:
            return False
        if identity.is_me(node.from_email):
            return True
        parent = node.parent_id
    return False


def _says_applied(body: str) -> bool:
    text = own_text(body)
    return any(_APPLIED.search(line) for line in text.split("\n") if not line.lstrip().startswith(">"))


# -- linking ----------------------------------------------------------------

def link_chains(versions: Iterable[VersionFacts]) -> list[Chain]:
    """Group postings into chains by the rules in the module docstring.

    Sure links (cover title and author, change-id, a link to the other
    posting) join first. A shared patch title then joins two groups only
    when they could be one series: no two different b4 change-ids, and no
    version number posted in both (that would be two v1s of two series;
    a resend of one version is joined by its cover title already)."""
    items = list({v.key: v for v in versions}.values())
    parent = list(range(len(items)))
    change_ids = [set(v.change_ids) for v in items]
    numbers = [{v.version} for v in items]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int, careful: bool) -> None:
        a, b = find(i), find(j)
        if a == b:
            return
        if careful and ((change_ids[a] and change_ids[b] and not change_ids[a] & change_ids[b])
                        or numbers[a] & numbers[b]):
            return
        parent[a] = b
        change_ids[b] |= change_ids[a]
        numbers[b] |= numbers[a]

    for careful, keys_of in ((False, VersionFacts.link_keys), (True, VersionFacts.weak_keys)):
        seen: dict[str, int] = {}
        for i, v in enumerate(items):
            for k in sorted(keys_of(v)):
                if k in seen:
                    join(i, seen[k], careful)
                else:
                    seen[k] = i
    groups: dict[int, list[VersionFacts]] = {}
    for i, v in enumerate(items):
        groups.setdefault(find(i), []).append(v)
    chains = []
    for members in groups.values():
        ordered = sorted(members, key=lambda v: (v.version, v.date))
        chains.append(Chain(tuple(_mark_resends(ordered))))
    return chains


def _mark_resends(ordered: list[VersionFacts]) -> list[VersionFacts]:
    """A second posting of a version number is a resend of it, said or not."""
    from dataclasses import replace

    out, seen = [], set()
    for v in ordered:
        out.append(replace(v, resend=True) if v.version in seen and not v.resend else v)
        seen.add(v.version)
    return out


# -- from one thread outwards ---------------------------------------------------

_WORDS = re.compile(r"\w+")


def candidate_query(version: VersionFacts) -> str:
    """A notmuch query for messages that may belong to other versions of ``version``.

    Only the index answers it: subject phrases of the titles, the change-ids
    as phrases in the body, the linked messages by id."""
    parts = []
    titles = dict.fromkeys([version.title] + [parse_subject(p.subject).title for p in version.patches])
    for title in list(titles)[:12]:
        words = _WORDS.findall(title)
        if words:
            parts.append('subject:"' + " ".join(words) + '"')
    parts += ['"' + " ".join(_WORDS.findall(c)) + '"' for c in version.change_ids]
    parts += [f'id:"{m}"' for m in version.links if '"' not in m]
    return " or ".join(f"({p})" for p in parts) or f"thread:{version.thread_id}"


def chain_of_thread(store: Store, thread_id: str, identity: Identity | None = None,
                    cache: dict[str, list[VersionFacts]] | None = None,
                    limit_threads: int = 64, indexed_chains: bool = False,
                    read: Callable[[MessageNode], SeriesMessage | None] = message_from_node,
                    postings_only: bool = False) -> list[Chain]:
    """The chains of the series posted in ``thread_id``, found with queries.

    Grows the set of threads until no new candidate appears (a v3 that
    kept v2's change-id but took a new title still finds v1 through v2).
    ``cache`` maps thread ids to their facts (shared across calls).

    ``indexed_chains``: when every posting of the thread already has its
    chain in the series index (kreview.chain), the chain's threads are
    those the index names, and nothing is searched: a reply or a tag
    changes no link, only a new posting does (the index refresh's case)."""
    cache = cache if cache is not None else {}
    identity = identity or store.identity

    def facts(tid: str) -> list[VersionFacts]:
        if tid not in cache:
            versions_of = posting_versions if postings_only else thread_versions
            cache[tid] = versions_of(store, tid, identity, read=read)
        return cache[tid]

    if indexed_chains:
        known = _indexed_members(store, thread_id, {v.key for v in facts(thread_id)})
        if known is not None:
            found = [v for tid in known for v in facts(tid)]
            own = {v.key for v in facts(thread_id)}
            return [c for c in link_chains(found) if any(v.key in own for v in c.versions)]

    wanted = [thread_id]
    done: set[str] = set()
    queried: set[str] = set()
    while wanted and len(done) < limit_threads:
        tid = wanted.pop()
        if tid in done:
            continue
        done.add(tid)
        for v in facts(tid):
            if v.key in queried:
                continue
            queried.add(v.key)
            for node in store.messages(candidate_query(v), limit=2000):
                if node.thread_id in done or node.thread_id in wanted:
                    continue
                info = parse_subject(node.subject)
                if not info.is_patch or info.is_reply:
                    continue
                # cheap filter before reading the thread: same author, or a
                # change-id or link (which only the full facts can confirm)
                same_author = parse_address(node.author)[1].lower() == v.author_email
                if same_author or v.change_ids or v.links or node.message_id in v.links:
                    wanted.append(node.thread_id)
    found = [v for tid in done for v in facts(tid)]
    chains = link_chains(found)
    own = {v.key for v in facts(thread_id)}
    return [c for c in chains if any(v.key in own for v in c.versions)]


def _indexed_members(store: Store, thread_id: str, keys: set[str]) -> list[str] | None:
    """The threads of the indexed chains of ``keys`` (this thread's heads), or
    None when one of them is not in the index yet."""
    if not keys:
        return [thread_id]
    indexed = dict(store.property_values(f"thread:{thread_id} and property:kreview.head=1", "kreview.chain"))
    if not keys <= {k for k, chain in indexed.items() if chain}:
        return None
    chains = {indexed[k] for k in keys}
    query = " or ".join(f'property:"kreview.chain={c}"' for c in chains if '"' not in c)
    return list(dict.fromkeys([thread_id] + (store.thread_ids(query) if query else [])))


def patch_texts(store: Store, version: VersionFacts, bodies: dict[str, str] | None = None) -> list[PatchText]:
    """The patches of one posting with their bodies: from ``bodies``
    (Message-ID -> body text, kept while reading the chain) where there,
    else read from their files (one database open for all)."""
    bodies = bodies if bodies is not None else {}
    missing = [p.message_id for p in version.patches if p.message_id not in bodies and '"' not in p.message_id]
    if missing:
        for node in store.messages(" or ".join(f'id:"{m}"' for m in missing)):
            message = message_from_node(node)
            if message is not None:
                bodies.setdefault(node.message_id, message.body_text)
    return [PatchText(p.index, p.message_id, p.subject, bodies.get(p.message_id, ""), known_id=p.patch_id)
            for p in version.patches]

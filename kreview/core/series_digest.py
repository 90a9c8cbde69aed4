"""The series view's rows, kept in one file beside the series index.

Reading the index means one property lookup per version head: ~0.4 s of
CPU for the 9,400 heads of a 100,000-message mailbox, before one row can be
drawn. The digest is the same rows, already grouped into chains and sorted
newest activity first, one chain per line, in a file of the cache
directory. It is valid for exactly one value of the database's
``kreview.series-lastmod`` (the index's stamp: the properties change only
with it), written in its first line:

* a reader reads the stamp (one database open) and the file; the first
  screen needs the first few lines only (:func:`chain_of_line`), the rest
  are parsed after it is drawn (:meth:`Digest.rows`);
* :func:`kreview.core.series_index.refresh` writes the digest of the stamp
  it writes, from the digest of the stamp it started from and the heads it
  rewrote (a refresh after new mail costs the changed chains, not a new
  read of every head); a reader that finds no valid digest reads the
  properties and writes one.

A missing, broken or stale file only costs the slow read: the properties in
the database stay the truth.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from kreview.core.series_index import ChainRow, VersionRow

FORMAT = "1"

# One version head as the digest keeps it: the chain it is in, its row, and
# the title and author of its own posting (the chain shows its newest one's).
Entry = tuple  # (chain key, VersionRow, title, author name, author email)


def digest_path(cache_dir: Path, config_path: object) -> Path:
    name = hashlib.sha1(str(config_path or "default").encode()).hexdigest()[:16]
    return Path(cache_dir) / f"series-rows-{name}.jsonl"


def _version_list(row: VersionRow, title: str, name: str, email: str) -> list:
    a, r, t = row.art
    return [row.head_id, row.version, row.resend, row.thread_id, row.is_cover, row.total, row.date,
            a, r, t, row.status, row.last_activity, row.subject, row.author, title, name, email]


def _entry(key: str, item: list) -> Entry:
    from kreview.core.series_index import VersionRow

    (head_id, version, resend, thread_id, is_cover, total, date, a, r, t, status, last, subject, author,
     title, name, email) = item
    row = VersionRow(version=version, resend=resend, thread_id=thread_id, head_id=head_id, is_cover=is_cover,
                     total=total, date=date, art=(a, r, t), status=status, last_activity=last,
                     subject=subject, author=author)
    return key, row, title, name, email


def group(entries: Iterable[Entry]) -> list[ChainRow]:
    """Chains of the given heads, each shown by its newest version, newest
    activity first (ties by key, so every reader orders them alike)."""
    chains: dict[str, list[tuple]] = {}
    for key, row, title, name, email in entries:
        chains.setdefault(key, []).append((row, title, name, email))
    rows = []
    for key, versions in chains.items():
        versions.sort(key=lambda v: (v[0].version, v[0].date))
        _newest, title, name, email = versions[-1]
        rows.append(_chain_row(key, title, name, email, [v[0] for v in versions]))
    rows.sort(key=lambda r: (r.last_activity, r.key), reverse=True)
    return rows


def chain_of_line(line: str) -> ChainRow:
    return _chain(json.loads(line))


def _chain(parsed: list) -> ChainRow:
    key, title, name, email, versions = parsed
    return _chain_row(key, title, name, email, [_entry(key, item)[1] for item in versions])


def _chain_row(key: str, title: str, name: str, email: str, versions: list[VersionRow]) -> ChainRow:
    """A chain shown by its newest version (the last of ``versions``)."""
    from kreview.core.series_index import ChainRow

    return ChainRow(key=key, title=title, author_name=name or email, author_email=email,
                    status=versions[-1].status, last_activity=max(v.last_activity for v in versions),
                    versions=tuple(versions))


@dataclass
class Digest:
    """A digest file read for one stamp: its lines parsed on demand."""

    stamp: str
    lines: list[str]

    def rows(self) -> list[ChainRow]:
        if not self.lines:
            return []
        return [_chain(parsed) for parsed in json.loads("[" + ",".join(self.lines) + "]")]

    def entries(self) -> dict[str, Entry]:
        """head Message-ID -> Entry, for a refresh to update."""
        out: dict[str, Entry] = {}
        for line in self.lines:
            key, _title, _name, _email, versions = json.loads(line)
            for item in versions:
                out[item[0]] = _entry(key, item)
        return out


def first_chains(path: Path, stamp: str, count: int, wanted=None) -> list[ChainRow] | None:
    """The first ``count`` chains of the digest at ``path`` (those whose key
    is in ``wanted``, if given), reading no more of the file than that: the
    first screen of a 2 MB digest. None when the file is not the digest of
    ``stamp`` (its end is checked by :func:`read`, which comes next)."""
    if not stamp:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            if header.get("format") != FORMAT or header.get("stamp") != stamp:
                return None
            out = []
            while len(out) < count:
                line = fh.readline()
                if not line:
                    break
                row = chain_of_line(line)
                if wanted is None or row.key in wanted:
                    out.append(row)
            return out
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def read(path: Path, stamp: str) -> Digest | None:
    """The digest at ``path`` if it was written for ``stamp``, else None."""
    if not stamp:
        return None
    try:
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n")
        header = json.loads(head)
        if header.get("format") != FORMAT or header.get("stamp") != stamp:
            return None
        lines = body.split("\n") if body else []
        if len(lines) != header.get("chains"):
            return None  # cut short (a full disk): not trusted
        return Digest(stamp, lines)
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def write(path: Path, stamp: str, entries: Iterable[Entry]) -> list[ChainRow]:
    """Write the digest of ``entries`` for ``stamp`` (atomically: a reader
    sees the old file or the new one); returns the rows. A file that cannot
    be written is left out: the rows are right anyway."""
    entries = list(entries)
    rows = group(entries)
    if not stamp:
        return rows
    own = {(key, row.head_id): (title, name, email) for key, row, title, name, email in entries}
    lines = []
    for chain in rows:
        versions = [_version_list(v, *own[(chain.key, v.head_id)]) for v in chain.versions]
        lines.append(json.dumps([chain.key, chain.title, chain.author_name, chain.author_email, versions],
                                ensure_ascii=False, separators=(",", ":")))
    header = json.dumps({"format": FORMAT, "stamp": stamp, "chains": len(lines)})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(header + "\n" + "\n".join(lines), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return rows

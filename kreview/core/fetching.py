"""Mail from a public-inbox archive into the user's notmuch database, without duplicates.

Messages whose Message-ID the database already knows are left alone. The
others are written into one Maildir folder (``lore/`` under the notmuch root
by default) and indexed with the ``lore`` tag plus the user's new-mail tags.

Interrupted at any point, a fetch leaves nothing half-done that matters:

* a message is written to ``tmp/``, fsynced, then renamed into ``new/``: a
  file in ``new/`` or ``cur/`` is always whole;
* its file name is made from its Message-ID, so a rerun finds a file it wrote
  before being killed (written but not yet indexed) and indexes that file
  instead of writing a second copy;
* indexing runs in ``db.atomic()`` batches: a kill rolls back the batch, and
  the rerun indexes those files again;
* ``tmp/`` leftovers of a writer that no longer runs are removed on the next run.

So rerunning the same fetch completes it, and a second complete run adds nothing.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kreview.core.archive import ArchiveClient, ArchiveResult, FetchCancelled, NotInArchive, bare_id
from kreview.core.durable import fsync_dir

ARCHIVE_TAG = "lore"
DEFAULT_FOLDER = "lore"
NAME_PREFIX = "kreview-lore-"
BATCH = 100  # messages per notmuch transaction: a kill loses at most this much indexing work


@dataclass(frozen=True)
class FetchReport:
    """What one fetch did (the CLI's --json is made from it)."""

    server: str
    request: str  # what was asked: "thread <id>" or "search <query>"
    received: int  # messages the server sent
    added: tuple[str, ...] = ()  # Message-IDs written and indexed now (or that would be, in a dry run)
    skipped: tuple[str, ...] = ()  # Message-IDs already in the database
    without_id: int = 0  # messages with no Message-ID header: not delivered
    folder: str = ""
    dry_run: bool = False
    thread_ids: tuple[str, ...] = ()  # notmuch threads now holding the added messages

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        text = (f"{verb} {len(self.added)} message{'s' if len(self.added) != 1 else ''}, "
                f"{len(self.skipped)} already here")
        if self.without_id:
            text += f", {self.without_id} without Message-ID left out"
        return text

    def as_json(self) -> dict:
        return {
            "server": self.server,
            "request": self.request,
            "received": self.received,
            "dry_run": self.dry_run,
            "folder": self.folder,
            "added": list(self.added),
            "skipped": list(self.skipped),
            "without_message_id": self.without_id,
            "threads": list(self.thread_ids),
        }


@dataclass
class Progress:
    """Where progress and cancellation come from (the TUI's worker; the CLI's stderr)."""

    say: Callable[[str], None] | None = None
    cancelled: Callable[[], bool] | None = None

    def __call__(self, text: str) -> None:
        if self.say is not None:
            self.say(text)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise FetchCancelled("cancelled")


@dataclass
class Delivery:
    """Where and how fetched mail lands: passed in from the config."""

    folder: str = DEFAULT_FOLDER
    tags: tuple[str, ...] = (ARCHIVE_TAG,)
    dry_run: bool = False
    progress: Progress = field(default_factory=Progress)


def delivery_tags(new_tags: Iterable[str]) -> tuple[str, ...]:
    """``lore`` plus the user's new-mail tags (notmuch config's [new] tags)."""
    return tuple(dict.fromkeys((ARCHIVE_TAG, *new_tags)))


# -- reading what the archive sent ---------------------------------------------

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
_ANGLE = re.compile(rb"<([^<>\s]+)>")


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID notmuch will file ``raw`` under (without <>), from the header block."""
    end = _HEADER_END.search(raw)
    head = raw if end is None else raw[:end.start()]
    match = _MESSAGE_ID.search(head)
    if not match:
        return None
    value = match.group(1)
    found = _ANGLE.search(value)
    text = (found.group(1) if found else value.strip()).decode("utf-8", "replace").strip()
    return text or None


def file_stem(message_id: str) -> str:
    """The file name a message always gets: a rerun finds what an earlier run wrote."""
    return NAME_PREFIX + hashlib.sha256(message_id.encode("utf-8", "surrogateescape")).hexdigest()[:40]


# -- delivering ------------------------------------------------------------------

def deliver(store, result: ArchiveResult, request: str, how: Delivery) -> FetchReport:
    """Put the messages of ``result`` that the database lacks into ``how.folder`` and index them."""
    wanted: dict[str, bytes] = {}
    without_id = 0
    for raw in result.messages:
        message_id = message_id_of(raw)
        if message_id is None:
            without_id += 1
            continue
        wanted.setdefault(message_id, raw)  # an archive can hold a message twice
    known = store.known_message_ids(wanted)
    skipped = tuple(m for m in wanted if m in known)
    new = [(m, raw) for m, raw in wanted.items() if m not in known]
    report = FetchReport(server=result.server, request=request, received=len(result.messages),
                         skipped=skipped, without_id=without_id, folder=how.folder, dry_run=how.dry_run)
    if how.dry_run or not new:
        return _with(report, added=tuple(m for m, _ in new))
    folder = maildir_folder(Path(store.mail_root), how.folder)
    remove_stale_tmp(folder)
    earlier = files_by_stem(folder)  # what an interrupted run already wrote
    # Every new file to tmp/ first and onto the disk in one go (one syncfs),
    # then into new/ and the index a batch at a time.
    tmp_of: dict[str, Path] = {}
    for count, (message_id, raw) in enumerate(new):
        if count % BATCH == 0:
            how.progress.check()
        if file_stem(message_id) not in earlier:
            tmp_of[message_id] = write_tmp(folder, message_id, raw)
    make_durable(next(iter(tmp_of.values()), None))
    added: list[str] = []
    for first in range(0, len(new), BATCH):
        how.progress.check()  # between batches: a batch is published and indexed whole
        batch = [message_id for message_id, _raw in new[first:first + BATCH]]
        files = [publish(folder, tmp_of[m], m) if m in tmp_of else earlier[file_stem(m)] for m in batch]
        if any(m in tmp_of for m in batch):
            fsync_dir(folder / "new")
        added += store.index_archive_files(files, how.tags)
        how.progress(f"delivered {first + len(batch)}/{len(new)} messages")
    threads = tuple(store.thread_ids_of(added)) if added else ()
    return _with(report, added=tuple(added), thread_ids=threads)


def _with(report: FetchReport, **changes) -> FetchReport:
    from dataclasses import replace

    return replace(report, **changes)


def maildir_folder(root: Path, folder: str) -> Path:
    """``folder`` under the mail root, with cur/new/tmp made if missing."""
    parts = Path(folder).parts
    if not folder or Path(folder).is_absolute() or ".." in parts:
        raise ValueError(f"archive folder {folder!r} must be a relative path under the notmuch mail root")
    path = root / folder
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return path


def files_by_stem(folder: Path) -> dict[str, Path]:
    """Our whole files in new/ and cur/ by name stem (flags cut off), listed once."""
    found: dict[str, Path] = {}
    for sub in ("new", "cur"):
        for entry in os.scandir(folder / sub):
            if entry.name.startswith(NAME_PREFIX):
                found.setdefault(entry.name.split(":", 1)[0], Path(entry.path))
    return found


def write_tmp(folder: Path, message_id: str, raw: bytes) -> Path:
    """``raw`` in ``folder``/tmp under a name only this process uses."""
    tmp = folder / "tmp" / f"{file_stem(message_id)}.P{os.getpid()}"
    with open(tmp, "wb") as handle:
        handle.write(raw)
    return tmp


def publish(folder: Path, tmp: Path, message_id: str) -> Path:
    """Move a durable tmp/ file into new/: from here on it is whole."""
    final = folder / "new" / file_stem(message_id)
    os.rename(tmp, final)
    return final


def make_durable(any_file) -> None:
    """Get the batch's tmp/ files onto the disk before they are renamed into new/.

    One syncfs(2) for the batch: an fsync per file costs milliseconds each,
    most of a long thread's fetch; syncfs writes the same data in one go.
    Where syncfs is missing, the files are fsynced one by one."""
    if not any_file:
        return
    fd = os.open(any_file, os.O_RDONLY)
    try:
        if _syncfs is not None and _syncfs(fd) == 0:
            return
        for path in Path(any_file).parent.iterdir():
            if path.name.endswith(f".P{os.getpid()}"):
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
    finally:
        os.close(fd)


def _load_syncfs():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()


def remove_stale_tmp(folder: Path) -> None:
    """Drop our ``tmp/`` files whose writer is gone (killed mid-write)."""
    for path in (folder / "tmp").glob(NAME_PREFIX + "*.P*"):
        try:
            pid = int(path.name.rsplit(".P", 1)[1])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- what a user asks for -----------------------------------------------------------

def fetch_thread(store, client: ArchiveClient, message_ids: Sequence[str], how: Delivery) -> FetchReport:
    """The thread holding any of ``message_ids`` (tried in order until the
    archive has one: a placeholder's id may be all a thread shares with it)."""
    last: NotInArchive | None = None
    for message_id in message_ids:
        try:
            result = client.thread(message_id)
        except NotInArchive as exc:
            last = exc
            continue
        return deliver(store, result, f"thread <{bare_id(message_id)}>", how)
    raise last or NotInArchive("no Message-ID to ask for")


def fetch_search(store, client: ArchiveClient, query: str, how: Delivery, *, threads: bool = True) -> FetchReport:
    """The messages matching ``query`` on the server (with their whole threads by default)."""
    result = client.search(query, threads=threads)
    return deliver(store, result, f"search {query}", how)


_LOOKS_LIKE_ID = re.compile(r"^(?:id:)?<?[^\s<>@]+@[^\s<>@]+>?$")


def looks_like_message_id(text: str) -> bool:
    """``a@b``, ``<a@b>`` or ``id:a@b``: a Message-ID; anything else is a search query
    (a query with '@' in it has a prefix like ``f:`` or a space)."""
    stripped = text.strip()
    return bool(_LOOKS_LIKE_ID.match(stripped)) and not re.match(r"^[a-z]+:[^<]", stripped.removeprefix("id:"))


def thread_fill_ids(nodes) -> list[str]:
    """Which Message-IDs to ask the archive for to complete a thread: a message
    we have (the archive threads by References, so any one is enough), then
    the placeholders (when the archive lacks the first, it may have those)."""
    present = [n.message_id for n in nodes if not n.missing]
    missing = [n.message_id for n in nodes if n.missing]
    return (present[:1] + missing)[:4]


def newer_versions_query(title: str, author_email: str, since_epoch: int) -> str:
    """A public-inbox search for later postings of a series: the same title
    from the same author, on or after the day this version was posted."""
    import time

    words = re.sub(r'["\\]', " ", title).strip()
    day = time.strftime("%Y%m%d", time.gmtime(since_epoch)) if since_epoch else ""
    query = f's:"{words}"'
    if author_email:
        query += f" AND f:{author_email}"
    if day:
        query += f" AND d:{day}.."
    return query

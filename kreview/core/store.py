"""The one gateway to notmuch.

Every read opens the database read-only for the duration of one operation and
copies what it needs into the frozen records of :mod:`kreview.core.model`; no
notmuch object leaves this module. Every write (tags, indexing a draft) goes
through :meth:`Store._writable`, which retries while another writer (usually
``notmuch new``) holds the Xapian lock and wraps the change in ``db.atomic()``.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import notmuch2

from kreview.core.model import Identity, MessageNode, TagChange, ThreadSummary
from kreview.core.notmuch_config import GUESSED_KEYS, SETTING_KEYS, NotmuchSettings, settings_from
from kreview.core.queries import narrowed
from kreview.core.rwlock import ReadWriteLock

if TYPE_CHECKING:
    # Loaded on the first write (or the reader's warm-up): start-up only
    # checks that no intent directory is there, and the log's imports
    # (json, secrets, hashlib) cost the first screen a few ms.
    from kreview.core.intents import Intent, IntentLog

INTENTS_DIR = "kreview-intents"
# One for the process, whatever Store or thread reads or writes (see kreview.core.rwlock).
DATABASE_ACCESS = ReadWriteLock()
# The tags libnotmuch's flag sync maps to Maildir flags (D, F, P, R, and S for
# "not unread"): only a change to one of them renames files.
FLAG_TAGS = frozenset({"draft", "flagged", "passed", "replied", "unread"})


class StoreError(Exception):
    """Something about the database that a person needs to be told, in words."""


class DatabaseMissing(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


class BadQuery(StoreError):
    pass


@dataclass(frozen=True)
class LockRetry:
    """How long a write waits for another writer before giving up."""

    attempts: int = 20
    delay: float = 0.25  # seconds between attempts; 20 x 0.25 s covers a typical `notmuch new`


# A big thread can be shown in two steps (thread_messages' on_first): libnotmuch
# builds the whole thread before its first message can be asked for (~27 ms
# for 1,000 messages), then each message is ~30 us of Python (headers, tags,
# file, In-Reply-To). The first step is the nodes up to the message the
# thread opens on and ROWS_AFTER more, at least FIRST_NODES (the tallest tree
# pane); the rest follows ~30 ms later on the 1,000-message thread. Below
# TWO_STEPS_FROM messages the whole thread is read in ~10 ms: one step.
FIRST_NODES = 150
ROWS_AFTER = 100
TWO_STEPS_FROM = 400


def _text(value) -> str:
    """notmuch hands back BinStrings; headers may hold invalid UTF-8."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _tags(obj) -> frozenset[str]:
    return frozenset(str(tag) for tag in obj.tags)


def _header(msg, name: str) -> str:
    try:
        return _text(msg.header(name))
    except (LookupError, notmuch2.NotmuchError):
        return ""


def _root_subject(thread) -> str:
    """The subject of the thread's first message: notmuch's own thread subject
    follows the sort order, so newest-first would name a thread after its
    latest "Re:" instead of the patch or cover letter that started it."""
    for msg in thread.toplevel():
        subject = _header(msg, "subject")
        if subject:
            return subject
        break
    return _text(thread.subject)


_IN_REPLY_TO = re.compile(rb"^in-reply-to:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
_MSGID = re.compile(rb"<([^<>\s]+)>")


def in_reply_to_of(path: str) -> str:
    """The first Message-ID in a file's In-Reply-To, reading only its header block.

    (os.read on a descriptor: a thread of 1,000 messages reads 1,000 files,
    and a buffered file object per file was 40 % of the time.)"""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        head = os.read(fd, 65536)
    except OSError:  # a directory, a file gone bad
        return ""
    finally:
        os.close(fd)
    end = head.find(b"\n\n")
    if end < 0:
        end = head.find(b"\r\n\r\n")
    match = _IN_REPLY_TO.search(head if end < 0 else head[:end])
    if not match:
        return ""
    found = _MSGID.search(match.group(1))
    return found.group(1).decode("utf-8", "replace") if found else ""


def _node(msg, message_id: str, thread_id: str, parent_id: str | None, matched: bool = True) -> MessageNode:
    """A notmuch message copied into a flat MessageNode (depth 0)."""
    return MessageNode(
        message_id=message_id,
        thread_id=thread_id,
        parent_id=parent_id,
        depth=0,
        author=_header(msg, "from"),
        subject=_header(msg, "subject"),
        date=int(msg.date),
        tags=_tags(msg),
        path=os.fsdecode(msg.pathb),
        matched=matched,
    )


class WalkPause:
    """Lets the reader of a big thread's first step hold the walk of the rest
    while the screen paints it: both want the interpreter, and beside the
    walk the first layout of the thread screen took twice as long. Held at
    most HOLD_LIMIT seconds (the walk holds the database's read lock)."""

    HOLD_LIMIT = 0.25

    def __init__(self) -> None:
        self._until: threading.Event | None = None

    def hold(self) -> Callable[[], None]:
        """Hold the walk; call what this returns to let it go on."""
        until = threading.Event()
        self._until = until
        return until.set

    def wait_if_held(self) -> None:
        until = self._until
        if until is not None:
            until.wait(self.HOLD_LIMIT)
            self._until = None


@dataclass(frozen=True)
class FirstNodes:
    """The first nodes of a big thread in display order (thread_messages'
    on_first), the message the thread opens on among them (as
    threads.first_interesting would choose it from the whole thread), and
    the depths of the replies still to come after them, in display order
    (for the tree's guide lines: whether a node shown has a later sibling).
    Their In-Reply-To gaps are not known yet: no placeholder."""

    nodes: list[MessageNode]
    opens_on: str
    later_depths: tuple[int, ...]
    pause: WalkPause  # the walk of the rest, which a reader may hold while it shows these


class _ThreadWalk:
    """Flattens notmuch's reply tree depth-first, inserting placeholders for
    parents that are not in the database.

    One pass over notmuch collects each message with the parent notmuch gave
    it and the parent its In-Reply-To names; a second pass, in Python, adds
    the placeholders once every id in the thread is known (so notmuch is
    walked once, not once for the ids and again for the tree)."""

    def __init__(self, thread_id: str, matched: Callable[[object, str], bool],
                 on_first: Callable[[FirstNodes], None] | None = None, unread_in_thread: bool = True) -> None:
        self.thread_id = thread_id
        self.matched = matched  # (notmuch message, its id) -> did the query match it
        # (node's fields as MessageNode takes them, In-Reply-To): the node is
        # built once its parent and depth are known (dataclasses.replace on
        # each was ~10 ms of a 1,000-message thread).
        self._found: list[tuple[dict, str]] = []
        self._on_first = on_first  # given the FirstNodes once the thread's opening is among them
        # The message the thread opens on (threads.first_interesting): the
        # first unread match, or, in a thread with nothing unread, the first
        # match. Where some message is unread but none matched is, only the
        # whole thread can tell: no first step then.
        self._opens_on: int | None = None
        self._unread_in_thread = unread_in_thread
        self._pause: WalkPause | None = None  # once the first step is given

    def add(self, msg, parent_id: str | None) -> None:
        stack = [(msg, parent_id, 0)]
        while stack:
            if self._pause is not None:
                self._pause.wait_if_held()
            current, parent, depth = stack.pop()
            message_id = _text(current.messageid)
            path = os.fsdecode(current.pathb)
            fields = dict(message_id=message_id, thread_id=self.thread_id, parent_id=parent,
                          author=_header(current, "from"), subject=_header(current, "subject"),
                          date=int(current.date), tags=_tags(current), path=path,
                          matched=self.matched(current, message_id))
            self._found.append((fields, in_reply_to_of(path)))
            for reply in reversed(list(current.replies())):
                stack.append((reply, message_id, depth + 1))
            if self._on_first is not None:
                self._first_step(fields, stack)

    def _first_step(self, fields: dict, stack: list) -> None:
        """Give the first nodes once they hold the thread's opening and
        ROWS_AFTER more (FIRST_NODES at least)."""
        found = len(self._found)
        if self._opens_on is None and fields["matched"] and (
                not self._unread_in_thread or "unread" in fields["tags"]):
            self._opens_on = found - 1
        if self._opens_on is None or found < max(FIRST_NODES, self._opens_on + ROWS_AFTER):
            return
        on_first, self._on_first = self._on_first, None
        nodes = self.nodes(whole=False)
        self._pause = WalkPause()
        # The replies still to come, by depth, say which of the first nodes
        # have later siblings (the tree's guide lines).
        on_first(FirstNodes(nodes, nodes[self._opens_on].message_id, tuple(d for _, _, d in reversed(stack)),
                            self._pause))

    def nodes(self, whole: bool = True) -> list[MessageNode]:
        """The nodes found, in display order. Not ``whole``: the walk is not
        over, and a parent named by In-Reply-To that was not found yet may
        still come, so it gets no placeholder (the whole tree, read a moment
        later, has it if it is missing indeed)."""
        known = {fields["message_id"] for fields, _ in self._found}
        depth_of: dict[str, int] = {}
        placeholders: set[str] = set()
        out: list[MessageNode] = []
        for fields, wanted in self._found:
            parent = fields["parent_id"]
            level = depth_of[parent] + 1 if parent is not None else 0
            if wanted and wanted != parent and wanted not in known and whole:
                if wanted not in placeholders:
                    placeholders.add(wanted)
                    depth_of[wanted] = level
                    out.append(MessageNode(
                        message_id=wanted, thread_id=self.thread_id, parent_id=parent, depth=level,
                        author="", subject="(message not available)", date=0, matched=False, missing=True))
                parent, level = wanted, depth_of[wanted] + 1
            depth_of[fields["message_id"]] = level
            fields["parent_id"], fields["depth"] = parent, level
            out.append(MessageNode(**fields))
        return out


@contextlib.contextmanager
def _all_or_nothing(db) -> Iterator[None]:
    """An atomic section that an exception cancels.

    notmuch2's ``db.atomic()`` ends the section even when the block raised,
    so the writes made before the error are kept and saved at close. Here
    an error leaves the section open, and closing the database then cancels
    it (libnotmuch cancels an open transaction on close)."""
    section = db.atomic()
    section.__enter__()
    yield
    section.__exit__(None, None, None)


def _count_of(items) -> str:
    return f"{len(items)} message{'s' if len(items) != 1 else ''}"


def _shows_intent(intent: Intent, message_id: str, tags: frozenset[str]) -> bool:
    if intent.restore:
        wanted = intent.restore.get(message_id)
        return wanted is not None and frozenset(wanted) == tags
    return set(intent.add) <= tags and not (set(intent.remove) & tags)


def _maildir_unique(name: str) -> str:
    """A Maildir file name without its info (":2,FS"): what stays across flag renames."""
    return name.split(":2,", 1)[0]


def _put_back_renamed(msg, listings: dict[Path, dict[str, list[str]]]) -> int:
    """Rename back each file of ``msg`` that is missing under the name the
    database knows but present with other flags (renamed by a flag sync whose
    database change was never saved). Returns how many were put back."""
    count = 0
    for known in msg.filenames():
        known = Path(known)
        if known.exists():
            continue
        unique = _maildir_unique(known.name)
        folders = [known.parent]
        if known.parent.name == "new":  # flag sync also moves new/ to cur/
            folders.append(known.parent.parent / "cur")
        for folder in folders:
            if folder not in listings:
                by_unique: dict[str, list[str]] = {}
                try:
                    for name in os.listdir(folder):
                        by_unique.setdefault(_maildir_unique(name), []).append(name)
                except OSError:
                    pass
                listings[folder] = by_unique
            found = next((folder / n for n in listings[folder].get(unique, ()) if (folder / n).exists()), None)
            if found is not None:
                os.rename(found, known)
                count += 1
                break
    return count


def _from(query: str, last: ThreadSummary | None, newest_first: bool) -> str:
    """``query`` started again after ``last``: only the threads at or past its
    date in the sort order can be still to give. Without the bound, a list
    read 1,000 threads deep built those 1,000 threads again to skip them
    (0.4 s on the archive); with it, only those that also have mail past
    the bound. (A thread given already shows up again with fewer messages
    matched; it is skipped.)"""
    if last is None:
        return query
    # Said as "not" the other side: notmuch's "date:..@X" leaves out mail
    # dated 0 (no usable Date:), which is still to give; an extra thread
    # matched the other way is one given already.
    bound = f"not date:@{last.newest_date + 1}.." if newest_first else f"not date:..@{last.oldest_date - 1}"
    return narrowed(query, bound) or query


class _Snapshot:
    """One open read-only database of :meth:`Store.iter_threads` and its query."""

    PAUSE = 0.5  # s: a caller back after this long may find the database changed by others

    def __init__(self, db, threads) -> None:
        self.db = db
        self.threads = threads
        self.writes = DATABASE_ACCESS.writes
        self.revision = int(db.revision().rev)
        self.given_at = time.monotonic()  # when the caller last got a thread

    def is_old(self, store: Store) -> bool:
        if DATABASE_ACCESS.writes != self.writes:
            return True
        if time.monotonic() - self.given_at < self.PAUSE:
            return False
        return store.revision()[0] != self.revision

    def next_summary(self, query: str, given: set[str]) -> ThreadSummary | None:
        """The next thread not given yet, or None at the end."""
        while True:
            try:
                thread = next(self.threads)
            except StopIteration:
                return None
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None
            thread_id = _text(thread.threadid)
            if thread_id in given:
                continue
            self.given_at = time.monotonic()
            return ThreadSummary(
                thread_id=thread_id,
                newest_date=int(thread.last),
                oldest_date=int(thread.first),
                authors=_text(thread.authors),
                subject=_root_subject(thread),
                matched=int(thread.matched),
                total=len(thread),
                tags=_tags(thread),
            )

    def close(self) -> None:
        self.db.close()


class Store:
    """Read and write one notmuch database.

    ``config_path`` is the notmuch config file to use (None: let libnotmuch
    search for it, exactly as the ``notmuch`` command would).
    """

    def __init__(
        self,
        config_path: Path | None,
        *,
        settings: NotmuchSettings | None = None,
        lock_retry: LockRetry = LockRetry(),
    ) -> None:
        self.config_path = config_path
        self._settings = settings  # read from the database on first use
        self.lock_retry = lock_retry
        self.is_demo = False  # set by the CLI when this is the embedded sample
        self.recovery_notes: list[str] = []  # what recover() repaired, for the reader to show
        self._lock_path: Path | None = None
        self._root: Path | None = None  # the mail root, once check() has seen it

    # -- opening ---------------------------------------------------------

    def _config_arg(self):
        return str(self.config_path) if self.config_path else notmuch2.Database.CONFIG.SEARCH

    @contextlib.contextmanager
    def _readable(self) -> Iterator[notmuch2.Database]:
        """The database read-only for one operation; a write of this process
        waits for it to end (see kreview.core.rwlock)."""
        with DATABASE_ACCESS.reading():
            db = self._open_read_only()
            try:
                yield db
            finally:
                db.close()

    def _open_read_only(self) -> notmuch2.Database:
        try:
            return notmuch2.Database(mode=notmuch2.Database.MODE.READ_ONLY, config=self._config_arg())
        except notmuch2.NotmuchError as exc:
            raise self._open_error(exc) from None

    def _lock_file(self) -> Path | None:
        """Xapian's lock file, found once from the database's own path."""
        if self._lock_path is None:
            root = self._root or self.check()  # the start checked it already: no second open
            # notmuch's own places: in the mail root, or (split layout) under XDG_DATA_HOME
            data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
            profile = os.environ.get("NOTMUCH_PROFILE") or "default"
            for candidate in (root / ".notmuch" / "xapian" / "flintlock", root / "xapian" / "flintlock",
                              data / "notmuch" / profile / "xapian" / "flintlock"):
                if candidate.exists():
                    self._lock_path = candidate
                    break
        return self._lock_path

    def _writer_active(self) -> bool:
        """Whether another process holds Xapian's write lock right now.

        libnotmuch opens for writing with Xapian's DB_RETRY_LOCK, i.e. it
        waits for as long as ``notmuch new`` runs. Probing the lock first
        lets us wait a bounded time and then say so, instead of freezing.
        """
        lock = self._lock_file()
        if lock is None:
            return False
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        else:
            fcntl.lockf(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def _writable(self) -> Iterator[notmuch2.Database]:
        """Open read-write once no other writer holds the lock, retrying a bounded time."""
        with contextlib.ExitStack() as held:
            for attempt in range(self.lock_retry.attempts):
                if not self._writer_active():
                    # This process's reads end first (kreview.core.rwlock);
                    # not while sleeping below, when they may go on.
                    held.enter_context(DATABASE_ACCESS.writing())
                    try:
                        db = notmuch2.Database(
                            mode=notmuch2.Database.MODE.READ_WRITE, config=self._config_arg()
                        )
                        break
                    except notmuch2.XapianError:
                        held.close()  # lost a race with another writer: wait like for a held lock
                    except notmuch2.NotmuchError as exc:
                        raise self._open_error(exc) from None
                time.sleep(self.lock_retry.delay)
            else:
                waited = self.lock_retry.attempts * self.lock_retry.delay
                raise DatabaseLocked(
                    "The notmuch database is locked by another writer (is `notmuch new` running?); "
                    f"gave up after {waited:.1f} s. Nothing was changed; try again when it has finished."
                )
            try:
                yield db
            finally:
                db.close()

    def _open_error(self, exc: Exception) -> StoreError:
        where = f" (config: {self.config_path})" if self.config_path else ""
        if isinstance(exc, (notmuch2.NoConfigError, notmuch2.NoDatabaseError, notmuch2.FileError)):
            return DatabaseMissing(f"No notmuch database could be opened{where}: {exc}")
        return StoreError(f"Could not open the notmuch database{where}: {exc}")

    def check(self) -> Path:
        """Open once to prove the database exists; returns its mail root."""
        with self._readable() as db:
            self._root = Path(_text(db.path))
        return self._root

    @property
    def settings(self) -> NotmuchSettings:
        """The user's notmuch settings (identity, flag sync, tags of new
        mail) as libnotmuch merges them: config file, settings stored in
        the database, its defaults. Read once, on first use."""
        if self._settings is None:
            self._settings = self._read_settings()
        return self._settings

    def _read_settings(self) -> NotmuchSettings:
        with self._readable() as db:
            config = db.config
            values = {}
            for key in SETTING_KEYS:
                try:
                    values[key] = config[key]
                except KeyError:
                    pass
            stored = set(config)  # the keys stored in the database itself
            root = Path(_text(db.path))
        unset = [key for key in GUESSED_KEYS if key not in stored]
        guesses: dict[str, str] = {}
        if unset:
            # What libnotmuch says with no config file is its guess.
            with DATABASE_ACCESS.reading():
                try:
                    bare = notmuch2.Database(root, mode=notmuch2.Database.MODE.READ_ONLY,
                                             config=notmuch2.Database.CONFIG.EMPTY)
                except notmuch2.NotmuchError as exc:
                    raise self._open_error(exc) from None
                try:
                    for key in unset:
                        try:
                            guesses[key] = bare.config[key]
                        except KeyError:
                            pass
                finally:
                    bare.close()
        return settings_from(values, guesses)

    @property
    def identity(self) -> Identity:
        return self.settings.identity

    @property
    def mail_root(self) -> Path:
        return self.check()

    # -- reading ---------------------------------------------------------

    def iter_threads(self, query: str, *, newest_first: bool = True) -> Iterator[ThreadSummary]:
        """Threads matching ``query``, lazily: the first rows cost what they cost,
        not what the whole result costs.

        The database stays open while the caller iterates (the list takes a
        page now and the next one when the reader scrolls), and its snapshot
        can go stale meanwhile: libnotmuch aborts the process when a
        snapshot two commits old is read. So each step is a read of its own
        (kreview.core.rwlock), and the query starts again, skipping the
        threads already given, when this process wrote since, or when the
        caller comes back after a pause and someone else (``notmuch new``)
        wrote meanwhile. The database closes when the generator is exhausted
        or closed."""
        sort = (
            notmuch2.Database.SORT.NEWEST_FIRST if newest_first else notmuch2.Database.SORT.OLDEST_FIRST
        )
        given: set[str] = set()
        last: ThreadSummary | None = None
        snapshot: _Snapshot | None = None
        try:
            while True:
                with DATABASE_ACCESS.reading():
                    if snapshot is not None and snapshot.is_old(self):
                        snapshot.close()
                        snapshot = None
                    if snapshot is None:
                        db = self._open_read_only()
                        try:
                            snapshot = _Snapshot(db, db.threads(_from(query, last, newest_first), sort=sort))
                        except notmuch2.NotmuchError as exc:
                            db.close()
                            raise BadQuery(f"Bad query {query!r}: {exc}") from None
                    summary = snapshot.next_summary(query, given)
                if summary is None:
                    return
                last = summary
                given.add(summary.thread_id)
                yield summary
        finally:
            if snapshot is not None:
                snapshot.close()

    def count_threads(self, query: str) -> int:
        return self._count(query, "count_threads")

    def count_messages(self, query: str) -> int:
        return self._count(query, "count_messages")

    def _count(self, query: str, how: str) -> int:
        with self._readable() as db:
            try:
                return getattr(db, how)(query)
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None

    def thread_messages(self, thread_id: str, query: str | None = None, *,
                        on_first: Callable[[FirstNodes], None] | None = None) -> list[MessageNode]:
        """The thread's messages in display order (depth first, replies by date).

        From, Subject, date, tags and file names come from the index. The one
        thing read from files is In-Reply-To (from the header block only):
        notmuch hangs a reply whose parent it never saw onto the nearest
        ancestor it has, and a reviewer should see that a message is missing
        there, so such gaps get a placeholder node.

        ``on_first``: for a thread of TWO_STEPS_FROM messages or more, called
        once (in this thread, while the rest is read) with its FirstNodes
        (see _ThreadWalk._first_step), enough for the tree's first screen,
        unless only the whole thread can tell which message it opens on. It
        must not use the database.
        """
        with self._readable() as db:
            threads, matched = self._thread_with_matches(db, thread_id, query)
            if not threads:
                return []
            thread = threads[0]
            if on_first is not None and len(thread) < TWO_STEPS_FROM:
                on_first = None  # read whole in a few milliseconds: one step
            walk = _ThreadWalk(thread_id, matched, on_first,
                               unread_in_thread=on_first is not None and "unread" in thread.tags)
            for msg in thread.toplevel():
                walk.add(msg, None)
        return walk.nodes()

    @staticmethod
    def _thread_with_matches(db, thread_id: str, query: str | None):
        """The thread, and how to tell which of its messages ``query`` matched.

        A thread found by ``thread:ID and (query)`` holds all its messages,
        those the query matched flagged (notmuch's MATCH flag, as `notmuch
        show` reports it); asking for the flag is free, where a second query
        for the matching ids walked the whole thread again."""
        def everything(_msg, _message_id):
            return True

        if not query or query.strip() in ("", "*"):
            return list(db.threads(f"thread:{thread_id}")), everything
        try:
            threads = list(db.threads(f"thread:{thread_id} and ({query})"))
        except notmuch2.NotmuchError:
            return list(db.threads(f"thread:{thread_id}")), everything  # a bad query hides nothing
        if not threads:  # nothing in it matches (any more): show it all, none matched
            return list(db.threads(f"thread:{thread_id}")), lambda _msg, _message_id: False
        from kreview.core import notmuch_compat  # not needed for the first screen

        match_flag = notmuch_compat.match_flag
        if match_flag(next(iter(threads[0].toplevel()))) is not None:
            return threads, lambda msg, _message_id: bool(match_flag(msg))
        ids = {_text(m.messageid) for m in db.messages(f"thread:{thread_id} and ({query})")}
        return threads, lambda _msg, message_id: message_id in ids

    def messages(self, query: str, *, limit: int | None = None) -> list[MessageNode]:
        """Messages matching ``query``, oldest first, as flat nodes (depth 0,
        parent unknown); for the CLI and for collectors that need files."""
        out: list[MessageNode] = []
        with self._readable() as db:
            try:
                found = db.messages(query, sort=notmuch2.Database.SORT.OLDEST_FIRST)
                for msg in found:
                    out.append(_node(msg, _text(msg.messageid), _text(msg.threadid), None))
                    if limit is not None and len(out) >= limit:
                        break
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None
        return out

    def thread_ids_of(self, message_ids: Iterable[str]) -> list[str]:
        """The threads holding these messages (to redraw after a tag change)."""
        with self._readable() as db:
            return list(dict.fromkeys(_text(msg.threadid) for msg in self._messages_of(db, message_ids)))

    def thread_summary(self, thread_id: str, query: str = "*") -> ThreadSummary | None:
        """One thread's row as ``query`` sees it (None if it no longer matches)."""
        scoped = f"thread:{thread_id}" if query.strip() in ("", "*") else f"thread:{thread_id} and ({query})"
        threads = self.iter_threads(scoped)
        try:
            return next(threads, None)
        finally:
            threads.close()

    def message_tags(self, message_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        result: dict[str, frozenset[str]] = {}
        with self._readable() as db:
            for message_id in message_ids:
                try:
                    result[message_id] = _tags(db.find(message_id))
                except LookupError:
                    continue
        return result

    def all_tags(self) -> list[str]:
        with self._readable() as db:
            return sorted(str(tag) for tag in db.tags)

    # -- writing ---------------------------------------------------------
    #
    # A tag write is two steps no transaction covers together: the tags (in
    # Xapian, durable only when the database closes: libnotmuch's atomic
    # sections are not flushed) and the Maildir flags (file renames, done by
    # libnotmuch as it syncs each message). So every write goes:
    #   1. an intent (kreview.core.intents) naming the messages, on disk;
    #   2. the tags, in one transaction, closed: all of them saved or none;
    #   3. the flags renamed to follow the saved tags, closed;
    #   4. the intent removed.
    # A kill anywhere leaves an intent, and recover() makes those messages'
    # files agree with whatever tags the database saved.

    def change_tags(
        self,
        message_ids: Iterable[str],
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> TagChange:
        """Add and remove tags on messages, all or nothing.

        Every message is looked up before anything is written, and an error
        part-way cancels the transaction, so a failure changes no tag (and
        leaves nothing for undo to miss). Returns what changed (with each
        message's tags before) so the caller can show it and undo it.
        Maildir flags follow when the notmuch config says
        ``synchronize_flags=true``, crash-safely (see above).
        """
        ids = tuple(dict.fromkeys(message_ids))
        to_add = frozenset(t for t in add if t)
        to_remove = frozenset(t for t in remove if t) - to_add
        bad = [t for t in to_add | to_remove if any(c.isspace() for c in t) or t.startswith(("+", "-"))]
        if bad:
            raise StoreError(f"Not a valid tag: {', '.join(sorted(bad))}")
        ops = " ".join([f"+{t}" for t in sorted(to_add)] + [f"-{t}" for t in sorted(to_remove)])
        from kreview.core.intents import Intent

        intent = Intent(label=f"{ops} on {_count_of(ids)}", message_ids=ids,
                        add=tuple(sorted(to_add)), remove=tuple(sorted(to_remove)))
        before = self._write_tags(intent, lambda tags: (tags - to_remove) | to_add, missing_ok=False,
                                  renames=bool((to_add | to_remove) & FLAG_TAGS))
        return TagChange(ids, to_add, to_remove, tuple(before))

    def restore_tags(self, change: TagChange) -> None:
        """Undo ``change``: put each message's tags back as they were before it
        (a message deleted since is skipped)."""
        wanted = {message_id: frozenset(tags) for message_id, tags in change.before}
        from kreview.core.intents import Intent

        intent = Intent(label=f"an undo on {_count_of(wanted)}", message_ids=tuple(wanted),
                        restore={k: tuple(sorted(v)) for k, v in wanted.items()})
        self._write_tags(intent, None, missing_ok=True, wanted=wanted,
                         renames=bool((change.added | change.removed) & FLAG_TAGS))

    def _write_tags(self, intent: Intent, new_tags, *, missing_ok: bool, renames: bool, wanted=None):
        """Steps 1-4 above; returns [(id, tags before)] of the messages written.
        A change to tags no Maildir flag stands for (``renames`` false, e.g.
        +reviewed) renames nothing: then it is step 2 alone."""
        self.recover()  # an earlier kill's leftovers first: they may be these messages
        renames = renames and self.settings.synchronize_flags
        log = self._intents() if renames else None
        pending = log.begin(intent) if log is not None else None
        try:
            before = self._set_tags(intent.message_ids, new_tags, wanted, missing_ok)
        except BaseException:
            if pending is not None:
                pending.finish()  # the transaction was cancelled: nothing to finish
            raise
        if renames:
            self._finish_flags(pending, intent.message_ids)
        return before

    def _set_tags(self, ids, new_tags, wanted, missing_ok: bool) -> list[tuple[str, frozenset[str]]]:
        before: list[tuple[str, frozenset[str]]] = []
        with self._writable() as db:
            found = []
            for message_id in ids:  # every lookup before the first write
                try:
                    found.append((message_id, db.find(message_id)))
                except LookupError:
                    if missing_ok:
                        continue
                    raise StoreError(
                        f"Message {message_id} is no longer in the database; no tag was changed"
                    ) from None
            try:
                with _all_or_nothing(db):
                    for message_id, msg in found:
                        tags = _tags(msg)
                        before.append((message_id, tags))
                        target = wanted[message_id] if wanted is not None else new_tags(tags)
                        if target == tags:
                            continue
                        with msg.frozen():
                            for tag in tags - target:
                                msg.tags.discard(tag)
                            for tag in target - tags:
                                msg.tags.add(tag)
            except notmuch2.NotmuchError as exc:
                raise StoreError(f"Could not change the tags ({exc}); no tag was changed") from None
        return before  # closed: the tags are on disk

    def _finish_flags(self, pending, message_ids: Iterable[str]) -> bool:
        """Step 3 and 4. If the database cannot be opened again (locked), the
        tags stand and the intent stays for the next write or start to finish."""
        if not self.settings.synchronize_flags:
            if pending is not None:
                pending.finish()
            return True
        try:
            with self._writable() as db:
                for msg in self._messages_of(db, message_ids):
                    try:
                        msg.tags.to_maildir_flags()
                    except notmuch2.NotmuchError:
                        continue  # the tags are right; the next change or `notmuch new` syncs
        except StoreError:
            if pending is not None:
                pending.release()
            return False
        if pending is not None:
            pending.finish()
        return True

    @staticmethod
    def _messages_of(db, message_ids: Iterable[str]):
        for message_id in message_ids:
            try:
                yield db.find(message_id)
            except LookupError:
                continue

    def _intents(self) -> IntentLog | None:
        """Where this database's intents live: next to its Xapian directory."""
        from kreview.core.intents import IntentLog

        directory = self._intents_dir()
        return IntentLog(directory) if directory is not None else None

    def _intents_dir(self) -> Path | None:
        lock = self._lock_file()
        return lock.parent.parent / INTENTS_DIR if lock is not None else None

    def recover(self) -> list[str]:
        """Finish the tag writes a killed kreview left half-done, and say what was done.

        For each intent nobody holds: files of its messages that were renamed
        but whose new names the database never saved are put back under the
        names it knows, then libnotmuch renames them for the tags it did save.
        So each message ends with the change fully made or not made at all,
        its tags and flags agreeing. Returns one sentence per intent (also
        kept in ``recovery_notes`` for the reader to show)."""
        directory = self._intents_dir()
        if directory is None or not _has_entries(directory):
            # The usual start: nothing was ever interrupted, nothing more to
            # load. The directory stays, empty, after the first tag write:
            # reading the log imports json, secrets and hmac (~10 ms).
            return []
        log = self._intents()
        notes: list[str] = []
        for intent, pending in log.orphans():
            try:
                notes.append(self._recover_files(intent) if intent.paths else self._recover_tags(intent))
            except StoreError:
                pending.release()  # locked right now: the next write or start tries again
                continue
            pending.finish()
        self.recovery_notes.extend(notes)
        return notes

    def _recover_tags(self, intent: Intent) -> str:
        listings: dict[Path, dict[str, list[str]]] = {}
        fixed = applied = 0
        with self._writable() as db:
            messages = list(self._messages_of(db, intent.message_ids))
            for msg in messages:
                names = set(msg.filenames())
                moved = _put_back_renamed(msg, listings)
                if self.settings.synchronize_flags:
                    try:
                        msg.tags.to_maildir_flags()
                    except notmuch2.NotmuchError:
                        pass
                fixed += bool(moved or set(msg.filenames()) != names)
                applied += _shows_intent(intent, _text(msg.messageid), _tags(msg))
        total = len(messages)
        if total and applied == total:
            state = "the database had saved it"
        elif applied == 0:
            state = "the database had not saved it, so nothing changed"
        else:
            state = f"{applied} of {total} messages show it (others were changed since)"
        done = (f"the files of {_count_of(range(fixed))} now match their tags" if fixed
                else "tags and Maildir flags already agreed")
        return f"A tag write was interrupted ({intent.label}): {state}; {done}."

    def tag_query(self, query: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> TagChange:
        ids = [node.message_id for node in self.messages(query)]
        return self.change_tags(ids, add, remove)

    def index_file(
        self, path: Path, tags: Iterable[str] = (), *, replaces: Path | None = None, delete_replaced: bool = False
    ) -> str:
        """Index a file we wrote (a draft, a sent message) with ``tags``; returns its Message-ID.

        With ``replaces`` (an earlier version of the same draft), one
        transaction forgets that file and indexes ``path``; with
        ``delete_replaced`` the older file is deleted, but only once the index
        names ``path``. An intent is written first, so a kill anywhere, or a
        database still locked after the retries (DatabaseLocked), leaves
        ``path`` on disk and the older file indexed, and the next start or
        write finishes the job."""
        self.recover()
        tags = tuple(sorted(set(tags)))
        log = self._intents()
        from kreview.core.intents import Intent

        intent = Intent(label=f"saving {path}", paths=(str(path),), add=tags,
                        replaces=(str(replaces),) if replaces is not None else (), delete_replaced=delete_replaced)
        pending = log.begin(intent) if log is not None else None
        try:
            message_id = self._index(Path(path), tags, intent.replaces)
        except DatabaseLocked:
            if pending is not None:
                pending.release()  # the file is on disk: whoever writes next indexes it
            raise
        except BaseException:
            if pending is not None:
                pending.finish()  # cancelled: nothing changed in the index
            raise
        if self._finish_flags(None, [message_id]):
            if replaces is not None and delete_replaced:
                Path(replaces).unlink(missing_ok=True)
            if pending is not None:
                pending.finish()
        elif pending is not None:
            pending.release()
        return message_id

    def _index(self, path: Path, tags: Iterable[str], replaces: Iterable[str]) -> str:
        with self._writable() as db:
            try:
                with _all_or_nothing(db):
                    for old in replaces:
                        db.remove(old)  # not indexed (any more): a no-op
                    msg = db.add(str(path), sync_flags=False).msg
                    with msg.frozen():
                        for tag in tags:
                            msg.tags.add(tag)
                    return _text(msg.messageid)
            except notmuch2.NotmuchError as exc:
                raise StoreError(f"Could not index {path} ({exc}); the index is unchanged") from None

    def _recover_files(self, intent: Intent) -> str:
        """Roll an interrupted save forward: index the files written, forget
        (and, if asked, delete) the ones they replace."""
        def indexed(db, path: str) -> bool:
            try:
                db.get(path)
                return True
            except LookupError:
                return False

        with self._writable() as db:
            written = [p for p in intent.paths if os.path.exists(p)]
            todo = [p for p in written if not indexed(db, p)]
            if todo:
                try:
                    with _all_or_nothing(db):
                        for old in intent.replaces:
                            db.remove(old)
                        for path in todo:
                            msg = db.add(path, sync_flags=False).msg
                            with msg.frozen():
                                for tag in intent.add:
                                    msg.tags.add(tag)
                except notmuch2.NotmuchError as exc:
                    return f"An interrupted save of {', '.join(todo)} could not be finished: {exc}."
            done = bool(written) and all(indexed(db, p) for p in written)
            ids = [_text(db.get(p).messageid) for p in written] if done else []
        removed = []
        if done and intent.delete_replaced:
            for old in intent.replaces:
                if os.path.exists(old):
                    os.unlink(old)
                    removed.append(old)
        self._finish_flags(None, ids)
        if not written:
            return f"An interrupted save ({intent.label}) had not written its file; nothing changed."
        gone = f"; the older copy {', '.join(removed)} was removed" if removed else ""
        return f"An interrupted save was finished: {', '.join(written)} is indexed{gone}."

    def remove_file(self, path: Path) -> None:
        """Forget one file of a message (after moving or deleting it)."""
        with self._writable() as db:
            with db.atomic():
                try:
                    db.remove(str(path))
                except notmuch2.NotmuchError:
                    pass

    def file_of(self, message_id: str) -> Path | None:
        with self._readable() as db:
            try:
                return Path(os.fsdecode(db.find(message_id).pathb))
            except LookupError:
                return None

    # -- archive delivery (kreview.core.fetching) ---------------------------

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        """Which of these Message-IDs the database already holds (as mail:
        notmuch also finds "ghosts", ids that replies name but no file holds)."""
        known: set[str] = set()
        with self._readable() as db:
            for message_id in message_ids:
                try:
                    if db.find(message_id).ghost:
                        continue
                except LookupError:
                    continue
                known.add(message_id)
        return known

    def index_archive_files(self, paths: Iterable[Path], tags: Iterable[str]) -> list[str]:
        """Index files fetched from an archive in one transaction, each new
        message with ``tags``; returns the Message-IDs added. A file whose
        message is already here (a race with `notmuch new`) keeps its tags."""
        added: list[str] = []
        tags = tuple(tags)
        with self._writable() as db:
            with db.atomic():
                for path in paths:
                    try:
                        result = db.add(str(path), sync_flags=False)
                    except notmuch2.NotmuchError:
                        continue  # not mail notmuch can read: it stays a file, as with `notmuch new`
                    if result.dup:
                        continue
                    msg = result.msg
                    with msg.frozen():
                        for tag in tags:
                            msg.tags.add(tag)
                    added.append(_text(msg.messageid))
        # After the commit, as every write does (see _finish_flags): fetched
        # mail carries no flag a kill could leave half-applied.
        self._finish_flags(None, added)
        return added
    # -- series index: kreview.* properties, lastmod (kreview.core.series_index) --

    def revision(self) -> tuple[int, str]:
        """The database's lastmod counter and its uuid (a new uuid: a new database)."""
        with self._readable() as db:
            rev = db.revision()
            return int(rev.rev), _text(rev.uuid)

    def database_value(self, key: str) -> str:
        """A value kept in the database's own config (``notmuch config list``), or ""."""
        with self._readable() as db:
            try:
                return _text(db.config[key])
            except (KeyError, notmuch2.NotmuchError):
                return ""

    def thread_ids(self, query: str) -> list[str]:
        """Distinct thread ids of the messages matching ``query`` (no thread is built)."""
        out: dict[str, None] = {}
        with self._readable() as db:
            try:
                for msg in db.messages(query):
                    out[_text(msg.threadid)] = None
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None
        return list(out)

    def property_rows(self, query: str, prefix: str) -> list[tuple[MessageNode, dict[str, tuple[str, ...]]]]:
        """Messages matching ``query`` with their properties whose key starts with ``prefix``."""
        out = []
        with self._readable() as db:
            try:
                for msg in db.messages(query):
                    props: dict[str, list[str]] = {}
                    for key, value in msg.properties.getall(prefix):
                        props.setdefault(_text(key), []).append(_text(value))
                    node = _node(msg, _text(msg.messageid), _text(msg.threadid), None)
                    out.append((node, {k: tuple(v) for k, v in props.items()}))
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None
        return out

    def write_properties(self, changes: dict[str, dict[str, tuple[str, ...]]], prefix: str,
                         seen_revision: int, value_key: str, value: Callable[[int], str]) -> int:
        """Replace each message's ``prefix`` properties with the given ones (an
        empty dict clears them); then store ``value(revision)`` under
        ``value_key`` in the database config, where ``revision`` is the
        database revision the properties reflect: after these writes when
        nobody else wrote since ``seen_revision``, else ``seen_revision`` (so
        the other writer's changes are looked at next time). Returns that
        revision.

        The messages are written PROPERTY_BATCH at a time, each batch a
        transaction of its own: the reader's other reads wait for a write
        under way (kreview.core.rwlock), and a first build of a big
        mailbox's series index writes for seconds. The value goes with the
        last batch, so a failure part-way leaves the old value, and the next
        refresh, which rewrites every message changed since it (these
        included), finishes the job."""
        items = list(changes.items())
        expected, untouched = seen_revision, True
        for start in range(0, max(len(items), 1), PROPERTY_BATCH):
            batch = items[start:start + PROPERTY_BATCH]
            last = start + PROPERTY_BATCH >= len(items)
            with self._writable() as db:
                untouched = untouched and int(db.revision().rev) == expected
                with db.atomic():
                    for message_id, props in batch:
                        self._replace_properties(db, message_id, props, prefix)
                expected = int(db.revision().rev)
                if last:
                    reflected = expected if untouched else seen_revision
                    db.config[value_key] = value(reflected)
        return reflected

    @staticmethod
    def _replace_properties(db, message_id: str, props: dict[str, tuple[str, ...]], prefix: str) -> None:
        try:
            msg = db.find(message_id)
        except LookupError:
            return
        with msg.frozen():
            for key in {_text(k) for k, _ in msg.properties.getall(prefix)}:
                del msg.properties[key]
            for key, values in props.items():
                for item in values:
                    # Xapian keeps a property as one term of at most 245
                    # bytes; libnotmuch exits the process on a longer one,
                    # so it is never written.
                    if len(f"XPROPERTY{key}={item}".encode()) <= PROPERTY_TERM_LIMIT:
                        msg.properties.add(key, item)

    def property_values(self, query: str, key: str) -> list[tuple[str, str]]:
        """(message id, first value of property ``key`` or "") of each message
        matching ``query``: one property lookup per message, nothing else."""
        return self.property_values_with(query, key, "")[1]

    def property_values_with(self, query: str, key: str, value_key: str) -> tuple[str, list[tuple[str, str]]]:
        """:meth:`property_values` and the database config value ``value_key``
        (or ""), read from one open database: the value the properties were
        written under (kreview.core.series_index keeps its stamp there)."""
        out, value = [], ""
        with self._readable() as db:
            if value_key:
                try:
                    value = _text(db.config[value_key])
                except (KeyError, notmuch2.NotmuchError):
                    pass
            try:
                for msg in db.messages(query):
                    try:
                        found = _text(msg.properties[key])
                    except KeyError:
                        found = ""
                    out.append((_text(msg.messageid), found))
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None
        return value, out

    def subjects(self, query: str) -> list[tuple[str, str]]:
        """(message id, Subject) of each message matching ``query``: nothing
        else is copied (a thread of 300 replies costs little)."""
        with self._readable() as db:
            try:
                return [(_text(msg.messageid), _header(msg, "subject")) for msg in db.messages(query)]
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None

    def headers_of(self, message_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(Subject, From) of each message, from the index."""
        with self._readable() as db:
            return {_text(msg.messageid): (_header(msg, "subject"), _header(msg, "from"))
                    for msg in self._messages_of(db, message_ids)}

    # -- counts and the database's revision (kreview.core.counts) -----------

    def revision_key(self) -> tuple[str, int]:
        """(uuid, lastmod) of the database: any change (a tag, a new
        message, a renamed file) raises lastmod, so a count taken at one
        revision stays true until it changes. (``revision`` gives the same
        two the other way round, for the series index.)"""
        rev, uuid = self.revision()
        return uuid, rev

    def count_at_revision(self, query: str, how: str = "threads") -> tuple[int, tuple[str, int]]:
        """A count and the revision it was taken at, from one open database
        (asked separately, a change between the two would be cached as new)."""
        with self._readable() as db:
            rev = db.revision()
            try:
                count = db.count_threads(query) if how == "threads" else db.count_messages(query)
            except notmuch2.NotmuchError as exc:
                raise BadQuery(f"Bad query {query!r}: {exc}") from None
            return count, (_text(rev.uuid), int(rev.rev))

    def message_states(self, message_ids: Iterable[str]) -> dict[str, tuple[frozenset[str], str]]:
        """Each message's tags and the file notmuch now knows it by: a tag
        change that syncs Maildir flags renames the file, and a reader still
        holding the old name would take its own rename for someone else's."""
        with self._readable() as db:
            return {_text(msg.messageid): (_tags(msg), os.fsdecode(msg.pathb))
                    for msg in self._messages_of(db, message_ids)}


PROPERTY_TERM_LIMIT = 240  # bytes of "XPROPERTY" + key=value that Xapian takes as a term
PROPERTY_BATCH = 500  # messages per write of Store.write_properties: ~0.3 s of the archive's first build


def _has_entries(directory: Path) -> bool:
    try:
        with os.scandir(directory) as entries:
            return next(entries, None) is not None
    except (FileNotFoundError, NotADirectoryError):
        return False

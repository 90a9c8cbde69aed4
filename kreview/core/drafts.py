"""Drafts live as Maildir files under the notmuch mail root, indexed with the
``draft`` tag from the moment they exist: whatever happens to the editor or
to kreview afterwards, the draft is on disk and findable with ``tag:draft``.
"""
from __future__ import annotations

import itertools
import os
import secrets
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from kreview.core.durable import fsync_dir
from kreview.core.editor import EditorResult
from kreview.core.model import MessageNode
from kreview.core.parse import parse_message
from kreview.core.store import DatabaseLocked, StoreError

DRAFT_TAG = "draft"
# D for draft; S because a draft is not unread: notmuch's flag sync would
# rename ":2,D" to ":2,DS" right after indexing, and a rename under an editor
# that already has the path open would lose the user's edit.
DRAFT_FLAGS = "DS"

_counter = itertools.count()


@dataclass(frozen=True)
class Draft:
    path: Path
    message_id: str


@dataclass(frozen=True)
class EditOutcome:
    """What became of a draft after the editor: where it is and what to tell the user."""

    draft: Draft
    ok: bool
    message: str


def maildir(store, folder: str) -> Path:
    """``folder`` under the mail root, with cur/new/tmp created if missing."""
    parts = Path(folder).parts
    if not folder or Path(folder).is_absolute() or ".." in parts:
        raise ValueError(f"mail folder {folder!r} must be a relative path under the notmuch mail root")
    root = Path(store.mail_root) / folder
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def unique_name(flags: str) -> str:
    """A Maildir file name (time, pid, counter, randomness, host) with ``flags``."""
    host = socket.gethostname().replace("/", "\\057").replace(":", "\\072")
    now = time.time()
    return (
        f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{next(_counter)}"
        f"R{secrets.token_hex(4)}.{host}:2,{flags}"
    )


def deliver(folder: Path, data: bytes, flags: str) -> Path:
    """Write ``data`` into ``folder``/cur atomically: tmp/, fsync, rename."""
    name = unique_name(flags)
    tmp = folder / "tmp" / name.split(":", 1)[0]
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)  # a cut-off copy in tmp/ is nobody's draft
        raise
    final = folder / "cur" / name
    os.rename(tmp, final)
    fsync_dir(folder / "cur")
    return final


def to_bytes(message: EmailMessage | bytes) -> bytes:
    if isinstance(message, bytes):
        return message
    return message.as_bytes()  # with the message's own policy (see reply.DRAFT_POLICY)


def _indexed(store, path: Path, tags) -> Draft:
    message_id = store.index_file(path, tags)
    # Flag sync may have renamed the file; ask where it is now.
    where = store.file_of(message_id)
    return Draft(where if where is not None and where.exists() else path, message_id)


def write_draft(store, message: EmailMessage | bytes, drafts_folder: str = "Drafts") -> Draft:
    """Save ``message`` as a new draft and index it with the ``draft`` tag.

    Call this before starting the editor, so a crash anywhere later still
    leaves the draft indexed.
    """
    path = deliver(maildir(store, drafts_folder), to_bytes(message), DRAFT_FLAGS)
    return _indexed(store, path, (DRAFT_TAG,))


def update_draft(store, draft: Draft, data: bytes | None = None, *, delete_old: bool = True) -> Draft:
    """Save the draft's new text (``data``, or what its file holds now) and
    index it in place of the old file.

    notmuch does not re-read a file it already knows, so the text goes to a
    fresh file in the same folder (written whole: tmp, fsync, rename), and one
    transaction swaps the old file for it in the index; the old file is
    deleted only after that (``delete_old``). Tags the draft had are kept
    (plus ``draft``), and a Message-ID the user edited is followed. A kill or
    a locked database (DatabaseLocked) leaves both files on disk and the old
    one indexed; the store finishes the swap at its next start or write.
    """
    path = Path(draft.path)
    fresh = deliver(_maildir_of(path), path.read_bytes() if data is None else data, DRAFT_FLAGS)
    return _index_in_place(store, draft, fresh, delete_old)


def _index_in_place(store, draft: Draft, fresh: Path, delete_old: bool) -> Draft:
    tags = set(store.message_tags([draft.message_id]).get(draft.message_id, ())) | {DRAFT_TAG}
    message_id = store.index_file(fresh, sorted(tags), replaces=Path(draft.path), delete_replaced=delete_old)
    where = store.file_of(message_id)  # flag sync may have renamed it
    return Draft(where if where is not None and where.exists() else fresh, message_id)


def _maildir_of(path: Path) -> Path:
    """The Maildir folder holding ``path`` (its cur/ or new/), with tmp/ and cur/ there."""
    folder = path.parent.parent if path.parent.name in ("cur", "new") else path.parent
    for sub in ("cur", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return folder


def read_before_edit(draft: Draft) -> bytes | None:
    """The draft's text before the editor runs, kept in memory so that an
    editor that deletes, empties or locks away the file loses nothing."""
    try:
        return Path(draft.path).read_bytes()
    except OSError:
        return None


REMOVED, EMPTY, UNREADABLE = "removed", "empty", "unreadable"


def _read_edited(path: Path) -> tuple[bytes | None, str, str]:
    """(text, "", "") or (None, what became of the file, the same for people)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, REMOVED, "the draft file was removed"
    except OSError as first:
        try:  # an editor (or a stray chmod) took our own file's read permission away
            path.chmod(0o600)
            data = path.read_bytes()
        except OSError:
            reason = first.strerror or str(first)
            return None, UNREADABLE, f"the edited draft at {path} cannot be read ({reason}); it is left there"
    if not data.strip():
        return None, EMPTY, "the draft was left empty"
    return data, "", ""


def finish_edit(store, draft: Draft, result: EditorResult, before: bytes | None = None) -> EditOutcome:
    """After the editor: save the edit, or keep the text from before it.

    - the editor succeeded and the file holds text: it is saved and indexed;
    - the editor failed and the file is intact: it is left as it is (it may
      hold half an edit the user wants to look at), and the message says where;
    - the file was removed, emptied or cannot be read: ``before`` (the text
      from before the editor ran, see :func:`read_before_edit`) is saved as
      the draft again (an unreadable file is left where it was);
    - the database stays locked: the text is on disk under a new name that
      the message gives, and the old file stays indexed until the store
      finishes the swap (at its next start or write).
    Never raises for any of these; the message names a file that exists.
    """
    path = Path(draft.path)
    data, kind, problem = _read_edited(path)
    failed = "" if result.ok else result.describe()
    if data is not None and failed:
        return EditOutcome(draft, False, f"{_sentence(failed)}; the draft is kept at {path} (tag:draft).")
    if data is not None:
        return _save(store, draft, data, delete_old=True, done="Draft saved: {path}")
    what = _sentence("; ".join(x for x in (failed, problem) if x))
    if not before or not before.strip():
        return _forget_if_gone(store, draft, f"{what}, and there was no earlier text to keep")
    return _save(store, draft, before, delete_old=kind == EMPTY, ok=False,
                 done=f"{what}; the text from before the edit is kept at {{path}} (tag:draft).")


def _save(store, draft: Draft, data: bytes, *, delete_old: bool, done: str, ok: bool = True) -> EditOutcome:
    """Write ``data`` next to the draft and index it in its place; ``done``
    (with ``{path}``) is the message when that worked."""
    try:
        fresh = deliver(_maildir_of(Path(draft.path)), data, DRAFT_FLAGS)
    except OSError as exc:
        where = f"the draft file is still {draft.path}" if Path(draft.path).exists() else "nothing was written"
        return EditOutcome(draft, False, f"Could not write the draft ({exc.strerror or exc}); {where}.")
    try:
        saved = _index_in_place(store, draft, fresh, delete_old)
    except DatabaseLocked:
        return EditOutcome(draft, False, (
            f"The notmuch database stayed locked (is `notmuch new` running?): the draft is saved at {fresh}; "
            f"kreview indexes it in place of {draft.path} at its next start or tag change."))
    except StoreError as exc:
        return EditOutcome(draft, False, f"{exc}; the draft is saved at {fresh}.")
    return EditOutcome(saved, ok, done.format(path=saved.path))


def _forget_if_gone(store, draft: Draft, message: str) -> EditOutcome:
    """No text to keep: drop the index entry of a file that no longer exists."""
    path = Path(draft.path)
    if not path.exists():
        try:
            store.remove_file(path)
        except StoreError as exc:
            return EditOutcome(draft, False, f"{message}; {exc}")
        return EditOutcome(draft, False, f"{message}; the draft {draft.message_id} is removed from tag:draft.")
    return EditOutcome(draft, False, f"{message}; the draft file is {path}.")


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


def list_drafts(store) -> list[MessageNode]:
    return store.messages(f"tag:{DRAFT_TAG}")


def resume_draft(store, message_id: str) -> Draft:
    """The draft with ``message_id``, to edit again."""
    path = store.file_of(message_id)
    if path is None:
        raise ValueError(f"no draft with Message-ID {message_id}")
    tags = store.message_tags([message_id]).get(message_id, frozenset())
    if DRAFT_TAG not in tags:
        raise ValueError(f"message {message_id} is not a draft (it has no draft tag)")
    return Draft(path, message_id)


def delete_draft(store, draft: Draft) -> None:
    """Throw a draft away: the user asked for it explicitly."""
    store.remove_file(Path(draft.path))
    Path(draft.path).unlink(missing_ok=True)


def read_draft_headers(draft: Draft):
    """The draft's headers (for showing it in a list or before sending)."""
    return parse_message(Path(draft.path).read_bytes(), headers_only=True).headers

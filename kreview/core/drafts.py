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

from kreview.core.editor import EditorResult
from kreview.core.model import MessageNode
from kreview.core.parse import parse_message

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
    with open(tmp, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    final = folder / "cur" / name
    os.rename(tmp, final)
    _fsync_dir(folder / "cur")
    return final


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def update_draft(store, draft: Draft) -> Draft:
    """Re-index a draft after the editor changed it.

    notmuch does not re-read a file it already knows, so the edited text
    moves to a fresh name in the same folder and the index swaps the old file
    for the new one. Tags the draft had are kept (plus ``draft``), and a
    Message-ID the user edited is followed.
    """
    path = Path(draft.path)
    if not path.exists():
        raise ValueError(f"the draft file {path} is gone; nothing to save")
    tags = set(store.message_tags([draft.message_id]).get(draft.message_id, ())) | {DRAFT_TAG}
    fresh = path.parent / unique_name(DRAFT_FLAGS)
    os.rename(path, fresh)
    store.remove_file(path)
    return _indexed(store, fresh, sorted(tags))


def finish_edit(store, draft: Draft, result: EditorResult) -> EditOutcome:
    """After the editor: re-index on success; otherwise leave the draft where it is.

    A failed editor's file is not touched (it may hold half an edit the user
    wants to look at), and the message says where it is.
    """
    if result.ok:
        saved = update_draft(store, draft)
        return EditOutcome(saved, True, f"Draft saved: {saved.path}")
    where = (
        f"the draft is kept at {draft.path} (tag:draft)"
        if Path(draft.path).exists()
        else f"the draft file {draft.path} no longer exists"
    )
    what = result.describe()
    return EditOutcome(draft, False, f"{what[:1].upper()}{what[1:]}; {where}.")


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

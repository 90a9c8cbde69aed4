"""Sending a draft, only when asked and only through a configured command.

The command is an argv list (``["msmtp", "-t"]``) run without a shell, with
the message on stdin: nothing from the mail reaches its command line. A draft
becomes a sent message only after the command succeeded; on failure it stays
a draft and the command's own words (exit status, stderr) come back.
"""
from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from kreview.core.drafts import DRAFT_TAG, Draft, deliver, maildir
from kreview.core.model import Identity
from kreview.core.parse import parse_message
from kreview.core.store import StoreError
from kreview.core.trailers import extract_trailers, own_text

SENT_TAG = "sent"
CHECKED_TRAILERS = ("Reviewed-by", "Acked-by", "Tested-by", "Signed-off-by")


@dataclass(frozen=True)
class SendResult:
    ok: bool
    message: str  # for people: what happened and where the mail is now
    returncode: int | None = None
    stderr: str = ""
    path: Path | None = None  # the sent file on success, the draft otherwise


def _body_text(message: EmailMessage | bytes) -> str:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return parse_message(raw).text


def check_trailers(message: EmailMessage | bytes, identity: Identity) -> list[str]:
    """Warnings for review trailers in the user's own text that do not carry
    one of the user's addresses (a Reviewed-by pasted from someone else, a
    typo in one's own address). Quoted lines and the signature do not count.
    """
    text = _body_text(message)
    warnings: list[str] = []
    found = [t for t in extract_trailers(text) if t.kind in CHECKED_TRAILERS]
    for trailer in found:
        if not identity.is_me(trailer.email):
            mine = identity.primary_email or "no address configured"
            warnings.append(f"{trailer.kind}: {trailer.value} is not your address ({mine})")
    # A trailer line without any address never becomes a Trailer: count them.
    written = 0
    for line in own_text(text).split("\n"):
        if line.lstrip().startswith(">"):
            continue
        head = line.split(":", 1)[0].strip().lower()
        if ":" in line and head in {k.lower() for k in CHECKED_TRAILERS}:
            written += 1
    if written > len(found):
        warnings.append(f"{written - len(found)} trailer line(s) without an email address")
    return warnings


def send_draft(
    store,
    draft: Draft,
    send_command: Sequence[str] | None,
    sent_folder: str = "Sent",
    *,
    timeout: float = 120.0,
) -> SendResult:
    """Pipe the draft to ``send_command``; on success file it as sent.

    Never raises for a failed send; raises ValueError only when there is no
    command configured or the draft file is gone (nothing was attempted).
    """
    if not send_command or not all(isinstance(w, str) and w for w in send_command):
        raise ValueError("no send command configured (send_command in the kreview config, e.g. [\"msmtp\", \"-t\"])")
    path = Path(draft.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the draft {path}: {exc.strerror or exc}") from None
    argv = list(send_command)
    kept = f"the draft is kept at {path}"
    try:
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return SendResult(False, f"Send command {argv[0]!r} not found; {kept}.", path=path)
    except subprocess.TimeoutExpired:
        return SendResult(False, f"Send command {argv[0]!r} did not finish in {timeout:.0f} s; {kept}.", path=path)
    except OSError as exc:
        return SendResult(False, f"Could not run {argv[0]!r}: {exc.strerror or exc}; {kept}.", path=path)
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        status = f"signal {-done.returncode}" if done.returncode < 0 else f"status {done.returncode}"
        detail = f": {stderr}" if stderr else ""
        return SendResult(
            False, f"{argv[0]} failed with {status}{detail}; {kept}.", done.returncode, stderr, path
        )
    return _file_as_sent(store, draft, data, sent_folder, stderr)


def _file_as_sent(store, draft: Draft, data: bytes, sent_folder: str, stderr: str) -> SendResult:
    # The mail has left: from here on a failure must not read as "not sent".
    try:
        tags = set(store.message_tags([draft.message_id]).get(draft.message_id, ()))
        sent_path = deliver(maildir(store, sent_folder), data, "S")
        store.remove_file(Path(draft.path))
        Path(draft.path).unlink(missing_ok=True)
        store.index_file(sent_path, sorted((tags - {DRAFT_TAG}) | {SENT_TAG}))
    except (StoreError, OSError, ValueError) as exc:
        return SendResult(
            True,
            f"Sent, but filing it failed ({exc}); run `notmuch new` to index {sent_folder}.",
            0,
            stderr,
            None,
        )
    where = store.file_of(draft.message_id) or sent_path
    return SendResult(True, f"Sent; filed in {sent_folder}.", 0, stderr, Path(where))


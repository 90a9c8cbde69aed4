"""Getting things out of kreview: mboxes, piped commands, attachments, links.

* ``mbox_of`` writes messages as an mboxrd (what ``notmuch show
  --format=mbox`` writes too), from the files as they are on disk.
* ``run_pipe`` feeds bytes to a command typed by the user (through the
  shell, as mutt's ``|`` does) and returns what it printed, cancellable.
* ``attachments``/``save_attachment`` list every MIME part that is not the
  body and write one under a safe file name, never over an existing file
  unless told to.
* ``find_urls`` lists the links of a text; ``raw_source`` is a message's file
  as text for the raw view (sanitised by the caller before display).
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path
from typing import Callable, Iterable

_PARSER = BytesParser(policy=compat32)
MBOXRD_FROM = b"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
_FROM_LINE = re.compile(rb"^(>*From )", re.M)


def read_file(path: str | os.PathLike) -> bytes:
    """A message file's bytes; a Maildir file renamed since indexing is found."""
    from kreview.core.parse import maildir_sibling

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        moved = maildir_sibling(path)
        if moved is None:
            raise
        return moved.read_bytes()


def mbox_of(paths: Iterable[str | os.PathLike], cancelled: Callable[[], bool] | None = None) -> bytes:
    """The messages as one mboxrd: "From " lines in bodies get a ">" more."""
    out = bytearray()
    for path in paths:
        if cancelled is not None and cancelled():
            raise InterruptedError("cancelled")
        raw = read_file(path).replace(b"\r\n", b"\n")
        out += MBOXRD_FROM
        out += _FROM_LINE.sub(rb">\1", raw)
        if not raw.endswith(b"\n"):
            out += b"\n"
        out += b"\n"
    return bytes(out)


# --- piping ------------------------------------------------------------------

@dataclass(frozen=True)
class PipeResult:
    command: str
    returncode: int | None  # None when cancelled
    output: str  # stdout and stderr together, decoded
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_pipe(command: str, data: bytes, cancelled: Callable[[], bool] | None = None,
             limit: int = 1 << 20, cwd: str | None = None) -> PipeResult:
    """Run ``command`` with the shell, ``data`` on its stdin; keep at most
    ``limit`` bytes of what it prints. A cancel kills its process group."""
    with tempfile.TemporaryFile() as sink, tempfile.TemporaryFile() as source:
        source.write(data)
        source.seek(0)
        try:
            proc = subprocess.Popen(command, shell=True, stdin=source, stdout=sink,
                                    stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True)
        except OSError as exc:
            return PipeResult(command, 127, f"cannot run: {exc.strerror or exc}")
        code: int | None
        while True:
            try:
                code = proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    _kill_group(proc)
                    code = None
                    break
        sink.seek(0)
        output = sink.read(limit + 1)
    truncated = len(output) > limit
    return PipeResult(command, code, output[:limit].decode("utf-8", "replace"), truncated)


def _kill_group(proc: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()


# --- attachments -----------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """A MIME part that is not the message's body text."""

    number: int  # its place among the message's leaf parts (stable: used to save it)
    filename: str  # as the sender gave it (may be hostile: never a path)
    content_type: str
    size: int


def _leaves(msg: Message) -> list[Message]:
    return [part for part in msg.walk() if not part.is_multipart()]


def _filename(part: Message) -> str:
    from kreview.core.parse import _decode_words  # one RFC 2047 decoder for the project

    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:
        return ""
    if isinstance(name, tuple):
        import email.utils
        name = email.utils.collapse_rfc2231_value(name)
    return _decode_words(str(name))


def attachments(raw: bytes) -> list[Part]:
    """Every leaf part except the first inline text part (the body)."""
    from kreview.core.parse import part_payload  # one payload decoder for the project

    msg = _PARSER.parsebytes(raw)
    found: list[Part] = []
    body_seen = False
    for number, part in enumerate(_leaves(msg)):
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        name = _filename(part)
        ctype = part.get_content_type()
        if not body_seen and ctype == "text/plain" and disposition != "attachment" and not name:
            body_seen = True
            continue
        if ctype in ("text/plain", "text/html") and not name and disposition != "attachment":
            continue  # an alternative rendering of the body, not a file
        found.append(Part(number, name, ctype, len(part_payload(part))))
    return found


_UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f\u0080-\u009f]")
_EXT_FOR = {"text/plain": ".txt", "text/x-patch": ".patch", "text/x-diff": ".diff",
            "text/html": ".html", "application/pdf": ".pdf", "message/rfc822": ".eml"}


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A file name that stays in the directory it is saved to and shows
    plainly: no path separators, no leading dots, no control characters
    (C0, C1, DEL, and Unicode's format characters such as RTL overrides),
    at most 200 bytes; ``fallback`` when nothing usable is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join("_" if (unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or _UNSAFE.match(c))
                   else c for c in name)
    name = name.strip().lstrip("._ \t").strip()  # a leading dot hides a file
    name = re.sub(r"_{2,}", "_", name)
    if not name or set(name) <= {"_", "."}:
        name = fallback
    encoded = name.encode("utf-8")
    if len(encoded) > 200:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and 0 < len(ext.encode()) <= 16 else ""
        keep = 200 - len(ext.encode()) - (1 if ext else 0)
        stem = (stem if ext else name).encode("utf-8")[:keep].decode("utf-8", "ignore")
        name = f"{stem}.{ext}" if ext else stem
    return name


def default_name(part: Part) -> str:
    return safe_filename(part.filename, fallback=f"part-{part.number}{_EXT_FOR.get(part.content_type, '.bin')}")


def save_attachment(raw: bytes, part: Part, directory: Path | str, overwrite: bool = False,
                    name: str | None = None) -> Path:
    """Write ``part`` of the message into ``directory``; FileExistsError when
    the name is taken and ``overwrite`` is not set (nothing written then)."""
    from kreview.core.parse import part_payload

    msg = _PARSER.parsebytes(raw)
    leaves = _leaves(msg)
    if part.number >= len(leaves):
        raise ValueError(f"the message has no part {part.number}")
    data = part_payload(leaves[part.number])
    directory = Path(directory).expanduser()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / safe_filename(name if name is not None else default_name(part))
    if target.parent.resolve() != directory.resolve():  # belt and braces: safe_filename forbids it
        raise ValueError(f"refusing to write outside {directory}")
    if target.exists() and not overwrite:
        raise FileExistsError(str(target))
    fd, tmp = create_private(directory, ".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if overwrite:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if someone created it meanwhile: never clobbers
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def create_private(directory: Path, suffix: str) -> tuple[int, str]:
    """A new, empty file with a random hidden name in ``directory``, created with
    the user's umask (mkstemp's 0600 would make a saved file private)."""
    for _ in range(100):
        path = os.path.join(directory, f".kreview-{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {directory}")


def free_name(directory: Path | str, name: str) -> str:
    """``name``, or ``name (2)``… the first that is not taken in ``directory``."""
    directory = Path(directory).expanduser()
    if not (directory / name).exists():
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    for n in range(2, 10000):
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        if not (directory / candidate).exists():
            return candidate
    return f"{stem}-{time.time_ns()}{'.' + ext if ext else ''}"


# --- links and the raw source ------------------------------------------------

# http(s)/ftp URLs; a closing bracket or sentence punctuation at the end is
# the prose's, not the URL's (unless the URL opened that bracket).
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`\x00-\x1f\x7f-\x9f]+", re.I)
_TRAILING = ".,;:!?'\""


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        url = url[:-1]
    for opener, closer in ("()", "[]", "{}"):
        while url.endswith(closer) and url.count(closer) > url.count(opener):
            url = url[:-1]
    return url


def find_urls(text: str) -> list[str]:
    """Every distinct link in ``text``, in order of appearance."""
    seen: dict[str, None] = {}
    for m in _URL.finditer(text):
        url = _trim(m.group(0))
        if len(url) > len("https://"):
            seen.setdefault(url, None)
    return list(seen)


def url_at(line: str, column: int) -> str | None:
    """The link under ``column`` of ``line``, if any."""
    for m in _URL.finditer(line):
        url = _trim(m.group(0))
        if m.start() <= column < m.start() + max(len(url), 1):
            return url
    return None


def raw_source(path: str | os.PathLike, limit: int = 4 << 20) -> str:
    """The message file as text (undecoded: headers, MIME parts, base64 as sent).
    Bytes that are not UTF-8 show as replacement characters; callers clean it."""
    data = read_file(path)
    note = ""
    if len(data) > limit:
        data, note = data[:limit], f"\n[… cut at {limit:,} bytes]"
    return data.decode("utf-8", "replace").replace("\r\n", "\n") + note


def archive_link(mask: str, message_id: str) -> str:
    return mask.replace("%s", message_id)

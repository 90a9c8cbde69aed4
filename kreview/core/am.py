"""An am-ready mbox of a series, with the trailers its patches collected.

What ``kreview am`` writes, following ``b4 am`` so that users and scripts
feel at home:

* file names: ``v8_20181120_dan_j_williams_mm_merge_hmm_into….mbx`` (b4's
  extended slug: version when not 1, date of the first patch, local part of
  its author's address, title) and the cover letter in ``SLUG.cover``;
* each patch as ``From git@z Thu Jan  1 00:00:00 1970``, then Subject
  ``[PATCH vN i/N] title``, From, Date, Message-Id, a UTF-8 8bit body;
* collected trailers go after the patch's own, in kernel order: the patch's
  trailers first (kept byte for byte), then those from replies to the patch,
  then those from replies to the cover letter (each in the order they were
  given), ``Link:`` with ``--link``, the applier's ``Signed-off-by`` last
  (moved there if the patch had it already), no duplicates.

Deliberate differences from b4 (documented in docs/am.md):

* a cover-letter reply scoped "for patches 1-3" adds its trailers to 1-3 only;
* the patch's own trailer lines are not re-rendered (b4 rewrites
  ``Cc: <a@b>`` as ``Cc: a@b``);
* a trailer wrapped onto an indented next line keeps its whole value.

Suspect trailers (a person trailer whose address is not its sender's) are left
out unless ``sloppy``. Nothing is half-written: the mbox goes to a temporary
file in the output directory and is renamed into place.
"""
from __future__ import annotations

import contextlib
import email.errors
import email.header
import email.utils
import os
import re
import textwrap
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from kreview.core.export import create_private, read_file
from kreview.core.review import Cancelled, reviews_of
from kreview.core.sanitize import clean
from kreview.core.series import Series, parse_subject
from kreview.core.trailers import PatchReview, SeriesReview, Trailer

if TYPE_CHECKING:
    from kreview.core.store import Store

DEFAULT_LINK_MASK = "https://lore.kernel.org/r/%s"
AM_FROM_LINE = b"From git@z Thu Jan  1 00:00:00 1970\n"

_PARSER = BytesParser(policy=compat32)
# Where git mailinfo ends the commit message: "---", a diff, or a quilt Index.
_PATCH_START = re.compile(r"^(?:---[ \t]*$|diff -|Index: )")
_TRAILER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]*\S")
_IN_BODY_HEADER = re.compile(r"^(From|Subject|Date):[ \t]*(.*)$", re.I)
_PATCH_TYPES = frozenset({"text/x-patch", "text/x-diff", "text/patch", "text/diff"})


class AmError(Exception):
    """The export cannot be made as asked; ``str(error)`` says why, in words."""


@dataclass(frozen=True)
class AmOptions:
    add_trailers: bool = True
    add_link: bool = False
    link_mask: str = DEFAULT_LINK_MASK
    signoff: str | None = None  # "Name <address>" of the applier, for -s
    sloppy: bool = False  # keep suspect trailers
    partial: bool = False  # write the patches that exist when some are missing
    cover: bool = False  # write the cover letter to SLUG.cover


@dataclass(frozen=True)
class AmPatch:
    index: int
    message_id: str
    subject: str  # the am subject written: "[PATCH v8 1/7] title"
    added_trailers: tuple[str, ...]  # lines as written


@dataclass(frozen=True)
class AmResult:
    mbox: Path
    cover: Path | None
    version: int
    title: str
    patches: tuple[AmPatch, ...]
    missing: tuple[int, ...]
    total: int
    cover_id: str | None
    link: str  # the archive link of the series (cover, else first patch)
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict:
        """The ``kreview am --json`` contract (paths absolute)."""
        return {
            "mbox": str(self.mbox.resolve()),
            "cover": str(self.cover.resolve()) if self.cover else None,
            "version": self.version,
            "patches": [{"index": p.index, "message_id": p.message_id, "subject": p.subject,
                         "added_trailers": list(p.added_trailers)} for p in self.patches],
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class FoundSeries:
    """A series with the files its messages are in (message-id -> path)."""

    review: SeriesReview
    paths: dict[str, str] = field(default_factory=dict)
    others: int = 0  # how many other series the query found


# --- choosing the series ----------------------------------------------------------

def find_series(store: Store, query: str, version: int | None = None) -> FoundSeries:
    """The series the query finds: the newest version, or version ``version``."""
    # From a message query: notmuch builds no thread objects for it, which
    # costs a third of the export of a 300-reply thread when asked for threads.
    whole = re.fullmatch(r"thread:(\S+)", query.strip())
    thread_ids = [whole.group(1)] if whole else list(dict.fromkeys(n.thread_id for n in store.messages(query)))
    candidates: list[tuple[SeriesReview, dict[str, str]]] = []
    for tid in thread_ids:
        nodes = store.thread_messages(tid)
        paths = {n.message_id: n.path for n in nodes if not n.missing}
        candidates += [(r, paths) for r in reviews_of(nodes)]
    if not candidates:
        raise AmError(f"no patch series found by {query!r}")
    if version is not None:
        wanted = [c for c in candidates if c[0].series.version == version]
        if not wanted:
            have = sorted({c[0].series.version for c in candidates})
            raise AmError(f"no v{version} of the series found by {query!r} "
                          f"(versions found: {', '.join(f'v{v}' for v in have)})")
        candidates = wanted
    # The newest version; among equals the one found last (threads oldest first).
    best = max(range(len(candidates)), key=lambda i: (candidates[i][0].series.version, i))
    review, paths = candidates[best]
    titles = {(c[0].series.title, c[0].series.version) for c in candidates}
    return FoundSeries(review, paths, others=len(titles) - 1)


# --- one patch ------------------------------------------------------------------

def _decode(payload: bytes, charset: str | None) -> str:
    name = (charset or "").strip().strip('"').lower()
    for candidate in ([name] if name not in ("", "us-ascii", "ascii") else []) + ["utf-8"]:
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _body_text(msg: Message) -> str:
    """The text git mailinfo would read: every inline text/plain part and
    patch attachment, decoded, in order."""
    texts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        filename = part.get_filename() or ""
        is_patch = ctype in _PATCH_TYPES or filename.endswith((".patch", ".diff"))
        if (ctype == "text/plain" and disposition != "attachment") or is_patch:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                texts.append(_decode(payload, part.get_content_charset()))
    return "\n".join(texts).replace("\r\n", "\n")


def _header_text(value) -> str:
    """A header's decoded text on one line (RFC 2047 words decoded, folding undone)."""
    if value is None:
        return ""
    try:
        text = str(email.header.make_header(email.header.decode_header(str(value))))
    except (LookupError, UnicodeDecodeError, ValueError, email.errors.HeaderParseError):
        text = str(value)
    return " ".join(text.split())


def am_subject(subject: str) -> str:
    """b4's am subject: "[PATCH RFC v3 2/5] title" from whatever prefixes were sent."""
    info = parse_subject(subject)
    words = ["PATCH"]
    if info.is_rfc:
        words.append("RFC")
    if info.version > 1 or re.search(r"\bv1\b", subject, re.I):
        words.append(f"v{info.version}")
    if info.has_counter:
        words.append(f"{info.index}/{info.total}")
    return f"[{' '.join(words)}] {info.title}"


def _split_body(body: str) -> tuple[list[str], str]:
    """(commit message lines, the rest from the "---" or diff on)."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if _PATCH_START.match(line):
            return lines[:i], "\n".join(lines[i:])
    return lines, ""


def _basement(rest: str) -> str:
    """What follows the commit message, laid out as b4 writes it (so the two
    tools' files compare equal): "---", no blank lines right after it, one
    blank line at the end; a bare diff gets a blank line before it instead."""
    first, _, after = rest.partition("\n")
    if first.rstrip() == "---":
        rest = "---\n" + after.lstrip("\n")
    elif rest.startswith(("diff --git", "--- ")):
        rest = "\n" + rest
    else:
        rest = "---\n" + rest
    return rest.rstrip("\n") + "\n\n"


def _in_body_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """A patch sent for someone else starts with "From: Author <a@b>" (and
    maybe Subject:/Date:) then a blank line: git am takes the author from it."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    found: dict[str, str] = {}
    i = start
    while i < len(lines):
        m = _IN_BODY_HEADER.match(lines[i])
        if not m:
            break
        found[m.group(1).lower()] = m.group(2).strip()
        i += 1
    if found and (i == len(lines) or not lines[i].strip()):
        return found, lines[i:]
    return {}, lines


def _strip_blank_ends(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]  # trailing spaces are the author's: git keeps them, so do we


def _has_trailer_block(lines: list[str]) -> bool:
    """Whether the last paragraph holds trailers (new ones join it)."""
    last = []
    for line in reversed(lines):
        if not line.strip():
            break
        last.append(line)
    return any(_TRAILER_LINE.match(line) for line in last)


def _trailer_line(t: Trailer) -> str:
    """A collected trailer as written into the commit: a person trailer as
    "Kind: Name <address>" plus a comment that followed the address ("# for
    arm64", "(v2)", "[tag]"); anything else after the address is debris of
    the reply (a "> ---" from a broken quote) and is left out, as b4 does."""
    if not t.email or "<" not in t.value or ">" not in t.value:
        return f"{t.kind}: {t.value}"
    head, _, rest = t.value.partition(">")
    name, _, address = head.partition("<")
    line = f"{t.kind}: {name.strip()} <{address.strip()}>" if name.strip() else f"{t.kind}: <{address.strip()}>"
    comment = rest.strip()
    if comment[:1] in ("#", "(", "["):
        line += " " + comment
    return line


def trailers_to_add(patch: PatchReview, options: AmOptions) -> list[str]:
    """Collected trailer lines for one patch, in b4's order: replies to the
    patch, then replies to the cover letter, each in the order given."""
    if not options.add_trailers:
        return []
    chosen = [t for t in patch.trailers
              if t.origin in ("reply", "cover-reply") and (options.sloppy or not t.suspect)]
    chosen.sort(key=lambda t: t.origin == "cover-reply")  # stable: dates stay in order
    return [_trailer_line(t) for t in chosen]


def am_message(raw: bytes, patch: PatchReview, series: Series, options: AmOptions,
               ) -> tuple[bytes, AmPatch]:
    """One patch as git am wants it, and what was added to it."""
    # git send-email writes one text/plain part: its headers are all that
    # needs parsing (the body is decoded as it is); a full parse of every
    # line was most of the export of a 100-patch series.
    msg = _PARSER.parsebytes(raw, headersonly=True)
    if msg.get_content_maintype() == "multipart":
        msg = _PARSER.parsebytes(raw)
    body = _body_text(msg)
    message, rest = _split_body(body)
    in_body, message = _in_body_headers(message)
    message = _strip_blank_ends(message)
    own = {line.strip().lower() for line in message}

    added: list[str] = []
    for line in trailers_to_add(patch, options):
        if line.strip().lower() not in own and line not in added:
            added.append(line)
    if options.add_link:
        link = "Link: " + options.link_mask.replace("%s", patch.message_id)
        if link.lower() not in own:
            added.append(link)
    if options.signoff:
        sob = f"Signed-off-by: {options.signoff}"
        # the applier's sign-off always goes last, even if the author gave it
        message = _strip_blank_ends([line for line in message if line.strip().lower() != sob.lower()])
        added = [line for line in added if line.lower() != sob.lower()] + [sob]
    if added:
        if message and not _has_trailer_block(message):
            message.append("")
        message = message + added

    subject = am_subject(in_body.get("subject") or _header_text(msg["Subject"]))
    author = in_body.get("from") or _header_text(msg["From"])
    date = _normal_date(in_body.get("date") or _header_text(msg["Date"]))
    text = "\n".join(message) + "\n"
    if rest.strip():
        text += _basement(rest)
    out = (
        f"{_fold('Subject', subject)}\n{_fold('From', author)}\nDate: {date}\n"
        f"Message-Id: <{patch.message_id}>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\n"
        f"Content-Transfer-Encoding: {'7bit' if text.isascii() else '8bit'}\n\n" + text
    )
    return AM_FROM_LINE + out.encode("utf-8"), AmPatch(
        patch.index, patch.message_id, subject, tuple(added))


def _normal_date(date: str) -> str:
    """RFC 2822's form ("Sun, 05 Apr 2026 03:19:37 +0000", as git mailinfo and
    b4 write it); a date that does not parse is kept as sent."""
    try:
        return email.utils.format_datetime(email.utils.parsedate_to_datetime(date))
    except (TypeError, ValueError, IndexError):
        return date


def _fold(name: str, value: str, width: int = 75) -> str:
    """``Name: value`` folded at spaces to lines of at most ``width`` where it
    can be (RFC 5322 asks for short lines; b4 folds the same way, so the two
    tools' files compare equal); unfolding gives the value back."""
    line = f"{name}: {value}"
    if len(line) <= width:
        return line
    # the "_" keeps a long first word on the header's line
    wrapped = textwrap.wrap(line.replace(": ", ":_", 1), width=width, break_long_words=False,
                            break_on_hyphens=False, subsequent_indent=" ")
    return "\n".join(wrapped).replace(":_", ": ", 1)


# --- the series ---------------------------------------------------------------

def slug(series_version: int, first_patch_raw: bytes, title: str) -> str:
    """b4's extended slug: v8_20181120_dan_j_williams_mm_merge_hmm_… (at most 100 chars)."""
    msg = _PARSER.parsebytes(first_patch_raw, headersonly=True)
    address = email.utils.parseaddr(_header_text(msg["From"]))[1]
    try:
        when = email.utils.parsedate_to_datetime(_header_text(msg["Date"]))
    except (TypeError, ValueError):
        when = datetime.fromtimestamp(0, timezone.utc)
    unsafe = f"{when.strftime('%Y%m%d')}_{address.split('@')[0]}_{title}"
    name = re.sub(r"\W+", "_", unsafe).strip("_").lower()
    if series_version != 1:
        name = f"v{series_version}_{name}"
    return name[:100]


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = create_private(target.parent, ".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def build_am(found: FoundSeries, options: AmOptions,
             cancelled: Callable[[], bool] | None = None,
             progress: Callable[[int, int], None] | None = None,
             ) -> tuple[str, list[bytes], list[AmPatch], bytes | None]:
    """Everything export_am writes, in memory: (slug, patch messages, what was
    added, cover letter bytes or None). Raises AmError naming missing patches."""
    review = found.review
    series = review.series
    missing = list(series.missing)
    if missing and not options.partial:
        raise AmError(
            f"v{series.version} of {series.title!r} is missing patch"
            f"{'es' if len(missing) > 1 else ''} {', '.join(f'{i}/{series.total}' for i in missing)}"
            f"; nothing written (--partial writes the {series.total - len(missing)} that exist)")
    chunks: list[bytes] = []
    written: list[AmPatch] = []
    first_raw: bytes | None = None
    present = [p for p in review.patches if not p.missing]
    for number, patch in enumerate(present):
        if cancelled is not None and cancelled():
            raise Cancelled()
        path = found.paths.get(patch.message_id)
        try:
            if not path:
                raise FileNotFoundError(patch.message_id)
            raw = read_file(path)
        except OSError as exc:
            raise AmError(f"patch {patch.index}/{series.total} <{patch.message_id}> cannot be read "
                          f"({exc.strerror or exc}); nothing written") from exc
        first_raw = first_raw or raw
        try:
            data, info = am_message(raw, patch, series, options)
        except Exception as exc:  # the email package's failures are many and unnamed
            raise AmError(f"patch {patch.index}/{series.total} <{patch.message_id}> does not parse "
                          f"({exc}); nothing written") from exc
        chunks.append(data)
        written.append(info)
        if progress is not None:
            progress(number + 1, len(present))
    if not chunks:
        raise AmError(f"v{series.version} of {series.title!r}: no patch is in the database")
    cover_raw = None
    if series.cover_id and found.paths.get(series.cover_id):
        with contextlib.suppress(OSError):
            cover_raw = read_file(found.paths[series.cover_id])
    # b4 names the files after the cover letter when there is one
    name = slug(series.version, cover_raw or first_raw or b"", series.title)
    return name, chunks, written, cover_raw if options.cover else None


def _no_diff(data: bytes) -> bool:
    return b"\ndiff " not in data and b"\n--- a/" not in data and b"\nIndex: " not in data


def export_am(found: FoundSeries, outdir: Path | str, options: AmOptions,
              cancelled: Callable[[], bool] | None = None,
              progress: Callable[[int, int], None] | None = None) -> AmResult:
    """Write SLUG.mbx (and SLUG.cover with ``options.cover``) into ``outdir``."""
    series = found.review.series
    name, chunks, written, cover_raw = build_am(found, options, cancelled, progress)
    empty = [p.index for p, data in zip(written, chunks) if _no_diff(data)]
    if empty and not options.partial:
        raise AmError("patch " + ", ".join(f"{i}/{series.total}" for i in empty)
                      + " holds no diff; nothing written (--partial leaves it out)")
    if empty:  # as b4 does: a "patch" without a diff is not one; --partial goes on without it
        kept = [(p, data) for p, data in zip(written, chunks) if p.index not in empty]
        if not kept:
            raise AmError(f"v{series.version} of {series.title!r}: no patch holds a diff")
        written, chunks = [p for p, _ in kept], [data for _, data in kept]
    outdir = Path(outdir).expanduser()
    outdir.mkdir(parents=True, exist_ok=True)
    mbox = outdir / f"{name}.mbx"
    cover = outdir / f"{name}.cover" if cover_raw is not None else None
    if cover is not None:
        _write_atomically(cover, b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + cover_raw)
    _write_atomically(mbox, b"".join(chunks))
    key = series.cover_id or written[0].message_id
    return AmResult(
        mbox=mbox, cover=cover, version=series.version, title=series.title,
        patches=tuple(written), missing=tuple(sorted(set(series.missing) | set(empty))),
        total=series.total,
        cover_id=series.cover_id,
        link=options.link_mask.replace("%s", key),
        notes=(f"the query also found {found.others} other series; narrow it (id:MSGID) "
               "to choose",) if found.others else (),
    )


def summary(result: AmResult, threeway: bool = False) -> str:
    """What b4 am prints, for the same eyes: patches with the trailers added,
    the total, the cover, the link and the git am command."""
    lines = ["---"]
    by_index = {p.index: p for p in result.patches}
    for index in range(1, result.total + 1):
        patch = by_index.get(index)
        if patch is None:
            lines.append(f"  ERROR: missing [{index}/{result.total}]!")
            continue
        lines.append(f"  {patch.subject}")
        lines += [f"    + {line}" for line in patch.added_trailers]
    lines += ["---", f"Total patches: {len(result.patches)}", "---"]
    if result.missing:
        lines.insert(-1, "WARNING: Thread incomplete!")
    if result.cover is not None:
        lines.append(f"Cover: {result.cover}")
    lines.append(f" Link: {result.link}")
    lines.append(f"       git am {'-3 ' if threeway else ''}{result.mbox}")
    lines += [f"NOTE: {note}" for note in result.notes]
    # subjects and trailers are mail text: printable, never control sequences
    return clean("\n".join(lines)) + "\n"


def patch_messages(mbox: bytes) -> Sequence[bytes]:
    """Split an am mbox written here back into its messages (for tools and tests)."""
    parts = mbox.split(AM_FROM_LINE)
    return [p for p in parts if p]

"""Turn one mail file into a ParsedMessage: decoded headers, a plain-text body,
inline patches and a list of other attachments.

Mail is hostile or just broken often enough that nothing here raises: a
message that cannot be read or decoded comes back with what could be shown and
human ``notes`` saying what was wrong. Each header and each MIME part is read
on its own, so one bad header (raw 8-bit bytes, a charset name holding a NUL,
a date in the year 99999) or one bad part costs only that header or part and
a note, never the rest of the message. Every string returned has been through
sanitize.clean, so callers can print it.

The stdlib parser runs with the compat32 policy: the modern policy builds a
rich header object per field, several times slower, and the trailer collector
parses hundreds of messages per thread. We decode RFC 2047 ourselves, which
also lets us tolerate broken encoded words instead of failing on them.
"""
from __future__ import annotations

import codecs
import dataclasses
import email.header
import email.utils
import os
import re
from pathlib import Path
from dataclasses import dataclass
from email import errors as email_errors
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from html.parser import HTMLParser

from kreview.core.dates import header_epoch
from kreview.core.sanitize import clean, clean_line

__all__ = [
    "Attachment",
    "AttachmentInfo",
    "Headers",
    "ParsedMessage",
    "parse_message",
    "part_payload",
    "read_message",
]


@dataclass(frozen=True)
class Headers:
    message_id: str = ""  # without angle brackets
    from_: str = ""  # "Name <addr>", or just the address
    from_name: str = ""
    from_email: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    subject: str = ""
    date: str = ""  # the raw Date header, "" when absent
    date_epoch: int = 0  # 0 when absent or unparseable
    in_reply_to: str = ""  # without brackets
    references: tuple[str, ...] = ()  # without brackets, oldest first
    list_id: str = ""


@dataclass(frozen=True)
class Attachment:
    """A patch carried as a MIME part (text/x-patch, or a .patch/.diff file)."""

    filename: str
    content_type: str
    text: str  # decoded and sanitised
    size: int  # bytes after transfer decoding


@dataclass(frozen=True)
class AttachmentInfo:
    """Any other attachment: only described, never decoded for display."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ParsedMessage:
    headers: Headers
    text: str  # the plain-text body shown and quoted
    patches: tuple[Attachment, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    notes: tuple[str, ...] = ()


_PARSER = BytesParser(policy=compat32)
_MSGID = re.compile(r"<([^<>\s]+)>")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_PATCH_TYPES = frozenset({"text/x-patch", "text/x-diff", "text/patch", "text/diff"})
_DEFECT_NOTES = {
    email_errors.CloseBoundaryNotFoundDefect: "MIME structure is broken: a multipart boundary is never closed",
    email_errors.StartBoundaryNotFoundDefect: "MIME structure is broken: a multipart boundary never starts",
    email_errors.NoBoundaryInMultipartDefect: "MIME structure is broken: multipart without a boundary",
    email_errors.MultipartInvariantViolationDefect: "MIME structure is broken: multipart with no parts",
    email_errors.InvalidBase64PaddingDefect: "bad base64 in a part: decoded what could be decoded",
    email_errors.InvalidBase64CharactersDefect: "bad base64 in a part: decoded what could be decoded",
    email_errors.InvalidBase64LengthDefect: "bad base64 in a part: decoded what could be decoded",
}


def read_message(path: str | os.PathLike, *, headers_only: bool = False,
                 recipients: bool = True) -> ParsedMessage:
    """Parse the mail file at ``path``; an unreadable file gives an empty message and a note.

    A Maildir file renamed since it was indexed (another client moved it
    from new/ to cur/, or changed its flags) is found by its unique name,
    with a note saying so."""
    notes: tuple[str, ...] = ()
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError as exc:
        moved = maildir_sibling(path)
        try:
            if moved is None:
                raise exc
            with open(moved, "rb") as fh:
                raw = fh.read()
        except OSError as again:
            reason = again.strerror or again.__class__.__name__
            return ParsedMessage(Headers(), "", notes=(clean_line(f"could not read {os.fspath(path)}: {reason}"),))
        notes = (clean_line(f"the file was renamed since it was indexed: read {moved} "
                            "(`notmuch new` updates the database)"),)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return ParsedMessage(Headers(), "", notes=(clean_line(f"could not read {os.fspath(path)}: {reason}"),))
    parsed = parse_message(raw, headers_only=headers_only, recipients=recipients)
    return dataclasses.replace(parsed, notes=notes + parsed.notes) if notes else parsed


def maildir_sibling(path: str | os.PathLike) -> Path | None:
    """The file a Maildir message is now called, if it moved between new/
    and cur/ or its flags (":2,FS") changed: same folder, same unique name."""
    path = Path(path)
    if path.parent.name not in ("new", "cur"):
        return None
    unique = path.name.split(":", 1)[0]
    for folder in ("cur", "new"):
        directory = path.parent.parent / folder
        try:
            for entry in os.scandir(directory):
                if entry.name.split(":", 1)[0] == unique and entry.is_file():
                    return Path(entry.path)
        except OSError:
            continue
    return None


def parse_message(raw: bytes, *, headers_only: bool = False, recipients: bool = True) -> ParsedMessage:
    """Parse a whole RFC 5322 message. Never raises, whatever the bytes.

    With ``headers_only`` the body is not even split off into MIME parts:
    ``text`` is "" and there are no attachments, which is what a caller
    scanning hundreds of messages for their headers wants. Without
    ``recipients``, To, Cc and Reply-To are left empty: collecting trailers
    needs the sender and the text, and a kernel Cc list of fifty people is
    most of the cost of a header block.
    """
    try:
        return _parse(raw, headers_only, recipients)
    except Exception as exc:  # a last guard: the stdlib parser has surprising corners
        return ParsedMessage(Headers(), "", notes=(clean_line(f"could not parse message: {exc!r}"),))


def _parse(raw: bytes, headers_only: bool, recipients: bool = True) -> ParsedMessage:
    notes: list[str] = []
    head_end, body_start = _split_head(raw)
    flat = False
    if headers_only:
        msg = _PARSER.parsebytes(raw[:head_end], headersonly=True)
    else:
        msg, flat = _parse_whole(raw, head_end)
    headers = _headers(msg, notes, recipients)
    if headers_only:
        return ParsedMessage(headers, "", notes=tuple(_merge_latin1_notes(notes)))

    body = _Body()
    if flat:
        # Too deep for the parser: read the leaf parts without the structure.
        notes.append(_DEEP_NOTE)
        for part in _flat_parts(raw[:head_end], raw[body_start:]):
            _leaf(part, body, notes, top=False)
    else:
        _walk(msg, body, notes)
    if body.texts:
        text = "\n".join(t.rstrip("\n") for t in body.texts)
    elif body.htmls:
        text = body.htmls[0]
        notes.append("HTML-only message converted to text")
    else:
        text = ""
        if not body.patches:
            notes.append("no text part in this message")
    for defect in body.defects:
        note = _DEFECT_NOTES.get(type(defect))
        if note and note not in notes:
            notes.append(note)
    return ParsedMessage(
        headers=headers,
        text=clean(text.rstrip("\n")),
        patches=tuple(body.patches),
        attachments=tuple(body.attachments),
        notes=tuple(clean_line(n) for n in dict.fromkeys(_merge_latin1_notes(notes))),
    )


# --- structure too deep for the stdlib parser ------------------------------

def _split_head(raw: bytes) -> tuple[int, int]:
    """(end of the header block, start of the body): the first blank line,
    LF or CRLF. Without one, the whole message is header. (str.find: a
    regex search for the blank line costs more than the header parse.)"""
    found = [(i, i + 2) for i in (raw.find(b"\n\n"),) if i >= 0]
    found += [(i, i + 3) for i in (raw.find(b"\n\r\n"),) if i >= 0]
    if not found:
        return len(raw), len(raw)
    end, start = min(found)
    return (end - 1 if end and raw[end - 1:end] == b"\r" else end), start


def _parse_whole(raw: bytes, head_end: int) -> tuple[Message, bool]:
    """The parsed message, and whether its body must be read flat (its
    multipart structure is too deep for the stdlib parser)."""
    if not _too_deep(raw):
        try:
            return _PARSER.parsebytes(raw), False
        except RecursionError:  # the stdlib parser recurses once per nesting level
            pass
    head = _PARSER.parsebytes(raw[:head_end], headersonly=True)
    if head.get_content_maintype() in ("multipart", "message"):
        return head, True
    try:  # a single text part that merely talks about multiparts
        return _PARSER.parsebytes(raw), False
    except RecursionError:
        return head, True


_DEEP_NOTE = "MIME structure nested too deep to follow: showing the parts found in it, without their structure"
_MULTIPART_TYPE = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE | re.MULTILINE)
_BOUNDARY_PARAM = re.compile(rb"""boundary[ \t]*=[ \t]*(?:"([^"\r\n]*)"|([^\s;"]+))""", re.IGNORECASE)
_PART_HEAD = re.compile(rb"^[!-9;-~]+:")  # a part starts with a header line
# The stdlib parser recurses once per nested multipart (and the default
# recursion limit is 1000 frames); real mail nests a handful deep. Past this
# many multipart headers, parts are read flat.
MAX_MULTIPARTS = 200


def _too_deep(raw: bytes) -> bool:
    if raw.count(b"ultipart/") + raw.count(b"ULTIPART/") <= MAX_MULTIPARTS:
        return False  # the usual case, found at memchr speed; odd casing still meets RecursionError below
    count = 0
    for _ in _MULTIPART_TYPE.finditer(raw):
        count += 1
        if count > MAX_MULTIPARTS:
            return True
    return False


def _flat_parts(head: bytes, body: bytes) -> list[Message]:
    """The leaf parts of a multipart body, found by its boundary lines
    alone: every segment between two boundaries that is not itself a
    multipart. Linear in the size of the body, whatever the nesting."""
    boundaries = {m.group(1) if m.group(1) is not None else m.group(2)
                  for m in _BOUNDARY_PARAM.finditer(head + b"\n" + body)}
    boundaries.discard(b"")
    segments: list[list[bytes]] = [[]]
    for line in body.split(b"\n"):
        if line.startswith(b"--"):
            key = line[2:].rstrip()
            if key in boundaries or (key.endswith(b"--") and key[:-2] in boundaries):
                segments.append([])
                continue
        segments[-1].append(line)
    parts = []
    for segment in segments[1:]:  # the first is the preamble
        data = b"\n".join(segment)
        if not _PART_HEAD.match(data):
            continue
        part = _PARSER.parsebytes(data, headersonly=True)
        if part.get_content_maintype() in ("multipart", "message"):
            continue
        parts.append(part)
    return parts


# --- headers -------------------------------------------------------------


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not part of valid UTF-8 is read as Latin-1."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("kreview-latin1", _latin1_fallback)


_LATIN1_NOTE = "headers with 8-bit bytes that are not UTF-8, read as Latin-1: "


def _merge_latin1_notes(notes: list[str]) -> list[str]:
    """One note naming every header read as Latin-1, where it was first met."""
    names = [n[len(_LATIN1_NOTE):] for n in notes if n.startswith(_LATIN1_NOTE)]
    if len(names) < 2:
        return notes
    first = next(i for i, n in enumerate(notes) if n.startswith(_LATIN1_NOTE))
    rest = [n for n in notes if not n.startswith(_LATIN1_NOTE)]
    rest.insert(first, _LATIN1_NOTE + ", ".join(dict.fromkeys(names)))
    return rest


def _raw_header(msg: Message, name: str, notes: list[str] | None = None) -> str | None:
    """The first ``name`` header, unfolded, with 8-bit bytes read as UTF-8
    (see :func:`_unfold`)."""
    lowered = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == lowered:
            return _unfold(value, name, notes)
    return None


def _first_headers(msg: Message) -> dict[str, str]:
    """Lower-cased name -> the first raw value of each header: one pass over
    the header block instead of one per header looked up."""
    first: dict[str, str] = {}
    for key, value in msg.raw_items():
        first.setdefault(key.lower(), value)
    return first


def _unfold(value, name: str, notes: list[str] | None) -> str:
    """A raw header value unfolded, with 8-bit bytes read as UTF-8.

    compat32 hands back header bytes it could not read as ASCII as surrogate
    escapes; senders who put raw 8-bit in headers almost always meant UTF-8.
    Bytes that are not valid UTF-8 (a Latin-1 file name) are read as Latin-1,
    with a note: the header is shown, perhaps with a wrong letter, never lost.
    """
    if not isinstance(value, str):
        value = str(value)
    if not value.isascii():
        data = value.encode("utf-8", "surrogateescape")
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError:
            value = data.decode("utf-8", "kreview-latin1")
            if notes is not None:
                notes.append(_LATIN1_NOTE + name)
    return _FOLD.sub("", value).strip()


def _decode_words(value: str, notes: list[str] | None = None, what: str = "") -> str:
    """Decode RFC 2047 encoded words; broken ones are left as written, and a
    word in an unknown charset is decoded as UTF-8 with a note."""
    if "=?" not in value:
        return value
    try:
        parts = email.header.decode_header(value)
    except Exception:
        return value
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            text, note = _decode_bytes(chunk, charset or "ascii")
            if note and notes is not None:
                notes.append(f"{what}: {note}" if what else note)
            out.append(text)
    return "".join(out)


_ADDRESS_PARTS = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^,"])+')
_PLAIN_ADDRESS = re.compile(
    r'\s*(?:(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<name>[^<>"]*?))\s*<(?P<angle>[^<>\s]*)>|(?P<bare>[^<>\s"]+))\s*')
_NEEDS_FULL_PARSER = re.compile(r"[()\\;:]")


def split_addresses(raw: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of an address header, as
    email.utils.getaddresses gives them. Kernel mail carries Cc lists of
    dozens of people, and getaddresses takes several ms on one of them: the
    common shapes ('Name <addr>', '"Last, First" <addr>', 'addr', with no
    comments, groups or escapes) are split here, anything else goes to
    getaddresses."""
    if not _NEEDS_FULL_PARSER.search(raw):
        pairs = []
        for part in _ADDRESS_PARTS.findall(raw):
            if not part.strip():
                continue
            match = _PLAIN_ADDRESS.fullmatch(part)
            if match is None or "@" in (match["name"] or ""):
                break  # odd shapes (an address as the name, too) keep getaddresses' reading
            if match["bare"] is not None:
                pairs.append(("", match["bare"]))
            elif match["quoted"] is not None:
                pairs.append((match["quoted"], match["angle"]))
            else:
                pairs.append((" ".join((match["name"] or "").split()), match["angle"]))
        else:
            return pairs
    return email.utils.getaddresses([raw])


_LAST_ANGLE = re.compile(r"^(?P<name>.*)<(?P<addr>[^<>\s]*)>\s*$", re.DOTALL)


def _lenient_addresses(raw: str) -> list[tuple[str, str]]:
    """What a reader sees in an address header the RFC parser gave up on:
    comma-separated "Name <addr>" or bare addresses, whatever the name holds."""
    pairs = []
    for part in _ADDRESS_PARTS.findall(raw):
        part = part.strip()
        whole = _LAST_ANGLE.match(part)
        if whole:
            pairs.append((whole["name"].strip().strip('"').strip(), whole["addr"]))
        elif part:
            pairs.append(("", part))
    return pairs


def _addresses(first: dict[str, str], name: str, notes: list[str] | None = None) -> list[tuple[str, str]]:
    value = first.get(name.lower())
    raw = _unfold(value, name, notes) if value is not None else None
    if not raw:
        return []
    try:
        # Split on the raw value: an encoded name may decode to text with commas.
        pairs = split_addresses(raw)
    except Exception:
        pairs = [("", "?")]
    if any(addr and "@" not in addr for _, addr in pairs):
        # Control bytes or stray specials (the ";" and "[" of an escape
        # sequence read as a group end, a domain literal) send the parser
        # astray where a reader still sees "Name <addr>".
        pairs = _lenient_addresses(raw)
    out = []
    for display, addr in pairs:
        if display or addr:
            out.append((clean_line(_decode_words(display, notes, name)).strip(), clean_line(addr).strip()))
    return out


def _format_address(display: str, addr: str) -> str:
    if display and addr:
        return f"{display} <{addr}>"
    return display or addr


def _headers(msg: Message, notes: list[str], recipients: bool = True) -> Headers:
    def guarded(name: str, read, empty):
        # One header that cannot be read costs that header, with a note.
        try:
            return read(name)
        except Exception as exc:
            notes.append(f"the {name} header could not be read ({exc.__class__.__name__}): left out")
            return empty

    first = _first_headers(msg)

    def raw_value(name: str) -> str:
        value = first.get(name.lower())
        return _unfold(value, name, notes) if value is not None else ""

    def text(name: str) -> str:
        raw = raw_value(name)
        return clean_line(_decode_words(raw, notes, name)).strip() if raw else ""

    def ids(name: str) -> tuple[str, ...]:
        raw = raw_value(name)
        found = _MSGID.findall(raw) or raw.split()
        return tuple(clean_line(i) for i in found)

    def addresses(name: str) -> tuple[str, ...]:
        return tuple(_format_address(*p) for p in _addresses(first, name, notes))

    from_pairs = guarded("From", lambda n: _addresses(first, n, notes), [])
    from_name, from_email = from_pairs[0] if from_pairs else ("", "")
    if not from_pairs:
        notes.append("no From header")

    date = guarded("Date", text, "")
    epoch = 0
    if not date:
        notes.append("no Date header")
    else:
        epoch = header_epoch(date)
        if not epoch:
            try:
                readable = email.utils.parsedate_tz(date) is not None
            except Exception:
                readable = False
            notes.append(f'Date header "{date}" is out of range: treated as undated' if readable
                         else f'unparseable Date header "{date}": treated as undated')

    message_id = guarded("Message-ID", ids, ())
    in_reply_to = guarded("In-Reply-To", ids, ())
    return Headers(
        message_id=message_id[0] if message_id else "",
        from_=_format_address(from_name, from_email),
        from_name=from_name,
        from_email=from_email,
        to=guarded("To", addresses, ()) if recipients else (),
        cc=guarded("Cc", addresses, ()) if recipients else (),
        reply_to=guarded("Reply-To", addresses, ()) if recipients else (),
        subject=guarded("Subject", text, ""),
        date=date,
        date_epoch=epoch,
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=guarded("References", ids, ()),
        list_id=guarded("List-Id", text, ""),
    )


# --- body ----------------------------------------------------------------


class _Body:
    """What the MIME walk collects; only lives during one parse."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.patches: list[Attachment] = []
        self.attachments: list[AttachmentInfo] = []
        self.defects: list[email_errors.MessageDefect] = []


def _walk(msg: Message, body: _Body, notes: list[str]) -> None:
    """Every part, depth first, without recursion: a mail can nest
    multiparts hundreds deep and still be parsed by the stdlib."""
    stack: list[tuple[Message, bool]] = [(msg, True)]
    while stack:
        part, top = stack.pop()
        try:
            ctype = part.get_content_type()
            multipart = part.is_multipart()
        except Exception:
            ctype, multipart = "application/octet-stream", False
        if multipart:
            body.defects.extend(part.defects)
            children = part.get_payload()
            if not isinstance(children, list):
                continue
            if ctype == "message/rfc822":
                # A forwarded mail: listed, not flattened into this body.
                body.attachments.append(AttachmentInfo(_params(part, notes).filename or "forwarded message",
                                                       ctype, _size(part)))
                continue
            if ctype == "multipart/alternative":
                plain = [c for c in children if isinstance(c, Message) and _content_type(c) == "text/plain"]
                if plain:
                    children = plain[:1]
            stack.extend((child, False) for child in reversed(children) if isinstance(child, Message))
            continue
        _leaf(part, body, notes, top=top)
        body.defects.extend(part.defects)  # after: decoding base64 records its defects


def _leaf(part: Message, body: _Body, notes: list[str], *, top: bool) -> None:
    """One non-multipart part; if it cannot be read only it is lost, with a note."""
    try:
        _read_leaf(part, body, notes, top)
    except Exception as exc:
        notes.append(f"a {clean_line(_content_type(part))} part could not be read "
                     f"({exc.__class__.__name__}): left out")


def _read_leaf(part: Message, body: _Body, notes: list[str], top: bool) -> None:
    params = _params(part, notes)
    ctype, filename, disposition = params.content_type, params.filename, params.disposition
    lowered = filename.lower()
    is_patch = ctype in _PATCH_TYPES or (
        ctype.startswith("text/") and lowered.endswith((".patch", ".diff"))
    )
    if ctype.startswith("multipart/"):
        # A multipart the parser could not split (no boundary, or one that
        # never appears): its body is still the text the sender wrote.
        ctype, disposition = "text/plain", "inline"
        notes.append("a multipart part could not be split into its parts: shown as plain text")
    if is_patch:
        payload = part_payload(part)
        text = _decode_part(payload, params.charset, notes, what=filename or ctype)
        body.patches.append(Attachment(clean_line(filename), ctype, clean(text), len(payload)))
    elif ctype == "text/plain" and (disposition != "attachment" or top):
        body.texts.append(_decode_part(part_payload(part), params.charset, notes, what="body"))
    elif ctype == "text/html" and disposition != "attachment":
        html = _decode_part(part_payload(part), params.charset, notes, what="HTML body")
        body.htmls.append(_html_to_text(html))
    else:
        body.attachments.append(AttachmentInfo(clean_line(filename), clean_line(ctype), _size(part)))


@dataclass(frozen=True)
class _PartParams:
    content_type: str
    charset: str | None
    disposition: str
    filename: str


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


_PARAM_HEADERS = ("content-type", "content-disposition")


def _params(part: Message, notes: list[str]) -> _PartParams:
    """A part's type, charset, disposition and file name, read from its
    Content-Type/Content-Disposition decoded as text first.

    compat32 hands a header with raw 8-bit bytes (a Latin-1 file name) back
    as a Header object that its own parameter code cannot always read; a copy
    of the two headers as plain strings can be."""
    view = part
    # compat32 returns a header holding raw 8-bit bytes as a Header object
    if not all(isinstance(part.get(name, ""), str) for name in _PARAM_HEADERS):
        view = Message()
        for name in ("Content-Type", "Content-Disposition"):
            value = _raw_header(part, name, notes)
            if value is not None:
                view[name] = value
        view.set_default_type(part.get_default_type())  # message/rfc822 inside multipart/digest
    ctype = view.get_content_type()
    try:
        charset = view.get_content_charset()
    except Exception:
        charset = None
    disposition = (view.get("Content-Disposition") or "").split(";", 1)[0].strip().lower()
    try:
        name = view.get_filename() or view.get_param("name") or ""
        if isinstance(name, tuple):  # RFC 2231 value compat32 failed to collapse
            name = email.utils.collapse_rfc2231_value(name)
        filename = _decode_words(str(name), notes, "attachment file name")
    except Exception:
        filename = ""
    return _PartParams(ctype, charset, disposition, filename)


def part_payload(part: Message) -> bytes:
    """A MIME part's bytes, transfer encoding undone; a part Python cannot
    decode gives its text as written, never an exception."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""


def _size(part: Message) -> int:
    if part.is_multipart():
        return len(part.as_bytes()) if _safe_as_bytes(part) else 0
    return len(part_payload(part))


def _safe_as_bytes(part: Message) -> bool:
    try:
        part.as_bytes()
    except Exception:
        return False
    return True


def _decode_part(payload: bytes, charset: str | None, notes: list[str], *, what: str) -> str:
    text, note = _decode_bytes(payload, charset)
    if note:
        notes.append(f"{what}: {note}")
    return text.replace("\r\n", "\n")


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str]:
    """Decode ``data``; return the text and a note ("" when all went well).

    No charset or plain ASCII declared but 8-bit bytes present: the sender
    almost always meant UTF-8, so that is tried before falling back.
    """
    name = (charset or "").strip().strip('"').lower()
    if name in ("", "us-ascii", "ascii", "unknown-8bit", "x-unknown"):
        try:
            return data.decode("utf-8"), ""
        except UnicodeDecodeError:
            if name in ("", "us-ascii", "ascii"):
                return data.decode("latin-1"), ""
    try:
        info = codecs.lookup(name)
        if not getattr(info, "_is_text_encoding", True):
            raise LookupError(name)
    except (LookupError, ValueError, TypeError):  # ValueError: a NUL in the name
        return data.decode("utf-8", "replace"), f'unknown charset "{name}", shown with replacement characters'
    try:
        return data.decode(info.name), ""
    except UnicodeDecodeError:
        return data.decode(info.name, "replace"), f"not valid {name}: bad bytes shown as replacement characters"
    except Exception:
        return data.decode("utf-8", "replace"), f'charset "{name}" failed, shown with replacement characters'


# --- HTML-only mail ------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "p div br tr table ul ol li h1 h2 h3 h4 h5 h6 pre blockquote hr dl dt dd section article header footer".split()
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template"})


class _HtmlText(HTMLParser):
    """Readable text from HTML: no tags, no scripts, link targets written inline.

    Nothing is fetched: images become "[image: alt]" and only their alt text
    is shown. <blockquote> becomes "> " quoting so replies from HTML mailers
    still fold like any other quote.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.pre = 0
        self.quote = 0
        self.links: list[tuple[str, int]] = []

    def _break(self) -> None:
        line = "".join(self.current)
        if not self.pre:
            line = " ".join(line.split())
        prefix = "> " * self.quote
        if line or (self.lines and self.lines[-1].strip("> ")):
            self.lines.append((prefix + line).rstrip() if line else prefix.rstrip())
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len("".join(self.current))))
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            self.current.append(f"[image: {alt}]" if alt else "[image]")
        elif tag in _BLOCK_TAGS:
            self._break()
            if tag == "pre":
                self.pre += 1
            elif tag == "blockquote":
                self.quote += 1
            elif tag == "li":
                self.current.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(self.skip - 1, 0)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.current)[start:].strip()
            if href and href != shown and not href.startswith("#"):
                self.current.append(f" <{href}>")
        elif tag in _BLOCK_TAGS:
            self._break()
            if tag == "pre":
                self.pre = max(self.pre - 1, 0)
            elif tag == "blockquote":
                self.quote = max(self.quote - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self.current.append(first)
            for piece in rest:
                self._break()
                self.current.append(piece)
        else:
            self.current.append(data)


_TAG = re.compile(r"<[^>]*>")


def _html_to_text(html: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
        parser._break()
    except Exception:  # HTMLParser has raised on odd input in some Pythons
        return _TAG.sub(" ", html)
    return "\n".join(parser.lines).strip("\n")


# --- a fast path for bodies that need no MIME work ---------------------------

_CONTENT_TYPE = re.compile(rb"^content-type:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.IGNORECASE | re.MULTILINE)
_TRANSFER = re.compile(rb"^content-transfer-encoding:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
_CHARSET = re.compile(rb"""charset\s*=\s*"?([\w.:-]+)""", re.IGNORECASE)


def plain_text_body(path: str | os.PathLike) -> str | None:
    """The body of a single-part text/plain message in 7bit/8bit, decoded and
    sanitised, or None when the message needs the full parser (multipart,
    base64, quoted-printable, an unknown charset, an unreadable file).

    Collecting a series' trailers reads hundreds of replies; nearly all are
    plain text, and this skips the email package for them (several times
    faster) while giving the same ``text`` as :func:`read_message`.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    end = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    if crlf >= 0 and (end < 0 or crlf < end):
        head, body = raw[:crlf], raw[crlf + 4:]
    elif end >= 0:
        head, body = raw[:end], raw[end + 2:]
    else:
        return None
    charset = ""
    content_type = _CONTENT_TYPE.search(head)
    if content_type:
        value = content_type.group(1)
        if not value.strip().lower().startswith(b"text/plain"):
            return None
        found = _CHARSET.search(value)
        if found:
            charset = found.group(1).decode("ascii", "replace")
    transfer = _TRANSFER.search(head)
    if transfer and transfer.group(1).lower() not in (b"7bit", b"8bit", b"binary"):
        return None
    text, note = _decode_bytes(body, charset)
    if note:
        return None  # the full parser explains what was wrong with it
    return clean(text.replace("\r\n", "\n").rstrip("\n"))

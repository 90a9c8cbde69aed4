"""Build a reply the way kernel lists expect it: bottom-posted, quoted with
``> ``, the whole Cc kept on reply-all, threading headers right.

Every header value taken from the parent goes through :func:`header_safe`
and is set through :class:`email.message.EmailMessage` with Address objects,
so a name or subject carrying line breaks cannot add headers, and a
non-ASCII name (Jérôme) is written as a correct RFC 2047 encoded word.

Nothing in the parent makes building a reply fail or crawl: a Date out of
range is treated as missing (the attribution then names only the sender),
and To/Cc are written in time linear in the number of recipients.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from kreview.core.dates import header_datetime, usable_epoch
from kreview.core.grammar import strip_reply_markers
from kreview.core.model import Identity
from kreview.core.parse import Headers, ParsedMessage, read_message

REVIEW_TRAILERS = {
    "reviewed-by": "Reviewed-by",
    "acked-by": "Acked-by",
    "tested-by": "Tested-by",
}

# A msg-id as RFC 5322 writes one: printable ASCII, no brackets or spaces.
# Anything else (an ID whose controls parse.py made visible) cannot be
# written back as the parent had it, so it is left out of the threading headers.
_MSGID_OK = re.compile(r"^[\x21-\x3b\x3d\x3f-\x7e]+$")
# RFC 5322's hard line limit instead of the 78-column soft one: the stdlib
# cannot fold inside a Message-ID, so a kernel-length ID (stgit's run past
# 80 characters) in In-Reply-To/References would come out as an RFC 2047
# encoded word, which no threading code understands. Long headers still
# fold, at spaces, past 998.
DRAFT_POLICY = policy.default.clone(max_line_length=998)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def header_safe(value: str) -> str:
    """One header line from untrusted text: control characters (CR, LF, ESC,
    line/paragraph separators) become spaces and runs of space collapse."""
    if not value.isprintable():  # printable text has none of them: skip the per-character look
        value = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    return " ".join(value.split())


def reply_subject(subject: str) -> str:
    """``Re: <subject>`` with exactly one Re:, whatever prefixes were stacked."""
    # Any run of reply markers, in the spellings mail clients use (Outlook's
    # RE:, German Aw:, Re[2]:; grammar.REPLY_MARKER), becomes one "Re: ".
    return "Re: " + strip_reply_markers(header_safe(subject))


def split_address(text: str) -> tuple[str, str]:
    """``("Name", "addr")`` from parse.py's ``Name <addr>`` form.

    The last ``<`` starts the address: an address cannot contain one, a
    display name ("Williams, Dan") may contain anything else.
    """
    text = header_safe(text)
    if text.endswith(">") and "<" in text:
        cut = text.rfind("<")
        return text[:cut].strip().strip('"').strip(), text[cut + 1 : -1].strip()
    return "", text.strip()


# The common address shape, which Address can take without its parser.
_SIMPLE_ADDR = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                          r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def make_address(name: str, addr: str) -> Address | None:
    """An Address, or None for something that is not one (a group marker, junk).

    The draft's headers are ASCII (non-ASCII names become RFC 2047 words), so
    an address must be ASCII too: an international domain is written in its
    IDNA form; a non-ASCII local part cannot be written and is left out."""
    name, addr = header_safe(name), header_safe(addr)
    if "@" not in addr:
        return None
    if not addr.isascii():
        local, _, domain = addr.rpartition("@")
        try:
            addr = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError:
            return None
        if not addr.isascii():
            return None
    if _SIMPLE_ADDR.fullmatch(addr):
        local, _, domain = addr.partition("@")
        return _address(name, username=local, domain=domain)
    found = _address(name, addr_spec=addr)
    if found is None:
        local, _, domain = addr.rpartition("@")
        found = _address(name, username=local, domain=domain)
    return found


def _address(name: str, **parts: str) -> Address | None:
    try:
        return Address(display_name=name, **parts)
    except Exception:  # the stdlib's HeaderParseError is no ValueError: junk is "not an address"
        return None


def _addresses(values: tuple[str, ...]) -> list[Address]:
    found = (make_address(*split_address(v)) for v in values)
    return [a for a in found if a is not None]


def reply_from(headers: Headers, identity: Identity) -> Address:
    """The user's address to reply from: the one of theirs the parent was
    sent to (as ``notmuch reply`` picks it), else the primary address."""
    if not identity.primary_email:
        raise ValueError("no email address configured for you (user.primary_email in the notmuch config)")
    chosen = identity.primary_email
    mine = {e.lower(): e for e in (identity.primary_email, *identity.other_emails) if e}
    for value in (*headers.to, *headers.cc, headers.from_):
        _, addr = split_address(value)
        if addr.lower() in mine:
            chosen = mine[addr.lower()]  # as configured, not as the sender spelled it
            break
    address = make_address(identity.name, chosen)
    if address is None:
        raise ValueError(f"your configured address {chosen!r} is not a valid email address")
    return address


def reply_recipients(headers: Headers, identity: Identity, reply_all: bool) -> tuple[list[Address], list[Address]]:
    """(To, Cc) for a reply: To = Reply-To or From; on reply-all Cc = every
    other To/Cc recipient. Yourself and duplicates (addresses compared
    case-insensitively) are left out.

    Answering your own message goes to the people it was sent to, as mutt
    and notmuch do, instead of to yourself.
    """
    from_ = _addresses((headers.from_,)) if headers.from_ else []
    reply_to = _addresses(headers.reply_to)
    to_list = _addresses(headers.to)
    cc_list = _addresses(headers.cc)
    mine = {e.lower() for e in (identity.primary_email, *identity.other_emails) if e}
    own = not reply_to and bool(from_) and all(a.addr_spec.lower() in mine for a in from_)
    if own:
        primary, others = to_list, cc_list
    else:
        primary, others = (reply_to or from_), (to_list + cc_list if reply_all else [])
    seen: set[str] = set()

    def keep(addresses: list[Address]) -> list[Address]:
        out = []
        for address in addresses:
            key = address.addr_spec.lower()
            if key in seen or key in mine:
                continue
            seen.add(key)
            out.append(address)
        return out

    to = keep(primary)
    cc = keep(others) if reply_all or own else []
    if not to and cc:
        to, cc = cc[:1], cc[1:]
    return to, cc


def attribution(headers: Headers) -> str:
    """mutt's kernel-style line: ``On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:``.

    The time is shown in the sender's own zone, as their Date header has it;
    names are English whatever the locale, as on the lists.
    """
    name, addr = split_address(headers.from_)
    who = name or addr or "someone"
    when = header_datetime(headers.date)  # None when absent or out of range
    if when is None and usable_epoch(headers.date_epoch):
        when = datetime.fromtimestamp(headers.date_epoch, timezone.utc)
    if when is None:
        return f"{who} wrote:"
    hour = when.hour % 12 or 12
    stamp = (
        f"{_DAYS[when.weekday()]}, {_MONTHS[when.month - 1]} {when.day:02d}, {when.year} at "
        f"{hour:02d}:{when.minute:02d}:{when.second:02d}{'AM' if when.hour < 12 else 'PM'} "
        f"{when.strftime('%z')}"
    )
    return f"On {stamp}, {who} wrote:"


def strip_signature(text: str) -> str:
    """The text above the last ``-- `` line (a mail signature, or git's
    version footer on a patch)."""
    lines = text.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        if lines[i] == "-- ":
            return "\n".join(lines[:i]).rstrip("\n")
    return text.rstrip("\n")


def quote(text: str) -> str:
    """Prefix each line as mutt does: ``> `` before text, a bare ``>`` before
    a line that is already a quote (``>> ``) and on empty lines, so no quoted
    line ends in trailing whitespace."""
    out = []
    for line in text.split("\n"):
        if not line or line.startswith(">"):
            out.append(">" + line)
        else:
            out.append("> " + line)
    return "\n".join(out)


def trailer_line(kind: str, author: Address) -> str:
    """``Reviewed-by: Name <email>`` for ``kind`` given as ``reviewed-by`` or ``Reviewed-by``."""
    canonical = REVIEW_TRAILERS.get(kind.lower())
    if canonical is None:
        raise ValueError(f"unknown trailer {kind!r}: use one of {', '.join(REVIEW_TRAILERS)}")
    name = author.display_name
    return f"{canonical}: {name} <{author.addr_spec}>" if name else f"{canonical}: <{author.addr_spec}>"


def _address_item(address: Address) -> str:
    """One address as it goes into a To/Cc line: ASCII as written (quoted
    where needed), anything else RFC 2047-encoded by the stdlib, one address
    at a time."""
    text = str(address)
    if text.isascii() and len(text) < 200:
        return text
    try:
        folded = DRAFT_POLICY.header_factory("Cc", [address]).fold(policy=DRAFT_POLICY)
    except Exception:  # the stdlib's folder has corners; the bare address always goes
        return address.addr_spec
    return folded[len("Cc: "):].rstrip("\r\n")


def _folded_list(items: list[str], separator: str) -> str:
    """``items`` joined by ``separator``, folded before an item that would
    take a line past DRAFT_POLICY's limit (the stdlib then keeps the lines
    as they are instead of re-parsing the whole header)."""
    limit = DRAFT_POLICY.max_line_length - len("References: ") - 2
    lines: list[str] = []
    line = ""
    for item in items:
        if line and len(line) + len(separator) + len(item) > limit:
            lines.append(line + separator.rstrip())
            line = item
        else:
            line = f"{line}{separator}{item}" if line else item
    lines.append(line)
    return "\n ".join(lines)


def _set_addresses(msg: EmailMessage, name: str, addresses: list[Address]) -> None:
    # Setting an address list through the stdlib re-parses the whole header,
    # in time quadratic in its length (a 20,000-address Cc took 35 s): the
    # line is built here, one address at a time, and stored as written.
    msg.set_raw(name, _folded_list([_address_item(a) for a in addresses], ", "))


def _references(headers: Headers) -> list[str]:
    # RFC 5322 3.6.4: the parent's References (or, lacking them, its
    # In-Reply-To) followed by the parent's Message-ID.
    chain = list(headers.references) or ([headers.in_reply_to] if headers.in_reply_to else [])
    chain.append(headers.message_id)
    ids = [header_safe(i) for i in chain]
    return list(dict.fromkeys(i for i in ids if _MSGID_OK.match(i)))


def build_reply(
    parent: ParsedMessage,
    identity: Identity,
    *,
    reply_all: bool = False,
    trailer: str | None = None,
    quote_text: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The reply draft to ``parent``, ready to be written and edited.

    ``trailer`` ("reviewed-by", "acked-by", "tested-by") puts that line, with
    your name and the address you reply from, below the quote. ``quote_text``
    (e.g. one hunk with its file header) is quoted instead of the whole body.
    """
    headers = parent.headers
    sender = reply_from(headers, identity)
    to, cc = reply_recipients(headers, identity, reply_all)
    msg = EmailMessage(policy=DRAFT_POLICY)
    msg["Date"] = format_datetime((now or datetime.now(timezone.utc)).astimezone())
    msg["From"] = sender
    if to:
        _set_addresses(msg, "To", to)
    if cc:
        _set_addresses(msg, "Cc", cc)
    msg["Subject"] = reply_subject(headers.subject)
    message_id = header_safe(headers.message_id)
    if _MSGID_OK.match(message_id):
        msg["In-Reply-To"] = f"<{message_id}>"
    references = _references(headers)
    if references:
        # As the addresses: a hostile parent can carry thousands of references.
        msg.set_raw("References", _folded_list([f"<{i}>" for i in references], " "))
    msg["Message-ID"] = make_msgid(domain=sender.domain or None)

    quoted_source = quote_text if quote_text is not None else strip_signature(parent.text)
    body = attribution(headers) + "\n" + quote(quoted_source.rstrip("\n")) + "\n\n"
    if trailer:
        body += trailer_line(trailer, sender) + "\n"
    # Always UTF-8 and 8bit: the user edits this file as text, and whatever
    # they type stays valid (a 7bit/us-ascii declaration would not survive an
    # "é"); the stdlib would otherwise pick quoted-printable for long diff lines.
    msg.set_content(body, charset="utf-8", cte="8bit")
    return msg


def reply_to_message(store, message_id: str, identity: Identity | None = None, **options) -> EmailMessage:
    """Read ``message_id``'s file through the store and build the reply to it."""
    path = store.file_of(message_id)
    if path is None:
        raise ValueError(f"message {message_id} is not in the database")
    parent = read_message(path)
    return build_reply(parent, identity or store.identity, **options)

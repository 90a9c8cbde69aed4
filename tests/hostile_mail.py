"""A deterministic corpus of hostile and broken mail, written as a Maildir.

Anyone can mail a list a reviewer reads, so every header and every body part
of these messages carries what an attacker or a broken mailer would put
there: terminal escape and control sequences, Textual/Rich markup, bidi
controls, dates out of range, raw 8-bit header bytes, charset names holding a
NUL, broken base64/quoted-printable, multipart nesting thousands deep, missing
boundaries, a 1 MB line, a huge header, 20,000 Cc recipients, and a patch
series whose patches and replies carry all of that around their trailers.

``write_hostile_maildir(dest)`` writes ``dest/{cur,new,tmp}`` and returns one
:class:`HostileCase` per message, saying what it attacks and which literal
texts must show (as themselves: never eaten as markup, never blank). The
bytes are the same on every run, and the whole corpus is ~3 MB so indexing
it takes a few seconds.

Use it as ``build_database(dest, root)`` (kreview.core.demo) to get a real
notmuch database of it, then query each case by ``case.query``.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CONTROL_SEQUENCES",
    "HostileCase",
    "MARKUP",
    "SERIES",
    "visible_fragments",
    "write_hostile_maildir",
]

# What a hostile sender puts in text, by name. Each must reach the terminal
# only as visible text, never as a control sequence.
CONTROL_SEQUENCES = {
    "csi": "\x1b[2J\x1b[31m",  # clear screen, red
    "osc-title": "\x1b]0;pwned-title\x07",  # set the terminal title, BEL-terminated
    "osc-link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "c1-csi": "\x9b2J",  # one-byte CSI (U+009B)
    "bel": "\x07",
    "backspace": "\x08\x08\x08",
    "cr": "\rOVERWRITTEN",
    "bidi-rlo": "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "bidi-lri": "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "bidi-pdi": "\u2069",
}
ALL_CONTROLS = "".join(CONTROL_SEQUENCES.values())

# Text that Textual/Rich would read as markup if it were ever handed over as such.
MARKUP = (
    "[PATCH] scripts: fix [/dev/null] handling",
    "[PATCH v2] net: fix foo",
    "[link=https://evil.example]x[/link]",
    "[@click=app.quit]x[/]",
    "[bold red]",
)

DOMAIN = "hostile.example"
_BASE_EPOCH = 1_700_000_000
# Raw control bytes and invisible format controls no output may carry.
_SPLIT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+")


def visible_fragments(text: str) -> tuple[str, ...]:
    """The runs of ``text`` between control characters: what must show, in
    order, whatever visible form a sanitiser gives the controls themselves."""
    return tuple(part for part in _SPLIT.split(text) if part.strip())


@dataclass(frozen=True)
class HostileCase:
    name: str  # short and unique, e.g. "escapes-in-headers"
    filename: str  # the file under dest/cur
    message_id: str  # the Message-ID notmuch indexes (a clean one where the header is the attack)
    attacks: str  # what it attacks, for a person reading a failure
    # (field, literal) pairs that must show as themselves. Fields: "from",
    # "to", "cc", "subject", "date", "message_id", "in_reply_to", "body",
    # "attachment" (a file name), "trailer" (a trailer's value).
    shows: tuple[tuple[str, str], ...] = ()
    expects_note: bool = False  # something is broken: a visible note must say so
    series_role: str = ""  # "cover", "patch 1"..., "reply" for the hostile series
    raw_message_id_header: str = ""  # what the Message-ID header said, when that is the attack
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def query(self) -> str:
        # Quoted: notmuch keeps an ID with controls or brackets as written,
        # and finds it only as a quoted term.
        return 'id:"' + self.message_id.replace('"', '""') + '"'

    @property
    def must_show(self) -> tuple[str, ...]:
        """Every literal text that must show, controls taken out."""
        out: list[str] = []
        for _field, text in self.shows:
            out.extend(visible_fragments(text))
        return tuple(out)


@dataclass(frozen=True)
class SeriesExpectation:
    """The hostile patch series: ids and the trailers that must be counted."""

    cover_id: str
    patch_ids: tuple[str, ...]
    # per patch (1-based): (acked, reviewed, tested) counted trailers
    counts: dict[int, tuple[int, int, int]]
    title: str


# --- message building --------------------------------------------------------


def _msgid(name: str) -> str:
    return f"{name}@{DOMAIN}"


def _date(offset: int) -> str:
    # A fixed, valid RFC 5322 date so the corpus is the same on every run.
    import email.utils

    return email.utils.formatdate(_BASE_EPOCH + offset * 60, localtime=False)


def _enc(text: str) -> bytes:
    """Header text written raw as UTF-8 (8-bit headers: what broken mailers do)."""
    return text.encode("utf-8")


def _b64_word(text: str) -> str:
    """An RFC 2047 encoded word: controls survive transport inside it."""
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _message(headers: list[tuple[str, bytes | str]], body: bytes | str) -> bytes:
    out = bytearray()
    for name, value in headers:
        if isinstance(value, str):
            value = value.encode("utf-8")
        out += name.encode("ascii") + b": " + value + b"\n"
    out += b"\n"
    out += body.encode("utf-8") if isinstance(body, str) else body
    if not out.endswith(b"\n"):
        out += b"\n"
    return bytes(out)


def _basic(name: str, offset: int, *, subject: str, from_: str = f"Mallory <mallory@{DOMAIN}>",
           to: str = f"list@{DOMAIN}", extra: list[tuple[str, bytes | str]] | None = None,
           content_type: str = 'text/plain; charset="utf-8"', message_id: str | None = None,
           date: str | None = None) -> list[tuple[str, bytes | str]]:
    headers: list[tuple[str, bytes | str]] = [
        ("From", from_),
        ("To", to),
        ("Subject", subject),
        ("Date", date if date is not None else _date(offset)),
        ("Message-ID", message_id if message_id is not None else f"<{_msgid(name)}>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", content_type),
    ]
    if extra:
        headers[5:5] = extra
    return headers


class _Corpus:
    def __init__(self, dest: Path) -> None:
        self.cur = dest / "cur"
        for sub in ("cur", "new", "tmp"):
            (dest / sub).mkdir(parents=True, exist_ok=True)
        self.cases: list[HostileCase] = []

    def add(self, case: HostileCase, raw: bytes) -> None:
        (self.cur / case.filename).write_bytes(raw)
        self.cases.append(case)

    def filename(self, n: int) -> str:
        return f"{_BASE_EPOCH + n}.{n:06d}.hostile:2,S"


# --- the cases -----------------------------------------------------------------


def _escapes_in_headers(c: _Corpus) -> None:
    """Every control sequence in every header, as RFC 2047 words (so they
    survive any mailer) and as raw bytes."""
    n = len(c.cases) + 1
    name = "escapes-in-headers"
    esc = ALL_CONTROLS
    from_name = f"Eve{esc}Evil"
    to_name = f"To{CONTROL_SEQUENCES['osc-title']}Person"
    cc_name = f"Cc{CONTROL_SEQUENCES['csi']}Person"
    subject = f"[PATCH] esc-subject{esc}end-of-subject"
    filename = f"esc{CONTROL_SEQUENCES['csi']}name{CONTROL_SEQUENCES['bidi-rlo']}hctap.patch"
    body = (
        "--BOUNDARY\n"
        'Content-Type: text/plain; charset="utf-8"\n'
        "Content-Transfer-Encoding: 8bit\n\n"
        f"Plain body text before{esc}after the escapes.\n\n"
        "--BOUNDARY\n"
        f'Content-Type: text/x-patch; charset="utf-8"; name="{_b64_word(filename)}"\n'
        f'Content-Disposition: attachment; filename="{_b64_word(filename)}"\n'
        "Content-Transfer-Encoding: 8bit\n\n"
        "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-old\n+new\n\n"
        "--BOUNDARY--\n"
    )
    headers = _basic(
        name, n,
        subject=_b64_word(subject),
        from_=f"{_b64_word(from_name)} <eve@{DOMAIN}>",
        to=f"{_b64_word(to_name)} <to@{DOMAIN}>",
        extra=[
            ("Cc", f"{_b64_word(cc_name)} <cc@{DOMAIN}>, Raw\x1b[1mBytes <raw@{DOMAIN}>"),
            ("In-Reply-To", f"<irt\x1b]0;irt-title\x07@{DOMAIN}>"),
            ("References", f"<ref\x1b[2J@{DOMAIN}>"),
            ("X-Raw-Subject-Note", "raw\x1b[5mblink"),
        ],
        content_type='multipart/mixed; boundary="BOUNDARY"',
        date=f"{_date(n)}\x1b[31m",
    )
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="CSI, OSC title/link, C1 CSI, BEL, backspace, CR and bidi in From, To, Cc, Subject, "
                "Date, In-Reply-To, References and an attachment file name",
        shows=(("from", from_name), ("to", to_name), ("cc", cc_name), ("cc", "Raw\x1b[1mBytes"),
               ("subject", subject), ("attachment", filename), ("in_reply_to", f"irt\x1b]0;irt-title\x07"),
               ("body", f"Plain body text before{esc}after the escapes.")),
    ), _message(headers, body))


def _escapes_in_message_id(c: _Corpus) -> None:
    n = len(c.cases) + 1
    name = "escapes-in-message-id"
    raw_id = f"msgid\x1b]0;msgid-title\x07\x1b[2J{name}@{DOMAIN}"
    headers = _basic(name, n, subject="message-id carries escapes", message_id=f"<{raw_id}>")
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=raw_id,
        attacks="ESC/OSC/BEL inside the Message-ID (printed by `trailers`, `show`, notes)",
        shows=(("subject", "message-id carries escapes"), ("body", "The id is the attack.")),
        raw_message_id_header=raw_id,
    ), _message(headers, "The id is the attack.\n"))


def _escapes_in_body(c: _Corpus) -> None:
    """Controls in plain text, quoted text, diff lines and trailers."""
    n = len(c.cases) + 1
    name = "escapes-in-body"
    esc = ALL_CONTROLS
    body = (
        f"On some day, Someone{esc}Quoted wrote:\n"
        f"> quoted line{esc}still quoted\n"
        f">> deeper quote{CONTROL_SEQUENCES['osc-title']}deeper end\n"
        "\n"
        f"Body text{esc}body end\n"
        "\n"
        f"Reviewed-by: Trailer{CONTROL_SEQUENCES['csi']}Name <trailer@{DOMAIN}>\n"
        "---\n"
        "diff --git a/x.c b/x.c\n"
        "--- a/x.c\n"
        "+++ b/x.c\n"
        f"@@ -1,2 +1,2 @@ hunk{CONTROL_SEQUENCES['c1-csi']}head\n"
        f" context{CONTROL_SEQUENCES['bel']}line\n"
        f"-removed{CONTROL_SEQUENCES['osc-title']}line\n"
        f"+added{esc}line\n"
    )
    headers = _basic(name, n, subject="Re: escapes in every body part")
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="control sequences in body text, quoted text, a diff and a trailer",
        shows=(("body", f"Body text{esc}body end"), ("body", f"quoted line{esc}still quoted"),
               ("body", f"added{esc}line"), ("body", f"removed{CONTROL_SEQUENCES['osc-title']}line"),
               ("trailer", f"Trailer{CONTROL_SEQUENCES['csi']}Name <trailer@{DOMAIN}>")),
    ), _message(headers, body))


def _markup_everywhere(c: _Corpus) -> None:
    for i, subject in enumerate(MARKUP):
        n = len(c.cases) + 1
        name = f"markup-{i}"
        from_name = f"[bold red]Mark{i}[/bold red] Up"
        to_name = "[link=https://evil.example]x[/link]"
        cc_name = "[@click=app.quit]x[/]"
        filename = f"[bold]{i}[/bold][/dev/null].patch"
        body = (
            "--B\n"
            'Content-Type: text/plain; charset="utf-8"\n\n'
            f"Body with markup {subject} and [/] and [@click=app.quit]click[/] end.\n"
            f"> quoted [link=https://evil.example]x[/link]\n"
            "\n"
            f"Acked-by: [bold red]Acker[/] <acker{i}@{DOMAIN}>\n"
            "--B\n"
            f'Content-Type: text/x-patch; name="{filename}"\n'
            f'Content-Disposition: attachment; filename="{filename}"\n\n'
            "--- a/[red]f\n+++ b/[red]f\n@@ -1 +1 @@\n-[/]\n+[@click=app.quit]\n"
            "--B--\n"
        )
        headers = _basic(
            name, n, subject=subject, from_=f'"{from_name}" <mark{i}@{DOMAIN}>',
            to=f'"{to_name}" <link@{DOMAIN}>',
            extra=[("Cc", f'"{cc_name}" <click@{DOMAIN}>'),
                   ("In-Reply-To", f"<[bold]irt{i}[/bold]@{DOMAIN}>")],
            content_type='multipart/mixed; boundary="B"',
        )
        c.add(HostileCase(
            name=name, filename=c.filename(n), message_id=_msgid(name),
            attacks=f"Textual/Rich markup in every header and body part: {subject!r}",
            shows=(("subject", subject), ("from", from_name), ("to", to_name), ("cc", cc_name),
                   ("attachment", filename), ("in_reply_to", f"[bold]irt{i}[/bold]@{DOMAIN}"),
                   ("body", f"Body with markup {subject} and [/] and [@click=app.quit]click[/] end.")),
        ), _message(headers, body))


def _markup_message_id(c: _Corpus) -> None:
    n = len(c.cases) + 1
    raw_id = f"[link=https://evil.example]id[/link]@{DOMAIN}"
    headers = _basic("markup-message-id", n, subject="message-id is markup", message_id=f"<{raw_id}>")
    c.add(HostileCase(
        name="markup-message-id", filename=c.filename(n), message_id=raw_id,
        attacks="Textual markup as the Message-ID",
        shows=(("message_id", raw_id), ("subject", "message-id is markup")),
    ), _message(headers, "Body of the markup id.\n"))


def _bidi(c: _Corpus) -> None:
    n = len(c.cases) + 1
    name = "bidi-controls"
    rlo, lri, pdi = CONTROL_SEQUENCES["bidi-rlo"], CONTROL_SEQUENCES["bidi-lri"], CONTROL_SEQUENCES["bidi-pdi"]
    subject = f"[PATCH] bidi {rlo}txt.exe{pdi} and {lri}isolated{pdi}"
    from_name = f"Bidi {rlo}nommoC{pdi}"
    body = f"Trusted text {rlo}desrever{pdi} then {lri}isolate{pdi} end.\n"
    headers = _basic(name, n, subject=_enc(subject).decode("utf-8"), from_=f"{_b64_word(from_name)} <bidi@{DOMAIN}>")
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="bidi overrides/isolates (U+202E, U+2066, U+2069) in Subject, From and body",
        shows=(("subject", subject), ("from", from_name), ("body", body.strip())),
    ), _message(headers, body))


_BROKEN_DATES = (
    ("year-99999", "Mon, 1 Jan 99999 00:00:00 +0000"),
    ("year-negative", "Mon, 1 Jan -1 00:00:00 +0000"),
    ("year-zero", "Sat, 1 Jan 0000 00:00:00 +0000"),
    ("year-10000", "Sat, 1 Jan 10000 00:00:00 +0000"),
    ("tz-9999", "Mon, 1 Jan 2024 00:00:00 +9999"),
    ("tz-minus-9999", "Mon, 1 Jan 2024 00:00:00 -9999"),
    ("garbage", "not a date at all \x1b[31m [bold]"),
    ("huge-day", "Mon, 99999999999999999999 Jan 2024 00:00:00 +0000"),
    ("before-epoch", "Thu, 1 Jan 1900 00:00:00 +0000"),
    ("empty", ""),
)


def _broken_dates(c: _Corpus) -> None:
    for label, date in _BROKEN_DATES:
        n = len(c.cases) + 1
        name = f"date-{label}"
        body = f"Body of the message dated {label}.\n\nTested-by: Dater <dater@{DOMAIN}>\n"
        headers = _basic(name, n, subject=f"[PATCH] broken date {label}", date=date)
        c.add(HostileCase(
            name=name, filename=c.filename(n), message_id=_msgid(name),
            attacks=f"Date header {date!r}: out of range, negative, garbage or a bad zone",
            shows=(("subject", f"[PATCH] broken date {label}"), ("from", "Mallory"),
                   ("body", f"Body of the message dated {label}.")),
            expects_note=True,
        ), _message(headers, body))


def _eight_bit_headers(c: _Corpus) -> None:
    n = len(c.cases) + 1
    name = "eight-bit-headers"
    raw_body = (
        b"--EB\n"
        b"Content-Type: text/plain; charset=utf-8\n\n"
        b"Body next to 8-bit headers.\n\n"
        + f"Reviewed-by: R\u00e9viewer <eight@{DOMAIN}>\n".encode("utf-8")
        + b"\n--EB\n"
        b'Content-Type: application/octet-stream; name="caf\xe9-latin1.bin"\n'
        b'Content-Disposition: attachment; filename="caf\xe9-latin1.bin"\n'
        b"Content-Transfer-Encoding: base64\n\n"
        b"AAECAwQ=\n"
        b"--EB--\n"
    )
    headers = [
        ("From", b"J\xe9r\xf4me Latin1 <latin1@" + DOMAIN.encode() + b">"),
        ("To", b"Zo\xc3\xab Utf8 <utf8@" + DOMAIN.encode() + b">"),
        ("Subject", b"[PATCH] caf\xe9 8-bit latin-1 subject and \xc3\xbcnicode"),
        ("Date", _date(n)),
        ("Message-ID", f"<{_msgid(name)}>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed; boundary="EB"'),
    ]
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="raw 8-bit bytes (Latin-1 and UTF-8) in From, To, Subject and an attachment file name",
        shows=(("from", "Latin1"), ("to", "Zo\u00eb Utf8"), ("subject", "8-bit latin-1 subject"),
               ("attachment", "-latin1.bin"), ("body", "Body next to 8-bit headers."),
               ("trailer", f"R\u00e9viewer <eight@{DOMAIN}>")),
        expects_note=True,  # the Latin-1 bytes are read as Latin-1, and say so
    ), _message(headers, raw_body))


def _charsets(c: _Corpus) -> None:
    variants = (
        ("charset-nul", b'text/plain; charset="utf-8\x00evil"', "a charset name holding a NUL"),
        ("charset-unknown", b'text/plain; charset="x-klingon-9"', "an unknown charset"),
        ("charset-binary-codec", b'text/plain; charset="base64"', "a charset naming a non-text codec"),
        ("charset-garbage", b'text/plain; charset="\x1b[31m\xff\xfe"', "a charset of control and 8-bit bytes"),
    )
    for name, ctype, what in variants:
        n = len(c.cases) + 1
        subject = f"=?utf\x00-8?q?nul_charset_word?= {name} subject"
        headers: list[tuple[str, bytes | str]] = [
            ("From", f"=?x-unknown-cs?q?Char_Set?= <charset@{DOMAIN}>"),
            ("To", f"list@{DOMAIN}"),
            ("Subject", subject),
            ("Date", _date(n)),
            ("Message-ID", f"<{_msgid(name)}>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", ctype),
            ("Content-Transfer-Encoding", "8bit"),
        ]
        body = f"Body under {what}: caf\u00e9.\n\nAcked-by: Charset Acker <cs@{DOMAIN}>\n".encode("utf-8")
        c.add(HostileCase(
            name=name, filename=c.filename(n), message_id=_msgid(name),
            attacks=f"{what} (body) and NUL/unknown charsets in RFC 2047 words (Subject, From)",
            shows=(("subject", f"{name} subject"), ("from", f"charset@{DOMAIN}"),
                   ("body", f"Body under {what}: caf")),
            expects_note=True,
        ), _message(headers, body))


def _broken_encodings(c: _Corpus) -> None:
    n = len(c.cases) + 1
    name = "broken-base64"
    good = base64.b64encode(b"Base64 body that decodes.\n" * 3).decode("ascii")
    body = f"{good[:30]}!!!%%%{good[30:-3]}\n===\n"
    headers = _basic(name, n, subject="broken base64 body",
                     extra=[("Content-Transfer-Encoding", "base64")])
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="base64 body with invalid characters and bad padding",
        shows=(("subject", "broken base64 body"),),
        expects_note=True,
    ), _message(headers, body))

    n = len(c.cases) + 1
    name = "broken-qp"
    body = "Quoted=ZZprintable =E9=\nsoft=3D break =1B[31mred=07 end=\n=C3"
    headers = _basic(name, n, subject="broken quoted-printable body",
                     extra=[("Content-Transfer-Encoding", "quoted-printable")])
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="quoted-printable with bad escapes, an encoded ESC/BEL and a dangling soft break",
        shows=(("subject", "broken quoted-printable body"), ("body", "printable")),
        expects_note=True,  # =E9 is not UTF-8
    ), _message(headers, body))

    n = len(c.cases) + 1
    name = "unknown-transfer-encoding"
    headers = _basic(name, n, subject="unknown transfer encoding",
                     extra=[("Content-Transfer-Encoding", "x-uuencode\x1b[31m")])
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="an unknown Content-Transfer-Encoding holding an escape",
        shows=(("subject", "unknown transfer encoding"), ("body", "Body under an unknown encoding.")),
    ), _message(headers, "Body under an unknown encoding.\n"))


def _structure(c: _Corpus, depth: int) -> None:
    n = len(c.cases) + 1
    name = "deep-nesting"
    parts = []
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="n{level}"\n\n--n{level}\n')
    inner = 'Content-Type: text/plain; charset="utf-8"\n\nThe innermost text of a deep nest.\n'
    closing = "".join(f"\n--n{level}--\n" for level in reversed(range(depth)))
    body = "".join(parts) + inner + closing
    headers = _basic(name, n, subject=f"[PATCH] multipart nested {depth} deep",
                     content_type='multipart/mixed; boundary="top"')
    body = "--top\n" + body + "\n--top--\n"
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks=f"multipart nesting {depth} levels deep",
        shows=(("subject", f"[PATCH] multipart nested {depth} deep"), ("from", "Mallory")),
        expects_note=True,
        extra={"depth": depth},
    ), _message(headers, body))

    n = len(c.cases) + 1
    name = "multipart-no-boundary"
    headers = _basic(name, n, subject="multipart without boundary", content_type="multipart/mixed")
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="multipart/mixed with no boundary parameter",
        shows=(("subject", "multipart without boundary"), ("body", "Text of a multipart without a boundary.")),
        expects_note=True,
    ), _message(headers, "Text of a multipart without a boundary.\n"))

    n = len(c.cases) + 1
    name = "multipart-boundary-missing"
    headers = _basic(name, n, subject="multipart whose boundary never appears",
                     content_type='multipart/mixed; boundary="never-there"')
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="multipart whose boundary never appears in the body",
        shows=(("subject", "multipart whose boundary never appears"), ("body", "Orphan text with no boundary.")),
        expects_note=True,
    ), _message(headers, "Orphan text with no boundary.\n"))

    n = len(c.cases) + 1
    name = "multipart-unclosed"
    body = ('--open\nContent-Type: text/plain\n\nText of an unclosed multipart.\n'
            '--open\nContent-Type: text/plain\n\nSecond part never closed.\n')
    headers = _basic(name, n, subject="multipart never closed", content_type='multipart/mixed; boundary="open"')
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks="multipart whose closing boundary is missing",
        shows=(("subject", "multipart never closed"), ("body", "Text of an unclosed multipart.")),
        expects_note=True,
    ), _message(headers, body))


def _huge(c: _Corpus, line_bytes: int, header_bytes: int, recipients: int) -> None:
    n = len(c.cases) + 1
    name = "huge-line"
    line = ("0123456789abcdef" * (line_bytes // 16 + 1))[:line_bytes]
    body = f"Before the huge line.\n{line}\x1b[31m\nAfter the huge line.\n"
    headers = _basic(name, n, subject="a 1 MB line")
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks=f"a body line of {line_bytes} bytes",
        shows=(("subject", "a 1 MB line"), ("body", "Before the huge line."), ("body", "After the huge line.")),
    ), _message(headers, body))

    n = len(c.cases) + 1
    name = "huge-header"
    words = " ".join(f"w{i}" for i in range(header_bytes // 7))
    subject = "huge subject start " + words[:header_bytes] + " huge subject end"
    headers = _basic(name, n, subject=subject,
                     extra=[("X-Huge", "x" * header_bytes)])
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks=f"a Subject of ~{header_bytes} bytes and an unfolded {header_bytes}-byte header",
        shows=(("subject", "huge subject start"), ("body", "Body under a huge header.")),
    ), _message(headers, "Body under a huge header.\n"))

    n = len(c.cases) + 1
    name = "thousands-of-cc"
    cc = ",\n ".join(f"User {i} <user{i}@{DOMAIN}>" for i in range(recipients))
    headers = _basic(name, n, subject=f"{recipients} Cc recipients",
                     extra=[("Cc", cc)])
    c.add(HostileCase(
        name=name, filename=c.filename(n), message_id=_msgid(name),
        attacks=f"{recipients} Cc recipients (reply-all must stay linear)",
        shows=(("subject", f"{recipients} Cc recipients"), ("cc", f"User {recipients - 1} <user{recipients - 1}@{DOMAIN}>"),
               ("body", "Body with a huge Cc.")),
        extra={"recipients": recipients},
    ), _message(headers, "Body with a huge Cc.\n"))


SERIES_TITLE = "hostile: fix [/dev/null] handling"
SERIES = SeriesExpectation(
    cover_id=_msgid("series-0"),
    patch_ids=(_msgid("series-1"), _msgid("series-2"), _msgid("series-3")),
    # (A, R, T) each patch must count:
    # - every patch: the cover-letter reply's Acked-by "for the series", from
    #   a sender whose name (in From and in the trailer) holds escapes;
    # - patch 1: a Reviewed-by in the patch (C1 CSI in the name) and one from
    #   a reply whose From and Subject are raw Latin-1 bytes;
    # - patch 2: a Tested-by from a reply whose charset name holds a NUL;
    # - patch 3: a Reviewed-by from a reply dated in the year 99999.
    counts={1: (1, 2, 0), 2: (1, 0, 1), 3: (1, 1, 0)},
    title=SERIES_TITLE,
)


def _series(c: _Corpus) -> None:
    """[PATCH v2 0/3] .. 3/3 with escapes and markup in every part, and
    replies whose trailers must be counted although each is broken some way."""
    esc = CONTROL_SEQUENCES["csi"] + CONTROL_SEQUENCES["osc-title"]
    cover = SERIES.cover_id

    def add(name: str, role: str, headers: list[tuple[str, bytes | str]], body: bytes | str,
            shows: tuple[tuple[str, str], ...], note: bool = False) -> None:
        n = len(c.cases) + 1
        c.add(HostileCase(name=name, filename=c.filename(n), message_id=_msgid(name), attacks=f"hostile series: {role}",
                          shows=shows, series_role=role, expects_note=note), _message(headers, body))

    n0 = len(c.cases) + 1
    author = f"{_b64_word('Patch' + esc + 'Author')} <author@{DOMAIN}>"
    subject0 = f"[PATCH v2 0/3] {SERIES_TITLE}"
    add("series-0", "cover",
        _basic("series-0", n0, subject=subject0, from_=author),
        f"Cover letter text{esc}with escapes and [bold red]markup[/].\n\nAuthor (3):\n  one\n  two\n  three\n",
        (("subject", subject0), ("body", "with escapes and [bold red]markup[/].")))
    for i in (1, 2, 3):
        name = f"series-{i}"
        subject = f"[PATCH v2 {i}/3] hostile: part {i} [/dev/null]{esc}"
        body = (
            f"Commit message of part {i}{esc}[link=https://evil.example]x[/link].\n\n"
            + (f"Reviewed-by: In{CONTROL_SEQUENCES['c1-csi']}Patch <inpatch@{DOMAIN}>\n" if i == 1 else "")
            + f"Signed-off-by: Patch Author <author@{DOMAIN}>\n"
            "---\n"
            f" f{i}.c | 2 +-\n"
            "\n"
            f"diff --git a/f{i}.c b/f{i}.c\n--- a/f{i}.c\n+++ b/f{i}.c\n"
            f"@@ -1 +1 @@\n-old{esc}\n+new[/]{CONTROL_SEQUENCES['bidi-rlo']}\n"
        )
        add(name, f"patch {i}",
            _basic(name, len(c.cases) + 1, subject=_b64_word(subject), from_=author,
                   extra=[("In-Reply-To", f"<{cover}>"), ("References", f"<{cover}>")]),
            body, (("subject", subject), ("body", f"Commit message of part {i}")))

    def reply_headers(name: str, parent: str, **kw) -> list[tuple[str, bytes | str]]:
        return _basic(name, len(c.cases) + 1, subject=kw.pop("subject", "Re: [PATCH v2] hostile"),
                      extra=[("In-Reply-To", f"<{parent}>"), ("References", f"<{cover}> <{parent}>")], **kw)

    # A cover-letter reply acking the whole series, its name carrying escapes.
    add("series-ack-all", "reply",
        reply_headers("series-ack-all", cover, from_=f"Acker{esc}All <ackall@{DOMAIN}>",
                      subject=f"Re: [PATCH v2 0/3] {SERIES_TITLE}"),
        f"> Cover letter text\n\nFor the series:\nAcked-by: Acker{esc}All <ackall@{DOMAIN}>\n",
        (("trailer", f"Acker{esc}All <ackall@{DOMAIN}>"),))
    # Patch 1: a reply with raw 8-bit headers.
    rb = reply_headers("series-r1-8bit", SERIES.patch_ids[0],
                       from_=b"R\xe9viewer Eight <r8@" + DOMAIN.encode() + b">",
                       subject=b"Re: [PATCH v2 1/3] caf\xe9")
    add("series-r1-8bit", "reply", rb,
        f"Looks fine.\n\nReviewed-by: Reviewer Eight <r8@{DOMAIN}>\n",
        (("trailer", f"Reviewer Eight <r8@{DOMAIN}>"),), note=True)
    # Patch 2: a reply whose body charset holds a NUL.
    hn = reply_headers("series-r2-nul", SERIES.patch_ids[1],
                       from_=f"Tester Nul <tn@{DOMAIN}>",
                       content_type='text/plain; charset="utf-8\x00x"')
    add("series-r2-nul", "reply", hn,
        f"Tested here.\n\nTested-by: Tester Nul <tn@{DOMAIN}>\n",
        (("trailer", f"Tester Nul <tn@{DOMAIN}>"), ("body", "Tested here.")), note=True)
    # Patch 3: a reply dated in the year 99999.
    hd = reply_headers("series-r3-date", SERIES.patch_ids[2],
                       from_=f"Dated Reviewer <dr@{DOMAIN}>", date="Mon, 1 Jan 99999 00:00:00 +0000")
    add("series-r3-date", "reply", hd,
        f"> +new\n\nReviewed-by: Dated Reviewer <dr@{DOMAIN}>\n",
        (("trailer", f"Dated Reviewer <dr@{DOMAIN}>"),), note=True)


def write_hostile_maildir(dest: Path, *, depth: int = 3000, line_bytes: int = 1 << 20,
                          header_bytes: int = 128 * 1024, recipients: int = 20_000) -> list[HostileCase]:
    """Write the corpus under ``dest`` (cur/, new/, tmp/) and describe it.

    The keyword sizes are there for a quick smaller run; the defaults are
    what the issue asks for (thousands deep, 1 MB line, 20,000 Cc)."""
    corpus = _Corpus(Path(dest))
    _escapes_in_headers(corpus)
    _escapes_in_message_id(corpus)
    _escapes_in_body(corpus)
    _markup_everywhere(corpus)
    _markup_message_id(corpus)
    _bidi(corpus)
    _broken_dates(corpus)
    _eight_bit_headers(corpus)
    _charsets(corpus)
    _broken_encodings(corpus)
    _structure(corpus, depth)
    _huge(corpus, line_bytes, header_bytes, recipients)
    _series(corpus)
    return corpus.cases

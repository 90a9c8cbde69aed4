"""parse.py on small hand-made messages; the golden fixtures cover whole mails."""
from __future__ import annotations

from kreview.core.parse import parse_message, read_message
from kreview.core.sanitize import clean, clean_line, is_clean


def _mail(headers: str, body: bytes = b"body\n") -> bytes:
    return headers.strip().encode() + b"\n\n" + body


def test_rfc2047_and_addresses() -> None:
    raw = _mail(
        """
From: =?UTF-8?Q?J=C3=B6rg_R=C3=B6del?= <joro@8bytes.org>
To: a@b.c, "Doe, John" <j@d.e>
Cc: =?iso-8859-1?q?Fr=E9d=E9ric?= <f@x.fr>
Subject: =?utf-8?b?W1BBVENIXSBpb21tdTo=?= fix
Date: Thu, 13 Sep 2018 10:35:24 -0700
Message-ID: <20180913.abc@x>
References: <a@b>
 <c@d>
In-Reply-To: <c@d>
List-Id: <linux-kernel.vger.kernel.org>
"""
    )
    h = parse_message(raw).headers
    assert h.from_ == "Jörg Rödel <joro@8bytes.org>"
    assert (h.from_name, h.from_email) == ("Jörg Rödel", "joro@8bytes.org")
    assert h.to == ("a@b.c", "Doe, John <j@d.e>")
    assert h.cc == ("Frédéric <f@x.fr>",)
    assert h.subject == "[PATCH] iommu: fix"
    assert h.date_epoch == 1536860124
    assert h.message_id == "20180913.abc@x"
    assert h.references == ("a@b", "c@d")
    assert h.in_reply_to == "c@d"
    assert h.list_id == "<linux-kernel.vger.kernel.org>"


def test_broken_encoded_word_is_kept_as_written() -> None:
    raw = _mail("From: a@b\nSubject: =?utf-8?b?!!!notbase64?= tail\nDate: x")
    msg = parse_message(raw)
    assert "tail" in msg.headers.subject
    assert msg.headers.date_epoch == 0
    assert any("unparseable Date" in n for n in msg.notes)


def test_missing_headers_are_noted() -> None:
    msg = parse_message(b"\nonly a body\n")
    assert msg.text == "only a body"
    assert "no Date header" in msg.notes
    assert "no From header" in msg.notes


def test_raw_8bit_header_read_as_utf8() -> None:
    raw = b"From: J\xc3\xb6rg <j@x>\nSubject: caf\xc3\xa9\n\nx\n"
    h = parse_message(raw).headers
    assert h.from_name == "Jörg"
    assert h.subject == "café"


def test_headers_only_skips_body() -> None:
    raw = _mail("From: a@b\nSubject: s\nDate: Thu, 13 Sep 2018 10:35:24 +0000", b"big body\n" * 1000)
    msg = parse_message(raw, headers_only=True)
    assert msg.text == ""
    assert msg.headers.subject == "s"
    assert msg.headers.date_epoch == 1536834924


def test_unknown_charset_replaced_with_note() -> None:
    raw = _mail("From: a@b\nContent-Type: text/plain; charset=x-unknown-8bit", b"caf\xe9 ok\n")
    msg = parse_message(raw)
    assert msg.text == "caf\ufffd ok"
    assert any('unknown charset "x-unknown-8bit"' in n for n in msg.notes)


def test_escape_sequences_neutralised_everywhere() -> None:
    raw = _mail("From: a@b\nSubject: =?utf-8?q?evil=1B]0;owned=07?=", b"x\x1b[2Jy\x9b31m\r\nz\rw\n")
    msg = parse_message(raw)
    assert msg.headers.subject == "evil\u241b]0;owned\u2407"
    assert msg.text == "x\u241b[2Jy\\x9b31m\nz\u240dw"


def test_crlf_message() -> None:
    raw = b"From: a@b\r\nSubject: s\r\n\r\nline 1\r\nline 2\r\n"
    msg = parse_message(raw)
    assert msg.headers.subject == "s"
    assert msg.text == "line 1\nline 2"


def test_unreadable_file_gives_note(tmp_path) -> None:
    msg = read_message(tmp_path / "missing.eml")
    assert msg.text == ""
    assert msg.notes and "could not read" in msg.notes[0]
    assert read_message(tmp_path).notes[0].startswith("could not read")


def test_html_only_converted_without_scripts() -> None:
    html = (
        b"<html><head><style>p{color:red}</style></head><body>"
        b"<p>See <a href='https://lore.kernel.org/x'>this</a> &amp; that</p>"
        b"<blockquote>quoted<br>more</blockquote><script>alert(1)</script>"
        b"<img src='http://tracker/p.gif' alt='logo'></body></html>"
    )
    msg = parse_message(_mail("From: a@b\nContent-Type: text/html; charset=utf-8", html))
    assert "HTML-only message converted to text" in msg.notes
    assert "See this <https://lore.kernel.org/x> & that" in msg.text
    assert "> quoted\n> more" in msg.text
    assert "alert" not in msg.text and "color" not in msg.text
    assert "[image: logo]" in msg.text and "tracker" not in msg.text


def test_clean_controls() -> None:
    assert clean("a\tb\nc\x00\x7f\x85\u2028") == "a\tb\nc\u2400\u2421\\x85\u2424"
    assert clean("a\r\nb") == "a\nb"
    assert clean_line("a\nb\tc") == "a b c"
    assert is_clean(clean("\x1b[0m\x07\x08"))
    assert not is_clean("\x1b")


def test_fast_plain_body_matches_the_full_parser_on_every_sample_message():
    from pathlib import Path

    from kreview.core.parse import plain_text_body, read_message

    sample = Path(__file__).resolve().parents[2] / "sample_maildir"
    fast = 0
    for path in sorted(p for sub in ("cur", "new") for p in (sample / sub).iterdir() if p.name != ".keep"):
        text = plain_text_body(path)
        if text is not None:
            fast += 1
            assert text == read_message(path).text, path.name
    assert fast >= 40  # most kernel mail is plain text


def test_address_split_agrees_with_getaddresses():
    """The fast split of address headers gives what email.utils does, on
    every address header of the sample and on the odd shapes."""
    import email.utils
    from email.parser import BytesHeaderParser
    from email.policy import compat32
    from pathlib import Path

    from kreview.core.parse import split_addresses

    def same(raw: str) -> None:
        slow = [p for p in email.utils.getaddresses([raw]) if p[0] or p[1]]
        fast = [p for p in split_addresses(raw) if p[0] or p[1]]
        assert fast == slow, raw

    sample = Path(__file__).parents[2] / "sample_maildir"
    seen = 0
    for path in sample.rglob("*"):
        if path.is_file():
            headers = BytesHeaderParser(policy=compat32).parsebytes(path.read_bytes())
            for name in ("From", "To", "Cc", "Reply-To"):
                for raw in headers.get_all(name) or []:
                    same(str(raw))
                    seen += 1
    assert seen > 100
    for raw in ("Dan Williams <dan@intel.com>, linux-mm@kvack.org, <x@y.z>", "A B <a@b>,\n\tC  D <c@d>",
                " , a@b ,", "", '"Last, First" <f@l>', "x (comment) <a@b>", "undisclosed-recipients:;",
                "Name <>", "list@example.org <list@example.org>", "=?utf-8?q?J=C3=A9r=C3=B4me?= <j@r.com>",
                "J. Random Hacker <jr@example.org>", "a@b, c@d,e@f", '"Alison\n Schofield" <a@s>, "Hocko, Michal" <m@s>',
                '"a \\"b\\"" <x@y>'):
        same(raw)


def test_recipients_can_be_left_out():
    raw = (b"From: A <a@example.org>\nTo: B <b@example.org>\nCc: C <c@example.org>, D <d@example.org>\n"
           b"Reply-To: E <e@example.org>\nSubject: s\nMessage-ID: <m@x>\nDate: Tue, 20 Nov 2018 12:00:00 +0000\n\nbody\n")
    full = parse_message(raw)
    lean = parse_message(raw, recipients=False)
    assert full.headers.cc == ("C <c@example.org>", "D <d@example.org>") and full.headers.to and full.headers.reply_to
    assert lean.headers.to == lean.headers.cc == lean.headers.reply_to == ()
    assert (lean.headers.from_email, lean.headers.subject, lean.text) == (full.headers.from_email, "s", full.text)


def test_a_maildir_file_renamed_since_indexing_is_still_read(tmp_path):
    """Another client moved new/X to cur/X:2,S: the message is read from
    its new name, with a note; a file gone for good says so."""
    for folder in ("cur", "new", "tmp"):
        (tmp_path / folder).mkdir()
    raw = b"From: A <a@example.org>\nSubject: moved\nMessage-ID: <m@x>\n\nbody text\n"
    (tmp_path / "cur" / "1550113965.000064.host:2,S").write_bytes(raw)
    parsed = read_message(tmp_path / "new" / "1550113965.000064.host")
    assert parsed.headers.subject == "moved" and "body text" in parsed.text
    assert any("renamed since it was indexed" in note for note in parsed.notes)
    gone = read_message(tmp_path / "new" / "1550000000.000001.host")
    assert gone.text == "" and any("could not read" in note for note in gone.notes)
    outside = read_message(tmp_path / "elsewhere.eml")
    assert any("could not read" in note for note in outside.notes)

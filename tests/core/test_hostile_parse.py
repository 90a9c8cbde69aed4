"""parse.py on the hostile corpus (tests/hostile_mail.py): no message is ever
blank, each bad header, charset, date or part costs only itself and leaves a
note, and nothing returned carries a raw control character."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from kreview.core.dates import header_datetime, header_epoch, usable_epoch
from kreview.core.parse import ParsedMessage, parse_message, plain_text_body, read_message
from kreview.core.sanitize import is_clean
from tests.hostile_mail import HostileCase, visible_fragments, write_hostile_maildir


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[HostileCase]]:
    dest = tmp_path_factory.mktemp("hostile")
    return dest, write_hostile_maildir(dest)


def _field_text(msg: ParsedMessage, field: str) -> str:
    h = msg.headers
    return {
        "from": h.from_,
        "to": " ".join(h.to),
        "cc": " ".join(h.cc),
        "subject": h.subject,
        "date": h.date,
        "message_id": h.message_id,
        "in_reply_to": h.in_reply_to,
        "body": "\n".join([msg.text, *(p.text for p in msg.patches)]),
        "trailer": msg.text,
        "attachment": " ".join([*(a.filename for a in msg.attachments), *(p.filename for p in msg.patches)]),
    }[field]


def _all_strings(msg: ParsedMessage) -> list[str]:
    h = msg.headers
    return [h.message_id, h.from_, h.from_name, h.from_email, *h.to, *h.cc, *h.reply_to, h.subject, h.date,
            h.in_reply_to, *h.references, h.list_id, msg.text, *msg.notes,
            *(p.filename for p in msg.patches), *(p.text for p in msg.patches), *(p.content_type for p in msg.patches),
            *(a.filename for a in msg.attachments), *(a.content_type for a in msg.attachments)]


def test_corpus_is_deterministic_and_small(tmp_path, corpus) -> None:
    dest, cases = corpus
    again = write_hostile_maildir(tmp_path)
    assert [c.filename for c in again] == [c.filename for c in cases]
    for case in cases:
        assert (tmp_path / "cur" / case.filename).read_bytes() == (dest / "cur" / case.filename).read_bytes()
    size = sum(p.stat().st_size for p in (dest / "cur").iterdir())
    assert size < 4_000_000
    assert len({c.message_id for c in cases}) == len(cases)


def test_every_message_is_shown_with_what_must_show(corpus) -> None:
    dest, cases = corpus
    failures = []
    for case in cases:
        msg = read_message(dest / "cur" / case.filename)
        h = msg.headers
        if not (h.from_ and h.subject and (msg.text.strip() or msg.patches)):
            failures.append(f"{case.name}: blank (from={h.from_!r} subject={h.subject!r} notes={msg.notes})")
            continue
        for field, literal in case.shows:
            shown = _field_text(msg, field)
            for fragment in visible_fragments(literal):
                if fragment not in shown:
                    failures.append(f"{case.name}: {field} lacks {fragment!r} (shown: {shown[:120]!r})")
        if case.expects_note and not msg.notes:
            failures.append(f"{case.name}: something is broken but no note says so")
        dirty = [s[:60] for s in _all_strings(msg) if not is_clean(s)]
        if dirty:
            failures.append(f"{case.name}: raw control characters in {dirty}")
    assert not failures, "\n".join(failures)


def test_headers_only_and_fast_path_never_fail(corpus) -> None:
    dest, cases = corpus
    for case in cases:
        path = dest / "cur" / case.filename
        head = read_message(path, headers_only=True)
        assert head.headers.subject, case.name
        assert head.headers.message_id == read_message(path).headers.message_id
        text = plain_text_body(path)
        assert text is None or is_clean(text), case.name


def test_broken_dates_are_missing_with_a_note(corpus) -> None:
    dest, cases = corpus
    dated = [c for c in cases if c.name.startswith("date-")]
    assert len(dated) >= 9
    for case in dated:
        msg = read_message(dest / "cur" / case.filename)
        assert msg.headers.date_epoch == 0, case.name
        assert any("Date" in n for n in msg.notes), (case.name, msg.notes)
        assert header_datetime(msg.headers.date) is None, case.name


@pytest.mark.parametrize("date", [
    "Mon, 1 Jan 99999 00:00:00 +0000", "Mon, 1 Jan -1 00:00:00 +0000", "Sat, 1 Jan 0000 00:00:00 +0000",
    "Mon, 1 Jan 2024 00:00:00 +9999", "Mon, 99999999999999999999 Jan 2024 00:00:00 +0000",
    "Thu, 1 Jan 1900 00:00:00 +0000", "Fri, 31 Dec 9999 23:59:59 -2359", "garbage", "",
])
def test_out_of_range_dates(date) -> None:
    assert header_epoch(date) == 0
    assert header_datetime(date) is None


def test_usable_dates() -> None:
    when = header_datetime("Tue, 20 Nov 2018 15:12:49 -0800")
    assert when is not None and when.utcoffset().total_seconds() == -8 * 3600
    assert header_epoch("Tue, 20 Nov 2018 15:12:49 -0800") == 1542755569
    assert usable_epoch(1542755569) == 1542755569
    assert usable_epoch(10**20) == 0 and usable_epoch(-5) == 0 and usable_epoch(None) == 0


def test_latin1_header_bytes_are_read_as_latin1(corpus) -> None:
    dest, cases = corpus
    (case,) = [c for c in cases if c.name == "eight-bit-headers"]
    msg = read_message(dest / "cur" / case.filename)
    assert msg.headers.from_name == "J\u00e9r\u00f4me Latin1"
    # Latin-1 and UTF-8 in one header: each byte run read as what it is.
    assert msg.headers.subject == "[PATCH] caf\u00e9 8-bit latin-1 subject and \u00fcnicode"
    assert [a.filename for a in msg.attachments] == ["caf\u00e9-latin1.bin"]
    assert "Reviewed-by: R\u00e9viewer <eight@hostile.example>" in msg.text
    assert ("headers with 8-bit bytes that are not UTF-8, read as Latin-1: "
            "From, Subject, Content-Type, Content-Disposition") in msg.notes


def test_nul_charset_costs_only_its_part(corpus) -> None:
    dest, cases = corpus
    (case,) = [c for c in cases if c.name == "charset-nul"]
    msg = read_message(dest / "cur" / case.filename)
    assert msg.headers.from_email == "charset@hostile.example"
    assert "charset-nul subject" in msg.headers.subject
    assert "Acked-by: Charset Acker <cs@hostile.example>" in msg.text
    assert any('unknown charset "utf-8\u2400evil"' in n for n in msg.notes), msg.notes


def _nested(depth: int) -> bytes:
    opening = "".join(f'Content-Type: multipart/mixed; boundary="n{i}"\n\n--n{i}\n' for i in range(depth))
    closing = "".join(f"\n--n{i}--\n" for i in reversed(range(depth)))
    return ("From: a@b.c\nSubject: nest\nDate: Tue, 20 Nov 2018 15:12:49 -0800\nMIME-Version: 1.0\n"
            + opening + 'Content-Type: text/plain\n\nthe innermost text\n' + closing).encode()


@pytest.mark.parametrize("depth", [3, 150, 3000, 20000])
def test_deep_nesting_shows_the_innermost_text(depth) -> None:
    start = time.perf_counter()
    msg = parse_message(_nested(depth))
    assert msg.headers.from_ == "a@b.c" and msg.headers.subject == "nest"
    assert msg.text == "the innermost text"
    deep = any("nested too deep" in n for n in msg.notes)
    assert deep == (depth > 200)
    assert time.perf_counter() - start < 30  # linear: 20,000 levels are a few MB


def test_multipart_that_cannot_be_split_is_shown_as_text(corpus) -> None:
    dest, cases = corpus
    for name, text in (("multipart-no-boundary", "Text of a multipart without a boundary."),
                       ("multipart-boundary-missing", "Orphan text with no boundary.")):
        (case,) = [c for c in cases if c.name == name]
        msg = read_message(dest / "cur" / case.filename)
        assert msg.text == text
        assert any("MIME structure is broken" in n for n in msg.notes)


def test_address_with_escape_sequence_keeps_its_address() -> None:
    raw = (b"From: Acker\x1b]0;title\x07\x1b[2JAll <ack@x.org>\nTo: root, Someone <s@x.org>\n"
           b"Subject: s\n\nbody\n")
    h = parse_message(raw).headers
    assert h.from_email == "ack@x.org"
    assert h.from_name == "Acker\u241b]0;title\u2407\u241b[2JAll"
    assert h.to == ("root", "Someone <s@x.org>")


def test_a_text_body_that_talks_about_multiparts_is_read_normally() -> None:
    body = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\n--b{i}\n" for i in range(300))
    msg = parse_message(("From: a@b.c\nSubject: s\nContent-Type: text/plain\n\n" + body).encode())
    assert msg.text == body.rstrip("\n")
    assert not any("nested too deep" in n for n in msg.notes)


def test_crlf_mail_and_mail_without_a_body() -> None:
    msg = parse_message(b"From: a@b.c\r\nSubject: crlf\r\n\r\nline one\r\nline two\r\n")
    assert (msg.headers.subject, msg.text) == ("crlf", "line one\nline two")
    msg = parse_message(b"From: a@b.c\nSubject: only headers")
    assert (msg.headers.from_, msg.headers.subject, msg.text) == ("a@b.c", "only headers", "")

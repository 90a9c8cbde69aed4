"""`in_reply_to_of`: the parent a mail file names, read from its header block
only. It decides where the thread view shows "(message not available)": a
wrong answer hangs a reply under a message it does not answer, or hides
that its parent is missing."""
from __future__ import annotations

import pytest

from kreview.core.store import in_reply_to_of

BODY_QUOTING_A_HEADER = b"I got this:\n\nIn-Reply-To: <quoted@example.org>\n\nThanks.\n"


@pytest.mark.parametrize(
    ("data", "parent"),
    [
        (b"Subject: re\nIn-Reply-To: <parent@example.org>\n\n" + BODY_QUOTING_A_HEADER, "parent@example.org"),
        (b"Subject: re\nin-reply-to:\t<lower@example.org>\n\nbody\n", "lower@example.org"),
        (b"Subject: re\nIn-Reply-To:\n <folded@example.org>\n\nbody\n", "folded@example.org"),
        (b"In-Reply-To: Your mail of Monday <first@example.org> <second@example.org>\n\n", "first@example.org"),
        # Only the header block counts: a body that quotes a header names no parent.
        (b"Subject: new\n\n" + BODY_QUOTING_A_HEADER, ""),
        (b"\n\n" + BODY_QUOTING_A_HEADER, ""),  # no headers at all
        (b"Subject: new\r\n\r\n" + BODY_QUOTING_A_HEADER.replace(b"\n", b"\r\n"), ""),
        (b"\r\n\r\n" + BODY_QUOTING_A_HEADER.replace(b"\n", b"\r\n"), ""),
        (b"Subject: re\r\nIn-Reply-To: <crlf@example.org>\r\n\r\n" + BODY_QUOTING_A_HEADER.replace(b"\n", b"\r\n"),
         "crlf@example.org"),
        (b"Subject: re\nIn-Reply-To: <only-headers@example.org>", "only-headers@example.org"),
        (b"Subject: re\nIn-Reply-To: no angle brackets@example.org\n\nbody\n", ""),
        (b"Subject: re\nIn-Reply-To: <caf\xe9@example.org>\n\nbody\n", "caf\ufffd@example.org"),
    ],
    ids=["header", "lower-case", "folded", "first-of-two", "body-only", "no-headers", "crlf-body-only",
         "crlf-no-headers", "crlf-header", "no-body", "no-brackets", "latin-1"],
)
def test_the_parent_named_in_the_header_block(tmp_path, data, parent):
    path = tmp_path / "mail"
    path.write_bytes(data)
    assert in_reply_to_of(str(path)) == parent


def test_a_file_that_cannot_be_read_names_no_parent(tmp_path):
    assert in_reply_to_of(str(tmp_path / "gone")) == ""
    assert in_reply_to_of(str(tmp_path)) == ""  # a directory

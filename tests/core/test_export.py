"""Getting things out: mbox, piping, attachments under hostile names, links."""
from __future__ import annotations

import mailbox
import os
import threading
import time

import pytest

from kreview.core.export import (
    attachments,
    default_name,
    find_urls,
    free_name,
    mbox_of,
    raw_source,
    run_pipe,
    safe_filename,
    save_attachment,
    url_at,
)


def _message(filename_param: str, payload: str = "aGVsbG8K") -> bytes:
    return (
        "From: a@example.org\nTo: b@example.org\nSubject: files\nMessage-ID: <f@x>\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
        "--B\nContent-Type: text/plain\n\nthe body\n"
        f"--B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; {filename_param}\n"
        f"Content-Transfer-Encoding: base64\n\n{payload}\n"
        "--B--\n"
    ).encode()


@pytest.mark.parametrize("hostile, expected", [
    ("../../etc/passwd", "etc_passwd"),
    ("..", "attachment"),
    (".bashrc", "bashrc"),
    ("...hidden", "hidden"),
    ("a/b\\c.txt", "a_b_c.txt"),
    ("evil\x1b[31m.txt", "evil_[31m.txt"),
    ("bell\x07\x00nul", "bell_nul"),
    ("c1\x9bcsi", "c1_csi"),
    ("rtl\u202etxt.exe", "rtl_txt.exe"),
    ("line\u2028break", "line_break"),
    ("   ", "attachment"),
    ("/", "attachment"),
    ("ok-name.patch", "ok-name.patch"),
    ("Résumé.pdf", "Résumé.pdf"),
])
def test_safe_filename(hostile, expected):
    assert safe_filename(hostile) == expected


def test_safe_filename_is_bounded_and_keeps_the_extension():
    name = safe_filename("x" * 500 + ".tar.gz")
    assert len(name.encode()) <= 200 and name.endswith(".gz")


@pytest.mark.parametrize("param", [
    'filename="../../.ssh/authorized_keys"',
    'filename="/etc/passwd"',
    "filename*=UTF-8''..%2F..%2Fevil%1B%5Dsh",
    'filename="=?utf-8?q?=2E=2E=2F=2E=2Fx?="',
])
def test_hostile_attachment_names_stay_in_the_directory(tmp_path, param):
    raw = _message(param)
    (part,) = attachments(raw)
    target = save_attachment(raw, part, tmp_path / "saved")
    assert target.parent == tmp_path / "saved"
    assert not target.name.startswith(".") and "/" not in target.name
    assert all(ord(c) >= 0x20 for c in target.name)
    assert target.read_bytes() == b"hello\n"
    assert [p.name for p in tmp_path.iterdir()] == ["saved"]  # nothing landed elsewhere


def test_never_overwrites_without_asking(tmp_path):
    raw = _message('filename="notes.txt"')
    (part,) = attachments(raw)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        save_attachment(raw, part, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert free_name(tmp_path, "notes.txt") == "notes (2).txt"
    save_attachment(raw, part, tmp_path, name=free_name(tmp_path, "notes.txt"))
    assert (tmp_path / "notes (2).txt").read_bytes() == b"hello\n"
    save_attachment(raw, part, tmp_path, overwrite=True)
    assert (tmp_path / "notes.txt").read_bytes() == b"hello\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kreview-")]


def test_unnamed_part_gets_a_made_up_name(tmp_path):
    raw = _message("size=6")
    (part,) = attachments(raw)
    assert part.filename == "" and default_name(part) == f"part-{part.number}.bin"


def test_mbox_of_round_trips_through_mailbox(tmp_path):
    one = tmp_path / "1"
    one.write_bytes(b"From: a@x\nSubject: one\nMessage-ID: <1@x>\n\nFrom here on\n>From quoted\n")
    two = tmp_path / "2"
    two.write_bytes(b"From: b@x\nSubject: two\nMessage-ID: <2@x>\n\nbody two")
    data = mbox_of([one, two])
    path = tmp_path / "out.mbox"
    path.write_bytes(data)
    box = mailbox.mbox(str(path))
    messages = list(box)
    assert [m["subject"] for m in messages] == ["one", "two"]
    # mboxrd: a body "From " line is escaped, an escaped one escaped once more
    assert b"\n>From here on\n>>From quoted\n" in data


def test_run_pipe_feeds_stdin_and_shows_output():
    result = run_pipe("wc -l; echo err >&2; exit 3", b"a\nb\nc\n")
    assert result.returncode == 3 and not result.ok
    assert result.output.split() == ["3", "err"]


def test_run_pipe_can_be_cancelled(tmp_path):
    stop = threading.Event()
    marker = tmp_path / "child-alive"
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    result = run_pipe(f"sleep 30; touch {marker}", b"", cancelled=stop.is_set)
    assert result.returncode is None
    assert time.monotonic() - started < 10
    assert not marker.exists()


def test_urls():
    text = ("See https://lore.kernel.org/r/123@x.org. And (https://example.org/a_(b)) and "
            "<http://x.y/z>, also https://lore.kernel.org/r/123@x.org again; ftp://f.org/p!")
    assert find_urls(text) == ["https://lore.kernel.org/r/123@x.org", "https://example.org/a_(b)",
                               "http://x.y/z", "ftp://f.org/p"]
    line = "link: https://a.org/x here"
    assert url_at(line, line.index("a.org")) == "https://a.org/x"
    assert url_at(line, 0) is None


def test_raw_source_reads_the_file_as_sent(tmp_path):
    path = tmp_path / "m"
    path.write_bytes(b"Subject: =?utf-8?q?x?=\r\nContent-Transfer-Encoding: base64\r\n\r\naGk=\r\n\xff\n")
    text = raw_source(path)
    assert text.startswith("Subject: =?utf-8?q?x?=\nContent-Transfer-Encoding: base64\n\naGk=\n")
    assert "\ufffd" in text
    assert os.path.getsize(path) > 0

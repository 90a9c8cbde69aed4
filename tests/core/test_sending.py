"""Sending through a configured command (a small script here), the draft
filed as sent only on success, and the trailer check before it."""
from __future__ import annotations

import stat
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kreview.core.drafts import list_drafts, write_draft
from kreview.core.model import Identity
from kreview.core.parse import parse_message
from kreview.core.reply import build_reply
from kreview.core.sending import check_trailers, send_draft

ME = Identity("Demo Reviewer", "reviewer@example.org", ("demo@kernel.org",))
PARENT = parse_message(
    b"From: Dan Williams <dan.j.williams@intel.com>\n"
    b"To: linux-mm@kvack.org\n"
    b"Subject: [PATCH v8 2/7] mm, devm_memremap_pages: Kill mapping \"System RAM\" support\n"
    b"Date: Tue, 20 Nov 2018 15:12:49 -0800\n"
    b"Message-ID: <patch2@intel.com>\n"
    b"\n"
    b"Given the fact that devm_memremap_pages() requires a percpu_ref...\n"
    b"\n"
    b"Signed-off-by: Dan Williams <dan.j.williams@intel.com>\n"
)


def command(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "send.py"
    script.write_text("import sys\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return [sys.executable, str(script), str(tmp_path / "outbox")]


def reply_with(text: str) -> bytes:
    msg = build_reply(PARENT, ME, trailer=None, now=datetime(2018, 11, 21, tzinfo=timezone.utc))
    content = msg.get_content() + text
    msg.set_content(content, charset="utf-8", cte="8bit")
    return bytes(msg)


# -- trailer check -------------------------------------------------------------


def test_own_trailers_with_my_addresses_pass():
    assert check_trailers(reply_with("Reviewed-by: Demo Reviewer <reviewer@example.org>\n"), ME) == []
    assert check_trailers(reply_with("Acked-by: Demo Reviewer <DEMO@kernel.org>\n"), ME) == []


def test_quoted_trailers_of_others_are_not_mine_to_check():
    # The parent's Signed-off-by is in the quote: no warning for it.
    data = reply_with("Looks good.\n")
    assert b"> Signed-off-by: Dan Williams" in data
    assert check_trailers(data, ME) == []


def test_trailer_with_someone_elses_address_warns():
    warnings = check_trailers(
        reply_with("Reviewed-by: Dan Williams <dan.j.williams@intel.com>\nTested-by: Demo <reviewer@example.org>\n"),
        ME,
    )
    assert warnings == [
        "Reviewed-by: Dan Williams <dan.j.williams@intel.com> is not your address (reviewer@example.org)"
    ]


def test_trailer_without_an_address_warns():
    assert check_trailers(reply_with("Reviewed-by: Demo Reviewer\n"), ME) == [
        "1 trailer line(s) without an email address"
    ]


# -- sending -----------------------------------------------------------------------


def test_successful_send_files_the_draft_as_sent(store, notmuch_root, tmp_path):
    draft = write_draft(store, reply_with("Reviewed-by: Demo Reviewer <reviewer@example.org>\n"))
    data = draft.path.read_bytes()
    store.change_tags([draft.message_id], add=["kernel"])
    send = command(tmp_path, "open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())\n")
    result = send_draft(store, draft, send, "Sent")
    assert result.ok, result.message
    assert (tmp_path / "outbox").read_bytes() == data  # the command got the draft on stdin
    assert not draft.path.exists()
    assert result.path.parent == notmuch_root / "mail" / "Sent" / "cur"
    assert result.path.read_bytes() == data
    assert store.message_tags([draft.message_id])[draft.message_id] == {"sent", "kernel"}
    assert store.file_of(draft.message_id) == result.path
    assert list_drafts(store) == []


def test_failed_send_keeps_the_draft_and_reports_the_error(store, tmp_path):
    draft = write_draft(store, reply_with("thanks\n"))
    send = command(tmp_path, "sys.stdin.read()\nsys.stderr.write('msmtp: cannot connect to smtp.example.org\\n')\nsys.exit(1)\n")
    result = send_draft(store, draft, send)
    assert not result.ok
    assert result.returncode == 1
    assert result.stderr == "msmtp: cannot connect to smtp.example.org"
    assert "failed with status 1: msmtp: cannot connect" in result.message
    assert str(draft.path) in result.message
    assert draft.path.exists() and result.path == draft.path
    assert store.message_tags([draft.message_id])[draft.message_id] == {"draft"}


def test_missing_command_and_no_command(store, tmp_path):
    draft = write_draft(store, reply_with("thanks\n"))
    result = send_draft(store, draft, [str(tmp_path / "no-sendmail"), "-t"])
    assert not result.ok and "not found" in result.message and draft.path.exists()
    with pytest.raises(ValueError, match="no send command configured"):
        send_draft(store, draft, None)
    with pytest.raises(ValueError, match="no send command configured"):
        send_draft(store, draft, [])

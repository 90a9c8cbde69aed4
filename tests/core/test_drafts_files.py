"""The files drafts are kept in: Maildir names other mail programs read
(time, microseconds, pid, counter, randomness, host, then ":2," and the
flags), and the file a draft is known by after notmuch's flag sync renamed
it. On the real temporary database."""
from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path

from kreview.core.drafts import finish_edit, resume_draft, unique_name, write_draft
from kreview.core.editor import run_editor
from tests.core.helpers import editor, new_draft


def test_a_maildir_name_says_when_who_and_where(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1700000001.999999)
    monkeypatch.setattr(socket, "gethostname", lambda: "lab/box:2")
    first, second = unique_name("DS"), unique_name("DS")
    pattern = (rf"1700000001\.M999999P{os.getpid()}Q(\d+)R[0-9a-f]{{8}}"
               r"\.lab\\057box\\0722:2,DS")
    # "/" would make a path and ":" would start the flags part early: both escaped.
    assert re.fullmatch(pattern, first) and re.fullmatch(pattern, second), (first, second)
    assert int(re.fullmatch(pattern, second)[1]) == int(re.fullmatch(pattern, first)[1]) + 1


def test_a_draft_written_on_a_host_with_a_slash_and_colon_is_saved(store, monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "lab/box:2")
    draft = new_draft(store)
    assert draft.path.parent == store.mail_root / "Drafts" / "cur"
    assert draft.path.name.count(":") == 1 and draft.path.name.endswith(":2,DS")
    assert store.file_of(draft.message_id) == draft.path


def test_an_edited_draft_the_flag_sync_renamed_is_known_by_its_new_name(store, tmp_path):
    """A draft the user flagged gets F from notmuch's flag sync when it is
    saved again: the outcome names the file as it is now."""
    draft = new_draft(store)
    store.change_tags([draft.message_id], add=["flagged"])
    draft = resume_draft(store, draft.message_id)
    assert draft.path.name.endswith(":2,DFS")
    script = 'echo "Flagged, then edited." >> "$1"\n'
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, script)))
    assert outcome.ok, outcome.message
    saved = Path(outcome.draft.path)
    assert saved.exists() and saved.name.endswith(":2,DFS")
    assert saved == store.file_of(draft.message_id)
    assert outcome.message == f"Draft saved: {saved}"
    assert saved.read_bytes().endswith(b"Flagged, then edited.\n")


def test_a_new_draft_is_found_where_it_was_written(store):
    draft = write_draft(store, b"From: reviewer@example.org\nSubject: x\nMessage-ID: <x-1@example.org>\n\nx\n")
    assert draft.path.exists() and draft.path == store.file_of("x-1@example.org")


def test_drafts_share_their_folder(store):
    first = new_draft(store)
    second = write_draft(store, b"From: reviewer@example.org\nSubject: y\nMessage-ID: <y-1@example.org>\n\ny\n")
    assert first.path.parent == second.path.parent and first.path != second.path
    assert sorted(p.name for p in first.path.parent.iterdir()) == sorted([first.path.name, second.path.name])

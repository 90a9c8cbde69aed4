"""Drafts on the real temporary notmuch database: written atomically into a
Maildir under the mail root, indexed with `draft` before the editor runs,
kept when the editor fails, re-indexed when it succeeds."""
from __future__ import annotations

import os
import stat

import pytest

from kreview.core.drafts import (
    finish_edit,
    list_drafts,
    resume_draft,
    update_draft,
    write_draft,
)
from kreview.core.editor import run_editor
from kreview.core.parse import parse_message
from kreview.core.reply import build_reply
from tests.core.helpers import ME, editor, new_draft


def test_write_draft_is_a_maildir_file_indexed_as_draft(store, notmuch_root):
    draft = new_draft(store)
    mail = notmuch_root / "mail"
    assert draft.path.parent == mail / "Drafts" / "cur"
    assert draft.path.name.endswith(":2,DS")
    assert all((mail / "Drafts" / sub).is_dir() for sub in ("cur", "new", "tmp"))
    assert not any((mail / "Drafts" / "tmp").iterdir())
    assert store.message_tags([draft.message_id])[draft.message_id] == {"draft"}
    assert [n.message_id for n in list_drafts(store)] == [draft.message_id]
    assert parse_message(draft.path.read_bytes()).headers.message_id == draft.message_id
    assert resume_draft(store, draft.message_id) == draft


def test_draft_from_bytes_and_a_nested_folder(store, notmuch_root):
    data = b"From: reviewer@example.org\nSubject: note\nMessage-ID: <note-1@example.org>\n\nhi\n"
    draft = write_draft(store, data, "work/Drafts")
    assert draft.message_id == "note-1@example.org"
    assert draft.path.read_bytes() == data
    assert draft.path.parent == notmuch_root / "mail" / "work" / "Drafts" / "cur"


@pytest.mark.parametrize("folder", ["", "../outside", "/tmp/abs"])
def test_folders_outside_the_mail_root_are_refused(store, folder):
    with pytest.raises(ValueError, match="relative path under the notmuch mail root"):
        write_draft(store, b"Subject: x\n\nx\n", folder)


@pytest.mark.parametrize(
    ("script", "words"),
    [("exit 1\n", "exited with status 1"), ('echo "half an edit" >> "$1"\nkill -9 $$\n', "killed by SIGKILL")],
)
def test_draft_survives_a_failing_editor(store, tmp_path, script, words):
    draft = new_draft(store)
    result = run_editor(draft.path, editor(tmp_path, script))
    outcome = finish_edit(store, draft, result)
    assert not outcome.ok
    assert words in outcome.message and str(draft.path) in outcome.message
    assert outcome.draft == draft and draft.path.exists()
    assert [n.message_id for n in list_drafts(store)] == [draft.message_id]
    assert resume_draft(store, draft.message_id).path == draft.path


def test_successful_edit_is_reindexed_keeping_tags(store, tmp_path):
    draft = new_draft(store)
    store.change_tags([draft.message_id], add=["kernel"])
    # The generated Subject is folded: replace it with its continuation lines.
    env = editor(
        tmp_path,
        "sed -i '/^Subject:/,/^[^ \\t]/{/^Subject:/s/.*/Subject: Re: edited subject/;/^[ \\t]/d}' \"$1\"\n",
    )
    outcome = finish_edit(store, draft, run_editor(draft.path, env))
    assert outcome.ok and "Draft saved" in outcome.message
    saved = outcome.draft
    assert saved.message_id == draft.message_id
    assert saved.path != draft.path and not draft.path.exists() and saved.path.exists()
    [node] = list_drafts(store)
    assert node.subject == "Re: edited subject"
    assert node.tags == {"draft", "kernel"}
    assert store.file_of(draft.message_id) == saved.path


def test_update_follows_an_edited_message_id(store):
    draft = new_draft(store)
    data = draft.path.read_bytes().replace(f"<{draft.message_id}>".encode(), b"<renamed@example.org>")
    draft.path.write_bytes(data)
    saved = update_draft(store, draft)
    assert saved.message_id == "renamed@example.org"
    assert [n.message_id for n in list_drafts(store)] == ["renamed@example.org"]


def test_resume_refuses_a_message_that_is_not_a_draft(store, notmuch_root):
    path = notmuch_root / "mail" / "cur" / "1.x.host:2,"
    path.write_bytes(b"From: a@b.c\nSubject: s\nMessage-ID: <plain@b.c>\n\nx\n")
    store.index_file(path, ("inbox",))
    with pytest.raises(ValueError, match="not a draft"):
        resume_draft(store, "plain@b.c")
    with pytest.raises(ValueError, match="no draft"):
        resume_draft(store, "absent@b.c")


def test_a_draft_trailer_is_not_counted_until_it_is_sent(store):
    """Your Reviewed-by sits in a draft: the series panel must not show it
    as given; once the draft is no longer one (sent), it counts."""
    from kreview.core.parse import read_message
    from kreview.core.review import reviews_of

    (patch,) = store.messages('subject:"PATCH v8 3/7" and not subject:Re')
    reply = build_reply(read_message(patch.path), ME, reply_all=True, trailer="Reviewed-by")
    draft = write_draft(store, reply, "Drafts")
    thread = store.thread_ids_of([draft.message_id])[0]

    def reviewers():
        (v8,) = [r for r in reviews_of(store.thread_messages(thread)) if r.series.version == 8]
        return {t.email for p in v8.patches for t in p.trailers if t.kind == "Reviewed-by"}

    assert "reviewer@example.org" not in reviewers()
    store.change_tags([draft.message_id], add=["sent"], remove=["draft"])
    assert "reviewer@example.org" in reviewers()

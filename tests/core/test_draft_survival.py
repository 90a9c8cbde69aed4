"""Drafts survive every editor and every lock: an editor that removes,
empties or locks away the draft, or exits while another process holds the
database lock, and a kill -9 while a draft is saved, all end with the text on
disk under a path the message names and tag:draft naming a file that exists."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kreview.core.drafts import delete_draft, finish_edit, list_drafts, read_before_edit, read_draft_headers
from kreview.core.editor import run_editor
from kreview.core.store import INTENTS_DIR, LockRetry, Store
from tests.core.helpers import editor, hold_lock, new_draft


def only_draft(store) -> Path:
    """The one draft tag:draft lists; its file must exist."""
    [node] = list_drafts(store)
    path = Path(node.path)
    assert path.is_file(), f"tag:draft names {path}, which does not exist"
    return path


def named_path(message: str) -> Path:
    """The draft path a message names (drafts live in .../Drafts/cur/NAME)."""
    word = next(w for w in message.split() if "/Drafts/cur/" in w)
    return Path(word.rstrip(".,;"))


def stray_files(store, keep: Path) -> list[str]:
    return sorted(p.name for p in keep.parent.iterdir() if p != keep)


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ('rm "$1"\n', "the draft file was removed"),
        (': > "$1"\n', "the draft was left empty"),
        ('printf "  \\n\\n" > "$1"\n', "the draft was left empty"),
        ('rm "$1"\nexit 3\n', "exited with status 3; the draft file was removed"),
    ],
)
def test_a_removed_or_emptied_draft_keeps_the_text_from_before(store, tmp_path, script, words):
    draft = new_draft(store)
    before = read_before_edit(draft)
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, script)), before)
    assert not outcome.ok and words in outcome.message.lower()
    kept = named_path(outcome.message)
    assert kept.read_bytes() == before
    assert only_draft(store) == kept == outcome.draft.path
    assert outcome.draft.message_id == draft.message_id
    assert stray_files(store, kept) == []  # no empty file left for `notmuch new` to trip on


def test_a_draft_made_unreadable_is_still_saved(store, tmp_path):
    draft = new_draft(store)
    script = 'printf "\\nOne more line.\\n" >> "$1"\nchmod 000 "$1"\n'
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, script)), read_before_edit(draft))
    assert outcome.ok, outcome.message
    saved = only_draft(store)
    assert saved == named_path(outcome.message)
    assert saved.read_bytes().endswith(b"One more line.\n")
    assert not draft.path.exists()


def test_a_draft_replaced_by_something_unreadable_keeps_both(store, tmp_path):
    draft = new_draft(store)
    before = read_before_edit(draft)
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, 'rm "$1"\nmkdir "$1"\n')), before)
    assert not outcome.ok
    assert f"edited draft at {draft.path} cannot be read" in outcome.message
    kept = named_path(outcome.message.split("the text from before")[1])
    assert kept.read_bytes() == before and only_draft(store) == kept
    assert draft.path.is_dir()  # left where it was, not deleted


def test_an_edit_while_the_database_is_locked_is_kept_and_indexed_later(store, notmuch_root, tmp_path):
    draft = new_draft(store)
    impatient = Store(store.config_path, lock_retry=LockRetry(attempts=3, delay=0.05))
    holder = hold_lock(notmuch_root / "notmuch-config", 30)  # `notmuch new` running as the editor exits
    try:
        script = "sed -i 's/^Subject: .*/Subject: Re: written while locked/' \"$1\"\n"
        outcome = finish_edit(impatient, draft, run_editor(draft.path, editor(tmp_path, script)),
                              read_before_edit(draft))
    finally:
        holder.kill()
        holder.wait()
    assert not outcome.ok and "stayed locked" in outcome.message
    fresh = named_path(outcome.message)
    assert b"Subject: Re: written while locked" in fresh.read_bytes()
    assert only_draft(store) == draft.path  # the old file, still there, until the swap

    notes = Store(store.config_path).recover()  # the next start
    assert notes == [f"An interrupted save was finished: {fresh} is indexed; the older copy {draft.path} was removed."]
    assert only_draft(store) == fresh
    assert list_drafts(store)[0].subject == "Re: written while locked"
    assert not draft.path.exists()


SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kreview.core.drafts import Draft, finish_edit, write_draft
    from kreview.core.editor import EditorResult
    from kreview.core.store import LockRetry, Store
    store = Store(Path(sys.argv[1]), lock_retry=LockRetry(attempts=100000, delay=0.01))
    if sys.argv[2] == "new":
        write_draft(store, b"From: me@example.org\\nSubject: new draft\\nMessage-ID: <new@example.org>\\n\\nhi\\n")
    else:
        finish_edit(store, Draft(Path(sys.argv[3]), sys.argv[4]), EditorResult(0), b"")
    """
)


@pytest.mark.parametrize("what", ["new", "edited"])
def test_kill_while_a_draft_is_saved(store, notmuch_root, what):
    """kill -9 while a draft is being saved (deterministically: while it waits
    for the database lock, after the text is on disk); the next start indexes it."""
    draft = new_draft(store)
    if what == "edited":
        draft.path.write_bytes(draft.path.read_bytes().replace(b"\n\n", b"\n\nThe edit.\n\n", 1))
    intents = notmuch_root / "mail" / ".notmuch" / INTENTS_DIR
    holder = hold_lock(notmuch_root / "notmuch-config", 60)
    try:
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(store.config_path), what,
                                  str(draft.path), draft.message_id], env=dict(os.environ))
        deadline = time.monotonic() + 60
        while not list(intents.glob("*.json")) if intents.is_dir() else True:
            assert saver.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        saver.send_signal(signal.SIGKILL)
        saver.wait()
    finally:
        holder.kill()
        holder.wait()
    assert only_draft(store) == draft.path  # the index is as it was, naming a file that exists

    start = subprocess.run([sys.executable, "-m", "kreview", "show", "--notmuch-config", str(store.config_path),
                            "tag:draft"], capture_output=True, text=True, env=dict(os.environ))
    assert start.returncode == 0, start.stderr
    assert "An interrupted save was finished" in start.stderr
    assert not list(intents.glob("*.json"))
    if what == "new":
        ids = sorted(n.message_id for n in list_drafts(store))
        assert ids == sorted([draft.message_id, "new@example.org"])
        assert all(Path(n.path).is_file() for n in list_drafts(store))
    else:
        saved = only_draft(store)
        assert saved != draft.path and not draft.path.exists()
        assert b"The edit." in saved.read_bytes()


def test_a_draft_removed_with_no_earlier_text_leaves_tag_draft(store, tmp_path):
    """Nothing to keep (the text from before the edit is unknown): tag:draft
    must not go on naming a file that is gone, and the message says so."""
    draft = new_draft(store)
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, 'rm "$1"\n')), None)
    assert not outcome.ok
    assert outcome.message == (f"The draft file was removed, and there was no earlier text to keep; "
                               f"the draft {draft.message_id} is removed from tag:draft.")
    assert outcome.draft == draft
    assert list_drafts(store) == []


def test_a_removed_draft_while_the_database_is_locked_says_so(store, tmp_path):
    draft = new_draft(store)
    impatient = Store(store.config_path, lock_retry=LockRetry(attempts=3, delay=0.05))
    holder = hold_lock(store.config_path, 30)
    try:
        outcome = finish_edit(impatient, draft, run_editor(draft.path, editor(tmp_path, 'rm "$1"\n')), None)
    finally:
        holder.kill()
        holder.wait()
    assert (outcome.ok, outcome.draft) == (False, draft)
    assert outcome.message.startswith("The draft file was removed, and there was no earlier text to keep; ")
    assert "locked" in outcome.message


def test_a_draft_emptied_with_no_earlier_text_stays_where_it_is(store, tmp_path):
    draft = new_draft(store)
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, ': > "$1"\n')), b"  \n")
    assert not outcome.ok
    assert outcome.message == (f"The draft was left empty, and there was no earlier text to keep; "
                               f"the draft file is {draft.path}.")
    assert outcome.draft == draft
    assert only_draft(store) == draft.path


def test_delete_draft_forgets_the_file_and_removes_it(store):
    draft = new_draft(store)
    delete_draft(store, draft)
    assert not Path(draft.path).exists()
    assert list_drafts(store) == []
    assert store.file_of(draft.message_id) is None


def test_delete_draft_whose_file_is_already_gone(store):
    draft = new_draft(store)
    Path(draft.path).unlink()
    delete_draft(store, draft)
    assert list_drafts(store) == []


def test_read_draft_headers_gives_what_the_reply_says(store):
    draft = new_draft(store)
    headers = read_draft_headers(draft)
    assert headers.subject == ("Re: [PATCH v8 1/7] mm, devm_memremap_pages: Mark devm_memremap_pages() "
                               "EXPORT_SYMBOL_GPL")
    assert headers.message_id == draft.message_id

"""After the editor the text is on disk, but the index cannot take it: the
database locked by another writer, or damaged. The outcome still names the
draft the user was editing (the reader keeps working on it), says it failed,
and names the file that holds the edit."""
from __future__ import annotations

from pathlib import Path

from kreview.core.drafts import finish_edit
from kreview.core.editor import run_editor
from kreview.core.store import LockRetry, Store
from tests.core.helpers import editor, hold_lock, new_draft


def saved_at(message: str) -> Path:
    return Path(message.split("the draft is saved at ", 1)[1].split("; ", 1)[0].rstrip("."))


def test_a_locked_database_keeps_the_draft_and_names_the_new_file(store, tmp_path):
    draft = new_draft(store)
    result = run_editor(draft.path, editor(tmp_path, 'echo "Written while locked." >> "$1"\n'))
    impatient = Store(store.config_path, lock_retry=LockRetry(attempts=2, delay=0.05))
    holder = hold_lock(store.config_path, 30)
    try:
        outcome = finish_edit(impatient, draft, result)
    finally:
        holder.kill()
        holder.wait()
    assert (outcome.ok, outcome.draft) == (False, draft)
    fresh = saved_at(outcome.message)
    assert outcome.message == (
        "The notmuch database stayed locked (is `notmuch new` running?): the draft is saved at "
        f"{fresh}; kreview indexes it in place of {draft.path} at its next start or tag change.")
    assert fresh.read_bytes().endswith(b"Written while locked.\n")


def test_a_damaged_database_keeps_the_draft_and_names_the_new_file(store, notmuch_root, tmp_path):
    draft = new_draft(store)
    result = run_editor(draft.path, editor(tmp_path, 'echo "Written as the index broke." >> "$1"\n'))
    (notmuch_root / "mail" / ".notmuch" / "xapian" / "iamglass").write_bytes(b"garbage")
    outcome = finish_edit(Store(store.config_path), draft, result)
    assert (outcome.ok, outcome.draft) == (False, draft)
    assert outcome.message.startswith(f"Could not open the notmuch database (config: {store.config_path}): ")
    fresh = saved_at(outcome.message)
    assert outcome.message.endswith(f"; the draft is saved at {fresh}.")
    assert fresh.read_bytes().endswith(b"Written as the index broke.\n")
    assert draft.path.exists()  # the old file is not deleted before the index names the new one

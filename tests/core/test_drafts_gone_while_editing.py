"""What happens to the draft while the editor runs, beyond the editor's own
doing: the draft deleted from the index by another kreview, its whole folder
removed, its file replaced by something unreadable. The text from before
the edit is kept as a draft again, and the message says so exactly."""
from __future__ import annotations

from pathlib import Path

from kreview.core.drafts import delete_draft, finish_edit, list_drafts, read_before_edit
from kreview.core.editor import run_editor
from tests.core.helpers import editor, new_draft


def only_draft(store) -> Path:
    [node] = list_drafts(store)
    assert Path(node.path).is_file()
    return Path(node.path)


def test_a_draft_deleted_elsewhere_during_the_edit_is_kept_again(store, tmp_path):
    draft = new_draft(store)
    before = read_before_edit(draft)
    delete_draft(store, draft)  # another kreview threw it away while the editor ran
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, "exit 0\n")), before)
    kept = only_draft(store)
    assert outcome.message == ("The draft file was removed; the text from before the edit is kept at "
                               f"{kept} (tag:draft).")
    assert kept.read_bytes() == before and outcome.draft.path == kept
    assert store.message_tags([draft.message_id]) == {draft.message_id: {"draft"}}


def test_a_drafts_folder_removed_during_the_edit_is_made_again(store, tmp_path):
    draft = new_draft(store)
    before = read_before_edit(draft)
    folder = draft.path.parent.parent
    result = run_editor(draft.path, editor(tmp_path, f'rm -r "{folder}"\n'))
    outcome = finish_edit(store, draft, result, before)
    kept = only_draft(store)
    assert outcome.message == ("The draft file was removed; the text from before the edit is kept at "
                               f"{kept} (tag:draft).")
    assert kept.parent == folder / "cur" and kept.read_bytes() == before
    assert (folder / "tmp").is_dir()


def test_a_draft_replaced_by_a_directory_says_why_it_cannot_be_read(store, tmp_path):
    draft = new_draft(store)
    before = read_before_edit(draft)
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, 'rm "$1"\nmkdir "$1"\n')), before)
    kept = only_draft(store)
    assert outcome.message == (f"The edited draft at {draft.path} cannot be read (Is a directory); it is left there; "
                               f"the text from before the edit is kept at {kept} (tag:draft).")

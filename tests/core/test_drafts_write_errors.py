"""After the editor, saving the draft can fail on the disk itself (full, or
over a size limit): the user is told why and where the text is. The
failure is real: the process's file-size limit (RLIMIT_FSIZE; Python ignores SIGXFSZ) makes the write of
the new file fail with EFBIG, as a full disk fails with ENOSPC."""
from __future__ import annotations

import contextlib
import resource
from pathlib import Path

from kreview.core.drafts import finish_edit, list_drafts, read_before_edit
from kreview.core.editor import run_editor
from tests.core.helpers import editor, new_draft


@contextlib.contextmanager
def files_limited_to(size: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_successful_edit_is_saved_as_a_draft_file(store, tmp_path):
    draft = new_draft(store)
    outcome = finish_edit(store, draft, run_editor(draft.path, editor(tmp_path, 'echo "Looks good." >> "$1"\n')))
    assert outcome.ok
    assert outcome.draft.path.name.endswith(":2,DS")  # D: other mail clients list it as a draft


def test_the_disk_refusing_the_save_keeps_the_edited_file_indexed(store, tmp_path):
    draft = new_draft(store)
    result = run_editor(draft.path, editor(tmp_path, 'echo "My review." >> "$1"\n'))
    with files_limited_to(16):
        outcome = finish_edit(store, draft, result, read_before_edit(draft))
    assert (outcome.ok, outcome.draft) == (False, draft)
    assert outcome.message == f"Could not write the draft (File too large); the draft file is still {draft.path}."
    assert draft.path.read_bytes().endswith(b"My review.\n")
    # and the cut-off copy it was writing is not left in the Maildir's tmp/
    assert list((draft.path.parent.parent / "tmp").iterdir()) == []
    assert [Path(n.path) for n in list_drafts(store)] == [draft.path]


def test_the_disk_refusing_the_earlier_text_of_a_removed_draft_says_nothing_was_written(store, tmp_path):
    draft = new_draft(store)
    before = read_before_edit(draft)
    result = run_editor(draft.path, editor(tmp_path, 'rm "$1"\n'))
    with files_limited_to(16):
        outcome = finish_edit(store, draft, result, before)
    assert (outcome.ok, outcome.draft) == (False, draft)
    assert outcome.message == "Could not write the draft (File too large); nothing was written."


def test_a_save_works_again_once_the_disk_takes_it(store, tmp_path):
    """A refused write leaves its half-written file in tmp/ (Maildir readers
    ignore tmp/); the next save, once there is room, must not trip on it."""
    draft = new_draft(store)
    result = run_editor(draft.path, editor(tmp_path, 'echo "My review." >> "$1"\n'))
    with files_limited_to(16):
        refused = finish_edit(store, draft, result)
    assert not refused.ok
    again = finish_edit(store, draft, result)
    assert again.ok, again.message
    assert again.draft.path.read_bytes().endswith(b"My review.\n")

"""`update_draft`: the draft's new text goes to a fresh Maildir file next to
the old one, marked as a draft (":2,DS"), indexed in its place; the old file
is deleted unless the caller keeps it. On the real temporary database."""
from __future__ import annotations

from pathlib import Path

from kreview.core.drafts import list_drafts, update_draft
from tests.core.helpers import new_draft


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_update_saves_the_given_text_in_a_draft_file_and_removes_the_old_one(store):
    draft = new_draft(store)
    text = draft.path.read_bytes().replace(b"\n\n", b"\n\nMy review, as typed.\n\n", 1)
    saved = update_draft(store, draft, text)
    assert saved.message_id == draft.message_id
    assert saved.path.read_bytes() == text
    assert saved.path.parent == draft.path.parent
    # D (draft) and S (not unread): other mail clients see it as a draft, and
    # notmuch's flag sync has no reason to rename it under an editor.
    assert saved.path.name.endswith(":2,DS")
    assert not draft.path.exists()
    assert files_in(draft.path.parent) == [saved.path.name]  # `notmuch new` finds one copy
    assert [Path(n.path) for n in list_drafts(store)] == [saved.path]


def test_update_without_text_saves_what_the_file_holds_now(store):
    draft = new_draft(store)
    text = draft.path.read_bytes().replace(b"\n\n", b"\n\nEdited in place.\n\n", 1)
    draft.path.write_bytes(text)
    saved = update_draft(store, draft)
    assert saved.path != draft.path and saved.path.read_bytes() == text
    assert not draft.path.exists()


def test_update_can_keep_the_old_file(store):
    draft = new_draft(store)
    old = draft.path.read_bytes()
    saved = update_draft(store, draft, old + b"More.\n", delete_old=False)
    assert draft.path.read_bytes() == old  # kept, as asked, but no longer indexed
    assert [Path(n.path) for n in list_drafts(store)] == [saved.path]

"""`Store.index_archive_files`, in-process (test_archive_fetch.py reaches it
through a public-inbox server, which the mutation run leaves out): fetched
files become messages with exactly the delivery's tags, a file notmuch
cannot read is skipped without losing the files after it, and a message
already here keeps its own tags."""
from __future__ import annotations

from pathlib import Path

import pytest

from kreview.core.store import Store


def mail(message_id: str, subject: str) -> bytes:
    return (f"From: Ann Author <ann@example.org>\nTo: linux-mm@kvack.org\nSubject: {subject}\n"
            f"Date: Tue, 20 Nov 2018 15:12:49 -0800\nMessage-ID: <{message_id}>\n\nBody.\n").encode()


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / "new" / name
    path.write_bytes(data)
    return path


@pytest.fixture
def lore(store: Store) -> Path:
    folder = store.mail_root / "lore"
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True)
    return folder


def test_fetched_files_are_indexed_with_the_delivery_tags(store, lore):
    paths = [put(lore, f"kreview-{n}", mail(f"fetched-{n}@example.org", f"[PATCH {n}/2] fetched")) for n in (1, 2)]
    added = store.index_archive_files(paths, ["lore", "inbox"])
    assert added == ["fetched-1@example.org", "fetched-2@example.org"]
    tags = store.message_tags(added)
    # Exactly the delivery's tags: no "unread" from a Maildir flag sync of new/.
    assert tags == {m: {"lore", "inbox"} for m in added}
    [node] = store.messages("id:fetched-2@example.org")
    assert node.subject == "[PATCH 2/2] fetched" and Path(node.path).exists()
    # Not unread, so notmuch's flag sync gave the file its S and moved it to cur/.
    assert Path(node.path).parent == lore / "cur" and Path(node.path).name.endswith(":2,S")


def test_an_unreadable_file_is_skipped_and_the_rest_indexed(store, lore):
    empty = put(lore, "kreview-empty", b"")  # notmuch: "not an email"
    later = put(lore, "kreview-later", mail("after-empty@example.org", "later"))
    assert store.index_archive_files([empty, later], ["lore"]) == ["after-empty@example.org"]
    assert store.message_tags(["after-empty@example.org"]) == {"after-empty@example.org": {"lore"}}
    assert empty.exists()  # it stays a file, as with `notmuch new`


def test_a_message_already_here_keeps_its_tags_and_is_not_counted(store, lore):
    [known] = store.messages("tag:inbox", limit=1)
    before = store.message_tags([known.message_id])[known.message_id]
    copy = put(lore, "kreview-copy", Path(known.path).read_bytes())
    fresh = put(lore, "kreview-fresh", mail("fresh@example.org", "fresh"))
    assert store.index_archive_files([copy, fresh], ["lore"]) == ["fresh@example.org"]
    assert store.message_tags([known.message_id])[known.message_id] == before
    assert store.message_tags(["fresh@example.org"])["fresh@example.org"] == {"lore"}

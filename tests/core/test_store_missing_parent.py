"""`Store.thread_messages` when a reply's parent never arrived: notmuch hangs
the reply under the nearest ancestor it has; the thread shows one
"(message not available)" row for the missing parent, with its replies
under it, at the depths the reader indents them by. On the real temporary
database, with mail written for the test."""
from __future__ import annotations

import pytest

from kreview.core.model import MessageNode


def mail(message_id: str, subject: str, date: str, parent: str | None = None, refs: tuple[str, ...] = ()) -> bytes:
    head = ["From: Ann Author <ann@example.org>", f"Subject: {subject}", f"Date: {date}",
            f"Message-ID: <{message_id}>"]
    if parent:
        head.append(f"In-Reply-To: <{parent}>")
    if refs:
        head.append("References: " + " ".join(f"<{r}>" for r in refs))
    return ("\n".join(head) + "\n\nBody.\n").encode()


@pytest.fixture
def thread(store, notmuch_root):
    """root <- (missing) <- first <- deeper, and (missing) <- second."""
    folder = notmuch_root / "mail" / "gap" / "cur"
    folder.mkdir(parents=True)
    mails = {
        "root@x": mail("root@x", "[PATCH 0/2] gap", "Mon, 1 Jul 2024 10:00:00 +0000"),
        "first@x": mail("first@x", "Re: [PATCH 1/2] gap", "Mon, 1 Jul 2024 11:00:00 +0000",
                        "missing@x", ("root@x", "missing@x")),
        "second@x": mail("second@x", "Re: [PATCH 1/2] gap", "Mon, 1 Jul 2024 12:00:00 +0000",
                         "missing@x", ("root@x", "missing@x")),
        "deeper@x": mail("deeper@x", "Re: [PATCH 1/2] gap", "Mon, 1 Jul 2024 13:00:00 +0000",
                         "first@x", ("root@x", "missing@x", "first@x")),
    }
    for n, (message_id, data) in enumerate(mails.items()):
        path = folder / f"17198{n}.gap.host:2,S"
        path.write_bytes(data)
        store.index_file(path, ("inbox",))
    [thread_id] = store.thread_ids_of(["root@x"])
    return thread_id


def test_one_placeholder_stands_for_the_missing_parent(store, thread):
    nodes = store.thread_messages(thread)
    assert [(n.message_id, n.parent_id, n.depth) for n in nodes] == [
        ("root@x", None, 0),
        ("missing@x", "root@x", 1),
        ("first@x", "missing@x", 2),
        ("deeper@x", "first@x", 3),
        ("second@x", "missing@x", 2),
    ]
    assert nodes[1] == MessageNode(message_id="missing@x", thread_id=thread, parent_id="root@x", depth=1,
                                   author="", subject="(message not available)", date=0,
                                   matched=False, missing=True)
    assert not any(n.missing for n in nodes if n.message_id != "missing@x")
    assert {n.thread_id for n in nodes} == {thread}
    assert nodes[3].author == "Ann Author <ann@example.org>" and nodes[3].subject == "Re: [PATCH 1/2] gap"
    assert nodes[3].date == 1719838800 and nodes[3].tags == {"inbox"} and nodes[3].path.endswith(":2,S")


def test_the_query_marks_what_it_matched_and_never_the_placeholder(store, thread):
    nodes = store.thread_messages(thread, "id:deeper@x or id:second@x")
    assert {n.message_id: n.matched for n in nodes} == {
        "root@x": False, "missing@x": False, "first@x": False, "deeper@x": True, "second@x": True}


def test_a_query_matching_nothing_in_the_thread_shows_it_all_unmatched(store, thread):
    nodes = store.thread_messages(thread, "tag:no-such-tag")
    assert len(nodes) == 5 and [n.matched for n in nodes] == [False] * 5

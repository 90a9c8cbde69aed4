"""Who counts, and how many times, as ``kreview trailers --json`` reports it
(the same reading feeds the list's A/R/T and the series panel): one
reviewer's Reviewed-by counts once however often and in whatever case it is
given, and a sender whose address is capitalised in From is still the
trailer's owner, not a suspect."""
from __future__ import annotations

import json

from kreview.cli import main

PATCH = """\
From: Ann Author <ann@example.org>
To: linux-mm@kvack.org
Subject: [PATCH 1/1] mm: count things once
Date: Mon, 02 Nov 2026 10:00:00 +0000
Message-ID: <count-patch@example.org>

Counting twice is wrong.

Signed-off-by: Ann Author <ann@example.org>
---
 mm/count.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/count.c b/mm/count.c
index 1111111..2222222 100644
--- a/mm/count.c
+++ b/mm/count.c
@@ -1,3 +1,3 @@
 int count(void)
-{ return 2; }
+{ return 1; }
 /* end */
"""


def reply(n: int, sender: str, body: str) -> str:
    return (f"From: {sender}\nTo: Ann Author <ann@example.org>\nCc: linux-mm@kvack.org\n"
            f"Subject: Re: [PATCH 1/1] mm: count things once\n"
            f"Date: Mon, 02 Nov 2026 1{n}:00:00 +0000\nMessage-ID: <count-reply-{n}@example.org>\n"
            f"In-Reply-To: <count-patch@example.org>\nReferences: <count-patch@example.org>\n\n{body}\n")


def index(store, name: str, text: str) -> None:
    path = store.mail_root / "cur" / f"{name}:2,S"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    store.index_file(path)


def trailers_of_the_patch(store, capsys, notmuch_root):
    assert main(["trailers", "--json", "--notmuch-config", str(notmuch_root / "notmuch-config"),
                 "id:count-patch@example.org"]) == 0
    (series,) = json.loads(capsys.readouterr().out)["series"]
    (patch,) = series["patches"]
    return patch


def test_one_reviewer_counts_once_whatever_the_case_of_the_address(store, capsys, notmuch_root):
    index(store, "count-patch", PATCH)
    index(store, "count-r1", reply(1, "Rita Reviewer <rita@example.org>",
                                   "Looks right.\n\nReviewed-by: Rita Reviewer <rita@example.org>"))
    index(store, "count-r2", reply(2, "Rita Reviewer <Rita@Example.ORG>",
                                   "Still fine after the respin.\n\nReviewed-by: Rita Reviewer <RITA@example.org>"))
    patch = trailers_of_the_patch(store, capsys, notmuch_root)
    reviewed = [t for t in patch["trailers"] if t["kind"] == "Reviewed-by"]
    assert len(reviewed) == 1 and reviewed[0]["email"].lower() == "rita@example.org"
    assert patch["counts"] == {"A": 0, "R": 1, "T": 0}


def test_a_capitalised_sender_is_the_trailers_owner_not_a_suspect(store, capsys, notmuch_root):
    index(store, "count-patch", PATCH)
    # A different display name, so only the address can tie the trailer to its sender.
    index(store, "count-r1", reply(1, "T. Tester <Tim.Tester@Example.org>",
                                   "Ran it.\n\nTested-by: Tim Tester <tim.tester@example.org>"))
    patch = trailers_of_the_patch(store, capsys, notmuch_root)
    (tested,) = [t for t in patch["trailers"] if t["kind"] == "Tested-by"]
    assert tested["suspect"] is False
    assert patch["counts"]["T"] == 1


def test_someone_elses_trailer_is_suspect_and_not_counted(store, capsys, notmuch_root):
    # The rule the two tests above must not loosen: a Reviewed-by naming
    # another person than the sender is shown as suspect and not counted.
    index(store, "count-patch", PATCH)
    index(store, "count-r1", reply(1, "Mallory <mallory@example.net>",
                                   "Reviewed-by: Rita Reviewer <rita@example.org>"))
    patch = trailers_of_the_patch(store, capsys, notmuch_root)
    (reviewed,) = [t for t in patch["trailers"] if t["kind"] == "Reviewed-by"]
    assert reviewed["suspect"] is True
    assert patch["counts"]["R"] == 0

"""`kreview reply` and `kreview tag` on the real temporary database."""
from __future__ import annotations

import pytest

from kreview.cli import main

COVER = b"""\
From: Dan Williams <dan.j.williams@intel.com>
To: akpm@linux-foundation.org
Cc: linux-mm@kvack.org, Demo Reviewer <reviewer@example.org>
Subject: [PATCH v8 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only
Date: Tue, 20 Nov 2018 15:12:49 -0800
Message-ID: <cli-cover@intel.com>

Changes since v7.
"""


@pytest.fixture
def cli(store, notmuch_root):
    for name, data in (("1.cover.host:2,", COVER), ("2.other.host:2,", COVER.replace(b"cli-cover", b"cli-other"))):
        path = notmuch_root / "mail" / "cur" / name
        path.write_bytes(data)
        store.index_file(path, ("inbox", "unread"))
    config = str(notmuch_root / "notmuch-config")

    def run(*argv: str) -> int:
        return main([argv[0], "--notmuch-config", config, *argv[1:]])

    return run


def test_reply_prints_the_draft(cli, capsys):
    assert cli("reply", "--all", "--with", "reviewed-by", "id:cli-cover@intel.com") == 0
    out = capsys.readouterr().out
    head, body = out.split("\n\n", 1)
    assert "From: Demo Reviewer <reviewer@example.org>" in head.split("\n")
    assert "To: Dan Williams <dan.j.williams@intel.com>" in head.split("\n")
    assert "Cc: akpm@linux-foundation.org, linux-mm@kvack.org" in head.split("\n")
    assert "In-Reply-To: <cli-cover@intel.com>" in head.split("\n")
    assert body.endswith("> Changes since v7.\n\nReviewed-by: Demo Reviewer <reviewer@example.org>\n")


def test_reply_without_a_match_is_an_error(cli, capsys):
    assert cli("reply", "id:nothing@example.org") == 2
    assert "no message matches 'id:nothing@example.org'" in capsys.readouterr().err


def test_tag_with_separator(cli, store, capsys):
    assert cli("tag", "+reviewed", "-inbox", "-unread", "--", "id:cli-cover@intel.com") == 0
    assert capsys.readouterr().err.strip() == "kreview: +reviewed -inbox -unread on 1 message"
    assert store.message_tags(["cli-cover@intel.com"])["cli-cover@intel.com"] == {"reviewed"}
    assert "S" in store.file_of("cli-cover@intel.com").name.rsplit(":2,", 1)[1]


def test_tag_without_separator_and_a_tag_starting_with_h(cli, store, capsys):
    assert cli("tag", "-hold", "+hot", "id:cli-cover@intel.com", "or", "id:cli-other@intel.com") == 0
    assert "on 2 messages" in capsys.readouterr().err
    tags = store.message_tags(["cli-cover@intel.com", "cli-other@intel.com"])
    assert all("hot" in t for t in tags.values())


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("+a", "-a", "--", "*"), "both added and removed"),
        (("+a", "--", "id:absent@example.org"), "no message matches"),
        (("+a", "--"), "no query given"),
        (("--", "*"), "no tag operations"),
    ],
)
def test_tag_errors_exit_2_with_a_message(cli, store, capsys, argv, words):
    before = store.message_tags(["cli-cover@intel.com"])
    assert cli("tag", *argv) == 2
    assert words in capsys.readouterr().err
    assert store.message_tags(["cli-cover@intel.com"]) == before


PATCH = b"""\
From: Dan Williams <dan.j.williams@intel.com>
To: akpm@linux-foundation.org
Subject: [PATCH v8 1/7] mm: one line
Date: Tue, 20 Nov 2018 15:12:50 -0800
Message-ID: <cli-patch@intel.com>

The commit message.

Signed-off-by: Dan Williams <dan.j.williams@intel.com>
---
 mm/hmm.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/hmm.c b/mm/hmm.c
--- a/mm/hmm.c
+++ b/mm/hmm.c
@@ -1 +1 @@
-old
+new
"""


def test_a_trailer_reply_that_quotes_nothing_prints_the_trailer(cli, store, notmuch_root, isolated_env, capsys,
                                                               monkeypatch):
    # quote_on_trailer_reply = "none": the reply is the trailer alone (it
    # used to end in a NameError before printing anything).
    path = notmuch_root / "mail" / "cur" / "3.patch.host:2,"
    path.write_bytes(PATCH)
    store.index_file(path, ("inbox",))
    config = notmuch_root / "kreview.toml"
    config.write_text('quote_on_trailer_reply = "none"\n')
    monkeypatch.setenv("KREVIEW_CONFIG", str(config))
    assert cli("reply", "--with", "reviewed-by", "id:cli-patch@intel.com") == 0
    head, body = capsys.readouterr().out.split("\n\n", 1)
    assert "In-Reply-To: <cli-patch@intel.com>" in head.split("\n")
    assert body.strip() == "Reviewed-by: Demo Reviewer <reviewer@example.org>"

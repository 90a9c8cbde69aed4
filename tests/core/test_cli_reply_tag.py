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

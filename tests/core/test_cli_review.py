"""`kreview review QUERY --comments FILE`: the draft it prints, and errors
that say which comment is wrong."""
from __future__ import annotations

import json

from kreview.cli import main
from tests.core.helpers import GOLDEN, PATCH_ID, THREE


def run(notmuch_root, *argv: str) -> int:
    return main(["review", "--notmuch-config", str(notmuch_root / "notmuch-config"), *argv])


def test_review_prints_the_draft(store, notmuch_root, tmp_path, capsys):
    comments = tmp_path / "comments.json"
    comments.write_text(json.dumps(THREE))
    assert run(notmuch_root, f"id:{PATCH_ID}", "--comments", str(comments), "--with", "reviewed-by") == 0
    head, body = capsys.readouterr().out.split("\n\n", 1)
    assert "Subject: Re: [PATCH v8 5/7] mm, hmm: Use devm semantics for hmm_devmem_{add, remove}" in head
    assert f"In-Reply-To: <{PATCH_ID}>" in head.split("\n")
    assert body == GOLDEN.read_text()


def test_review_context_option(store, notmuch_root, tmp_path, capsys):
    comments = tmp_path / "comments.json"
    comments.write_text(json.dumps(THREE[1:2]))
    assert run(notmuch_root, f"id:{PATCH_ID}", "--comments", str(comments), "--context", "0") == 0
    body = capsys.readouterr().out.split("\n\n", 1)[1]
    assert "> @@ -987,25 +987,18 @@ static void hmm_devmem_ref_release(struct percpu_ref *ref)\n" \
           "> +static void hmm_devmem_ref_exit(struct percpu_ref *ref)\n\nThis now waits" in body


def test_unknown_line_is_a_clear_error(store, notmuch_root, tmp_path, capsys):
    comments = tmp_path / "comments.json"
    comments.write_text(json.dumps([{"file": "mm/hmm.c", "line": 2000, "side": "new", "end_line": None,
                                     "text": "x"}]))
    assert run(notmuch_root, f"id:{PATCH_ID}", "--comments", str(comments)) == 2
    err = capsys.readouterr().err
    assert err.startswith("kreview: comment 1: mm/hmm.c has no new-side line 2000 in the patch's hunks")


def test_not_json_is_a_clear_error(store, notmuch_root, tmp_path, capsys):
    comments = tmp_path / "comments.json"
    comments.write_text("[{")
    assert run(notmuch_root, f"id:{PATCH_ID}", "--comments", str(comments)) == 2
    assert "not JSON" in capsys.readouterr().err


def test_reply_with_a_trailer_quotes_the_commit_message_only(store, notmuch_root, capsys):
    assert main(["reply", "--notmuch-config", str(notmuch_root / "notmuch-config"), "--all", "--with",
                 "acked-by", f"id:{PATCH_ID}"]) == 0
    body = capsys.readouterr().out.split("\n\n", 1)[1]
    assert "diff --git" not in body and "> Signed-off-by: Dan Williams <dan.j.williams@intel.com>\n" in body
    assert body.endswith("\n\nAcked-by: Demo Reviewer <reviewer@example.org>\n")

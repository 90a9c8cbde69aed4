"""Review comments on a real patch from the sample (v8 5/7 of the HMM
series: two files, five hunks): the line index, the comment JSON, the review
files, and the review reply checked against a golden text and against the
patch itself, line by line."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kreview.core.blocks import split_blocks
from kreview.core.comments import Comment, Review, ReviewStore, comments_from_json, moved, new_comment
from kreview.core.grammar import strip_quote
from kreview.core.model import Identity
from kreview.core.parse import parse_message, read_message
from kreview.core.patch_index import body_lines, index_blocks
from kreview.core.review_reply import (
    SNIP,
    build_review_reply,
    commit_message_quote,
    quoted_review,
    scope_line,
)
from tests.core.helpers import GOLDEN, PATCH, THREE

REPO = Path(__file__).resolve().parents[2]
ME = Identity("Demo Reviewer", "reviewer@example.org", ("demo@kernel.org",))
NOW = datetime(2018, 11, 21, 9, 30, tzinfo=timezone.utc)

@pytest.fixture(scope="module")
def patch():
    parsed = read_message(PATCH)
    blocks = split_blocks(parsed.text, patches=parsed.patches)
    return parsed, blocks, index_blocks(blocks), body_lines(blocks)


def test_index_knows_files_sides_and_line_numbers(patch):
    _, _, index, lines = patch
    assert index.files == ["include/linux/hmm.h", "mm/hmm.c"]
    assert lines[index.body_line_of("mm/hmm.c", "new", 990)] == "+static void hmm_devmem_ref_exit(struct percpu_ref *ref)"
    assert lines[index.body_line_of("mm/hmm.c", "old", 990)] == "-static void hmm_devmem_ref_exit(void *data)"
    context = index.body_line_of("mm/hmm.c", "new", 987)
    assert lines[context] == " \tcomplete(&devmem->completion);"
    assert index.body_line_of("mm/hmm.c", "old", 987) == context  # a context line has both numbers
    assert index.anchor_of(context) == ("mm/hmm.c", "new", 987)
    assert index.anchor_of(0) == (None, "new", 1)  # the commit message: body line numbers
    assert index.kind(0) == "message"


def test_json_comments_unknown_file_or_line_are_clear_errors(patch):
    index = patch[2]
    with pytest.raises(ValueError, match=r"comment 1: no file 'mm/nope.c' in this patch \(files: include/linux/hmm.h, mm/hmm.c\)"):
        comments_from_json([{"file": "mm/nope.c", "line": 1, "side": "new", "end_line": None, "text": "x"}], index)
    with pytest.raises(ValueError, match=r"comment 2: mm/hmm.c has no new-side line 5 .*987-1004"):
        comments_from_json([THREE[0], {"file": "mm/hmm.c", "line": 5, "side": "new", "end_line": None, "text": "x"}], index)
    with pytest.raises(ValueError, match="side"):
        comments_from_json([{"file": "mm/hmm.c", "line": 990, "side": "left", "end_line": None, "text": "x"}], index)
    with pytest.raises(ValueError, match="text"):
        comments_from_json([{"file": "mm/hmm.c", "line": 990, "side": "new", "end_line": None, "text": ""}], index)


def test_review_of_three_hunks_in_two_files(patch):
    parsed, blocks, index, lines = patch
    comments = comments_from_json(THREE, index)
    draft = build_review_reply(parsed, ME, comments, blocks=blocks, trailer="reviewed-by", now=NOW)
    body = draft.get_content()
    assert body == GOLDEN.read_text()
    out = body.rstrip("\n").split("\n")
    # Every quoted line is the patch's line as written; nothing else is quoted.
    quoted = [strip_quote(line) if line != ">" else "" for line in out if line.startswith(">")]
    assert quoted and all(q in lines for q in quoted)
    assert len(quoted) < 30  # not the 100-line patch
    assert out.count(SNIP) == 2
    for item in THREE:  # each comment right below its line
        first = item["text"].split("\n")[0]
        at = out.index(first)
        assert out[at - 1] == "" and out[at - 2].startswith(">")
    assert out[-1] == "Reviewed-by: Demo Reviewer <reviewer@example.org>"
    assert sum(line.startswith("Reviewed-by:") for line in out) == 1
    assert draft["To"] == "Dan Williams <dan.j.williams@intel.com>" and "linux-mm@kvack.org" in draft["Cc"]
    assert draft["In-Reply-To"] == f"<{parsed.headers.message_id}>"
    # It reads back through our own block model as a review does.
    back = split_blocks(parse_message(bytes(draft)).text)
    assert {b.type for b in back} <= {"attribution", "quote", "diff", "text"}
    assert [b.type for b in back][:2] == ["attribution", "diff"]
    assert sum(b.type == "diff" for b in back) == 3


def test_stretches_that_touch_are_one_and_headers_come_once(patch):
    _, _, index, lines = patch
    one = index.body_line_of("mm/hmm.c", "new", 990)
    two = index.body_line_of("mm/hmm.c", "new", 991)
    out = quoted_review(lines, index, [Comment(one, one, "A"), Comment(two, two, "B")], context=3)
    assert SNIP not in out
    assert sum(line.startswith("> @@") for line in out) == 1
    assert out[out.index("A") - 2] == "> +static void hmm_devmem_ref_exit(struct percpu_ref *ref)"
    assert out[out.index("B") - 2] == ">  {"


def test_range_comment_and_context_setting(patch):
    _, _, index, lines = patch
    comments = comments_from_json([{"file": "mm/hmm.c", "line": 1005, "side": "old", "end_line": 1007,
                                    "text": "Gone, good."}], index)
    out = quoted_review(lines, index, comments, context=0)
    body = [l for l in out if l.startswith("> ") and not l.startswith(("> diff", "> index", "> ---", "> +++", "> @@"))]
    assert [strip_quote(l) for l in body] == lines[comments[0].body_line:comments[0].end_body_line + 1]


def test_comment_on_the_commit_message_quotes_no_diff_header(patch):
    _, _, index, lines = patch
    comments = comments_from_json([{"file": None, "line": 2, "side": "new", "end_line": None, "text": "Typo."}], index)
    out = quoted_review(lines, index, comments)
    assert out == [f"> {lines[0]}", f"> {lines[1]}", "", "Typo."]


def test_moving_a_comment_keeps_its_range_and_reanchors(patch):
    _, _, index, _ = patch
    first = index.body_line_of("mm/hmm.c", "new", 990)
    comment = new_comment(index, first, first + 1, "x")
    down = moved(index, comment, 1)
    assert (down.body_line, down.end_body_line, down.id) == (first + 1, first + 2, comment.id)
    assert (down.file, down.side) == ("mm/hmm.c", "new")


def test_scope_line():
    assert scope_line([1, 2, 3]) == "For patches 1-3:"
    assert scope_line([2]) == "For patch 2:"
    assert scope_line([1, 3, 4, 5]) == "For patches 1, 3-5:"


def test_scoped_trailer_on_a_cover_letter(patch):
    parsed, blocks, _, _ = patch
    draft = build_review_reply(parsed, ME, [], blocks=blocks, trailer="acked-by", scope=[1, 2, 3], now=NOW)
    assert draft.get_content() == "For patches 1-3:\nAcked-by: Demo Reviewer <reviewer@example.org>\n"


def test_trailer_reply_quotes_the_commit_message_only(patch):
    parsed = patch[0]
    head = commit_message_quote(parsed)
    assert head.split("\n")[-1].startswith("Signed-off-by: Dan Williams")
    assert "diff --git" not in head
    assert commit_message_quote(parsed, "none") == ""
    assert commit_message_quote(parsed, "all") is None
    prose = parse_message(b"Subject: hi\n\nJust text.\n")
    assert commit_message_quote(prose) is None
    with pytest.raises(ValueError):
        commit_message_quote(parsed, "everything")


def test_review_store_round_trip_pending_and_forget(tmp_path, patch):
    index = patch[2]
    store = ReviewStore(tmp_path / "reviews")
    review = Review("m@x", subject="[PATCH] x").with_comment(new_comment(index, 40, 40, "first"))
    review = Review(**{**review.__dict__, "pending": new_comment(index, 50, 50, "half a thou")})
    store.save(review, durable=False)
    back = store.load("m@x")
    assert back.comments == review.comments and back.pending.text == "half a thou"
    assert store.for_messages(["m@x", "other@x"]).keys() == {"m@x"}
    store.save(Review("m@x", review.comments, draft_id="draft@me"))
    assert store.forget_draft(["draft@me"]) == 1 and store.load("m@x") is None
    store.save(Review("empty@x"))
    assert not store.path_for("empty@x").exists()  # nothing to keep: no file


_WRITER = """
import sys, itertools
from kreview.core.comments import Comment, Review, ReviewStore
store = ReviewStore(sys.argv[1])
comments = ()
big = "y" * 3_000_000  # long enough that a write takes a while: a kill lands inside some
for n in itertools.count():
    comments = comments + (Comment(n, n, "comment %d" % n),)
    store.save(Review("m@x", comments, pending=Comment(n, n, "typing %d " % n + big)), durable=n % 2 == 0)
    if n == 1:
        print("ready", flush=True)
"""


@pytest.mark.parametrize("delay", [0.0, 0.013, 0.021, 0.034, 0.045, 0.052, 0.067, 0.08])
def test_kill_9_while_saving_leaves_a_whole_review(tmp_path, delay):
    # Killed at any moment, the file holds some complete earlier state.
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path)], stdout=subprocess.PIPE,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(delay)  # any moment will do; several moments make a torn write show
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    review = ReviewStore(tmp_path).load("m@x")
    n = len(review.comments)
    assert n >= 2
    assert [c.text for c in review.comments] == [f"comment {i}" for i in range(n)]
    assert review.pending.text.startswith(f"typing {n - 1} yyy")


def test_comment_on_a_hunk_quoted_in_a_reply():
    # Christoph's review of v4 5/8 quotes the file header, snips ("> [...]"),
    # then quotes a hunk: its lines still have their file and numbers.
    reply = read_message(REPO / "sample_maildir/cur/1531292691.000014.kreview-sample:2,S")
    blocks = split_blocks(reply.text)
    index, lines = index_blocks(blocks), body_lines(blocks)
    at = lines.index("> +\tdevmem = devm_kzalloc(device, sizeof(*devmem), GFP_KERNEL);")
    assert index.anchor_of(at) == ("mm/hmm.c", "new", 1167)
    out = quoted_review(lines, index, [new_comment(index, at, at, "Agreed.")], context=2)
    assert out == [">> diff --git a/mm/hmm.c b/mm/hmm.c", ">> index c33b090f0ee0..ceb38f27cafc 100644",
                   ">> --- a/mm/hmm.c", ">> +++ b/mm/hmm.c",
                   ">> @@ -1171,8 +1164,7 @@ struct hmm_devmem *hmm_devmem_add(const struct hmm_devmem_ops *ops,",
                   ">> -\tdevmem = devres_alloc_node(&hmm_devmem_release, sizeof(*devmem),",
                   ">> -\t\t\t\t   GFP_KERNEL, dev_to_node(device));",
                   ">> +\tdevmem = devm_kzalloc(device, sizeof(*devmem), GFP_KERNEL);", "", "Agreed."]


def test_a_comment_on_a_file_whose_name_has_a_space_names_the_whole_file():
    """git writes "diff --git a/Documentation/my notes.txt b/Documentation/my notes.txt"
    (no quotes for a space); with no ---/+++ lines (a mode change, a quoted
    header) the comment's file came out as "notes.txt"."""
    text = ("Fix it.\n\n---\n"
            "diff --git a/Documentation/my notes.txt b/Documentation/my notes.txt\n"
            "index 1111111..2222222 100644\n"
            "@@ -1,2 +1,2 @@\n first\n-old\n+new\n")
    blocks = split_blocks(text)
    index, lines = index_blocks(blocks), body_lines(blocks)
    assert index.files == ["Documentation/my notes.txt"]
    assert index.anchor_of(lines.index("+new")) == ("Documentation/my notes.txt", "new", 2)

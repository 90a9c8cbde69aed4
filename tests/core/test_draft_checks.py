"""Checks of a draft before sending: trailers once and from you, a review
that asks for changes but approves questioned, quotes still the patch's."""
from __future__ import annotations

from datetime import datetime, timezone

from kreview.core.draft_checks import check_draft, check_draft_in_store
from kreview.core.drafts import write_draft
from kreview.core.model import Identity
from kreview.core.parse import read_message
from kreview.core.review_reply import build_review_reply
from tests.core.helpers import PATCH, THREE

ME = Identity("Demo Reviewer", "reviewer@example.org", ("demo@kernel.org",))
NOW = datetime(2018, 11, 21, 9, 30, tzinfo=timezone.utc)


def draft(body: str) -> bytes:
    return (b"From: Demo Reviewer <reviewer@example.org>\nSubject: Re: x\nIn-Reply-To: <p@x>\n\n"
            + body.encode())


PATCH_LINES = ["+\tfoo();", " \tbar();", "Signed-off-by: A <a@x>"]


def test_a_clean_review_passes():
    body = "On Tue, A wrote:\n> +\tfoo();\n\nLooks fine, nit: naming.\n\nReviewed-by: Demo Reviewer <reviewer@example.org>\n"
    assert check_draft(draft(body), ME, PATCH_LINES) == []


def test_trailer_twice_is_questioned():
    body = "Reviewed-by: Demo Reviewer <reviewer@example.org>\nReviewed-by: Demo Reviewer <reviewer@example.org>\n"
    warnings = check_draft(draft(body), ME)
    assert warnings == ["Reviewed-by: <reviewer@example.org> appears 2 times; once is enough"]


def test_someone_elses_address_is_questioned():
    warnings = check_draft(draft("Acked-by: Other <other@x.org>\n"), ME)
    assert len(warnings) == 1 and "is not your address" in warnings[0]


def test_asking_for_changes_and_approving_is_questioned():
    body = ("On Tue, A wrote:\n> +\tfoo();\n\nThis leaks on the error path, please fix.\n\n"
            "Reviewed-by: Demo Reviewer <reviewer@example.org>\n")
    warnings = check_draft(draft(body), ME, PATCH_LINES)
    assert len(warnings) == 1 and "asks for changes" in warnings[0] and "Reviewed-by" in warnings[0]
    conditional = body.replace("Reviewed-by", "With that fixed:\nReviewed-by")
    assert check_draft(draft(conditional), ME, PATCH_LINES) == []


def test_edited_quote_is_questioned():
    body = "On Tue, A wrote:\n> +\tfoo(1);\n>  \tbar();\n\nHm.\n"
    warnings = check_draft(draft(body), ME, PATCH_LINES)
    assert warnings == ["1 quoted line(s) are not the patch's text as sent (first: '> +\\tfoo(1);'); "
                        "quoting edited text misquotes the author"]


def test_review_draft_in_the_store_checks_against_its_patch(store):
    parsed = read_message(PATCH)
    from kreview.core.blocks import split_blocks
    from kreview.core.comments import comments_from_json
    from kreview.core.patch_index import index_blocks

    comments = comments_from_json(THREE, index_blocks(split_blocks(parsed.text, patches=parsed.patches)))
    message = build_review_reply(parsed, ME, comments, trailer="reviewed-by", now=NOW)
    saved = write_draft(store, message)
    data = saved.path.read_bytes()
    # Quotes match; but its questions and a Reviewed-by together are worth a question.
    warnings = check_draft_in_store(store, data, ME)
    assert len(warnings) == 1 and warnings[0].startswith('This review asks for changes ("Any out-of-tree user left?")')
    tampered = data.replace(b"> +static void hmm_devmem_ref_exit(struct percpu_ref *ref)",
                            b"> +static void hmm_devmem_ref_exit(struct percpu_ref *r)")
    assert any("not the patch's text" in w for w in check_draft_in_store(store, tampered, ME))

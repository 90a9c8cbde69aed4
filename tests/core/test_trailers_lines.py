"""Which lines of a reply make which trailer: where one stops, what is
joined to it, what scope it gets, and which bodies are read at all. Each
case is the value or the count a reviewer would see in the A/R/T column and
in ``kreview trailers``."""
from __future__ import annotations

import pytest

from kreview.core import trailers
from kreview.core.series import SeriesMessage, assemble
from kreview.core.trailers import collect, extract_trailers, own_text, parse_scope


def values(body: str, is_patch: bool = False) -> list[tuple[str, str]]:
    return [(t.kind, t.value) for t in extract_trailers(body, is_patch=is_patch)]


@pytest.mark.parametrize("body, expected", [
    # a trailer ends at its line when the next one is prose, whatever that ends with
    ("Reviewed-by: A <a@example.org>\nThanks,\n", [("Reviewed-by", "A <a@example.org>")]),
    ("Acked-by: A <a@example.org>\nsee the thread at <b@example.org>\n", [("Acked-by", "A <a@example.org>")]),
    ("Reviewed-by: A <a@example.org>\n<b@example.org>\n", [("Reviewed-by", "A <a@example.org>")]),
    ("Reviewed-by: A (Intel <a@example.org>\nThanks.\n", [("Reviewed-by", "A (Intel <a@example.org>")]),
    ("Fixes: 1234567890ab (\"mm: fix\")\nThanks.\n", [("Fixes", "1234567890ab (\"mm: fix\")")]),
    ("Fixes: 1234567890ab (\"mm: fix\")\n<https://lore.kernel.org/r/1@x>\n",
     [("Fixes", "1234567890ab (\"mm: fix\")")]),
    # an unclosed Fixes subject stops at a blank line or a quote
    ("Fixes: 1234567890ab (\"mm: fix\n\nNext paragraph.\n", [("Fixes", "1234567890ab (\"mm: fix")]),
    ("Fixes: 1234567890ab (\"mm: fix\n> quoted\n", [("Fixes", "1234567890ab (\"mm: fix")]),
    # git's folding: a continuation starts with a space or a tab, any number of them
    ("Tested-by: A Very\n  Long Name <a@example.org>\n", [("Tested-by", "A Very Long Name <a@example.org>")]),
    ("Tested-by: A Very\n\tLong\n\tName <a@example.org>\n", [("Tested-by", "A Very Long Name <a@example.org>")]),
    # trailers written indented are each their own
    ("  Reviewed-by: A <a@example.org>\n  Acked-by: B <b@example.org>\n",
     [("Reviewed-by", "A <a@example.org>"), ("Acked-by", "B <b@example.org>")]),
    # trailing spaces are not part of the value
    ("Acked-by: A <a@example.org>   \n", [("Acked-by", "A <a@example.org>")]),
    # a line that is no trailer does not end the trailers after it
    ("Reviewed-by: someone\nAcked-by: B <b@example.org>\n", [("Acked-by", "B <b@example.org>")]),
    # an indented quote is a quote
    ("  > Reviewed-by: A <a@example.org>\nAcked-by: B <b@example.org>\n", [("Acked-by", "B <b@example.org>")]),
    # CRLF mail: the signature line still ends the own text; kinds are read whole
    ("Reviewed-by: A <a@example.org>\r\n-- \r\nAcked-by: Sig <s@example.org>\r\n",
     [("Reviewed-by", "A <a@example.org>")]),
])
def test_what_one_trailer_is_made_of(body, expected):
    assert values(body) == expected


def test_a_folded_trailer_joins_at_most_eight_lines():
    """A hostile mail must not make one trailer of 100,000 lines; a real
    one wraps once or twice."""
    body = "Fixes: 1234567890ab (\"subject" + "".join(f"\n w{n}" for n in range(12)) + "\")\n"
    [(kind, value)] = values(body)
    assert value == "1234567890ab (\"subject " + " ".join(f"w{n}" for n in range(8))


def test_a_patch_ends_its_commit_message_at_dashes_with_trailing_spaces():
    body = "Fix.\n\nSigned-off-by: A <a@example.org>\n---  \nAcked-by: Old <old@example.org> (v1)\n"
    assert values(body, is_patch=True) == [("Signed-off-by", "A <a@example.org>")]
    assert len(values(body, is_patch=False)) == 2  # a reply reads on: "---" ends only a patch's message


@pytest.mark.parametrize("text, scope", [
    ("for patches 2 through 4", (2, 3, 4)),
    ("for patches 1 to 3", (1, 2, 3)),
    ("For patches 1 To 3", (1, 2, 3)),
    ("FOR PATCHES 2 AND 4", (2, 4)),
    ("for patches 1 Through 2", (1, 2)),
    # a range written backwards still names only those patches, never the series
    ("for patches 5-3", (3, 5)),
    ("for patch 2-2", (2,)),
])
def test_scope_phrases_in_any_case(text, scope):
    assert parse_scope(text) == scope


def test_a_quoted_scope_phrase_does_not_limit_the_reviewers_own_trailer():
    body = "> This is only for patch 2 of course.\n\nReviewed-by: A <a@example.org>\n"
    [trailer] = extract_trailers(body)
    assert trailer.scope is None


def test_trailers_with_no_scope_phrase_cover_the_whole_series():
    body = "Fixes: 1234567890ab (\"x\")\nLink: https://lore.kernel.org/r/1@x\nAcked-by: a@example.org\n"
    assert [t.scope for t in extract_trailers(body)] == [None, None, None]


def test_a_scope_after_the_address_is_read_from_what_follows_the_address():
    body = "Acked-by: A <a@example.org> # for patch 2 (per <b@example.org>)\n"
    [trailer] = extract_trailers(body)
    assert (trailer.scope, trailer.suspect) == ((2,), False)


def test_a_comment_holding_an_address_after_two_hashes_is_still_a_comment():
    [trailer] = extract_trailers("Reviewed-by: A <a@example.org> # asked by b@example.org # v2\n")
    assert (trailer.email, trailer.suspect) == ("a@example.org", False)


@pytest.mark.parametrize("value, email", [
    ("j@kernel.org", "j@kernel.org"),  # a one-letter local part
    ("J <j@kernel.org>", "j@kernel.org"),
])
def test_short_local_parts_are_addresses(value, email):
    [trailer] = extract_trailers(f"Acked-by: {value}\n")
    assert trailer.email == email


def _series(*bodies: tuple[str, str, str, str | None]) -> list[SeriesMessage]:
    return [SeriesMessage(mid, parent, subject, sender.split("@")[0], sender, n, body,
                          has_diff=subject.startswith("[PATCH"))
            for n, (mid, parent, subject, sender, body) in enumerate(bodies)]


def test_one_reviewer_counts_once_whatever_name_they_sign_with():
    messages = _series(
        ("p1", None, "[PATCH] mm: fix", "dan@example.org", "Fix.\n\nSigned-off-by: Dan <dan@example.org>\n---\n"),
        ("r1", "p1", "Re: [PATCH] mm: fix", "ira@example.org", "Reviewed-by: Ira <ira@example.org>\n"),
        ("r2", "p1", "Re: [PATCH] mm: fix", "ira@example.org", "Reviewed-by: Ira Weiny <ira@example.org>\n"),
    )
    [series] = assemble(messages)
    [patch] = collect(series, messages).patches
    assert patch.art == (0, 1, 0)
    assert [t.value for t in patch.trailers if t.kind == "Reviewed-by"] == ["Ira <ira@example.org>"]


def test_the_notes_under_a_patchs_dashes_are_not_its_trailers():
    """A changelog under "---" naming an ack from v1 is not an ack of this
    version."""
    messages = _series(
        ("p1", None, "[PATCH v2] mm: fix", "dan@example.org",
         "Fix.\n\nSigned-off-by: Dan <dan@example.org>\n---\nv2: code changed, so dropped\n"
         "Acked-by: Old <old@example.org>\n\n diff | 1 +\n"),
    )
    [series] = assemble(messages)
    [patch] = collect(series, messages).patches
    assert [t.kind for t in patch.trailers] == ["Signed-off-by"] and patch.art == (0, 0, 0)


def test_bodies_of_one_length_are_not_taken_for_each_other():
    trailers._trailers_seen.clear()
    first = trailers._trailers_of("Acked-by: A <a@example.org>\n", False)
    second = trailers._trailers_of("Acked-by: B <b@example.org>\n", False)
    assert [t.email for t in first + second] == ["a@example.org", "b@example.org"]


def test_the_remembered_trailers_stay_bounded_and_right():
    """More distinct bodies than are remembered (a big archive): the oldest
    are forgotten, each body still gets its own trailers."""
    trailers._trailers_seen.clear()
    kept = trailers._TRAILERS_KEPT
    for n in range(kept + 5):
        [t] = trailers._trailers_of(f"Acked-by: A{n} <a{n}@example.org>\n", False)
        assert t.email == f"a{n}@example.org"
    assert len(trailers._trailers_seen) == kept
    trailers._trailers_seen.clear()


def _review(*mails):
    messages = _series(*mails)
    [series] = assemble(messages)
    return collect(series, messages)


PATCH_1 = ("p1", "c0", "[PATCH 1/2] mm: one", "dan@example.org", "One.\n\nSigned-off-by: Dan <dan@example.org>\n---\n")
PATCH_2 = ("p2", "c0", "[PATCH 2/2] mm: two", "dan@example.org", "Two.\n\nSigned-off-by: Dan <dan@example.org>\n---\n")
COVER = ("c0", None, "[PATCH 0/2] mm: things", "dan@example.org", "Two things.\n")


def test_a_review_deep_in_a_reply_chain_goes_to_the_patch_at_its_top():
    """Dated before the mails they answer (a sender's clock off), so each
    chain is walked up, not found in what was already read."""
    review = _review(("r4", "r3", "Re: [PATCH 2/2] mm: two", "vee@example.org", "Acked-by: Vee <vee@example.org>\n"),
                     ("r3", "r2", "Re: [PATCH 2/2] mm: two", "ira@example.org", "Reviewed-by: Ira <ira@example.org>\n"),
                     ("r2", "r1", "Re: [PATCH 2/2] mm: two", "dan@example.org", "Because.\n"),
                     ("r1", "p2", "Re: [PATCH 2/2] mm: two", "ira@example.org", "Why?\n"),
                     COVER, PATCH_1, PATCH_2)
    assert [p.art for p in review.patches] == [(0, 0, 0), (1, 1, 0)]


def test_broken_threading_that_loops_answers_no_patch_and_stops_nothing():
    review = _review(("r0", "x1", "Re: loop", "ira@example.org", "Reviewed-by: Ira <ira@example.org>\n"),
                     ("x1", "x2", "Re: loop", "ira@example.org", "Reviewed-by: Ira <ira@example.org>\n"),
                     ("x2", "x1", "Re: loop", "ira@example.org", "Acked-by: Ira <ira@example.org>\n"),
                     COVER, PATCH_1, PATCH_2,
                     ("r1", "p1", "Re: [PATCH 1/2] mm: one", "vee@example.org", "Tested-by: Vee <vee@example.org>\n"))
    assert [p.art for p in review.patches] == [(0, 0, 1), (0, 0, 0)]


def test_a_reply_to_something_else_in_the_thread_does_not_stop_the_count():
    """Replies are read in date order: one answering no patch (a side
    discussion whose root is missing) comes first; the reviews after it count."""
    review = _review(COVER, PATCH_1, PATCH_2,
                     ("s1", "gone@example.org", "Re: something else", "vee@example.org", "Off topic.\n"),
                     ("r1", "p1", "Re: [PATCH 1/2] mm: one", "ira@example.org",
                      "Cc: Someone <s@example.org>\nReviewed-by: Ira <ira@example.org>\n---\n"
                      "Tested-by: Ira <ira@example.org>\n"))
    # the Cc is the patch's business, not a review; a reply is read past "---"
    assert [p.art for p in review.patches] == [(0, 1, 1), (0, 0, 0)]


def test_trailers_credited_to_a_patch_carry_no_scope_of_their_own():
    """Only a cover-letter reply's trailers keep the patches they name: a
    scope phrase in a patch or in a reply to one patch says nothing more."""
    review = _review(COVER, ("p1", "c0", "[PATCH 1/2] mm: one", "dan@example.org",
                             "One.\n\nAcked-by: Vee <vee@example.org> # for patch 2\n---\n"), PATCH_2,
                     ("r1", "p2", "Re: [PATCH 2/2] mm: two", "ira@example.org",
                      "Reviewed-by: Ira <ira@example.org> # for patch 1\n"),
                     ("r2", "c0", "Re: [PATCH 0/2] mm: things", "vee@example.org",
                      "Tested-by: Vee <vee@example.org> # for patch 2\n"))
    scopes = [[(t.kind, t.origin, t.scope) for t in p.trailers if t.kind != "Signed-off-by"] for p in review.patches]
    assert scopes == [[("Acked-by", "patch", None)],
                      [("Reviewed-by", "reply", None), ("Tested-by", "cover-reply", (2,))]]


def test_a_trailer_from_a_mail_without_a_sender_says_so():
    review = _review(COVER, PATCH_1, PATCH_2,
                     ("r1", "p1", "Re: [PATCH 1/2] mm: one", "", "Reviewed-by: Ira <ira@example.org>\n"))
    [trailer] = [t for t in review.patches[0].trailers if t.kind == "Reviewed-by"]
    assert (trailer.suspect, trailer.suspect_reason) == (True, "not the sender's address (sent by nobody)")


def test_an_extra_patch_keeps_its_flag_in_the_review():
    review = _review(COVER, PATCH_1, PATCH_2,
                     ("p3", "c0", "[PATCH 3/2] mm: three", "dan@example.org", "Three.\n---\n"))
    assert [(p.index, p.flags) for p in review.patches] == [(1, ()), (2, ()), (3, ("extra",))]


def test_address_only_trailers_in_brackets_and_scopes_after_a_second_bracket():
    [trailer] = extract_trailers("Acked-by: <a@example.org>\n")
    assert (trailer.email, trailer.scope) == ("a@example.org", None)
    [trailer] = extract_trailers("Tested-by: A <a@example.org> (on <arm64>) for patch 2\n")
    assert trailer.scope == (2,)
    [trailer] = extract_trailers(" > only for patch 2\nReviewed-by: A <a@example.org>\n")
    assert trailer.scope is None


def test_a_reply_or_draft_is_read_past_a_dashes_line():
    """"---" ends only a patch's commit message: the checks run on a draft
    before sending and the "applied" detection read a reply whole."""
    body = "Looks good.\n---\nReviewed-by: A <a@example.org>\n-- \nsig\n"
    assert own_text(body) == "Looks good.\n---\nReviewed-by: A <a@example.org>"
    assert own_text(body, True) == "Looks good."

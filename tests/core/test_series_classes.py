"""One case per class of series and trailer shapes that b4 and patchwork
handle (issue 12), written from their documented rules: which mail is a
patch, which is a reply, which cover belongs to which patches, and what
happens to trailers whose names an address parser would misread."""
from __future__ import annotations

import pytest

from kreview.core.series import SeriesMessage, assemble, join_unthreaded
from kreview.core.trailers import collect, extract_trailers
from tests.core.series_mail import AUTHOR, mail, patch, slots


def trailers(review):
    return [[(t.kind, t.email, t.origin) for t in p.trailers if t.kind != "Signed-off-by"]
            for p in review.patches]


# -- which mail is a patch ------------------------------------------------------


def test_a_reply_titled_like_a_patch_without_a_diff_is_a_reply():
    msgs = [patch("p", "[PATCH] Simple test", date=1),
            mail("r", "[PATCH] Simple test", "Looks right.\n\nReviewed-by: Rev Iewer <rev@example.org>\n",
                 parent="p", date=2)]
    (series,) = assemble(msgs)
    assert slots(series) == [(1, "p", ())]
    review = collect(series, msgs)
    assert trailers(review) == [[("Reviewed-by", "rev@example.org", "reply")]]
    # the patch's own sign-off stays the patch's
    assert [(t.kind, t.origin) for t in review.patches[0].trailers][0] == ("Signed-off-by", "patch")


def test_a_numbered_cover_subject_answering_with_a_trailer_is_a_reply():
    msgs = [mail("c", "[PATCH v8 0/2] dax: x", "Two.\n", who=AUTHOR),
            patch("p1", "[PATCH v8 1/2] one", "c", 1), patch("p2", "[PATCH v8 2/2] two", "c", 2),
            mail("t", "[PATCH v8 0/2] dax: x", "All good.\n\nTested-by: Rev Iewer <rev@example.org>\n",
                 parent="c", date=3)]
    (series,) = assemble(msgs)
    assert series.cover_id == "c"
    assert trailers(collect(series, msgs)) == [[("Tested-by", "rev@example.org", "cover-reply")]] * 2


def test_someone_elses_answer_quoting_the_diff_unmarked_is_a_reply():
    # Outlook quotes without "> ": the diff is there, the subject is the patch's
    body = ("Tested-by: Tess Ter <tess@example.org>\n\n-----Original Message-----\n"
            + patch("x", "x").body_text)
    msgs = [patch("p", "[PATCH v3] cxl: x", date=1),
            mail("r", "回复: [PATCH v3] cxl: x", body, parent="p", date=2,
                 who=("Tess Ter", "tess@example.org")),
            mail("r2", "[PATCH v3] cxl: x", body, parent="p", date=3,
                 who=("Tess Ter", "tess@example.org"))]
    (series,) = assemble(msgs)
    assert slots(series) == [(1, "p", ())]
    assert trailers(collect(series, msgs)) == [[("Tested-by", "tess@example.org", "reply")]]


@pytest.mark.parametrize("subject", [
    "[GIT PULL] nvdimm fixes with the patch inline",
    "[RFC] an idea, with code",
    "[nvdimm] list tag only",
    "a subject with no prefix at all",
])
def test_a_mail_with_a_diff_is_a_patch_whatever_its_subject(subject):
    (series,) = assemble([patch("p", subject)])
    assert slots(series) == [(1, "p", ())] and series.title


def test_without_a_diff_a_pull_request_or_tagged_mail_is_no_patch():
    assert assemble([mail("g", "[GIT PULL] nvdimm for 6.1", "Please pull.\n", who=AUTHOR),
                     mail("t", "[nvdimm] question", "Why?\n")]) == []


def test_unknown_bodies_fall_back_to_the_subject():
    # other_versions() assembles from the index alone: no text, no diff known
    msgs = [SeriesMessage("a", None, "[PATCH v2 1/2] x", "", "", 0, ""),
            SeriesMessage("b", None, "[PATCH v2 2/2] y", "", "", 1, "")]
    (series,) = assemble(msgs)
    assert [p.message_id for p in series.patches] == ["a", "b"]


@pytest.mark.parametrize("subject", ["[PATCH1/2] x", "[PATCH1 of 2] x", "[v2PATCH1/2] x",
                                     "[v2 PATCH1/2] x"])
def test_glued_counters_are_series_members(subject):
    msgs = [patch("one", subject, date=1), patch("two", subject.replace("1", "2", 1), date=2)]
    (series,) = assemble(msgs)
    assert [p.message_id for p in series.patches] == ["one", "two"] and series.total == 2


# -- slots --------------------------------------------------------------------------


def test_an_index_above_the_total_is_kept_and_marked_extra():
    msgs = [mail("c", "[PATCH 0/2] cover", "The series.\n", who=AUTHOR),
            patch("p1", "[PATCH 1/2] one", "c", 1), patch("p2", "[PATCH 2/2] two", "c", 2),
            patch("p3", "[PATCH 3/2] the extra one", "c", 3),
            mail("r3", "Re: [PATCH 3/2] the extra one", "Acked-by: Rev Iewer <rev@example.org>\n", "p3", 4),
            mail("rc", "Re: [PATCH 0/2] cover", "Tested-by: Rev Iewer <rev@example.org>\n", "c", 5)]
    (series,) = assemble(msgs)
    assert series.total == 2 and series.missing == ()
    assert slots(series) == [(1, "p1", ()), (2, "p2", ()), (3, "p3", ("extra",))]
    review = collect(series, msgs)
    assert trailers(review)[2] == [("Acked-by", "rev@example.org", "reply"),
                                   ("Tested-by", "rev@example.org", "cover-reply")]


def test_a_versioned_cover_with_unversioned_patches_is_one_series():
    msgs = [mail("c", "[PATCH net-next v3 0/2] net: things", "Two.\n", who=AUTHOR),
            patch("p1", "[PATCH 1/2] net: one", "c", 1),
            patch("p2", "[PATCH 2/2] net: two", "p1", 2)]  # chained: answers patch 1
    (series,) = assemble(msgs)
    assert (series.version, series.revision, series.cover_id) == (3, "3", "c")
    assert [p.message_id for p in series.patches] == ["p1", "p2"]


def test_a_partial_reroll_is_completed_from_the_earlier_version():
    msgs = [mail("c2", "[PATCH v2 0/2] mm: work", "v2.\n", who=AUTHOR),
            patch("a2", "[PATCH v2 1/2] mm: one", "c2", 1),
            patch("b2", "[PATCH v2 2/2] mm: two", "c2", 2),
            mail("ack", "Re: [PATCH v2 0/2] mm: work", "Acked-by: Rev Iewer <rev@example.org>\n", "c2", 3),
            patch("b3", "[PATCH v3 2/2] mm: two", "b2", 4)]
    v2, v3 = assemble(msgs)
    assert (v2.revision, v3.revision) == ("2", "3")
    assert slots(v3) == [(1, "a2", ("carried",)), (2, "b3", ())]
    assert (v3.cover_id, v3.cover_carried, v3.rerolled_from) == ("c2", True, "2")
    assert v3.key == "b3" and v2.key == "c2"  # two series, two keys
    review = collect(v3, msgs)
    # the v2 cover's Ack applies to v3 as b4 assembles it
    assert trailers(review) == [[("Acked-by", "rev@example.org", "cover-reply")]] * 2


def test_a_later_version_not_sent_in_reply_is_not_completed():
    msgs = [patch("a2", "[PATCH v2 1/2] one", None, 1), patch("b2", "[PATCH v2 2/2] two", "a2", 2),
            patch("b3", "[PATCH v3 2/2] two", None, 4)]
    v2, v3 = assemble(msgs)
    assert v3.missing == (1,) and v3.rerolled_from is None


def test_a_cover_without_a_prefix_by_the_patches_author_is_the_cover():
    msgs = [mail("c", "mm: a cover letter without any prefix", "Why.\n", who=AUTHOR),
            patch("p1", "[PATCH 1/2] mm: one", "c", 1), patch("p2", "[PATCH 2/2] mm: two", "c", 2),
            mail("r", "Re: mm: a cover letter without any prefix",
                 "Reviewed-by: Rev Iewer <rev@example.org>\n", "c", 3)]
    (series,) = assemble(msgs)
    assert series.cover_id == "c" and series.title == "mm: a cover letter without any prefix"
    assert trailers(collect(series, msgs)) == [[("Reviewed-by", "rev@example.org", "cover-reply")]] * 2


def test_a_root_by_someone_else_is_not_taken_for_a_cover():
    msgs = [mail("q", "question about mm", "Could you?\n"),
            patch("p1", "[PATCH 1/2] mm: one", "q", 1), patch("p2", "[PATCH 2/2] mm: two", "q", 2)]
    (series,) = assemble(msgs)
    assert series.cover_id is None


# -- unthreaded series ------------------------------------------------------------


def _pieces(specs):
    """Each spec a thread of its own: assembled apart, as load_series does."""
    return [s for mid, subject, date, who in specs
            for s in assemble([patch(mid, subject, None, date, who)])]


def test_unthreaded_patches_are_joined_and_marked():
    pieces = _pieces([("p2", "[PATCH v2 2/3] two", 60, AUTHOR), ("p1", "[PATCH v2 1/3] one", 0, AUTHOR),
                      ("p3", "[PATCH v2 3/3] three", 120, AUTHOR)])
    ((series, used),) = join_unthreaded(pieces)
    assert sorted(used) == [0, 1, 2] and series.unthreaded
    assert slots(series) == [(1, "p1", ("unthreaded",)), (2, "p2", ("unthreaded",)),
                             (3, "p3", ("unthreaded",))]


@pytest.mark.parametrize("second", [
    ("p2", "[PATCH v2 2/3] two", 60, ("Other One", "other@example.org")),  # another author
    ("p2", "[PATCH v2 2/3] two", 3601, AUTHOR),  # more than an hour later
    ("p2", "[PATCH v3 2/3] two", 60, AUTHOR),  # another version
    ("p2", "[PATCH v2 2/4] two", 60, AUTHOR),  # another total
    ("p2", "[PATCH v2 1/3] one again", 60, AUTHOR),  # the same slot twice
])
def test_unthreaded_pieces_that_differ_stay_apart(second):
    assert join_unthreaded(_pieces([("p1", "[PATCH v2 1/3] one", 0, AUTHOR), second])) == []


# -- trailer names ------------------------------------------------------------------


@pytest.mark.parametrize("line, name, email", [
    ("Tested-by: Tester2, Followup <t2@example.org>", "Tester2, Followup", "t2@example.org"),
    ("Tested-by: Some Tester [corporate] <st@example.org>", "Some Tester [corporate]", "st@example.org"),
    ("Reported-by: Some, One <one@example.org>", "Some, One", "one@example.org"),
    ('Reviewed-by: "Last, First" <lf@example.org>', "Last, First", "lf@example.org"),
    ("Acked-by: Name (Company) <nc@example.org>", "Name (Company)", "nc@example.org"),
    ("Acked-by: bare@example.org", "", "bare@example.org"),
    ("Acked-by: bare@example.org (Bare Name)", "Bare Name", "bare@example.org"),
    ("Acked-by: A <a@example.org> # for patches 1-3", "A", "a@example.org"),
    ("Acked-by: Pankaj Typo <pt@example.org", "Pankaj Typo", "pt@example.org"),  # no ">"
])
def test_names_with_commas_and_brackets_are_taken(line, name, email):
    (t,) = extract_trailers(line + "\n")
    assert (t.name, t.email, t.suspect, t.suspect_reason) == (name, email, False, "")


@pytest.mark.parametrize("line, reason", [
    ("Acked-by: a@example.org, b@example.org", "more than one address"),
    ("Acked-by: A <a@example.org>, B <b@example.org>", "more than one address"),
    ("Reviewed-by: Rev Iewer rev@example.org", "not written as Name <address>"),
])
def test_unreadable_person_trailers_are_kept_as_suspect_with_a_reason(line, reason):
    (t,) = extract_trailers(line + "\n")
    assert t.suspect and reason in t.suspect_reason and t.email


def test_a_suspect_reply_trailer_says_why_and_is_not_counted():
    msgs = [patch("p", "[PATCH] x", date=1),
            mail("r", "Re: [PATCH] x", "Acked-by: Boss Person <boss@example.org>\n", "p", 2)]
    (series,) = assemble(msgs)
    (p,) = collect(series, msgs).patches
    (ack,) = [t for t in p.trailers if t.kind == "Acked-by"]
    assert ack.suspect and "rev@example.org" in ack.suspect_reason and p.art == (0, 0, 0)


# -- speed ------------------------------------------------------------------------------


class CountingMessage(SeriesMessage):
    """A SeriesMessage that counts how often its parent is looked up."""

    reads = 0

    def __getattribute__(self, name):
        if name == "parent_id":
            CountingMessage.reads += 1
        return super().__getattribute__(name)


@pytest.mark.parametrize("shape", ["chain", "fan"])
def test_trailer_collection_is_linear_in_the_number_of_replies(shape):
    """A 4,000-deep reply chain (every reply answers the previous one) must
    cost a few parent look-ups per reply, not one per ancestor: the walk up
    the thread remembers what it found."""
    n = 4000
    msgs = [patch("p", "[PATCH] x")]
    for i in range(n):
        parent = (f"r{i - 1}" if i else "p") if shape == "chain" else "p"
        msgs.append(CountingMessage(f"r{i}", parent, "Re: [PATCH] x", f"R{i}", f"r{i}@example.org", i + 1,
                                    f"Reviewed-by: R{i} <r{i}@example.org>\n"))
    (series,) = assemble(msgs)
    CountingMessage.reads = 0
    review = collect(series, msgs)
    assert review.patches[0].art == (0, n, 0)
    assert CountingMessage.reads <= 4 * n, CountingMessage.reads


N = 200_000
HOSTILE_LINES = {
    "spaces inside": "Reviewed-by: a" + " " * N + "b <a@b.org>",
    "no address": "Reviewed-by: " + "a" * N + " x@y.org",
    "many @": "Reviewed-by: <" + "a@" * N + " x",
    "many dots": "Reviewed-by: x@" + "a." * N + "@",
    "many <": "Reviewed-by: " + "a <" * N + "a@b.org",
    "folded forever": "Fixes: 0123456789ab (" + "\n (" * N,
}


@pytest.mark.parametrize("name", list(HOSTILE_LINES))
def test_hostile_trailer_lines_cost_linear_time(name):
    """Anyone can mail the list: a 200,000-character trailer line must not
    make a backtracking pattern run for minutes (each of these shapes took
    seconds at 20,000 characters before, and grows with the square)."""
    import time

    start = time.perf_counter()
    extract_trailers(HOSTILE_LINES[name] + "\n")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("subject", ["Re: " * N + "x", "[a" * N + "]" * N, "[" + "a " * N + "] x",
                                     "[" + "v2PATCH1/4" * (N // 10) + "] x"],
                         ids=["many Re:", "nested brackets", "many words", "many glued"])
def test_hostile_subjects_cost_linear_time(subject):
    import time

    from kreview.core.grammar import parse_subject

    start = time.perf_counter()
    parse_subject(subject)
    assert time.perf_counter() - start < 5

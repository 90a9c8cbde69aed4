"""Series shapes at the edges of the rules: partial re-rolls reached through
replies or sent as v2.1, unthreaded pieces mixed with other mail, and which
series link as versions of one work. Each case says what the reviewer sees in
the series panel (slots, cover, title, version) when the rule holds (written
against the mutants `make mutate` left alive in core/series.py)."""
from __future__ import annotations

from kreview.core.series import assemble, join_unthreaded, link_versions
from tests.core.series_mail import AUTHOR, OTHER, mail, patch, slots


V2 = [mail("c2", "[PATCH v2 0/2] mm: work", "v2.\n", who=AUTHOR),
      patch("a2", "[PATCH v2 1/2] mm: one", "c2", 1),
      patch("b2", "[PATCH v2 2/2] mm: two", "c2", 2)]


# -- partial re-rolls -------------------------------------------------------------


def test_a_reroll_with_its_own_cover_keeps_it_and_still_takes_the_rest():
    msgs = [*V2,
            mail("c3", "[PATCH v3 0/2] mm: work, take three", "v3: only 2/2 changed.\n", "c2", 5, AUTHOR),
            patch("b3", "[PATCH v3 2/2] mm: two", "b2", 6)]
    v2, v3 = assemble(msgs)
    assert slots(v3) == [(1, "a2", ("carried",)), (2, "b3", ())]
    assert (v3.cover_id, v3.cover_carried, v3.title) == ("c3", False, "mm: work, take three")
    assert v3.key == "c3" and v2.key == "c2"


def test_a_reroll_answering_a_review_of_the_old_patch_finds_it_up_the_thread():
    msgs = [*V2,
            mail("r", "Re: [PATCH v2 2/2] mm: two", "> -a\nThis breaks x.\n", "b2", 3),
            patch("b3", "[PATCH v3 2/2] mm: two", "r", 6)]
    v2, v3 = assemble(msgs)
    assert slots(v3) == [(1, "a2", ("carried",)), (2, "b3", ())]
    assert (v3.cover_id, v3.cover_carried, v3.rerolled_from, v3.title) == ("c2", True, "2", "mm: work")


def test_the_earlier_slot_is_found_even_without_a_cover_above_it():
    # v2's patches were each a thread root: only patch 2 itself says where 2/2 came from.
    msgs = [patch("a2", "[PATCH v2 1/2] mm: one", None, 1), patch("b2", "[PATCH v2 2/2] mm: two", None, 2),
            patch("b3", "[PATCH v3 2/2] mm: two", "b2", 6)]
    v2, v3 = assemble(msgs)
    assert slots(v3) == [(1, "a2", ("carried",)), (2, "b3", ())]
    assert (v3.cover_id, v3.cover_carried, v3.title) == (None, False, "mm: two")


def test_a_reroll_from_an_unversioned_first_posting_says_it_comes_from_v1():
    msgs = [patch("a1", "[PATCH 1/2] mm: one", None, 1), patch("b1", "[PATCH 2/2] mm: two", "a1", 2),
            patch("b2", "[PATCH v2 2/2] mm: two", "b1", 6)]
    v1, v2 = assemble(msgs)
    assert slots(v2) == [(1, "a1", ("carried",)), (2, "b2", ())]
    assert v2.rerolled_from == "1"


def test_an_unversioned_patch_answering_a_v3_patch_is_v3_in_number_too():
    """The panel said "v1" for a series whose revision was "3"."""
    (series,) = assemble([patch("b3", "[PATCH v3 2/2] mm: two", None, 1),
                          patch("a", "[PATCH 1/2] mm: one", "b3", 2)])
    assert (series.version, series.revision) == (3, "3")
    assert slots(series) == [(1, "a", ()), (2, "b3", ())]


def test_a_v2_1_of_one_patch_is_completed_from_v2():
    # "[PATCH v2.1 2/2]" in reply to v2's 2/2 is the usual way to fix one patch.
    msgs = [*V2, patch("b21", "[PATCH v2.1 2/2] mm: two", "b2", 6)]
    v2, v21 = assemble(msgs)
    assert (v21.revision, v21.version) == ("2.1", 2)
    assert slots(v21) == [(1, "a2", ("carried",)), (2, "b21", ())]
    assert (v21.cover_id, v21.cover_carried, v21.rerolled_from) == ("c2", True, "2")


def test_a_v1_1_of_one_patch_is_completed_from_the_first_posting():
    msgs = [patch("a1", "[PATCH 1/2] mm: one", None, 1), patch("b1", "[PATCH 2/2] mm: two", "a1", 2),
            patch("b11", "[PATCH v1.1 2/2] mm: two", "b1", 6)]
    v1, v11 = assemble(msgs)
    assert v11.revision == "1.1"
    assert slots(v11) == [(1, "a1", ("carried",)), (2, "b11", ())] and v11.rerolled_from == "1"


def test_a_reroll_of_a_v2_1_says_it_comes_from_v2_1():
    msgs = [patch("a", "[PATCH v2.1 1/2] mm: one", None, 1), patch("b", "[PATCH v2.1 2/2] mm: two", "a", 2),
            patch("b3", "[PATCH v3 2/2] mm: two", "b", 6)]
    v21, v3 = assemble(msgs)
    assert slots(v3) == [(1, "a", ("carried",)), (2, "b3", ())]
    assert v3.rerolled_from == "2.1"


def test_an_older_version_sent_in_reply_to_a_newer_one_borrows_nothing():
    # v2's 2/2 resent by mistake in reply to v3's 2/2: v2 must not show v3's patch 1.
    msgs = [patch("a3", "[PATCH v3 1/2] mm: one", None, 1), patch("b3", "[PATCH v3 2/2] mm: two", "a3", 2),
            patch("b2", "[PATCH v2 2/2] mm: two", "b3", 6)]
    v2, v3 = assemble(msgs)
    assert v2.version == 2 and v2.missing == (1,) and v2.rerolled_from is None
    assert slots(v2) == [(1, "", ()), (2, "b2", ())]


def test_a_reroll_whose_parent_was_not_loaded_is_left_with_its_gap():
    msgs = [*V2, patch("b3", "[PATCH v3 2/2] mm: two", "not-in-this-set@example.org", 6)]
    v2, v3 = assemble(msgs)
    assert v3.missing == (1,) and v3.rerolled_from is None and v3.cover_id is None


def test_a_parent_loop_does_not_hang_the_search():
    # Parent links come from notmuch's tree; a loop must still end the walk.
    msgs = [*V2, mail("x", "Re: loop", "x\n", "y", 3), mail("y", "Re: loop", "y\n", "x", 4),
            patch("b3", "[PATCH v3 2/2] mm: two", "x", 6)]
    v2, v3 = assemble(msgs)
    assert v3.missing == (1,) and v3.rerolled_from is None


# -- unthreaded pieces --------------------------------------------------------------


def _pieces(*msgs):
    """Each message a thread of its own, assembled apart as load_series does."""
    return [s for m in msgs for s in assemble([m])]


def test_unthreaded_pieces_with_a_gap_and_a_cover_of_their_own():
    pieces = _pieces(mail("c", "[RFC PATCH v2 0/3] mm: the work", "Cover.\n", None, 0, AUTHOR),
                     patch("p1", "[RFC PATCH v2 1/3] mm: one", None, 30),
                     patch("p3", "[RFC PATCH v2 3/3] mm: three", None, 90))
    ((series, used),) = join_unthreaded(pieces)
    assert sorted(used) == [0, 1, 2]
    assert slots(series) == [(1, "p1", ("unthreaded",)), (2, "", ()), (3, "p3", ("unthreaded",))]
    assert series.missing == (2,) and series.patches[1].missing
    assert (series.cover_id, series.title, series.is_rfc, series.unthreaded) == ("c", "mm: the work", True, True)


def test_unthreaded_pieces_take_the_title_of_patch_one_and_the_first_date():
    pieces = _pieces(patch("p2", "[PATCH v2 2/2] mm: two", None, 0), patch("p1", "[PATCH v2 1/2] mm: one", None, 30))
    ((series, used),) = join_unthreaded(pieces)
    assert (series.title, series.date, series.cover_id) == ("mm: one", 0, None)
    assert slots(series) == [(1, "p1", ("unthreaded",)), (2, "p2", ("unthreaded",))]


def test_rfc_on_any_piece_marks_the_joined_series():
    pieces = _pieces(patch("p1", "[PATCH v2 1/2] mm: one", None, 0), patch("p2", "[RFC PATCH v2 2/2] mm: two", None, 30))
    ((series, _),) = join_unthreaded(pieces)
    assert series.is_rfc is True


def test_the_hour_counts_from_the_first_piece_sent_whatever_the_order_given():
    pieces = _pieces(patch("p2", "[PATCH v2 2/3] two", None, 3000), patch("p1", "[PATCH v2 1/3] one", None, 0),
                     patch("p3", "[PATCH v2 3/3] three", None, 3700))
    ((series, used),) = join_unthreaded(pieces)
    assert sorted(used) == [0, 1]
    assert slots(series) == [(1, "p1", ("unthreaded",)), (2, "p2", ("unthreaded",)), (3, "", ())]


def test_a_piece_sent_exactly_an_hour_after_the_first_still_joins():
    pieces = _pieces(patch("p1", "[PATCH v2 1/2] one", None, 0), patch("p2", "[PATCH v2 2/2] two", None, 3600))
    ((series, used),) = join_unthreaded(pieces)
    assert sorted(used) == [0, 1]


def test_two_authors_posting_at_once_each_get_their_series():
    pieces = _pieces(patch("bx", "[PATCH] unrelated single patch", None, 0, OTHER),
                     patch("a1", "[PATCH v2 1/2] ann one", None, 10), patch("b1", "[PATCH v2 1/2] bob one", None, 20, OTHER),
                     patch("a2", "[PATCH v2 2/2] ann two", None, 30), patch("b2", "[PATCH v2 2/2] bob two", None, 40, OTHER))
    joined = {series.author_email: sorted(used) for series, used in join_unthreaded(pieces)}
    assert joined == {"ann@example.org": [1, 3], "bob@example.org": [2, 4]}


def test_a_lone_piece_before_a_joined_series_does_not_hide_it():
    pieces = _pieces(patch("b1", "[PATCH v2 1/3] bob one", None, 0, OTHER),
                     patch("a1", "[PATCH v2 1/2] ann one", None, 10), patch("a2", "[PATCH v2 2/2] ann two", None, 30))
    ((series, used),) = join_unthreaded(pieces)
    assert sorted(used) == [1, 2] and series.author_email == "ann@example.org"


def test_two_pieces_each_with_a_cover_stay_apart():
    pieces = [*assemble([mail("c1", "[PATCH v2 0/3] w", "Cover.\n", None, 0, AUTHOR), patch("p1", "[PATCH v2 1/3] one", "c1", 1)]),
              *assemble([mail("c2", "[PATCH v2 0/3] w", "Cover.\n", None, 20, AUTHOR), patch("p2", "[PATCH v2 2/3] two", "c2", 21)])]
    assert join_unthreaded(pieces) == []


def test_a_complete_series_is_not_joined_with_a_stray_cover():
    pieces = [*assemble([patch("p1", "[PATCH v2 1/2] one", None, 0), patch("p2", "[PATCH v2 2/2] two", "p1", 1)]),
              *_pieces(mail("c", "[PATCH v2 0/2] w", "Cover.\n", None, 20, AUTHOR))]
    assert join_unthreaded(pieces) == []


def test_pieces_without_a_sender_address_are_never_joined():
    nobody = ("", "")
    pieces = _pieces(patch("p1", "[PATCH v2 1/2] one", None, 0, nobody), patch("p2", "[PATCH v2 2/2] two", None, 10, nobody))
    assert join_unthreaded(pieces) == []


# -- versions ------------------------------------------------------------------------


def test_series_sharing_only_their_gaps_are_not_versions_of_one_work():
    one = assemble([patch("x1", "[PATCH 1/2] net: first thing", None, 0)])
    other = assemble([patch("y1", "[PATCH 1/2] mm: something else", None, 0)])
    links = link_versions(one + other)
    assert [s.key for s in links["x1"]] == ["x1"] and [s.key for s in links["y1"]] == ["y1"]


def test_a_series_sent_twice_unthreaded_within_the_hour_is_two_series():
    pieces = _pieces(patch("a1", "[PATCH v2 1/2] one", None, 0), patch("r1", "[PATCH RESEND v2 1/2] one", None, 10),
                     patch("a2", "[PATCH v2 2/2] two", None, 20), patch("r2", "[PATCH RESEND v2 2/2] two", None, 30))
    joined = sorted(sorted(used) for _, used in join_unthreaded(pieces))
    assert joined == [[0, 2], [1, 3]]


def test_a_cover_without_prefix_is_found_when_patch_one_lost_its_in_reply_to():
    msgs = [mail("c", "mm: a cover letter without any prefix", "Why.\n", None, 0, AUTHOR),
            patch("p1", "[PATCH 1/2] mm: one", None, 1), patch("p2", "[PATCH 2/2] mm: two", "c", 2)]
    (series,) = assemble(msgs)
    assert (series.cover_id, series.title) == ("c", "mm: a cover letter without any prefix")


def test_a_patch_sent_three_times_remembers_both_older_copies():
    msgs = [patch("a", "[PATCH 1/2] mm: one", None, 1), patch("b", "[PATCH 2/2] mm: two", "a", 2),
            patch("b2", "[PATCH RESEND 2/2] mm: two", "b", 5), patch("b3", "[PATCH RESEND 2/2] mm: two", "b2", 9)]
    (series,) = assemble(msgs)
    assert (series.patches[1].message_id, series.patches[1].other_ids) == ("b3", ("b", "b2"))
    assert series.patches[1].all_ids == ("b3", "b", "b2")


def test_patches_listed_after_a_numbered_reply_with_a_trailer_are_still_found():
    msgs = [mail("t", "[PATCH 0/2] mm: work", "Tested-by: Rev Iewer <rev@example.org>\n", "c", 9),
            mail("c", "[PATCH 0/2] mm: work", "Two.\n", None, 0, AUTHOR),
            patch("p1", "[PATCH 1/2] mm: one", "c", 1), patch("p2", "[PATCH 2/2] mm: two", "c", 2)]
    (series,) = assemble(msgs)
    assert (series.cover_id, [p.message_id for p in series.patches]) == ("c", ["p1", "p2"])


def test_a_complete_reroll_sent_in_reply_to_the_old_patches_takes_nothing_from_them():
    msgs = [*V2, patch("a3", "[PATCH v3 1/2] mm: one", "a2", 5), patch("b3", "[PATCH v3 2/2] mm: two", "b2", 6)]
    v2, v3 = assemble(msgs)
    assert (v3.cover_id, v3.cover_carried, v3.rerolled_from) == (None, False, None)
    assert slots(v3) == [(1, "a3", ()), (2, "b3", ())]

"""Subject parsing, series assembly and version linking (pure, no notmuch)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

from kreview.core.series import SeriesMessage, assemble, link_versions, parse_subject


@pytest.mark.parametrize("subject, version, index, total, rfc, resend, reply, title", [
    ("[PATCH v4 3/8] mm: fix it", 4, 3, 8, False, False, False, "mm: fix it"),
    ("[PATCHv3 2/5] x: y", 3, 2, 5, False, False, False, "x: y"),
    ("[RFC PATCH 0/3] cover", 1, 0, 3, True, False, False, "cover"),
    ("[PATCH RESEND v2 1/2] again", 2, 1, 2, False, True, False, "again"),
    ("[PATCH net-next v2 04/10] net: z", 2, 4, 10, False, False, False, "net: z"),
    ("[PATCH 1 of 8] hg style", 1, 1, 8, False, False, False, "hg style"),
    ("[notmuch] [PATCH] emacs: thing", 1, 1, 1, False, False, False, "emacs: thing"),
    ("Re: [PATCH v2 3/4] r", 2, 3, 4, False, False, True, "r"),
    ("RE: Aw: [PATCH] q", 1, 1, 1, False, False, True, "q"),
    ("[notmuch] Re: [PATCH 2/3] w", 1, 2, 3, False, False, True, "w"),
    ("Re[2]: [RFC v2 1/1] rr", 2, 1, 1, True, False, True, "rr"),
    ("[PATCH  v2   1/2]   spaced  out", 2, 1, 2, False, False, False, "spaced out"),
])
def test_parse_subject(subject, version, index, total, rfc, resend, reply, title):
    info = parse_subject(subject)
    assert (info.version, info.index, info.total) == (version, index, total)
    assert (info.is_rfc, info.is_resend, info.is_reply, info.title) == (rfc, resend, reply, title)
    assert info.is_patch


def test_list_tag_and_subsystem_words_are_kept_as_prefixes():
    assert parse_subject("[notmuch] [PATCH net-next v2 1/2] x").prefixes == ("notmuch", "PATCH", "net-next")


def test_plain_subject_is_no_patch():
    info = parse_subject("Re: question about [brackets] in the middle")
    assert not info.is_patch and info.is_reply and (info.version, info.index, info.total) == (1, 1, 1)
    assert info.title == "question about [brackets] in the middle"


@given(st.text(max_size=80))
def test_parse_subject_never_fails(subject):
    info = parse_subject(subject)
    assert info.version >= 1 and info.total >= 1


def _m(mid, subject, date, parent=None):
    return SeriesMessage(mid, parent, subject, "A", "a@example.com", date, "")


def test_assemble_orders_patches_and_marks_gaps():
    msgs = [_m("p3", "[PATCH v2 3/4] c", 3), _m("p1", "[PATCH v2 1/4] a", 1),
            _m("c", "[PATCH v2 0/4] cover", 0), _m("r", "Re: [PATCH v2 1/4] a", 5, "p1")]
    (s,) = assemble(msgs)
    assert (s.title, s.version, s.total, s.cover_id) == ("cover", 2, 4, "c")
    assert [(p.index, p.message_id, p.missing) for p in s.patches] == [
        (1, "p1", False), (2, "", True), (3, "p3", False), (4, "", True)]
    assert s.missing == (2, 4) and s.key == "c"


def test_resend_inside_the_thread_keeps_the_newest_and_remembers_the_old():
    msgs = [_m("a", "[PATCH 1/2] a", 1), _m("b", "[PATCH 2/2] b", 2),
            _m("b2", "[PATCH RESEND 2/2] b", 9, "b")]
    (s,) = assemble(msgs)
    assert s.patches[1].message_id == "b2" and s.patches[1].other_ids == ("b",)
    assert s.cover_id is None and s.title == "a" and s.key == "a"


def test_versions_in_one_thread_are_separate_series():
    msgs = [_m("v1", "[PATCH 0/2] t", 0), _m("v1a", "[PATCH 1/2] a", 1),
            _m("v2", "[PATCH v2 0/2] t", 5, "v1"), _m("v2a", "[PATCH v2 1/2] a", 6)]
    assert [(s.version, s.cover_id) for s in assemble(msgs)] == [(1, "v1"), (2, "v2")]


def test_link_versions_by_cover_title_or_shared_patch_title():
    v1 = assemble([_m("a0", "[PATCH 0/2] Old cover name", 0), _m("a1", "[PATCH 1/2] mm: one", 1)])
    v2 = assemble([_m("b0", "[PATCH v2 0/2] old cover  NAME", 0), _m("b1", "[PATCH v2 1/2] mm: two", 1)])
    # v3 renamed the cover but kept a patch title of v2: linked transitively
    v3 = assemble([_m("c0", "[PATCH v3 0/2] New name", 0), _m("c1", "[PATCH v3 1/2] mm: two", 1)])
    other = assemble([_m("d1", "[PATCH] unrelated", 1)])
    links = link_versions(v3 + other + v1 + v2)
    assert [s.version for s in links["a0"]] == [1, 2, 3]
    assert links["c0"] == links["a0"]
    assert [s.key for s in links["d1"]] == ["d1"]


def test_core_modules_import_no_ui():
    code = ("import sys, kreview.core.series, kreview.core.trailers, kreview.core.review;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

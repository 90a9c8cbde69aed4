"""The grammar of kernel mail, one table row per shape (written from what
git format-patch, quilt, hg, b4 and patchwork document and what list mail
shows; no row is copied from their tests)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kreview.core.grammar import (
    has_diff,
    has_diffstat,
    may_start_series,
    parse_subject,
    strip_reply_markers,
)

# subject -> (revision, index, total, is_patch, is_reply, title); flags below
SUBJECTS = [
    # the plain forms
    ("[PATCH] mm: fix it", ("1", 1, 1, True, False, "mm: fix it")),
    ("[PATCH v4 3/8] mm: fix it", ("4", 3, 8, True, False, "mm: fix it")),
    ("[PATCH V4 03/08] mm: fix it", ("4", 3, 8, True, False, "mm: fix it")),
    ("[PATCH 000/105] 4.14.93-stable review", ("1", 0, 105, True, False, "4.14.93-stable review")),
    ("[PATCH net-next v2 04/10] net: z", ("2", 4, 10, True, False, "net: z")),
    ("[PATCH 1 of 8] hg style", ("1", 1, 8, True, False, "hg style")),
    # versions
    ("[PATCH v2.3] dotted", ("2.3", 1, 1, True, False, "dotted")),
    ("[PATCH v2.3 1/2] dotted counted", ("2.3", 1, 2, True, False, "dotted counted")),
    ("[PATCH] late version (v2)", ("2", 1, 1, True, False, "late version")),
    ("[PATCH 1/2] late version counted (V3)", ("3", 1, 2, True, False, "late version counted")),
    ("[PATCH v10 7/9] two digits", ("10", 7, 9, True, False, "two digits")),
    # glued forms
    ("[PATCHv3 2/5] x: y", ("3", 2, 5, True, False, "x: y")),
    ("[PATCH-v3 2/5] x: y", ("3", 2, 5, True, False, "x: y")),
    ("[PATCH1/8] glued counter", ("1", 1, 8, True, False, "glued counter")),
    ("[PATCH1 of 8] glued hg counter", ("1", 1, 8, True, False, "glued hg counter")),
    ("[v2PATCH1/4] all glued", ("2", 1, 4, True, False, "all glued")),
    ("[v2 PATCH1/4] version first", ("2", 1, 4, True, False, "version first")),
    ("[PATCH100/123] big counter", ("1", 100, 123, True, False, "big counter")),
    ("[RFCv2 PATCH 1/3] rfc glued", ("2", 1, 3, True, False, "rfc glued")),
    # counters alone, odd spacing
    ("[v2 1/4] no keyword", ("2", 1, 4, True, False, "no keyword")),
    ("[ PATCH  v2   1 / 3 ]   spaced  out", ("2", 1, 3, True, False, "spaced out")),
    ("[PATCH v2,1/3] comma", ("2", 1, 3, True, False, "comma")),
    # nested and duplicated brackets
    ("[PATCH [v2] 1/3] nested", ("2", 1, 3, True, False, "nested")),
    ("[PATCH] [PATCH v2 1/3] duplicated", ("2", 1, 3, True, False, "duplicated")),
    ("[[PATCH 2/2]] doubled", ("1", 2, 2, True, False, "doubled")),
    # list tags, RFC, RESEND, pull requests
    ("[nvdimm] [PATCH 2/3] list tag", ("1", 2, 3, True, False, "list tag")),
    ("[RFC] rfc only", ("1", 1, 1, True, False, "rfc only")),
    ("[RFC PATCH 0/3] cover", ("1", 0, 3, True, False, "cover")),
    ("[PATCH RESEND v2 1/2] again", ("2", 1, 2, True, False, "again")),
    ("[RESEND PATCH] again", ("1", 1, 1, True, False, "again")),
    ("[RESEND-PATCH v2] hyphen-joined", ("2", 1, 1, True, False, "hyphen-joined")),
    ("[PATCHSETS] v14 a + v11 b", ("1", 1, 1, True, False, "v14 a + v11 b")),
    ("(subset) [PATCH 0/9] applied notice", ("1", 1, 1, False, False, "(subset) [PATCH 0/9] applied notice")),
    ("[GIT PULL] nvdimm for 6.1", ("1", 1, 1, False, False, "nvdimm for 6.1")),
    ("[GIT PULL v2] again", ("2", 1, 1, False, False, "again")),
    ("[nvdimm] tag only", ("1", 1, 1, False, False, "tag only")),
    # replies and forwards, between and before brackets
    ("Re: [PATCH v2 3/4] r", ("2", 3, 4, True, True, "r")),
    ("RE: Aw: [PATCH] q", ("1", 1, 1, True, True, "q")),
    ("[nvdimm] Re: [PATCH 2/3] w", ("1", 2, 3, True, True, "w")),
    ("Re[2]: [RFC v2 1/1] rr", ("2", 1, 1, True, True, "rr")),
    ("SV: Antw: Odp: [PATCH] x", ("1", 1, 1, True, True, "x")),
    ("Fwd: [PATCH 1/2] forwarded", ("1", 1, 2, True, True, "forwarded")),
    ("回复: [NDCTL PATCH v3] cxl: x", ("3", 1, 1, True, True, "cxl: x")),
    ("答复：[PATCH 2/2] full-width colon", ("1", 2, 2, True, True, "full-width colon")),
    ("Odg: [PATCH] any short word before a bracket", ("1", 1, 1, True, True,
                                                      "any short word before a bracket")),
    ("mm: no bracket after it", ("1", 1, 1, False, False, "mm: no bracket after it")),
    # not patches
    ("Re: question about [brackets] in the middle", ("1", 1, 1, False, True,
                                                     "question about [brackets] in the middle")),
    ("patch review meeting notes", ("1", 1, 1, False, False, "patch review meeting notes")),
    ("[x86/mm 2.0] word with slash", ("1", 1, 1, False, False, "word with slash")),
    ("[PATCH unclosed bracket", ("1", 1, 1, False, False, "[PATCH unclosed bracket")),
]


@pytest.mark.parametrize("subject, expected", SUBJECTS, ids=[s for s, _ in SUBJECTS])
def test_subject_shapes(subject, expected):
    info = parse_subject(subject)
    revision, index, total, is_patch, is_reply, title = expected
    assert (info.revision, info.index, info.total) == (revision, index, total)
    assert (info.is_patch, info.is_reply, info.title) == (is_patch, is_reply, title)
    assert info.version == int(revision.split(".")[0])


@pytest.mark.parametrize("subject, flags", [
    ("[RFC PATCH 0/3] x", {"is_rfc"}),
    ("[RFT PATCH] x", {"is_rfc"}),
    ("[PATCH RESEND v2 1/2] x", {"is_resend"}),
    ("[PATCH (resend) 1/2] x", {"is_resend"}),
    ("[RESEND-PATCH v2] x", {"is_resend"}),
    ("[RFC-PATCH] x", {"is_rfc"}),
    ("[GIT PULL] x", {"is_pull"}),
    ("[PATCH] x", set()),
])
def test_keyword_flags(subject, flags):
    info = parse_subject(subject)
    assert {f for f in ("is_rfc", "is_resend", "is_pull") if getattr(info, f)} == flags


@pytest.mark.parametrize("subject, prefixes", [
    ("[notmuch] [PATCH net-next v2 1/2] x", ("notmuch", "PATCH", "net-next")),
    ("[PATCH] [PATCH v2 1/3] y", ("PATCH",)),  # said twice, kept once
    ("[PATCH 4.14 000/105] z", ("PATCH", "4.14")),
    ("[GIT PULL] z", ("GIT PULL",)),
])
def test_prefixes_keep_every_other_word(subject, prefixes):
    assert parse_subject(subject).prefixes == prefixes


def test_version_written_only_when_it_is():
    assert not parse_subject("[PATCH 1/2] x").version_written
    assert parse_subject("[PATCH v1 1/2] x").version_written
    assert parse_subject("[PATCH] x (v2)").version_written
    # "(v2)" alone is a title, not a version of nothing
    assert parse_subject("(v2)").title == "(v2)"


@pytest.mark.parametrize("subject, stripped, with_forwards", [
    ("Re: Re: RE: x", "x", "x"),
    ("Aw: Re[3]: [PATCH] y", "[PATCH] y", "[PATCH] y"),
    ("Fwd: Re: z", "Fwd: Re: z", "z"),
    ("Re: Fwd: z", "Fwd: z", "z"),
    ("Reply to the list", "Reply to the list", "Reply to the list"),
])
def test_strip_reply_markers(subject, stripped, with_forwards):
    assert strip_reply_markers(subject) == stripped
    assert strip_reply_markers(subject, forwards=True) == with_forwards


@pytest.mark.parametrize("subject, may", [
    ("[PATCH] x", True), ("[nvdimm] x", True), ("[GIT PULL] x", True), ("[RFC] x", True),
    ("plain words", False), ("Re: [PATCH] x", False), ("x (v2)", True),
])
def test_may_start_series(subject, may):
    assert may_start_series(subject) is may


@pytest.mark.parametrize("body, diff", [
    ("diff --git a/x.c b/x.c\nindex 1..2\n", True),
    ("--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n", True),
    ("GIT binary patch\nliteral 10\n", True),
    ("> diff --git a/x.c b/x.c\n> --- a/x.c\n> +++ b/x.c\n", False),  # quoted in a review
    ("Looks good.\n---\n+++ nothing\n", False),  # "---" then "+++" without file names
    ("Reviewed-by: A <a@b.org>\n", False),
])
def test_has_diff(body, diff):
    assert has_diff(body) is diff


def test_has_diffstat():
    assert has_diffstat(" drivers/x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n")
    assert not has_diffstat("I changed 3 files by hand\n")


@given(st.text(max_size=120))
def test_parse_subject_never_fails(subject):
    info = parse_subject(subject)
    assert info.version >= 1 and info.total >= 1 and info.index >= 0

"""The grammar of a mail body (quotes, diff lines, diffstat, trailers,
attributions), one table row per shape; then, for each rule that had
differing copies before it moved into core/grammar.py, the case that shows
the copies now agree (blocks, layout, diffs and draft checks read the same)."""
from __future__ import annotations

import pytest

from kreview.core.blocks import split_blocks
from kreview.core.draft_checks import own_comments
from kreview.core.grammar import (
    DIFFSTAT_LINE,
    GIT_DIFF_HEADER,
    HUNK_HEADER,
    PERSON_TRAILER_START,
    attribution_author,
    diff_path,
    git_diff_names,
    hunk_counts,
    is_attribution,
    quote_level,
    strip_quote,
)
from kreview.core.layout import block_lines

# line -> (level, content)
QUOTES = [
    ("plain", (0, "plain")),
    ("> one", (1, "one")),
    (">one", (1, "one")),
    ("> > two", (2, "two")),
    (">> two", (2, "two")),
    (">>  +context kept", (2, " +context kept")),
    (">", (1, "")),
    (" > leading space is the writer's", (0, " > leading space is the writer's")),
    (">\t> a tab is content", (1, "\t> a tab is content")),
    (">  > two spaces end the prefix", (1, " > two spaces end the prefix")),
]


@pytest.mark.parametrize("line,expected", QUOTES)
def test_quote_level(line, expected):
    assert quote_level(line) == expected
    assert strip_quote(line) == expected[1]


# line -> (old_start, old_count, new_start, new_count, function) or None
HUNKS = [
    ("@@ -1,3 +1,4 @@", (1, 3, 1, 4, "")),
    ("@@ -10,3 +12,4 @@ static int foo(void)", (10, 3, 12, 4, "static int foo(void)")),
    ("@@ -1 +1 @@", (1, 1, 1, 1, "")),
    ("@@ -0,0 +1,2 @@", (0, 0, 1, 2, "")),
    ("@@ -1,2 +1,2 @@struct x", (1, 2, 1, 2, "struct x")),
    ("@@@ -1,2 -1,2 +1,3 @@@", None),  # a combined diff: not a unified hunk
    ("@@@ -1,2 +1,2 @@@", None),  # no tool writes this
    ("@@ -1,3 +1,4", None),  # cut short
    ("> @@ -1 +1 @@", None),  # quoted: strip the quote first
    ("@@ -a +b @@", None),
]


@pytest.mark.parametrize("line,expected", HUNKS)
def test_hunk_header(line, expected):
    m = HUNK_HEADER.match(line)
    if expected is None:
        assert m is None
        return
    assert m is not None
    old, new = hunk_counts(m)
    assert (int(m["old_start"]), old, int(m["new_start"]), new, m["function"]) == expected


GIT_HEADERS = [
    ("diff --git a/mm/x.c b/mm/x.c", "mm/x.c"),
    ("diff --git x.c x.c", "x.c"),  # --no-prefix
    ("diff --git i/mm/x.c w/mm/x.c", "w/mm/x.c"),  # mnemonic prefixes are kept as written
    ("diff --git", None),
    ("diff -u a b", None),
    # git quotes no space: the name is said twice, not cut at its first space
    ("diff --git a/Documentation/my notes.txt b/Documentation/my notes.txt", "Documentation/my notes.txt"),
    ("diff --git i/a b.c w/a b.c", "w/a b.c"),
    ("diff --git a/old name.c b/new name.c", "new name.c"),  # a rename with spaces: at " b/"
    ('diff --git "a/tab\\there.c" "b/tab\\there.c"', "tab\there.c"),  # C-quoted by git
    ('diff --git "a/caf\\303\\251.c" "b/caf\\303\\251.c"', "caf\u00e9.c"),  # core.quotePath octal UTF-8
    ("diff --git a/x.c b/x.c\r", "x.c"),
]


@pytest.mark.parametrize("line,path", GIT_HEADERS)
def test_git_diff_header(line, path):
    names = git_diff_names(line)
    assert (diff_path(names[1]) if names else None) == path
    assert bool(GIT_DIFF_HEADER.match(line)) == (path is not None)


DIFFSTATS = [
    (" mm/x.c | 12 ++++++------", True),
    (" mm/x.c |    2 +-", True),  # the diffstat program pads the count
    (" .../deep/path.c | 3 +++", True),
    (" mm/x.c | 0", True),  # a mode change or a pure rename
    (" img.png | Bin 0 -> 1234 bytes", True),
    (" 3 files changed, 10 insertions(+), 2 deletions(-)", True),
    (" 1 file changed, 1 deletion(-)", True),
    (" create mode 100644 mm/new.c", True),
    (" delete mode 100644 mm/old.c", True),
    (" rename mm/{a.c => b.c} (90%)", True),
    (" mode change 100644 => 100755 scripts/x.sh", True),
    ("mm/x.c | 12 ++--", False),  # git writes one leading space
    (" x = a | 3;", False),  # C in a context line
    (" a | 3 apples", False),
    ("\tmm/x.c | 2 +-", False),
]


@pytest.mark.parametrize("line,is_stat", DIFFSTATS)
def test_diffstat_line(line, is_stat):
    assert bool(DIFFSTAT_LINE.match(line)) is is_stat


TRAILER_STARTS = [
    ("Reviewed-by: A <a@x>", True),
    ("acked-by: a@x", True),  # case does not make it prose
    ("Tested-by:A <a@x>", True),
    ("Signed-off-by: A <a@x>", True),
    ("Link: https://x", False),
    ("Reviewed by: A", False),
    ("I was passed-by: nobody", False),
]


@pytest.mark.parametrize("line,is_trailer", TRAILER_STARTS)
def test_person_trailer_start(line, is_trailer):
    assert bool(PERSON_TRAILER_START.match(line)) is is_trailer


# line -> the author named (None: not an attribution of a known client's shape)
ATTRIBUTIONS = [
    ("On Thu, Sep 13, 2018 at 10:35:24AM -0700, Dan Williams wrote:", "Dan Williams"),
    ("On 9/13/18 10:35 AM, Dan Williams wrote:", "Dan Williams"),
    ("On Thu, 13 Sep 2018, Dan Williams <dan@x.org> wrote:", "Dan Williams"),
    ('On Mon, Jan 1, 2024 at 1:02 PM "Jane Doe" <jane@x> wrote:', "Jane Doe"),
    ("Le lun. 3 mars 2025 à 10:12, Jean Dupont <j@x.fr> a écrit :", "Jean Dupont"),
    ("Quoting Jane Doe (2024-01-01 10:00:00)", "Jane Doe"),
    ("* Jane Doe <jane@x> [240101 10:00]:", "Jane Doe"),
    ("Dan Williams wrote:", None),  # loose: only with a quote below (is_attribution)
    ("I think this is wrong.", None),
]


@pytest.mark.parametrize("line,who", ATTRIBUTIONS)
def test_attribution_author(line, who):
    assert attribution_author(line) == who


@pytest.mark.parametrize("line,expected", [
    ("Dan Williams wrote:", True),
    ("Le lun. 3 mars 2025, Jean a écrit :", True),
    ("Am 03.03.2025 um 10:12 schrieb Hans Meier:", True),
    ("I wrote: nothing", False),
    ("Looks fine to me.", False),
])
def test_is_attribution(line, expected):
    assert is_attribution(line) is expected


# -- where the copies differed, the readers now agree ----------------------------------

def _kinds(text: str) -> list[tuple[str, str]]:
    return [(line.kind, line.text) for line in block_lines(split_blocks(text))]


def test_triple_at_line_is_no_hunk_for_blocks_or_layout():
    # blocks and diffs took "@@@ ... @@@" as a hunk header, layout did not:
    # the block said "diff" and the screen drew it as text.
    blocks = split_blocks("Some text\n@@@ -1,2 +1,2 @@@\n-a\n+b\n")
    assert [b.type for b in blocks] == ["text"]


def test_tab_after_quote_marker_is_content_on_screen_too():
    # layout's quote prefix took any whitespace ("\s?>"), so a ">\t> diff --git"
    # line in a level-1 quote was drawn as a level-2 diff header.
    text = "On Mon, X wrote:\n>\t> diff --git a/x.c b/x.c\n> plain\n\nreply\n"
    kinds = dict((t, k) for k, t in _kinds(text))
    assert kinds[">\t> diff --git a/x.c b/x.c".expandtabs(8)] == "quote"


PATCH_WITH_MODE_CHANGE = """\
the change
---
 scripts/run.sh | 0
 mm/new.c       | 1 +
 2 files changed, 1 insertion(+)
 create mode 100644 mm/new.c
 mode change 100644 => 100755 scripts/run.sh

diff --git x/scripts/run.sh y/scripts/run.sh
old mode 100644
new mode 100755
diff --git a/mm/new.c b/mm/new.c
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/mm/new.c
@@ -0,0 +1 @@
+int x;
"""


def test_diffstat_and_headers_are_read_alike_by_blocks_and_layout():
    # layout's diffstat wanted "N +-" (so " x | 0" and --summary lines were
    # text) and its git header wanted "a/ b/" prefixes; blocks took both into
    # the diff block, so the screen coloured part of a diff as prose.
    kinds = dict((t, k) for k, t in _kinds(PATCH_WITH_MODE_CHANGE))
    assert kinds[" scripts/run.sh | 0"] == "diffstat"
    assert kinds[" create mode 100644 mm/new.c"] == "diffstat"
    assert kinds[" mode change 100644 => 100755 scripts/run.sh"] == "diffstat"
    header = next(t for t in kinds if t.startswith("diff --git x/"))
    assert kinds[header] == "diff-file"
    assert kinds["old mode 100644"] == "diff-meta"


def test_draft_comments_skip_attributions_and_trailers_of_any_client_or_case():
    # draft_checks knew only "... wrote:" and capitalised "-by:" trailers, so a
    # French attribution or "acked-by:" counted as the reviewer's own words.
    text = ("Le lun. 3 mars 2025 à 10:12, Jean Dupont <j@x.fr> a écrit :\n> quoted\n\n"
            "Looks good.\n\nacked-by: Me <me@x>\n")
    assert own_comments(text) == ["Looks good."]

"""Diff shapes real mailers produce, as the reader sees them: a blank
context line whose leading space was stripped, and hunk headers without
counts (one-line files, new files of one line)."""
from __future__ import annotations

from kreview.core.blocks import split_blocks
from kreview.core.diffs import parse_diff

PATCH_WITH_STRIPPED_BLANK = """\
Fix the frobnicator.

Signed-off-by: A Developer <dev@example.org>
---
 drivers/foo.c | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/drivers/foo.c b/drivers/foo.c
index 1111111..2222222 100644
--- a/drivers/foo.c
+++ b/drivers/foo.c
@@ -10,7 +10,8 @@ static int foo(void)
 {
 \tint a = 1;

-\treturn a;
+\tint b = 2;
+\treturn a + b;
 }
 
 static int bar(void)
--
2.43.0
"""


def diff_blocks(text):
    return [b for b in split_blocks(text) if b.type == "diff"]


def test_a_blank_context_line_without_its_space_does_not_end_the_diff():
    (diff,) = diff_blocks(PATCH_WITH_STRIPPED_BLANK)
    # The lines after the stripped blank are still in the diff block (coloured as diff).
    assert "+\treturn a + b;" in diff.lines and " static int bar(void)" in diff.lines
    (hunk,) = diff.diff_info().files[0].hunks
    kinds = "".join(line.kind for line in hunk.lines)
    assert kinds == "  " + " " + "-++" + "  " + " "  # the stripped blank is a context line
    assert diff.diff_info().files[0].added == 2 and diff.diff_info().files[0].removed == 1


ONE_LINE_FILES = """\
diff --git a/VERSION b/VERSION
index 3333333..4444444 100644
--- a/VERSION
+++ b/VERSION
@@ -1 +1 @@
-1.0
+1.1
diff --git a/NEWFILE b/NEWFILE
new file mode 100644
index 0000000..5555555
--- /dev/null
+++ b/NEWFILE
@@ -0,0 +1 @@
+hello
"""


def test_hunk_headers_without_counts_are_hunks():
    info = parse_diff(ONE_LINE_FILES)
    assert not info.error
    version, new = info.files
    assert version.path == "VERSION" and (version.added, version.removed) == (1, 1)
    assert [(h.source_start, h.target_start) for h in version.hunks] == [(1, 1)]
    assert [(line.kind, line.text) for line in version.hunks[0].lines] == [("-", "1.0"), ("+", "1.1")]
    assert new.path == "NEWFILE" and new.added == 1 and new.hunks[0].target_start == 1


def test_hunk_headers_without_counts_are_found_in_a_mail():
    (diff,) = diff_blocks("Bump the version.\n---\n" + ONE_LINE_FILES)
    assert [f.path for f in diff.diff_info().files] == ["VERSION", "NEWFILE"]
    assert sum(len(f.hunks) for f in diff.diff_info().files) == 2


def test_hunk_headers_without_counts_are_coloured_and_jumped_to():
    from kreview.core.layout import block_lines

    lines = block_lines(diff_blocks("Bump the version.\n---\n" + ONE_LINE_FILES), set())
    hunks = [line.text for line in lines if line.kind == "diff-hunk"]
    assert hunks == ["@@ -1 +1 @@", "@@ -0,0 +1 @@"]
    kinds = {line.text: line.kind for line in lines}
    assert kinds["-1.0"] == "diff-del" and kinds["+1.1"] == "diff-add" and kinds["+hello"] == "diff-add"


def test_the_stripped_blank_keeps_the_rest_of_the_hunk_coloured():
    from kreview.core.layout import block_lines

    lines = block_lines(diff_blocks(PATCH_WITH_STRIPPED_BLANK), set())
    kinds = {" ".join(line.text.split()): line.kind for line in lines if line.text.strip()}
    assert kinds["- return a;"] == "diff-del"
    assert kinds["+ return a + b;"] == "diff-add"
    assert kinds["static int bar(void)"] == "diff-ctx"

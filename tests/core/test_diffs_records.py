"""parse_diff's whole record for the diffs a reviewer meets: a snippet
quoted from the middle of a hunk, a snipped quoted hunk, several files in
one quote (git and plain headers, a rename, a copy), a well-formed patch
with a deleted and a new file, a pure rename, and text that is no diff.

The record is compared whole: the paths, counts and lexers ``kreview show
--json`` prints, the hunk headers and functions, each line's kind (its
colour), the raw lines shown when nothing could be read, and which parser
read it."""
from __future__ import annotations

from kreview.core.diffs import DiffInfo, DiffLine, FileDiff, Hunk, diffstat, parse_diff
from tests.core.test_diffs import _patch


def test_a_snippet_from_the_middle_of_a_hunk_is_one_headerless_hunk_of_the_named_file():
    info = parse_diff("-\tif (a)\n+\tif (b)\n \t\treturn;\n", default_path="drivers/x.c")
    assert info == DiffInfo(
        files=(FileDiff("drivers/x.c", "", "", 1, 1, "c", (
            Hunk("", "", 0, 0, (DiffLine("-", "\tif (a)"), DiffLine("+", "\tif (b)"), DiffLine(" ", "\t\treturn;"))),
        )),),
        raw=("-\tif (a)", "+\tif (b)", " \t\treturn;"), error="", tolerant=True)


def test_a_snipped_quoted_hunk_keeps_every_line_and_its_kind():
    text = ("> @@ -10,6 +10,7 @@ static int probe(void)\n>  \tint rc;\n> [...]\n> -\trc = 0;\n>\n"
            "> +\trc = 1;\n> \\ No newline at end of file\n")
    assert parse_diff(text) == DiffInfo(
        files=(FileDiff("", "", "", 1, 1, "text", (
            Hunk("@@ -10,6 +10,7 @@", "static int probe(void)", 10, 10, (
                DiffLine(" ", "\tint rc;"), DiffLine("", "[...]"), DiffLine("-", "\trc = 0;"), DiffLine(" ", ""),
                DiffLine("+", "\trc = 1;"), DiffLine("\\", " No newline at end of file"))),
        )),),
        raw=("@@ -10,6 +10,7 @@ static int probe(void)", " \tint rc;", "[...]", "-\trc = 0;", "", "+\trc = 1;",
             "\\ No newline at end of file"),
        error="", tolerant=True)


MULTI = """diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1,9 +1,9 @@ int f(void)
-x
+y
[...]
--- a/b.py\t2018-01-01
+++ b/b.py\t2018-01-02
@@ -5 +5,2 @@
-p
+q
+r
diff --git a/old.sh b/new.sh
similarity index 90%
rename from old.sh
rename to new.sh
@@ -1,5 +1,5 @@
-echo 1
+echo 2
diff --git a/c.h b/d.h
copy from c.h
copy to d.h
"""


def test_several_snipped_files_in_one_quote_each_get_their_path_counts_and_lexer():
    info = parse_diff(MULTI)
    assert info.files == (
        FileDiff("a.c", "a/a.c", "b/a.c", 1, 1, "c", (
            Hunk("@@ -1,9 +1,9 @@", "int f(void)", 1, 1, (DiffLine("-", "x"), DiffLine("+", "y"), DiffLine("", "[...]"))),
        )),
        FileDiff("b.py", "a/b.py", "b/b.py", 2, 1, "python", (
            Hunk("@@ -5 +5,2 @@", "", 5, 5, (DiffLine("-", "p"), DiffLine("+", "q"), DiffLine("+", "r"))),
        )),
        FileDiff("new.sh", "old.sh", "b/new.sh", 1, 1, "bash", (
            Hunk("@@ -1,5 +1,5 @@", "", 1, 1, (DiffLine("-", "echo 1"), DiffLine("+", "echo 2"))),
        )),
        FileDiff("d.h", "c.h", "b/d.h", 0, 0, "c", ()),
    )
    assert (info.raw, info.error, info.tolerant) == (tuple(MULTI.splitlines()), "", True)


def test_a_plain_file_header_right_after_a_git_one_names_the_same_file():
    """"diff --git" then "--- a/x"/"+++ b/x" before any hunk: one file, not
    two (the plain header only fills in the paths)."""
    info = parse_diff("diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,9 +1,9 @@\n-a\n+b\n[...]\n")
    assert [(f.path, f.source_path, f.target_path, f.added) for f in info.files] == [("x.c", "a/x.c", "b/x.c", 1)]
    info = parse_diff("--- a/x.c\n+++ b/x.c\n@@ -1,9 +1,9 @@\n-a\n+b\n[...]\n")
    assert [(f.path, f.source_path, f.target_path) for f in info.files] == [("x.c", "a/x.c", "b/x.c")]


def test_a_well_formed_patch_with_a_deleted_and_a_new_file():
    text = ("diff --git a/gone.c b/gone.c\ndeleted file mode 100644\nindex 1..0\n--- a/gone.c\n+++ /dev/null\n"
            "@@ -1,2 +0,0 @@ int x;\n-a\n-b\ndiff --git a/new.py b/new.py\nnew file mode 100644\n--- /dev/null\n"
            "+++ b/new.py\n@@ -0,0 +1 @@\n+print()\n")
    assert parse_diff(text) == DiffInfo(
        files=(
            FileDiff("gone.c", "a/gone.c", "/dev/null", 0, 2, "c", (
                Hunk("@@ -1,2 +0,0 @@", "int x;", 1, 0, (DiffLine("-", "a"), DiffLine("-", "b"))),)),
            FileDiff("new.py", "/dev/null", "b/new.py", 1, 0, "python", (
                Hunk("@@ -0,0 +1,1 @@", "", 0, 1, (DiffLine("+", "print()"),)),)),
        ),
        raw=tuple(text.splitlines()), error="", tolerant=False)


def test_a_pure_rename_is_a_file_change_without_hunks():
    text = "diff --git a/x.c b/y.c\nsimilarity index 100%\nrename from x.c\nrename to y.c\n"
    assert parse_diff(text) == DiffInfo(
        files=(FileDiff("y.c", "a/x.c", "b/y.c", 0, 0, "c", ()),), raw=tuple(text.splitlines()), error="",
        tolerant=False)


def test_text_that_is_no_diff_is_kept_raw_and_says_why():
    assert parse_diff("Hello\nthis is prose\n") == DiffInfo(
        files=(), raw=("Hello", "this is prose"), error="not a readable diff (no hunk found)", tolerant=False)
    # a lone file header line is no diff either
    assert parse_diff("diff --git a/x b/x\n").error == "not a readable diff (no hunk found)"
    # a quoted file header with a hunk header over nothing: no hunk to show
    assert parse_diff("> --- a/x\n> +++ b/x\n> @@ -1 +1 @@\n").error.startswith("not a readable diff")


def test_only_a_diff_quoted_throughout_loses_its_quote_marks():
    """A quote mark on some lines only is content, not quoting."""
    info = parse_diff("@@ -1,3 +1,3 @@\n-a\n> +b\n+c\n")
    assert info.files[0].hunks[0].lines == (DiffLine("-", "a"), DiffLine("", "> +b"), DiffLine("+", "c"))
    assert info.raw == ("@@ -1,3 +1,3 @@", "-a", "> +b", "+c")


def test_a_file_changed_by_its_headers_alone_is_a_file():
    """Rename, mode and binary headers: the file changed without any hunk,
    whichever of git's spellings says so."""
    for header in ("new mode 100755", "Binary files a/x.bin and b/x.bin differ", "GIT binary patch",
                   "new file mode 100644", "deleted file mode 100644", "copy from x.c"):
        info = parse_diff(f"diff --git a/x.bin b/x.bin\nold mode 100644\n{header}\n")
        assert not info.error and [f.path for f in info.files] == ["x.bin"], header


def test_diffstat_keeps_one_added_line_visible_beside_a_big_file():
    info = parse_diff(_patch(("big.c", 1000, 0), ("x.h", 1, 1)))
    assert diffstat(info, width=10)[:2] == [" big.c | 1000 ++++++++++", " x.h   |    2 +-"]


def test_changed_lines_keep_their_trailing_characters():
    """A patch adding trailing blanks (what checkpatch complains about) or
    a line ending in X keeps them: only the newline goes."""
    info = parse_diff("--- a/x.h\n+++ b/x.h\n@@ -1 +1,3 @@\n a\n+#define MAX  \n+#define REG_MAX\n")
    assert not info.tolerant
    assert info.files[0].hunks[0].lines == (
        DiffLine(" ", "a"), DiffLine("+", "#define MAX  "), DiffLine("+", "#define REG_MAX"))


def test_quoted_hunks_with_lines_that_look_like_file_headers():
    """Inside a snipped hunk, a removed "-- comment" (SQL, Lua) or an added
    "++ x" line is a changed line, not a file header; a real file header
    pair quoted at the very end starts a file that has nothing to show."""
    info = parse_diff("@@ -1,9 +1,9 @@\n-a\n--- old comment\n+b\n+++ counter\n[...]\n--- gone\n")
    assert info.tolerant and [(f.added, f.removed) for f in info.files] == [(2, 3)]
    assert info.files[0].hunks[0].lines == (
        DiffLine("-", "a"), DiffLine("-", "-- old comment"), DiffLine("+", "b"), DiffLine("+", "++ counter"),
        DiffLine("", "[...]"), DiffLine("-", "-- gone"))
    info = parse_diff("@@ -1,9 +1,9 @@\n-a\n+b\n[...]\n--- a/y.c\n+++ b/y.c\n")
    assert [(f.path, f.added, f.removed) for f in info.files] == [("", 1, 1)]


def test_paths_with_spaces_and_renames_in_a_snipped_quote():
    text = ("--- a/my file.c\t2018-01-01\n+++ b/my file.c\t2018-01-02\n@@ -1,9 +1,9 @@\n-a\n+b\n+++ counter\n[...]\n"
            "diff --git a/old b/new.c\nrename from my old.c\nrename to new.c\n"
            "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n")
    info = parse_diff(text)
    assert info.tolerant and (info.files[0].added, info.files[0].removed) == (2, 1)
    assert [(f.path, f.source_path, f.target_path, f.lexer) for f in info.files] == [
        ("my file.c", "a/my file.c", "b/my file.c", "c"),
        ("new.c", "my old.c", "b/new.c", "c"),
        ("run.sh", "a/run.sh", "b/run.sh", "bash"),
    ]


def test_headers_out_of_place_in_a_snipped_quote_are_not_changes():
    """A rename line with no file header above it, a "--- a/x" line with
    no "+++" after it, git's bare "---" separator: none is a changed line
    or a file of its own."""
    info = parse_diff("rename from a.c\nrename to b.c\n@@ -1,9 +1,9 @@\n-a\n+b\n[...]\n")
    assert [(f.added, f.removed, len(f.hunks)) for f in info.files] == [(1, 1, 1)]
    info = parse_diff("diff --git a/x.c b/x.c\n--- a/x.c\n[...]\n@@ -1,9 +1,9 @@\n-a\n+b\n[...]\n")
    assert [(f.path, f.added, f.removed, len(f.hunks)) for f in info.files] == [("x.c", 1, 1, 1)]
    info = parse_diff("---\n@@ -1,9 +1,9 @@\n-a\n+b\n[...]\n")
    assert [(f.added, f.removed, len(f.hunks)) for f in info.files] == [(1, 1, 1)]


def test_a_snipped_hunk_of_only_removed_or_only_context_lines_is_still_a_hunk():
    removed = parse_diff("> @@ -1,9 +1,3 @@\n> -a\n> -b\n> [...]\n")
    assert [(f.added, f.removed, len(f.hunks)) for f in removed.files] == [(0, 2, 1)]
    context = parse_diff("> @@ -1,9 +1,9 @@ int f(void)\n>  a\n>  b\n> [...]\n")
    assert [h.function for f in context.files for h in f.hunks] == ["int f(void)"]


def test_diffstat_bars_are_fifty_columns_at_most_by_default():
    [line, _] = diffstat(parse_diff(_patch(("a.c", 100, 0))))
    assert line == " a.c | 100 " + "+" * 50

from __future__ import annotations

from kreview.core.diffs import DiffLine, diffstat, parse_diff
from kreview.core.grammar import strip_quote

GIT = """\
diff --git a/drivers/a.c b/drivers/a.c
index 1..2 100644
--- a/drivers/a.c
+++ b/drivers/a.c
@@ -1,2 +1,2 @@ int main(void)
 a
-b
+c
\\ No newline at end of file
diff --git a/old.c b/new.c
similarity index 100%
rename from old.c
rename to new.c
"""


def test_well_formed_git_diff() -> None:
    info = parse_diff(GIT)
    assert not info.error and not info.tolerant
    first, rename = info.files
    assert (first.path, first.source_path, first.added, first.removed, first.lexer) == (
        "drivers/a.c", "a/drivers/a.c", 1, 1, "c")
    hunk = first.hunks[0]
    assert (hunk.header, hunk.function, hunk.source_start) == ("@@ -1,2 +1,2 @@", "int main(void)", 1)
    assert [ln.kind for ln in hunk.lines] == [" ", "-", "+", "\\"]
    assert rename.path == "new.c" and rename.hunks == ()


def test_snipped_quoted_hunk_falls_back_to_tolerant_parser() -> None:
    text = "> @@ -10,7 +10,8 @@ static void foo(void)\n>  a\n> -b\n> +c\n> [...]\n"
    info = parse_diff(text)
    assert info.tolerant and not info.error
    hunk = info.files[0].hunks[0]
    assert hunk.function == "static void foo(void)"
    assert hunk.lines == (DiffLine(" ", "a"), DiffLine("-", "b"), DiffLine("+", "c"), DiffLine("", "[...]"))


def test_headerless_snippet_uses_default_path() -> None:
    info = parse_diff("> +\tfoo();\n> -\tbar();", default_path="x/y.c")
    f = info.files[0]
    assert (f.path, f.lexer, f.added, f.removed, f.hunks[0].header) == ("x/y.c", "c", 1, 1, "")


def test_crlf_and_blank_context_lines() -> None:
    info = parse_diff("--- a/x.py\r\n+++ b/x.py\r\n@@ -1,3 +1,3 @@\r\n a\r\n-b\r\n+c\r\n\r\n")
    assert not info.error
    assert info.files[0].lexer == "python"
    assert [ln.kind for ln in info.files[0].hunks[0].lines] == [" ", "-", "+", " "]


def test_not_a_diff_keeps_raw_lines() -> None:
    info = parse_diff("hello\nworld")
    assert info.error and info.files == () and info.raw == ("hello", "world")
    assert parse_diff("diff --git a/x b/x").error


def test_diffstat() -> None:
    assert diffstat(parse_diff(GIT)) == [
        " drivers/a.c | 2 +-",
        " new.c       | 0",
        " 2 files changed, 1 insertion(+), 1 deletion(-)",
    ]
    big = "--- a/k\n+++ b/k\n@@ -1,0 +1,100 @@\n" + "+x\n" * 100
    line = diffstat(parse_diff(big), width=10)[0]
    assert line == " k | 100 ++++++++++"


def test_strip_quote() -> None:
    assert strip_quote("> > +foo") == "+foo"
    assert strip_quote(">>  ctx") == " ctx"
    assert strip_quote("plain") == "plain"


def test_hunk_header_over_prose_is_not_a_diff() -> None:
    assert parse_diff("@@ -1 +1 @@\nnot really").error


def _patch(*files: tuple[str, int, int]) -> str:
    """A git diff adding and removing the given numbers of lines per file."""
    out = []
    for path, added, removed in files:
        out.append(f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"
                   f"@@ -1,{removed} +1,{added} @@\n" + "-old\n" * removed + "+new\n" * added)
    return "".join(out)


def test_diffstat_scales_like_git_and_keeps_every_change_visible() -> None:
    """Past ``width`` the bars shrink in proportion, but a file with one
    removed line still shows its "-"; counts stay exact and right-aligned."""
    info = parse_diff(_patch(("drivers/big.c", 90, 10), ("x.h", 0, 1)))
    assert diffstat(info, width=10) == [
        " drivers/big.c | 100 +++++++++-",
        " x.h           |   1 -",
        " 2 files changed, 90 insertions(+), 11 deletions(-)",
    ]


def test_diffstat_at_exactly_the_width_is_not_scaled() -> None:
    assert diffstat(parse_diff(_patch(("a", 6, 4))), width=10)[0] == " a | 10 ++++++----"
    assert diffstat(parse_diff(_patch(("a", 7, 4))), width=10)[0] == " a | 11 ++++++----"


def test_diffstat_summary_names_only_what_changed_in_the_singular_when_one() -> None:
    assert diffstat(parse_diff(_patch(("a", 0, 2))))[-1] == " 1 file changed, 2 deletions(-)"
    assert diffstat(parse_diff(_patch(("a", 1, 0))))[-1] == " 1 file changed, 1 insertion(+)"
    assert diffstat(parse_diff("hello")) == []

"""Block splitting at its edges, as the message pane shows them: what a fold
line says for one line, which quoted runs are code (coloured, a diff block)
and which are prose, a header a mailer broke with a blank line, and the
file a big patch names for the hunks after it (written against the mutants
`make mutate` left alive in core/blocks.py)."""
from __future__ import annotations

from kreview.core.blocks import blocks_to_json, fold_summary, split_blocks
from kreview.core.layout import block_lines


def shapes(text: str) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(b.type, b.level, b.lines) for b in split_blocks(text)]


# -- fold lines ------------------------------------------------------------------------


def test_one_hidden_line_is_one_line_and_two_are_lines():
    blocks = split_blocks("On Mon, Bob wrote:\n> only this\n\nAgreed.\n")
    quote = next(i for i, b in enumerate(blocks) if b.type == "quote")
    folded = [line.text for line in block_lines(blocks, {quote}) if line.kind == "fold"]
    assert folded == ["[… 1 quoted line from Bob]"]
    assert fold_summary(blocks[quote], hidden=2) == "[… 2 quoted lines from Bob]"


def test_a_one_line_signature_says_one_line():
    sig = split_blocks("Thanks.\n-- ")[-1]
    assert sig.type == "signature" and fold_summary(sig) == "[… signature, 1 line]"


# -- quoted code without a hunk header -----------------------------------------------------


def test_quoted_kernel_declarations_are_a_diff_even_without_a_header():
    text = "On Mon, Bob wrote:\n> -static int old(void);\n> +static int new(void);\n\nWhy rename it?"
    assert shapes(text) == [
        ("attribution", 0, ("On Mon, Bob wrote:",)),
        ("diff", 1, ("> -static int old(void);", "> +static int new(void);")),
        ("text", 0, ("", "Why rename it?")),
    ]


def test_quoted_indented_code_lines_are_a_diff():
    text = "Bob wrote:\n> +\tif (!p)\n> +\t\treturn -ENOMEM;\n\nGood."
    assert [(t, level) for t, level, _ in shapes(text)] == [("attribution", 0), ("diff", 1), ("text", 0)]


def test_prose_next_to_a_quoted_code_line_stays_a_quote():
    text = "Bob wrote:\n> I think we need\n> +\tfoo();\n\nOk"
    assert shapes(text)[1] == ("quote", 1, ("> I think we need", "> +\tfoo();"))


def test_the_rest_of_a_hunk_cut_by_a_comment_stays_a_diff():
    # Context, removed and "\ No newline" lines all continue the quoted hunk.
    text = ("On Mon, Bob wrote:\n> @@ -1,3 +1,3 @@\n>  int a;\n> -static int b;\n\nWhy?\n\n"
            ">  int c;\n> -old();\n> +\tnew();\n> \\ No newline at end of file\n\nOk.")
    assert [(t, level, len(lines)) for t, level, lines in shapes(text)] == [
        ("attribution", 0, 1), ("diff", 1, 3), ("text", 0, 3), ("diff", 1, 4), ("text", 0, 2)]


def test_a_blank_quoted_line_after_a_quoted_hunk_is_not_part_of_it():
    text = "Bob wrote:\n> @@ -1 +1 @@\n> -static int a;\n> +static int b;\n>\nOk"
    assert shapes(text)[1:] == [
        ("diff", 1, ("> @@ -1 +1 @@", "> -static int a;", "> +static int b;")),
        ("quote", 1, (">",)),
        ("text", 0, ("Ok",)),
    ]


def test_a_blank_line_inside_a_file_header_does_not_end_the_diff():
    text = ("Fix it.\n---\ndiff --git a/x.c b/x.c\nindex 1..2 100644\n\n--- a/x.c\n+++ b/x.c\n"
            "@@ -1 +1 @@\n-a\n+b\n")
    blocks = split_blocks(text)
    assert [(b.type, len(b.lines)) for b in blocks] == [("text", 1), ("diff", 9), ("text", 1)]
    assert blocks[1].diff_info().files[0].path == "x.c"


# -- big patches (parsed lazily) ---------------------------------------------------------


def _big_patch(path: str, lines: int) -> str:
    body = "".join(f"+\tline_{n}();\n" for n in range(lines))
    return (f"diff --git a/{path} b/{path}\n--- a/{path}\t2018-11-20 15:00:00\n"
            f"+++ b/{path}\t2018-11-20 15:00:00\n@@ -0,0 +1,{lines} @@\n{body}")


def test_hunks_after_a_broken_line_in_a_big_patch_keep_its_file():
    # A mailer broke the patch after its first (big) hunk; the next hunk has no file header.
    text = (_big_patch("drivers/nvdimm/my bus.c", 2100) + "this line was wrapped by the mailer\n"
            "@@ -10,2 +2110,2 @@ static int probe(void)\n-\told();\n+\tnew();\n")
    blocks = split_blocks(text)
    assert [(b.type, b.level) for b in blocks] == [("diff", 0), ("text", 0), ("diff", 0), ("text", 0)]
    big, after = blocks[0], blocks[2]
    assert len(big.lines) == 2104 and big.diff is None  # parsed only when asked
    assert (big.diff_info().files[0].path, big.diff_info().files[0].added) == ("drivers/nvdimm/my bus.c", 2100)
    assert [(f.path, f.lexer) for f in after.diff_info().files] == [("drivers/nvdimm/my bus.c", "c")]
    assert blocks_to_json(blocks)[0]["level"] == 0

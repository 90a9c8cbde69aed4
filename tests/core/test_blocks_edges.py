"""Block splitting at its edges, as the message pane shows them: what a fold
line says for one line, which quoted runs are code (coloured, a diff block)
and which are prose, a header a mailer broke with a blank line, and the
file a big patch names for the hunks after it (written against the mutants
`make mutate` left alive in core/blocks.py)."""
from __future__ import annotations

from kreview.core.blocks import blocks_to_json, fold_summary, split_blocks
from kreview.core.layout import block_lines
from kreview.core.parse import Attachment


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


# -- where a diff starts: the "---" separator and the diffstat --------------------------------


def test_a_separator_right_above_the_diff_goes_with_it():
    text = "Fix x.\n\nSigned-off-by: A <a@example.org>\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"
    blocks = split_blocks(text)
    assert [(b.type, b.lines[0]) for b in blocks] == [("text", "Fix x."), ("diff", "---"), ("text", "")]


def test_a_quote_starting_at_the_separator_keeps_it_in_the_quoted_diff():
    text = ("On Mon, Ann wrote:\n> ---\n>  x.c | 2 +-\n>  1 file changed, 1 insertion(+), 1 deletion(-)\n>\n"
            "> diff --git a/x.c b/x.c\n> --- a/x.c\n> +++ b/x.c\n> @@ -1 +1 @@\n> -a\n> +b\n\nLooks fine.")
    assert [(b.type, b.lines[0]) for b in split_blocks(text)] == [
        ("attribution", "On Mon, Ann wrote:"), ("diff", "> ---"), ("text", "")]


def test_a_quote_starting_at_the_diffstat_keeps_it_in_the_quoted_diff():
    text = ("On Mon, Ann wrote:\n>  x.c | 2 +-\n>  1 file changed, 1 insertion(+), 1 deletion(-)\n>\n"
            "> diff --git a/x.c b/x.c\n> --- a/x.c\n> +++ b/x.c\n> @@ -1 +1 @@\n> -a\n> +b\n\nLooks fine.")
    assert [(b.type, b.lines[0]) for b in split_blocks(text)] == [
        ("attribution", "On Mon, Ann wrote:"), ("diff", ">  x.c | 2 +-"), ("text", "")]


def test_a_separator_with_a_trailing_space_still_goes_with_the_diff():
    text = "Fix x.\n--- \n x.c | 2 +-\n\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"
    assert [(b.type, b.lines[0]) for b in split_blocks(text)] == [("text", "Fix x."), ("diff", "--- "), ("text", "")]


def test_a_pasted_diffstat_without_separator_goes_with_the_diff_but_not_the_text():
    text = ("Here is what I tested:\n\n x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n"
            "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n")
    assert [(b.type, b.lines) for b in split_blocks(text)][:1] == [("text", ("Here is what I tested:", ""))]
    assert split_blocks(text)[1].lines[0] == " x.c | 2 +-"


# -- where a diff ends ---------------------------------------------------------------------------


def test_no_newline_at_end_of_file_is_part_of_the_diff():
    text = "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n\nThanks."
    blocks = split_blocks(text)
    assert [(b.type, b.lines[-1]) for b in blocks] == [("diff", "\\ No newline at end of file"), ("text", "Thanks.")]


def test_a_reply_after_a_diff_ending_without_newline_is_not_swallowed():
    # The old side ran out first ("\ No newline" after its last line); the new side's count ends the hunk.
    text = "--- a/x.c\n+++ b/x.c\n@@ -1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n  indented reply text\n"
    blocks = split_blocks(text)
    assert [(b.type, b.lines[-1]) for b in blocks] == [("diff", "+b"), ("text", "")]
    assert blocks[1].lines[0] == "  indented reply text"


def test_a_snipped_quoted_hunk_goes_on_past_its_counts():
    # The reviewer deleted lines inside the quote: the header's counts end early, the +/-/space lines go on.
    text = "Ann wrote:\n> @@ -1 +1 @@\n> -a\n> +b\n>  ctx\n> -c\n> +d\n> and text\n\nWhy?"
    blocks = split_blocks(text)
    assert [(b.type, b.lines) for b in blocks[1:3]] == [
        ("diff", ("> @@ -1 +1 @@", "> -a", "> +b", ">  ctx", "> -c", "> +d")), ("quote", ("> and text",))]


def test_a_quoted_patch_ends_before_its_quoted_version_trailer():
    text = "Ann wrote:\n> @@ -1 +1 @@\n> -a\n> +b\n> -- \n> 2.17.1\n\nApplied."
    blocks = split_blocks(text)
    assert [(b.type, b.lines) for b in blocks[1:3]] == [
        ("diff", ("> @@ -1 +1 @@", "> -a", "> +b")), ("quote", ("> -- ", "> 2.17.1"))]


def test_the_rest_of_a_quoted_hunk_is_a_diff_because_the_hunk_was_quoted_before():
    # No kernel-looking line in the second part: only the earlier quoted hunk says it is a diff.
    text = "Ann wrote:\n> @@ -1,4 +1,4 @@\n>  a\n> -b\n> +c\n\nWhy?\n\n>  d\n> -e\n> +f\n\nOk."
    assert [(b.type, b.level) for b in split_blocks(text)] == [
        ("attribution", 0), ("diff", 1), ("text", 0), ("diff", 1), ("text", 0)]


def test_a_long_quoted_diff_without_attribution_names_nobody():
    hunk = "".join(f"> +\tline_{n}();\n" for n in range(20))
    blocks = split_blocks(f"> @@ -0,0 +1,20 @@\n{hunk}\nToo long.")
    assert blocks[0].type == "diff" and blocks[0].folded
    assert fold_summary(blocks[0]) == "[… 16 quoted lines]"


def test_a_reply_after_a_diff_ending_in_no_newline_is_not_swallowed():
    text = ("--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n\n"
            "- a list item in my reply\n  and its indented second line\n")
    blocks = split_blocks(text)
    assert [(b.type, b.lines[-1]) for b in blocks] == [("diff", "\\ No newline at end of file"), ("text", "")]
    assert blocks[1].lines[:3] == ("", "- a list item in my reply", "  and its indented second line")


# -- patches sent as attachments ----------------------------------------------------------------


def test_an_attached_patch_is_split_and_folded_like_an_inline_one():
    report = "".join(f"> [  {n}.000] BUG: oops line {n}\n" for n in range(15))
    patch_text = (f"nvdimm: fix the oops\n\nThe report said:\n{report}\nSigned-off-by: A <a@example.org>\n---\n"
                  "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n-a\n+b\n \n\n")
    blocks = split_blocks("See the attachment.\n", patches=[Attachment("fix.patch", "text/x-patch", patch_text, 0)])
    assert [(b.type, b.level, b.attachment) for b in blocks] == [
        ("text", 0, ""), ("text", 0, "fix.patch"), ("attribution", 0, "fix.patch"), ("quote", 1, "fix.patch"),
        ("text", 0, "fix.patch"), ("diff", 0, "fix.patch")]
    quote = blocks[3]
    assert (quote.folded, quote.head, quote.tail, quote.hidden) == (True, 3, 2, 10)
    assert fold_summary(quote) == "[… 10 quoted lines from The report]"
    # The last context line is a lone space (an empty line of the file): it stays in the hunk.
    assert blocks[-1].lines[-1] == " " and blocks[-1].diff_info().files[0].hunks[0].lines[-1].kind == " "


def test_a_hunk_quoted_without_its_file_header_names_no_file():
    blocks = split_blocks("Ann wrote:\n> @@ -1 +1 @@\n> -a\n> +b\n\nWhy?")
    assert [(f.path, f.lexer) for f in blocks[1].diff_info().files] == [("", "text")]


def test_a_hunk_ending_in_an_empty_context_line_keeps_it():
    # git writes an empty line of the file as a lone space; it is the hunk's, not a blank line of text.
    text = "Fix.\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n-a\n+b\n c\n \n-- \n2.17.1\n"
    blocks = split_blocks(text)
    assert [(b.type, b.lines[-1]) for b in blocks] == [("text", "Fix."), ("diff", " "), ("signature", "")]
    (hunk,) = blocks[1].diff_info().files[0].hunks
    assert [line.kind for line in hunk.lines] == ["-", "+", " ", " "]


# -- attributions and plain quotes --------------------------------------------------------------


def test_attributions_wrapped_over_two_lines_in_french_and_german():
    french = split_blocks("Le jeu. 13 sept. 2018 à 10:35, Dan Williams <d@x.org>\na écrit :\n> quoted")
    assert [(b.type, len(b.lines)) for b in french] == [("attribution", 2), ("quote", 1)]
    assert french[1].author == "Dan Williams"
    german = split_blocks("Am Do., 13. Sept. 2018 um 10:35 Uhr schrieb Dan Williams\n<d@x.org>:\n> quoted")
    assert [(b.type, len(b.lines)) for b in german] == [("attribution", 2), ("quote", 1)]
    assert german[1].author == "Dan Williams"


def test_german_attributions_name_the_writer_after_schrieb():
    for line in ("Am Do., 13. Sept. 2018 um 10:35 Uhr schrieb Dan Williams <d@x.org>:",  # Gmail
                 "Am 13.09.2018 um 10:35 schrieb Dan Williams:"):  # Thunderbird
        blocks = split_blocks(f"{line}\n> quoted")
        assert [(b.type, b.author) for b in blocks] == [("attribution", ""), ("quote", "Dan Williams")], line


def test_a_wrapped_attribution_with_no_quote_under_it_is_text():
    text = "On Thu, 13 Sep 2018 10:35:24 -0700\nDan Williams <d@x.org> wrote:\nno quote follows"
    assert [(b.type, len(b.lines)) for b in split_blocks(text)] == [("text", 3)]


def test_a_blank_line_between_attribution_and_quote_is_kept():
    text = "On Mon, Bob wrote:\n\n> quoted\n\nMy answer.\n"
    blocks = split_blocks(text)
    assert [line for b in blocks for line in b.lines] == text.split("\n")
    assert [(b.type, b.author) for b in blocks] == [("attribution", ""), ("text", ""), ("quote", "Bob"), ("text", "")]


def test_an_unreadable_quoted_diff_joins_the_quote_around_it():
    blocks = split_blocks("Ann wrote:\n> some text\n> diff --git a/x b/x\n> not really\n\nOk")
    assert [(b.type, b.lines) for b in blocks[1:]] == [
        ("quote", ("> some text", "> diff --git a/x b/x", "> not really")), ("text", ("", "Ok"))]


def test_a_long_quote_without_attribution_names_nobody():
    blocks = split_blocks("".join(f"> line {n}\n" for n in range(20)) + "\nMe.")
    assert fold_summary(blocks[0]) == "[… 15 quoted lines]"


def test_a_signature_in_a_body_with_crlf_line_ends():
    blocks = split_blocks("text\r\n-- \r\nsig\r\n")
    assert [(b.type, b.lines) for b in blocks] == [("text", ("text\r",)), ("signature", ("-- \r", "sig\r", ""))]

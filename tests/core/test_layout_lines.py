"""Every field of every line the message pane shows, for the mails a
reviewer reads most: a review quoting a patch, a patch of several files,
the headers. Each line is compared whole (kind = its colour, text as
shown, block = what a fold key acts on, quote level, quote prefix, lexer,
where the code starts, the line as written for quoting it back), so a
wrong colour, a lost lexer or a miscounted "+N -M" fails here."""
from __future__ import annotations

from dataclasses import replace

from kreview.core.blocks import Block, split_blocks
from kreview.core.layout import block_lines, header_lines, message_lines
from kreview.core.parse import AttachmentInfo, parse_message


def shown(lines):
    return [tuple(line) for line in lines]


REVIEW = """On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:
> Fix the check.
>
> diff --git a/kernel/memremap.c b/kernel/memremap.c
> index 2e79f8ffcbe8..ae75f44ae9f8 100644
> --- a/kernel/memremap.c
> +++ b/kernel/memremap.c
> @@ -176,3 +176,4 @@ void *devm_memremap_pages(struct device *dev)
>  \tis_ram = region_intersects(align_start, align_size,
> -\tif (is_ram == REGION_MIXED) {
> +\tif (is_ram != REGION_DISJOINT) {

Why not MIXED?

> [...]
> @@ -200,2 +201,2 @@
> -\treturn 0;
> +\treturn 1;

Reviewed-by: Ira Weiny <ira.weiny@intel.com>

-- 
Ira
"""


def test_a_review_quoting_a_patch_keeps_diff_colours_prefix_and_lexer():
    """The quoted hunk after "[...]" has no file header of its own: it keeps
    the C lexer of the file quoted above it."""
    attribution = "On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:"
    git = "> diff --git a/kernel/memremap.c b/kernel/memremap.c"
    hunk = "> @@ -176,3 +176,4 @@ void *devm_memremap_pages(struct device *dev)"
    assert shown(block_lines(split_blocks(REVIEW))) == [
        ("attribution", attribution, 0, 0, "", "", 0, attribution),
        ("quote", "> Fix the check.", 1, 1, "", "", 0, "> Fix the check."),
        ("quote", ">", 1, 1, "", "", 0, ">"),
        ("diff-file", git + "   +1 -1", 2, 1, "> ", "", 2, git),
        ("diff-meta", "> index 2e79f8ffcbe8..ae75f44ae9f8 100644", 2, 1, "> ", "", 2,
         "> index 2e79f8ffcbe8..ae75f44ae9f8 100644"),
        ("diff-meta", "> --- a/kernel/memremap.c", 2, 1, "> ", "", 2, "> --- a/kernel/memremap.c"),
        ("diff-meta", "> +++ b/kernel/memremap.c", 2, 1, "> ", "", 2, "> +++ b/kernel/memremap.c"),
        ("diff-hunk", hunk, 2, 1, "> ", "", 2, hunk),
        ("diff-ctx", ">       is_ram = region_intersects(align_start, align_size,", 2, 1, "> ", "c", 3,
         ">  \tis_ram = region_intersects(align_start, align_size,"),
        ("diff-del", "> -     if (is_ram == REGION_MIXED) {", 2, 1, "> ", "c", 3,
         "> -\tif (is_ram == REGION_MIXED) {"),
        ("diff-add", "> +     if (is_ram != REGION_DISJOINT) {", 2, 1, "> ", "c", 3,
         "> +\tif (is_ram != REGION_DISJOINT) {"),
        ("text", "", 3, 0, "", "", 0, ""),
        ("text", "Why not MIXED?", 3, 0, "", "", 0, "Why not MIXED?"),
        ("text", "", 3, 0, "", "", 0, ""),
        ("quote", "> [...]", 4, 1, "", "", 0, "> [...]"),
        ("diff-hunk", "> @@ -200,2 +201,2 @@", 5, 1, "> ", "", 2, "> @@ -200,2 +201,2 @@"),
        ("diff-del", "> -     return 0;", 5, 1, "> ", "c", 3, "> -\treturn 0;"),
        ("diff-add", "> +     return 1;", 5, 1, "> ", "c", 3, "> +\treturn 1;"),
        ("text", "", 6, 0, "", "", 0, ""),
        ("text", "Reviewed-by: Ira Weiny <ira.weiny@intel.com>", 6, 0, "", "", 0,
         "Reviewed-by: Ira Weiny <ira.weiny@intel.com>"),
        ("text", "", 6, 0, "", "", 0, ""),
        ("fold", "[… signature, 3 lines]", 7, 0, "", "", 0, ""),
    ]


QUOTED_HEADER_ONLY = """Dan Williams wrote:
> diff --git a/drivers/nvdimm/pmem.c b/drivers/nvdimm/pmem.c
> index 1111111..2222222 100644
> --- a/drivers/nvdimm/pmem.c
> +++ b/drivers/nvdimm/pmem.c
> [...]

Comment on the header.

> @@ -10,2 +10,2 @@ static int pmem_probe(void)
> -\tint rc;
> +\tlong rc;
"""


def test_a_quoted_file_header_cut_from_its_hunk_keeps_colours_and_gives_its_lexer():
    """A reviewer quotes the file header, snips, comments, then quotes a
    hunk: the header lines stay diff-coloured inside the quote, and the hunk
    below is highlighted as C, the language of the file named above."""
    git = "> diff --git a/drivers/nvdimm/pmem.c b/drivers/nvdimm/pmem.c"
    hunk = "> @@ -10,2 +10,2 @@ static int pmem_probe(void)"
    assert shown(block_lines(split_blocks(QUOTED_HEADER_ONLY))) == [
        ("attribution", "Dan Williams wrote:", 0, 0, "", "", 0, "Dan Williams wrote:"),
        ("diff-file", git, 1, 1, "> ", "", 0, git),
        ("diff-meta", "> index 1111111..2222222 100644", 1, 1, "> ", "", 0, "> index 1111111..2222222 100644"),
        ("diff-meta", "> --- a/drivers/nvdimm/pmem.c", 1, 1, "> ", "", 0, "> --- a/drivers/nvdimm/pmem.c"),
        ("diff-meta", "> +++ b/drivers/nvdimm/pmem.c", 1, 1, "> ", "", 0, "> +++ b/drivers/nvdimm/pmem.c"),
        ("quote", "> [...]", 1, 1, "", "", 0, "> [...]"),
        ("text", "", 2, 0, "", "", 0, ""),
        ("text", "Comment on the header.", 2, 0, "", "", 0, "Comment on the header."),
        ("text", "", 2, 0, "", "", 0, ""),
        ("diff-hunk", hunk, 3, 1, "> ", "", 2, hunk),
        ("diff-del", "> -     int rc;", 3, 1, "> ", "c", 3, "> -\tint rc;"),
        ("diff-add", "> +     long rc;", 3, 1, "> ", "c", 3, "> +\tlong rc;"),
        ("text", "", 4, 0, "", "", 0, ""),
    ]


def _hunk_lexer_after_quoted(header: str) -> str:
    text = f"Dan wrote:\n{header}\n> [...]\n\nOK.\n\n> @@ -1,2 +1,2 @@\n> -old\n> +new\n"
    return [line.lexer for line in block_lines(split_blocks(text)) if line.kind == "diff-add"][0]


def test_which_quoted_header_names_the_language_of_the_hunks_below():
    assert _hunk_lexer_after_quoted("> --- a/run.py\n> +++ b/tools/run.py") == "python"
    assert _hunk_lexer_after_quoted("> --- /dev/null\n> +++ b/Makefile") == "make"
    # a file header in git's form names the file too, "b/" and a tab after it dropped
    assert _hunk_lexer_after_quoted("> diff --git a/x.rs b/x.rs") == "rust"
    assert _hunk_lexer_after_quoted("> +++ b/lib.rs\t2018-11-20 15:12:49") == "rust"
    # a header that names no file leaves the lexer as it was
    assert _hunk_lexer_after_quoted("> index 1111111..2222222 100644") == "text"
    assert _hunk_lexer_after_quoted("> --- a/x.rs") == "text"
    # quoted prose that only looks like a header is a quote line
    lines = block_lines(split_blocks("Dan wrote:\n> indexing is slow\n> +++ nothing\n\nOK.\n"))
    assert [(line.kind, line.prefix) for line in lines[1:3]] == [("quote", ""), ("quote", "")]


PATCH = """Move the helper.

Signed-off-by: A <a@example.org>
---
 tools/run.py  | 3 ++-
 {old => new}/x.sh | 0
 2 files changed, 2 insertions(+), 1 deletion(-)

diff --git a/tools/run.py b/tools/run.py
index 1111111..2222222 100644
--- a/tools/run.py
+++ b/tools/run.py
@@ -1,3 +1,4 @@
 import os

-print(1)
+print(2)
+print(3)
\\ No newline at end of file
diff --git a/old/x.sh b/new/x.sh
similarity index 100%
rename from old/x.sh
rename to new/x.sh
diff --git a/gone.py b/gone.py
deleted file mode 100644
index 3333333..0000000
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-import sys
-print(sys.argv)
diff --git a/docs/new.sh b/docs/new.sh
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/docs/new.sh
@@ -0,0 +1 @@
+echo hi
"""


def test_a_patch_of_several_files_counts_each_and_colours_every_line():
    """Each file header says its own "+N -M"; the diffstat, the extended
    headers, "\\ No newline" and a blank context line (a mailer ate its
    space) each get their colour; a deleted file keeps its language."""
    def meta(text):
        return ("diff-meta", text, 1, 0, "", "", 0, text)

    def code(kind, text, lexer):
        return (kind, text, 1, 0, "", lexer, 1, text)

    def stat(text):
        return ("diffstat", text, 1, 0, "", "", 0, text)

    def file(git, counts):
        return ("diff-file", f"{git}   {counts}", 1, 0, "", "", 0, git)

    assert shown(block_lines(split_blocks(PATCH))) == [
        ("text", "Move the helper.", 0, 0, "", "", 0, "Move the helper."),
        ("text", "", 0, 0, "", "", 0, ""),
        ("text", "Signed-off-by: A <a@example.org>", 0, 0, "", "", 0, "Signed-off-by: A <a@example.org>"),
        ("text", "---", 1, 0, "", "", 0, "---"),
        stat(" tools/run.py  | 3 ++-"),
        stat(" {old => new}/x.sh | 0"),
        stat(" 2 files changed, 2 insertions(+), 1 deletion(-)"),
        ("text", "", 1, 0, "", "", 0, ""),
        file("diff --git a/tools/run.py b/tools/run.py", "+2 -1"),
        meta("index 1111111..2222222 100644"),
        meta("--- a/tools/run.py"),
        meta("+++ b/tools/run.py"),
        ("diff-hunk", "@@ -1,3 +1,4 @@", 1, 0, "", "", 0, "@@ -1,3 +1,4 @@"),
        code("diff-ctx", " import os", "python"),
        code("diff-ctx", "", "python"),
        code("diff-del", "-print(1)", "python"),
        code("diff-add", "+print(2)", "python"),
        code("diff-add", "+print(3)", "python"),
        meta("\\ No newline at end of file"),
        file("diff --git a/old/x.sh b/new/x.sh", "+0 -0"),
        meta("similarity index 100%"),
        meta("rename from old/x.sh"),
        meta("rename to new/x.sh"),
        file("diff --git a/gone.py b/gone.py", "+0 -2"),
        meta("deleted file mode 100644"),
        meta("index 3333333..0000000"),
        meta("--- a/gone.py"),
        meta("+++ /dev/null"),
        ("diff-hunk", "@@ -1,2 +0,0 @@", 1, 0, "", "", 0, "@@ -1,2 +0,0 @@"),
        code("diff-del", "-import sys", "python"),
        code("diff-del", "-print(sys.argv)", "python"),
        file("diff --git a/docs/new.sh b/docs/new.sh", "+1 -0"),
        meta("new file mode 100644"),
        meta("index 0000000..3333333"),
        meta("--- /dev/null"),
        meta("+++ b/docs/new.sh"),
        ("diff-hunk", "@@ -0,0 +1 @@", 1, 0, "", "", 0, "@@ -0,0 +1 @@"),
        code("diff-add", "+echo hi", "bash"),
        ("text", "", 2, 0, "", "", 0, ""),
    ]


def test_a_plain_diff_without_git_header_takes_its_language_from_the_plus_line():
    text = "Try this:\n\n--- a/src/main.rs\t2018-11-20\n+++ b/src/main.rs\t2018-11-21\n@@ -1 +1 @@\n-a\n+b\n"
    lines = block_lines(split_blocks(text))
    assert [(line.kind, line.lexer) for line in lines if line.kind.startswith("diff")] == [
        ("diff-meta", ""), ("diff-meta", ""), ("diff-hunk", ""), ("diff-del", "rust"), ("diff-add", "rust")]
    # "+++ " with a path not under b/ is read as written
    text = "Try this:\n\n--- main.py\n+++ main.py\n@@ -1 +1 @@\n-a\n+b\n"
    assert [line.lexer for line in block_lines(split_blocks(text)) if line.kind == "diff-add"] == ["python"]


def _diff_block(*lines: str, level: int = 0) -> list[Block]:
    return [Block("diff", level, lines)]


def test_inside_a_hunk_what_ends_it_and_what_does_not():
    """Straight from the block's lines (what the splitter hands over),
    where the hunk state matters: a blank line inside a hunk is context and
    "\\ No newline" keeps the hunk going; a line of prose in the middle is
    text but the hunk goes on; a line of nothing but a tab (no diff line)
    or a file header ends it, so "+" lines after them are not coloured as
    added until the next "@@"."""
    kinds = [line.kind for line in block_lines(_diff_block(
        "@@ -1,4 +1,4 @@", " a", "", "\\ No newline", "-c", "prose here", "+d", "\t", "+e",
        "@@ -9 +9 @@", "+f", "--- x", "+++ x", "+g"))]
    assert kinds == ["diff-hunk", "diff-ctx", "diff-ctx", "diff-meta", "diff-del", "text", "diff-add",
                     "text", "text", "diff-hunk", "diff-add", "diff-meta", "diff-meta", "text"]


def test_a_quoted_hunk_keeps_going_over_a_snip_and_a_blank_quote_line():
    kinds = [(line.kind, line.prefix, line.code_start) for line in block_lines(_diff_block(
        "> @@ -1,3 +1,3 @@", "> -a", ">", "> [...]", "> +b", level=1))]
    assert kinds == [("diff-hunk", "> ", 2), ("diff-del", "> ", 3), ("diff-ctx", ">", 2),
                     ("quote", "> ", 2), ("diff-add", "> ", 3)]


def test_the_headers_shown_above_the_body():
    """Every recipient, in order; an empty Cc row left out but From and
    Subject always shown; a missing Date said so; tags sorted; a note the
    parser made in brackets; one blank line before the body."""
    parsed = parse_message(b"From: Dan <d@x.org>\nTo: A <a@x.org>, b@x.org\nSubject:\n\nbody\n")
    assert [line.text for line in header_lines(parsed, frozenset({"unread", "inbox", "patch"}))] == [
        "From: Dan <d@x.org>",
        "To: A <a@x.org>, b@x.org",
        "Date: (no Date header)",
        "Subject: ",
        "Tags: inbox patch unread",
        "[no Date header]",
        "",
    ]
    assert [(line.kind, line.block) for line in header_lines(parsed)] == [
        ("header", -1), ("header", -1), ("header", -1), ("header", -1), ("note", -1), ("blank", -1)]
    parsed = parse_message(b"To: a@x.org\nCc: c@x.org, Dee <d@x.org>\nDate: Tue, 20 Nov 2018 15:12:49 -0800\n"
                           b"Subject: hi\n\nbody\n")
    parsed = replace(parsed, attachments=(AttachmentInfo("cfg.gz", "application/gzip", 10),))
    lines = message_lines(parsed, split_blocks(parsed.text), tags=())
    assert [(line.kind, line.text) for line in lines] == [
        ("header", "From: "),
        ("header", "To: a@x.org"),
        ("header", "Cc: c@x.org, Dee <d@x.org>"),
        ("header", "Date: Tue, 20 Nov 2018 15:12:49 -0800"),
        ("header", "Subject: hi"),
        ("note", "[attachment: cfg.gz, application/gzip, 10 B]"),
        ("note", "[no From header]"),
        ("blank", ""),
        ("text", "body"),
    ]


def test_header_values_reach_the_screen_without_control_sequences():
    parsed = parse_message(b"From: x <x@y.org>\nSubject: s\n\nbody\n")
    parsed = replace(parsed, headers=replace(parsed.headers, subject="\x1b[2Jwiped", cc=("c\x1b]0;t\x07@x.org",)),
                     attachments=(AttachmentInfo("\x1b[31mred.bin", "x/y", 1),), notes=("bad\x1b[0m note",))
    lines = header_lines(parsed, ("tag\x1b[1m",))
    assert all("\x1b" not in line.text and "\x07" not in line.text for line in lines)
    assert [line.kind for line in lines] == ["header", "header", "header", "header", "header", "note", "note",
                                             "blank"]


SIX = tuple(f"> line {n}" for n in range(6))


def test_folded_blocks_show_their_head_marker_and_tail_as_the_model_set_them():
    quote = Block("quote", 1, SIX, folded=True, head=2, tail=1, author="Bob")
    no_tail = Block("quote", 1, SIX, folded=True, head=2, tail=0, author="Bob")
    no_head = Block("quote", 2, SIX, folded=True, head=0, tail=2, author="")
    signature = Block("signature", 0, ("-- ", "Dan", "Intel"), folded=True)
    lines = block_lines([quote, no_tail, no_head, signature])
    assert shown(lines) == [
        ("quote", "> line 0", 0, 1, "", "", 0, "> line 0"),
        ("quote", "> line 1", 0, 1, "", "", 0, "> line 1"),
        ("fold", "[… 3 quoted lines from Bob]", 0, 1, "", "", 0, ""),
        ("quote", "> line 5", 0, 1, "", "", 0, "> line 5"),
        ("quote", "> line 0", 1, 1, "", "", 0, "> line 0"),
        ("quote", "> line 1", 1, 1, "", "", 0, "> line 1"),
        ("fold", "[… 4 quoted lines from Bob]", 1, 1, "", "", 0, ""),
        ("fold", "[… 4 quoted lines]", 2, 2, "", "", 0, ""),
        ("quote", "> line 4", 2, 2, "", "", 0, "> line 4"),
        ("quote", "> line 5", 2, 2, "", "", 0, "> line 5"),
        ("fold", "[… signature, 3 lines]", 3, 0, "", "", 0, ""),
    ]
    # unfolded (O), each line comes back as written
    assert [(line.kind, line.text, line.block) for line in block_lines([quote, signature], folded=set())] == [
        *[("quote", text, 0) for text in SIX], ("signature", "-- ", 1), ("signature", "Dan", 1),
        ("signature", "Intel", 1)]


def test_a_block_the_reader_folds_hides_every_line_and_counts_them():
    """o on a block the model left open: the marker alone, counting all;
    folding a long quote again keeps its head and tail."""
    diff = Block("diff", 1, ("> @@ -1 +1 @@", "> -a", "> +b"), author="Dan")
    quote = Block("quote", 2, SIX, author="Bob")
    long_quote = Block("quote", 1, SIX * 3, folded=True, head=3, tail=2)
    assert [(line.kind, line.text, line.block, line.level) for line in block_lines([diff, quote], {0, 1})] == [
        ("fold", "[… 3 quoted lines from Dan]", 0, 1), ("fold", "[… 6 quoted lines from Bob]", 1, 2)]
    assert [line.kind for line in block_lines([long_quote], {0})] == ["quote"] * 3 + ["fold"] + ["quote"] * 2


def test_a_folded_quote_shows_tabs_as_columns_and_never_control_characters():
    quote = Block("quote", 1, ("> a\tb", "> \x1b[31mred", "> c", "> d", "> e"), folded=True, head=2, tail=1)
    lines = block_lines([quote])
    assert [(line.kind, line.text, line.source) for line in lines] == [
        ("quote", "> a     b", "> a\tb"),
        ("quote", lines[1].text, lines[1].source),
        ("fold", "[… 2 quoted lines]", ""),
        ("quote", "> e", "> e"),
    ]
    assert "\x1b" not in lines[1].text + lines[1].source and lines[1].text.endswith("red")


def test_sizes_of_big_attachments_are_in_mebibytes():
    parsed = parse_message(b"From: A <a@example.org>\nSubject: s\nDate: Tue, 20 Nov 2018 15:12:49 -0800\n\nbody\n")
    parsed = replace(parsed, attachments=(AttachmentInfo("vmcore", "application/octet-stream", 100 * 1024 * 1024),))
    assert [line.text for line in header_lines(parsed) if line.kind == "note"] == [
        "[attachment: vmcore, application/octet-stream, 100.0 MiB]"]


def test_message_lines_shows_the_tags_and_the_folds_it_is_given():
    quoted = "".join(f"> line {n}\n" for n in range(20))
    parsed = parse_message(b"From: A <a@example.org>\nSubject: s\n\nBob wrote:\n" + quoted.encode() + b"\nNo.\n")
    blocks = split_blocks(parsed.text)
    folded_by_default = message_lines(parsed, blocks, tags=frozenset({"inbox"}))
    assert "Tags: inbox" in [line.text for line in folded_by_default]
    assert [line.kind for line in folded_by_default].count("fold") == 1
    unfolded = message_lines(parsed, blocks, set())
    assert "fold" not in [line.kind for line in unfolded]
    assert [line.text for line in unfolded if line.kind == "quote"] == [f"> line {n}" for n in range(20)]


def test_control_sequences_in_patch_lines_never_reach_the_screen():
    """A patch line carrying an escape sequence (a hostile or broken mail):
    shown neutralised, still coloured as what it is."""
    lines = block_lines(_diff_block("@@ -1 +1 @@", "-old \x1b[2J", "+new \x1b]0;title\x07 end"))
    assert [line.kind for line in lines] == ["diff-hunk", "diff-del", "diff-add"]
    assert all("\x1b" not in line.text + line.source and "\x07" not in line.text + line.source for line in lines)
    assert lines[2].text.startswith("+new ") and lines[2].text.endswith(" end")


def test_language_of_paths_with_a_space_or_kept_by_their_directory():
    """The lexer comes from the whole path after "+++ b/" (up to a tab):
    a space in a file name is part of it, and the directory counts
    (extension-less files under tools/testing/ are shell scripts)."""
    def lexer_of(*header):
        lines = block_lines(_diff_block(*header, "@@ -1 +1 @@", "-a", "+b"))
        return lines[-1].lexer

    assert lexer_of("--- a/docs/my notes.py", "+++ b/docs/my notes.py\t2018-11-20") == "python"
    assert lexer_of("--- a/x", "+++ b/tools/testing/selftests/run_test") == "bash"
    assert _hunk_lexer_after_quoted("> +++ b/docs/my notes.py\t2018-11-20") == "python"


def test_a_diff_block_without_code_lines_leaves_the_lexer_as_it_was():
    """A quoted hunk header with nothing under it, then a hunk: no file was
    named, so the hunk is plain text (not left without a lexer)."""
    blocks = [Block("diff", 1, ("> @@ -1 +1 @@",)), Block("diff", 1, ("> @@ -1 +1 @@", "> -a", "> +b"))]
    assert [line.lexer for line in block_lines(blocks) if line.kind == "diff-add"] == ["text"]


def test_quoted_new_and_deleted_file_headers_keep_diff_colours():
    text = ("Dan wrote:\n> --- /dev/null\n> +++ b/new.c\n> [...]\n\nOK.\n\n"
            "Dan wrote:\n> --- a/old.c\n> +++ /dev/null\n> [...]\n\nOK.\n")
    lines = block_lines(split_blocks(text))
    assert [(line.kind, line.prefix) for line in lines if "/dev/null" in line.text] == [
        ("diff-meta", "> "), ("diff-meta", "> ")]


def test_only_a_hunk_header_starts_a_hunk():
    """Lines before the first "@@" are not hunk lines, even when they start
    with a space, "+" or "-"; a combined-diff "@@@" header or a kerneldoc
    "@param" line is no hunk header."""
    kinds = [line.kind for line in block_lines(_diff_block(
        "diff --git a/x.c b/x.c", " not yet", "--- a/x.c", "+++ b/x.c", " still not", "@@@ -1 -1 +1 @@@",
        "@param x", " nor here", "@@ -1 +1 @@", " now"))]
    assert kinds == ["diff-file", "text", "diff-meta", "diff-meta", "text", "text", "text", "text",
                     "diff-hunk", "diff-ctx"]


LONG_QUOTED_DIFF = ("Dan wrote:\n> diff --git a/x.c b/x.c\n> --- a/x.c\n> +++ b/x.c\n> @@ -1,16 +1,16 @@\n"
                    + "".join(f"> -\told{i};\n> +\tnew{i};\n" for i in range(8)) + "\nNo.\n")


def test_a_folded_quoted_diff_keeps_diff_colours_on_the_lines_it_shows():
    """A long quoted diff is folded by default to its first and last lines:
    those stay coloured as the diff they are (file header, added, removed),
    not drawn as if the reviewer had written them."""
    lines = block_lines(split_blocks(LONG_QUOTED_DIFF))
    assert [(line.kind, line.text, line.lexer) for line in lines if line.block == 1] == [
        ("diff-file", "> diff --git a/x.c b/x.c   +8 -8", ""),
        ("diff-meta", "> --- a/x.c", ""),
        ("diff-meta", "> +++ b/x.c", ""),
        ("fold", "[… 15 quoted lines from Dan]", ""),
        ("diff-del", "> -     old7;", "c"),
        ("diff-add", "> +     new7;", "c"),
    ]
    # quoting a kept line back gives it as written
    assert [line.source for line in lines if line.block == 1][-1] == "> +\tnew7;"


def test_a_file_header_with_a_space_in_its_paths_is_quoted_back_whole():
    lines = block_lines(_diff_block("diff --git a/my file.c b/my file.c", "--- a/my file.c", "+++ b/my file.c",
                                    "@@ -1 +1 @@", "-a", "+b"))
    assert lines[0].kind == "diff-file"
    assert lines[0].source == "diff --git a/my file.c b/my file.c"
    assert lines[0].text == "diff --git a/my file.c b/my file.c   +1 -1"


def test_a_folded_quoted_hunk_takes_its_language_from_the_file_quoted_above():
    hunk = "".join(f"> -\told{i};\n> +\tnew{i};\n" for i in range(8))
    text = f"Dan wrote:\n> diff --git a/x.c b/x.c\n> [...]\n\nOK.\n\n> @@ -1,16 +1,16 @@\n{hunk}\nNo.\n"
    lines = block_lines(split_blocks(text))
    kept = [(line.kind, line.lexer) for line in lines if line.block == 3]
    assert kept == [("diff-hunk", ""), ("diff-del", "c"), ("diff-add", "c"), ("fold", ""), ("diff-del", "c"),
                    ("diff-add", "c")]


def test_an_added_line_starting_with_two_pluses_stays_added():
    """"+++ " inside a hunk is an added "++ " line (a file header's "+++"
    follows its "---", which already ended the hunk)."""
    kinds = [line.kind for line in block_lines(_diff_block(
        "@@ -1,2 +1,3 @@", " a", "+++ counter", "+b", "--- a/y", "+++ b/y", "@@ -1 +1 @@", "+c"))]
    assert kinds == ["diff-hunk", "diff-ctx", "diff-add", "diff-add", "diff-meta", "diff-meta", "diff-hunk",
                     "diff-add"]


def test_a_removed_comment_line_starting_with_two_dashes_stays_removed():
    """A hunk removing "-- comment" (SQL, Lua) holds "--- comment": only a
    "---" line followed by "+++" is the next file's header."""
    kinds = [line.kind for line in block_lines(_diff_block(
        "@@ -1,3 +1,2 @@", " a", "--- old comment", "+b", "--- a/y.sql", "+++ b/y.sql", "@@ -1 +1 @@", "---",
        "+c"))]
    assert kinds == ["diff-hunk", "diff-ctx", "diff-del", "diff-add", "diff-meta", "diff-meta", "diff-hunk",
                     "diff-del", "diff-add"]
    quoted = [line.kind for line in block_lines(_diff_block(
        "> @@ -1,3 +1,2 @@", "> --- old", "> +b", "> --- a/y.sql", "> +++ b/y.sql", level=1))]
    assert quoted == ["diff-hunk", "diff-del", "diff-add", "diff-meta", "diff-meta"]
    last = [line.kind for line in block_lines(_diff_block("@@ -1,2 +1 @@", " a", "--- gone"))]
    assert last == ["diff-hunk", "diff-ctx", "diff-del"]

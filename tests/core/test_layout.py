"""What the message pane shows, computed without a terminal."""
from __future__ import annotations

from kreview.core.blocks import split_blocks
from kreview.core.layout import block_lines, message_lines
from kreview.core.parse import parse_message

PATCH = b"""From: Dan Williams <dan.j.williams@intel.com>
Subject: [PATCH v8 2/7] mm: fix
Message-ID: <p2@intel.com>
Date: Tue, 20 Nov 2018 15:12:49 -0800

Fix it.

Signed-off-by: Dan Williams <dan.j.williams@intel.com>
---
 kernel/memremap.c | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/kernel/memremap.c b/kernel/memremap.c
index 2e79f8ffcbe8..ae75f44ae9f8 100644
--- a/kernel/memremap.c
+++ b/kernel/memremap.c
@@ -176,3 +176,4 @@ void *devm_memremap_pages(struct device *dev)
 \tis_ram = region_intersects(align_start, align_size,
-\tif (is_ram == REGION_MIXED) {
+\tif (is_ram != REGION_DISJOINT) {
+\t\treturn ERR_PTR(-ENXIO);
-- 
2.17.1
"""


def lines_of(raw: bytes):
    parsed = parse_message(raw)
    blocks = split_blocks(parsed.text, patches=parsed.patches)
    return message_lines(parsed, blocks)


def test_patch_lines_have_kinds_lexer_and_counts():
    lines = lines_of(PATCH)
    kinds = [l.kind for l in lines]
    assert kinds[0] == "header" and lines[0].text.startswith("From: Dan Williams")
    file_line = next(l for l in lines if l.kind == "diff-file")
    assert file_line.text.endswith("+2 -1")
    assert file_line.source == "diff --git a/kernel/memremap.c b/kernel/memremap.c"
    hunk = next(l for l in lines if l.kind == "diff-hunk")
    assert "devm_memremap_pages" in hunk.text
    added = [l for l in lines if l.kind == "diff-add"]
    assert len(added) == 2 and all(l.lexer == "c" and l.code_start == 1 for l in added)
    assert [l.kind for l in lines].count("diff-del") == 1


def test_tabs_are_expanded_for_the_screen_and_kept_for_quoting():
    added = [l for l in lines_of(PATCH) if l.kind == "diff-add"]
    assert added[1].text == "+" + " " * 15 + "return ERR_PTR(-ENXIO);"
    assert added[1].source == "+\t\treturn ERR_PTR(-ENXIO);"
    assert all("\t" not in l.text for l in lines_of(PATCH))


def test_long_quote_folds_to_head_marker_tail_and_unfolds():
    quote = "\n".join(f"> quoted line {i}" for i in range(30))
    text = f"On Tue, Nov 20, 2018 at 03:12:49PM -0800, Dan Williams wrote:\n{quote}\n\nI agree.\n"
    blocks = split_blocks(text)
    index = next(i for i, b in enumerate(blocks) if b.type == "quote")
    folded = block_lines(blocks)
    marker = next(l for l in folded if l.kind == "fold")
    assert "Dan Williams" in marker.text and marker.block == index
    assert len([l for l in folded if l.block == index]) < 10
    unfolded = block_lines(blocks, folded=set())
    assert len([l for l in unfolded if l.block == index]) == 30
    assert folded[0].kind == "attribution"


def test_control_characters_never_reach_display_lines():
    raw = b"From: x <x@y>\nSubject: \x1b[31mred\x1b[0m\n\nbody \x1b]0;title\x07 text\n"
    for line in lines_of(raw):
        assert "\x1b" not in line.text and "\x07" not in line.text


def test_big_patch_is_laid_out_without_the_diff_model_and_parses_on_demand():
    added = "".join(f"+#define REG_{i} 0x{i:04x}\n" for i in range(3000))
    raw = (PATCH.split(b"diff --git")[0] + b"diff --git a/include/regs.h b/include/regs.h\n"
           b"new file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/include/regs.h\n"
           + f"@@ -0,0 +1,3000 @@\n{added}".encode())
    parsed = parse_message(raw)
    blocks = split_blocks(parsed.text)
    diff = next(b for b in blocks if b.type == "diff")
    assert diff.diff is None  # not parsed for the first paint
    header = next(l for l in message_lines(parsed, blocks) if l.kind == "diff-file")
    assert header.text.endswith("+3000 -0")
    info = diff.diff_info()
    assert info.files[0].path == "include/regs.h" and info.files[0].added == 3000


def test_attachments_are_listed_under_the_headers_with_a_readable_size():
    """What the reader shows for attachments it does not open: name, type and
    size in B, KiB or MiB (one decimal), an unnamed one said so."""
    from dataclasses import replace

    from kreview.core.layout import header_lines
    from kreview.core.parse import AttachmentInfo

    parsed = parse_message(b"From: A <a@example.org>\nSubject: s\nDate: Tue, 20 Nov 2018 15:12:49 -0800\n\nbody\n")
    parsed = replace(parsed, attachments=(
        AttachmentInfo("a.bin", "application/octet-stream", 1023),
        AttachmentInfo("", "image/png", 1024),
        AttachmentInfo("log.txt.gz", "application/gzip", 1024 * 1024 - 1),
        AttachmentInfo("vmcore", "application/octet-stream", 3 * 1024 * 1024 // 2),
    ))
    notes = [ln.text for ln in header_lines(parsed) if ln.kind == "note"]
    assert notes == [
        "[attachment: a.bin, application/octet-stream, 1023 B]",
        "[attachment: (unnamed), image/png, 1.0 KiB]",
        "[attachment: log.txt.gz, application/gzip, 1024.0 KiB]",
        "[attachment: vmcore, application/octet-stream, 1.5 MiB]",
    ]

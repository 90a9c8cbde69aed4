"""A quote the reader folds (o, O) says how many lines it hides: a short
quote the model left open was "[… 0 quoted lines]" once folded, and the
reviewer's own words under it stay shown."""
from __future__ import annotations

from kreview.core.blocks import split_blocks
from kreview.core.layout import block_lines

REPLY = "On Mon, Bob wrote:\n> first\n> second\n> third\n\nMy comment on those.\n"


def test_folding_a_short_quote_counts_its_lines_and_keeps_the_comment():
    blocks = split_blocks(REPLY)
    quote = next(i for i, b in enumerate(blocks) if b.type == "quote")
    lines = block_lines(blocks, {quote})
    assert [line.text for line in lines if line.kind == "fold"] == ["[… 3 quoted lines from Bob]"]
    assert "My comment on those." in [line.text for line in lines]


def test_a_long_quote_folded_by_default_still_counts_what_it_hides():
    quoted = "".join(f"> line {n}\n" for n in range(20))
    blocks = split_blocks("On Mon, Bob wrote:\n" + quoted + "\nFine.\n")
    lines = block_lines(blocks)
    assert [line.text for line in lines if line.kind == "fold"] == ["[… 15 quoted lines from Bob]"]
    assert [line.text for line in lines if line.kind == "quote"] == [
        "> line 0", "> line 1", "> line 2", "> line 18", "> line 19"]

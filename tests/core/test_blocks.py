"""Golden tests: each fixtures/blocks/NAME.eml is parsed and split into blocks,
and the result must equal NAME.json exactly. The JSON files were written by
hand-checking the output once; nothing here regenerates them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kreview.core.blocks import Block, blocks_to_json, fold_summary, split_blocks
from kreview.core.parse import read_message

FIXTURES = Path(__file__).parent / "fixtures" / "blocks"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.eml"))


def render(path: Path) -> dict:
    msg = read_message(path)
    blocks = split_blocks(msg.text, patches=msg.patches)
    h = msg.headers
    return {
        "headers": {"from": h.from_, "subject": h.subject, "date_epoch": h.date_epoch, "message_id": h.message_id},
        "notes": list(msg.notes),
        "patches": [p.filename for p in msg.patches],
        "attachments": [[a.filename, a.content_type, a.size] for a in msg.attachments],
        "summaries": [fold_summary(b) for b in blocks if b.folded],
        "blocks": blocks_to_json(blocks),
    }


def test_every_fixture_has_expected_output() -> None:
    assert len(NAMES) >= 12
    for name in NAMES:
        assert (FIXTURES / f"{name}.json").exists(), name


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert render(FIXTURES / f"{name}.eml") == expected


def _types(text: str) -> list[tuple[str, int]]:
    return [(b.type, b.level) for b in split_blocks(text)]


def test_attribution_shapes() -> None:
    shapes = {
        "On Thu, Sep 13, 2018 at 10:35:24AM -0700, Dan Williams wrote:": "Dan Williams",
        "On 9/13/18 10:35 AM, Dan Williams wrote:": "Dan Williams",
        "On Thu, Sep 13, 2018 at 10:35 AM Dan Williams <dan.j.williams@intel.com> wrote:": "Dan Williams",
        "Dan Williams <dan.j.williams@intel.com> writes:": "Dan Williams",
        "Quoting Dan Williams (2018-09-13 10:35:24)": "Dan Williams",
        "* Dan Williams <dan.j.williams@intel.com> [180913 10:35]:": "Dan Williams",
        "Le jeu. 13 sept. 2018 à 10:35, Dan Williams <d@x> a écrit :": "Dan Williams",
        "On 2018-09-13 10:35, <dan@x.org> wrote:": "dan@x.org",
    }
    for line, who in shapes.items():
        blocks = split_blocks(f"{line}\n> quoted")
        assert [b.type for b in blocks] == ["attribution", "quote"], line
        assert blocks[1].author == who, line


def test_wrote_line_without_quote_is_text() -> None:
    assert _types("Dan Williams wrote:\nnothing quoted") == [("text", 0)]


def test_quote_levels_with_and_without_spaces() -> None:
    text = "> a\n>b\n> > c\n>> d\n>>>e\n> >> f"
    levels = [b.level for b in split_blocks(text)]
    assert levels == [1, 2, 3]
    assert split_blocks(text)[1].lines == ("> > c", ">> d")


def test_fold_threshold_and_summary() -> None:
    quote = "\n".join(f"> line {i}" for i in range(20))
    block = split_blocks("On Mon, Jan 1, 2018 at 1:00 PM Ann <a@x> wrote:\n" + quote)[1]
    assert block.folded and (block.head, block.tail, block.hidden) == (3, 2, 15)
    assert fold_summary(block) == "[… 15 quoted lines from Ann]"
    short = split_blocks(quote, fold_threshold=20)[0]
    assert not short.folded and short.hidden == 0
    assert fold_summary(Block("quote", 1, ("> a",) * 13, folded=True, head=3, tail=2)) == "[… 8 quoted lines]"


def test_reply_after_complete_diff_is_text() -> None:
    text = "--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n  indented reply text\n"
    blocks = split_blocks(text)
    assert [(b.type, b.lines[-1]) for b in blocks] == [("diff", "+c"), ("text", "")]


def test_markdown_list_quote_is_not_a_diff() -> None:
    assert _types("> - first point\n> - second point") == [("quote", 1)]


def test_malformed_diff_stays_text() -> None:
    blocks = split_blocks("diff --git a/x b/x\nnot really\n")
    assert [b.type for b in blocks] == ["text"]
    assert blocks[0].lines == ("diff --git a/x b/x", "not really", "")


def test_git_version_trailer_is_signature() -> None:
    blocks = split_blocks("patch text\n-- \n2.17.1")
    assert blocks[-1].type == "signature" and blocks[-1].folded
    assert fold_summary(blocks[-1]) == "[… signature, 2 lines]"

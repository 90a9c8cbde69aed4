"""Tree guides and folding, computed without a terminal."""
from __future__ import annotations

from kreview.core.model import MessageNode
from kreview.core.threads import guide_prefixes, subtree_end, visible_rows


def tree(*depths: int) -> list[MessageNode]:
    return [MessageNode(f"m{i}", "t", None, d, "a", "s", 0) for i, d in enumerate(depths)]


def test_guides_draw_the_reply_structure():
    #  cover
    #  ├─ 1/2
    #  │  └─ review
    #  │     └─ reply
    #  └─ 2/2
    nodes = tree(0, 1, 2, 3, 1)
    assert guide_prefixes(nodes) == ["", "├─ ", "│  └─ ", "│     └─ ", "└─ "]


def test_a_second_root_is_not_a_sibling_of_the_first_roots_children():
    nodes = tree(0, 1, 0, 1)  # a placeholder root after the real one
    assert guide_prefixes(nodes) == ["", "└─ ", "", "└─ "]


def test_folding_hides_the_subtree_only():
    nodes = tree(0, 1, 2, 2, 1)
    assert subtree_end(nodes, 1) == 4
    assert visible_rows(nodes, {1}) == [0, 1, 4]
    assert visible_rows(nodes, {0}) == [0]
    assert visible_rows(nodes, set()) == [0, 1, 2, 3, 4]


def test_a_thousand_message_chain_is_linear():
    nodes = tree(*range(1000))
    prefixes = guide_prefixes(nodes)
    assert prefixes[-1].endswith("└─ ") and len(prefixes[-1]) == 3 * 999

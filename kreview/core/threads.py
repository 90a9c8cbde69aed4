"""Thread trees as text: the guide lines drawn before each message.

The tree widget draws only the rows on screen; what it needs for any row
(the ``├─``/``│``/``└─`` guides, which rows a collapsed subtree hides) is
computed here once per thread in one linear pass, without a terminal.
"""
from __future__ import annotations

from collections.abc import Sequence

from kreview.core.model import MessageNode

BRANCH, LAST, PIPE, BLANK = "├─ ", "└─ ", "│  ", "   "


def guide_prefixes(nodes: Sequence[MessageNode], later_depths: Sequence[int] = ()) -> list[str]:
    """For nodes in depth-first order, the guide string before each one.

    Roots (depth 0) get no guide; a node at depth d gets d-1 columns saying
    whether each ancestor still has a later sibling, then its own connector.
    ``later_depths``: when ``nodes`` are only the first of a thread, the
    depths of the replies still to come (in display order), whose siblings
    among ``nodes`` go on with a branch, not an end.
    """
    count = len(nodes)
    has_later_sibling = [False] * count
    # Walking backwards, open[d] says a later node at depth d shares the
    # current parent (no shallower node came in between).
    open_at: list[bool] = []
    for depth in reversed(later_depths):
        while len(open_at) <= depth:
            open_at.append(False)
        open_at[depth] = True
        del open_at[depth + 1:]
    for i in range(count - 1, -1, -1):
        depth = nodes[i].depth
        while len(open_at) <= depth:
            open_at.append(False)
        has_later_sibling[i] = open_at[depth]
        open_at[depth] = True
        del open_at[depth + 1:]
    prefixes: list[str] = []
    ancestors: list[bool] = []  # has_later_sibling of the ancestor at each depth
    for i, node in enumerate(nodes):
        depth = node.depth
        del ancestors[depth:]
        if depth == 0:
            prefixes.append("")
        else:
            columns = "".join(PIPE if later else BLANK for later in ancestors[1:depth])
            prefixes.append(columns + (BRANCH if has_later_sibling[i] else LAST))
        ancestors.append(has_later_sibling[i])
    return prefixes


def subtree_end(nodes: Sequence[MessageNode], index: int) -> int:
    """One past the last descendant of ``nodes[index]`` (depth-first order)."""
    depth = nodes[index].depth
    end = index + 1
    while end < len(nodes) and nodes[end].depth > depth:
        end += 1
    return end


def visible_rows(nodes: Sequence[MessageNode], collapsed: set[int]) -> list[int]:
    """Indexes of the nodes shown when the subtrees under ``collapsed`` are folded."""
    rows: list[int] = []
    i = 0
    while i < len(nodes):
        rows.append(i)
        i = subtree_end(nodes, i) if i in collapsed else i + 1
    return rows


def first_interesting(nodes: Sequence[MessageNode]) -> str | None:
    """The message a thread opens on: the first unread matched message, else
    the first matched one (the message the search was for), else the first
    one, as notmuch-emacs does. Placeholders are never chosen."""
    real = [n for n in nodes if not n.missing]
    for wanted in (lambda n: n.matched and "unread" in n.tags, lambda n: n.matched, lambda n: True):
        for node in real:
            if wanted(node):
                return node.message_id
    return None

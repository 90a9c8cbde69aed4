"""The thread tree: the reply structure drawn with tree guides.

Each row shows the author, the date and the message's own subject when it
differs from its parent's (a changed subject is news in a review thread).
A narrow tree (an 80-column terminal gives it 40) leaves the date out and
writes a patch's subject as "3/8 title": "[PATCH v4 3/8]" would take the
whole row, and the version is the same on every patch of the thread.
Parents the database does not hold appear as placeholders; subtrees fold.

A Line-API ScrollView: guides are computed once per thread
(:mod:`kreview.core.threads`) and a row is turned into a Strip only when it
is on screen, so a 1,000-message thread costs the rows you see.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parseaddr

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from kreview.core.model import MessageNode
from kreview.core.sanitize import clean_line
from kreview.core.grammar import parse_subject, strip_reply_markers
from kreview.core.threads import (
    first_interesting,
    guide_prefixes,
    subtree_end,
    visible_rows,
)
from kreview.tui.widgets.cached_lines import CachedLinesView, CursorKeys, cursor_bindings
from kreview.tui.widgets.thread_list import format_date

def base_subject(subject: str) -> str:
    return strip_reply_markers(subject, forwards=True).strip()


# Below this many columns a row is too short for the date and a whole
# "[PATCH vN i/n]" prefix beside an author.
NARROW_TREE = 60


def compact_subject(subject: str) -> str:
    """``subject`` without its bracket prefixes, led by the patch's counter."""
    info = parse_subject(subject)
    if not info.has_brackets or not info.title:
        return subject
    return f"{info.index}/{info.total} {info.title}" if info.has_counter else info.title


def author_name(from_header: str) -> str:
    name, address = parseaddr(from_header)
    return name or address or from_header or "(unknown)"


class ThreadTree(CursorKeys, CachedLinesView):
    """Posts :class:`ThreadTree.MessageChosen` as the cursor moves."""

    BINDINGS = cursor_bindings("tree") + [
        Binding("left", "collapse", "Fold", show=False, id="tree.collapse"),
        Binding("right", "expand", "Unfold", show=False, id="tree.expand"),
        Binding("enter", "toggle_subtree", "Fold/unfold", show=False, id="tree.toggle"),
    ]
    COMPONENT_CLASSES = {
        "thread-tree--guides", "thread-tree--cursor", "thread-tree--cursor-blurred", "thread-tree--date",
        "thread-tree--missing", "thread-tree--unread", "thread-tree--unmatched", "thread-tree--flags",
    }

    @dataclass
    class MessageChosen(Message):
        node: MessageNode

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.messages: list[MessageNode] = []
        self._prefixes: list[str] = []
        self._parent_subject: list[str] = []
        self._index_of: dict[str, int] = {}
        self._collapsed: set[int] = set()
        self._rows: list[int] = []
        self.cursor = 0  # row (not node) index

    # -- content ---------------------------------------------------------

    def show_thread(self, nodes: list[MessageNode], select: str | None = None,
                    later_depths: Sequence[int] = ()) -> None:
        """Show ``nodes`` (``later_depths``: only the first of a big thread,
        see guide_prefixes) with the cursor on ``select``, else on the
        message a thread opens on."""
        self.messages = list(nodes)
        self._index_of = {n.message_id: i for i, n in enumerate(nodes)}
        self._prefixes = guide_prefixes(nodes, later_depths)
        subjects = {n.message_id: base_subject(n.subject) for n in nodes}
        self._parent_subject = [subjects.get(n.parent_id or "", "") for n in nodes]
        self._collapsed = set()
        self._relayout()
        target = select if select in self._index_of else first_interesting(nodes)
        if target:
            self.select_message(target)

    def _relayout(self) -> None:
        self._rows = visible_rows(self.messages, self._collapsed)
        self._cache.clear()
        width = max((len(self._prefixes[i]) + 60 for i in self._rows[:2000]), default=0)
        self.set_virtual_size(Size(width, len(self._rows)))
        self.cursor = min(self.cursor, max(0, len(self._rows) - 1))
        self.refresh()

    def refresh_node(self, node: MessageNode) -> None:
        index = self._index_of.get(node.message_id)
        if index is None:
            return
        self.messages[index] = node
        self.redraw()

    @property
    def current(self) -> MessageNode | None:
        if 0 <= self.cursor < len(self._rows):
            return self.messages[self._rows[self.cursor]]
        return None

    def select_message(self, message_id: str) -> bool:
        index = self._index_of.get(message_id)
        if index is None:
            return False
        # Unfold whatever hides it.
        hiding = {c for c in self._collapsed if c < index < subtree_end(self.messages, c)}
        if hiding:
            self._collapsed -= hiding
            self._relayout()
        self._move_to(self._rows.index(index))
        return True

    # -- cursor ----------------------------------------------------------

    def _move_to(self, row: int) -> None:
        if not self.place_cursor(row):
            return
        node = self.current
        if node is not None:
            self.post_message(self.MessageChosen(node))

    def key_move(self, row: int) -> None:
        """A cursor key: at the end it goes nowhere, and the message shown
        stays as the reader scrolled it (not chosen again)."""
        if self._rows and max(0, min(len(self._rows) - 1, row)) != self.cursor:
            self._move_to(row)

    def _toggle(self, fold: bool | None) -> None:
        if not self._rows:
            return
        index = self._rows[self.cursor]
        if subtree_end(self.messages, index) == index + 1:
            return  # no replies to fold
        folded = index in self._collapsed
        if fold is None:
            fold = not folded
        if fold == folded:
            return
        self._collapsed ^= {index}
        self._relayout()
        self.cursor = self._rows.index(index)
        self.refresh()

    def action_toggle_subtree(self) -> None:
        self._toggle(None)

    def action_collapse(self) -> None:
        self._toggle(True)

    def action_expand(self) -> None:
        self._toggle(False)

    def on_click(self, event) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self._rows):
            self._move_to(row)

    # -- drawing ---------------------------------------------------------

    def line_count(self) -> int:
        return len(self._rows)

    def line_strip(self, row: int, scroll_x: int, width: int) -> Strip:
        selected = row == self.cursor
        key = (self._rows[row], selected, self.has_focus, scroll_x, width, self.app.theme)
        strip = self._cache.get(key)
        if strip is None:
            segments = self._row_segments(self._rows[row], narrow=width < NARROW_TREE)
            strip = self.row_strip(segments, selected, "thread-tree", scroll_x, scroll_x + width)
            self._cache[key] = strip
        return strip

    def _row_segments(self, index: int, narrow: bool = False) -> list[Segment]:
        """The row as styled segments (full styles, resolved once: see
        CachedLinesView.component_style)."""
        node = self.messages[index]
        style = self.component_style
        guides = style("thread-tree--guides")
        segments = [Segment(self._prefixes[index], guides)]
        has_replies = subtree_end(self.messages, index) > index + 1
        if index in self._collapsed:
            hidden = subtree_end(self.messages, index) - index - 1
            segments.append(Segment(f"▸ +{hidden} ", guides))
        elif has_replies and node.depth == 0:
            segments.append(Segment("▾ ", guides))
        if node.missing:
            segments.append(Segment("(message not available)", style("thread-tree--missing")))
            return segments
        name_style = self.base_style
        if "unread" in node.tags:
            name_style += style("thread-tree--unread")
        if not node.matched:
            name_style += style("thread-tree--unmatched")
        segments.append(Segment(clean_line(author_name(node.author)), name_style))
        if not narrow:
            segments.append(Segment("  " + format_date(node.date), style("thread-tree--date")))
        subject = base_subject(node.subject)
        if subject and subject != self._parent_subject[index]:
            shown = compact_subject(subject) if narrow else subject
            segments.append(Segment("  " + clean_line(shown), name_style))
        flags = [t for t in ("flagged", "draft") if t in node.tags]
        if flags:
            segments.append(Segment("  " + " ".join(flags), style("thread-tree--flags")))
        return segments

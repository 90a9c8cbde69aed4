"""The thread tree: the reply structure drawn with tree guides.

Each node shows the author, the date and the message's own subject when it
differs from its parent's (a changed subject is news in a review thread).
Parents the database does not hold appear as placeholders. Textual's Tree
renders only the visible lines, so a 1,000-message thread stays cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kreview.core.model import MessageNode
from kreview.core.sanitize import clean
from kreview.tui.widgets.thread_list import format_date

_REPLY_PREFIX = re.compile(r"^\s*((re|aw|fwd?|sv)\s*:\s*)+", re.IGNORECASE)


def base_subject(subject: str) -> str:
    return _REPLY_PREFIX.sub("", subject).strip()


def author_name(from_header: str) -> str:
    name, address = parseaddr(from_header)
    return name or address or from_header or "(unknown)"


class ThreadTree(Tree[MessageNode]):
    """Posts :class:`ThreadTree.MessageChosen` as the cursor moves."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {"thread-tree--missing"}

    @dataclass
    class MessageChosen(Message):
        node: MessageNode

    def __init__(self, **kwargs) -> None:
        super().__init__("thread", **kwargs)
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = False
        self.messages: list[MessageNode] = []
        self._by_id: dict[str, TreeNode[MessageNode]] = {}

    def show_thread(self, nodes: list[MessageNode], select: str | None = None) -> None:
        self.clear()
        self.messages = nodes
        self._by_id = {}
        subjects: dict[str, str] = {}
        for node in nodes:
            parent = self._by_id.get(node.parent_id or "", self.root)
            parent_subject = subjects.get(node.parent_id or "", "")
            tree_node = parent.add(self._label(node, parent_subject), data=node, expand=True)
            self._by_id[node.message_id] = tree_node
            subjects[node.message_id] = base_subject(node.subject)
        self.root.expand_all()
        target = select if select in self._by_id else self._first_interesting(nodes)
        if target:
            # Tree lays its lines out on the next refresh; a node has no line
            # (and the cursor cannot land on it) before that.
            self.call_after_refresh(self.select_message, target)

    @staticmethod
    def _first_interesting(nodes: list[MessageNode]) -> str | None:
        """Open on the first unread matched message, else the first matched
        one (the message the search was for), as notmuch-emacs does."""
        real = [n for n in nodes if not n.missing]
        for wanted in (lambda n: n.matched and "unread" in n.tags, lambda n: n.matched, lambda n: True):
            for node in real:
                if wanted(node):
                    return node.message_id
        return None

    def _label(self, node: MessageNode, parent_subject: str) -> Text:
        if node.missing:
            return Text("(message not available)", style="dim italic")
        style = "bold" if "unread" in node.tags else ""
        if not node.matched:
            style += " dim"
        label = Text(clean(author_name(node.author)), style=style)
        label.append("  " + format_date(node.date), style="dim")
        subject = base_subject(node.subject)
        if subject and subject != parent_subject:
            label.append("  " + clean(subject), style=style)
        flags = [t for t in ("flagged", "draft") if t in node.tags]
        if flags:
            label.append("  " + " ".join(flags), style="italic")
        return label

    def refresh_node(self, node: MessageNode) -> None:
        tree_node = self._by_id.get(node.message_id)
        if tree_node is None:
            return
        parent = tree_node.parent
        parent_subject = base_subject(parent.data.subject) if parent and parent.data else ""
        tree_node.data = node
        tree_node.set_label(self._label(node, parent_subject))
        self.messages = [node if n.message_id == node.message_id else n for n in self.messages]

    def select_message(self, message_id: str) -> bool:
        tree_node = self._by_id.get(message_id)
        if tree_node is None:
            return False
        self.move_cursor(tree_node)
        return True

    @property
    def current(self) -> MessageNode | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.MessageChosen(event.node.data))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        # Enter on a node toggles its subtree (Tree's default); keep the message shown.
        event.stop()

    def action_toggle_subtree(self) -> None:
        node = self.cursor_node
        if node is not None and node.children:
            node.toggle()

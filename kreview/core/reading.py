"""What opening a thread needs, gathered in one pass off the UI thread: the
tree's nodes, the message to show first, and that message parsed, split
into blocks and laid out.

The thread screen is pushed with all of it, so its first paint holds the
tree and the message together (one worker and one frame, instead of a
frame with an empty tree, then the tree, then the message).
"""
from __future__ import annotations

from dataclasses import dataclass

from kreview.core.blocks import Block, split_blocks
from kreview.core.layout import DisplayLine, message_lines
from kreview.core.model import MessageNode
from kreview.core.parse import ParsedMessage, read_message
from kreview.core.store import Store
from kreview.core.threads import first_interesting


@dataclass(frozen=True)
class Folding:
    """How long quotes fold (from the config's quote_* settings)."""

    threshold: int = 12
    keep_head: int = 3
    keep_tail: int = 2

    @classmethod
    def from_config(cls, config) -> Folding:
        if config is None:
            return cls()
        return cls(config.quote_fold_threshold, config.quote_keep_head, config.quote_keep_tail)

    @property
    def keep(self) -> dict[str, int]:
        return {"keep_head": self.keep_head, "keep_tail": self.keep_tail}


@dataclass(frozen=True)
class MessageView:
    node: MessageNode
    parsed: ParsedMessage
    blocks: list[Block]
    lines: list[DisplayLine]


@dataclass(frozen=True)
class ThreadView:
    nodes: list[MessageNode]
    first: MessageView | None  # None: an empty thread, or it opens on a missing message


def read_message_view(node: MessageNode, folding: Folding = Folding()) -> MessageView:
    """Parse one message for the pane (never raises: see parse.read_message)."""
    parsed = read_message(node.path)
    blocks = split_blocks(parsed.text, patches=parsed.patches, fold_threshold=folding.threshold,
                          keep_head=folding.keep_head, keep_tail=folding.keep_tail)
    return MessageView(node, parsed, blocks, message_lines(parsed, blocks, None, node.tags, **folding.keep))


def open_thread(store: Store, thread_id: str, query: str | None = None, select: str | None = None,
                folding: Folding = Folding()) -> ThreadView:
    """The thread's nodes and its first message, ready to show. ``select``
    names the message to open on; otherwise the first unread match."""
    nodes = store.thread_messages(thread_id, query)
    wanted = select if select and any(n.message_id == select for n in nodes) else first_interesting(nodes)
    node = next((n for n in nodes if n.message_id == wanted), None)
    if node is None or node.missing:
        return ThreadView(nodes, None)
    return ThreadView(nodes, read_message_view(node, folding))

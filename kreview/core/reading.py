"""What opening a thread needs, gathered in one pass off the UI thread: the
tree's nodes, the message to show first, and that message parsed, split
into blocks and laid out.

The thread screen is pushed with all of it, so its first paint holds the
tree and the message together (one worker and one frame, instead of a
frame with an empty tree, then the tree, then the message).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from kreview.core.blocks import Block, split_blocks
from kreview.core.folding import Folding
from kreview.core.layout import DisplayLine, message_lines
from kreview.core.model import MessageNode
from kreview.core.parse import Attachment, ParsedMessage, read_message
from kreview.core.store import FirstNodes, Store
from kreview.core.threads import first_interesting


# A body longer than this is shown in two steps: its first lines at once,
# then the whole of it when it has been split and laid out (a 20,000-line
# patch takes ~0.1 s for that, a screen of it ~0.01 s). A few screens of
# the tallest terminal: the rest arrives before they are paged through,
# and 2,000 lines cost 15 ms more before the first paint than 400.
FIRST_LINES = 400


@dataclass(frozen=True)
class MessageView:
    node: MessageNode
    parsed: ParsedMessage
    blocks: list[Block]
    lines: list[DisplayLine]
    complete: bool = True  # False: only the first FIRST_LINES lines; see complete_view


@dataclass(frozen=True)
class ThreadView:
    nodes: list[MessageNode]
    first: MessageView | None  # None: an empty thread, or it opens on a missing message
    whole: bool = True  # False: a big thread's first nodes only (see first_part_view)
    later_depths: tuple[int, ...] = ()  # not whole: the depths of the replies still to come


def read_message_view(node: MessageNode, folding: Folding = Folding(), *,
                      first_lines: int | None = None) -> MessageView:
    """Parse one message for the pane (never raises: see parse.read_message).

    With ``first_lines``, a longer body is laid out only that far (the view
    is not ``complete``); :func:`complete_view` does the rest."""
    parsed = read_message(node.path)
    head = _head(parsed, first_lines) if first_lines else None
    if head is None:
        return _laid_out(node, parsed, parsed.text, parsed.patches, folding)
    text, patches, left = head
    view = _laid_out(node, parsed, text, patches, folding)
    note = DisplayLine("note", f"[… {left:,} more lines are being laid out]")
    return replace(view, lines=view.lines + [DisplayLine("blank", ""), note], complete=False)


def complete_view(view: MessageView, folding: Folding = Folding()) -> MessageView:
    """The whole of a view that was laid out only in part."""
    if view.complete:
        return view
    return _laid_out(view.node, view.parsed, view.parsed.text, view.parsed.patches, folding)


def _laid_out(node: MessageNode, parsed: ParsedMessage, text: str, patches: tuple[Attachment, ...],
              folding: Folding) -> MessageView:
    blocks = split_blocks(text, patches=patches, fold_threshold=folding.threshold,
                          keep_head=folding.keep_head, keep_tail=folding.keep_tail)
    return MessageView(node, parsed, blocks, message_lines(parsed, blocks, None, node.tags, **folding.keep))


def _head(parsed: ParsedMessage, limit: int) -> tuple[str, tuple[Attachment, ...], int] | None:
    """The body's text and patch attachments cut to ``limit`` lines in all,
    with the number of lines left out; None when the body is not longer."""
    parts = [parsed.text] + [p.text for p in parsed.patches]
    sizes = [part.count("\n") + 1 for part in parts]
    total = sum(sizes)
    if total <= limit:
        return None
    kept: list[str] = []
    budget = limit
    for part, size in zip(parts, sizes):
        if size <= budget:
            kept.append(part)
            budget -= size
            continue
        kept.append("\n".join(part.split("\n", budget)[:budget]))
        break
    text, *patch_texts = kept
    patches = tuple(replace(p, text=t) for p, t in zip(parsed.patches, patch_texts))
    return text, patches, total - limit


def first_part_view(first: FirstNodes, folding: Folding = Folding(), *,
                    first_lines: int | None = FIRST_LINES) -> ThreadView:
    """A big thread's first nodes (Store.thread_messages' on_first) and the
    message it opens on, ready to show while the rest is read."""
    node = next(n for n in first.nodes if n.message_id == first.opens_on)
    return ThreadView(first.nodes, read_message_view(node, folding, first_lines=first_lines), whole=False,
                      later_depths=first.later_depths)


def open_thread(store: Store, thread_id: str, query: str | None = None, select: str | None = None,
                folding: Folding = Folding(), first_lines: int | None = FIRST_LINES,
                nodes: list[MessageNode] | None = None) -> ThreadView:
    """The thread's nodes and its first message, ready to show (a long body
    only in part, see read_message_view). ``select`` names the message to
    open on; otherwise the first unread match. ``nodes``: the thread as
    ``store.thread_messages(thread_id, query)`` gave them a moment ago."""
    if nodes is None:
        nodes = store.thread_messages(thread_id, query)
    wanted = select if select and any(n.message_id == select for n in nodes) else first_interesting(nodes)
    node = next((n for n in nodes if n.message_id == wanted), None)
    if node is None or node.missing:
        return ThreadView(nodes, None)
    return ThreadView(nodes, read_message_view(node, folding, first_lines=first_lines))

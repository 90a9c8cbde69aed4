"""What the thread screen gives the mixins that hold its actions.

ArchiveMixin, ExportMixin, ReplyMixin and ReviewMixin are parts of the
thread screen kept in modules of their own; they use the screen's state and
a few of its methods. Those are declared here, once, rather than assumed:
``tests/tui/test_thread_host.py`` reads the mixins and fails when one uses
something of the screen's that is not declared here, or when ThreadScreen
stops providing a member declared here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kreview.core.model import MessageNode, TagChange
    from kreview.core.parse import ParsedMessage
    from kreview.core.store import Store
    from kreview.core.trailers import PatchReview
    from kreview.tui.app import KreviewApp
    from kreview.tui.widgets.body_view import BodyView
    from kreview.tui.widgets.thread_tree import ThreadTree


class ThreadHost(Protocol):
    app: KreviewApp
    store: Store
    tree: ThreadTree  # the thread's messages
    body: BodyView  # the message pane
    shown: MessageNode | None  # the message in the pane
    parsed: ParsedMessage | None  # ... and its parse
    reviews: list[PatchReview]  # the series' patches and their trailers (empty: no series)

    def reload_thread(self, select: str | None = None) -> None:
        """Read the thread again (new messages, a draft), the cursor on ``select``."""

    def tags_changed(self, change: TagChange) -> None:
        """A tag change made from the screen: the tree and list follow."""

"""The thread screen: the reply tree beside the message pane.

Loading the tree and parsing a message both run in thread workers
(kreview.tui.background); their results come back as calls on the UI thread,
so widgets are touched there only.
"""
from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from kreview.core.model import MessageNode, TagChange, ThreadSummary
from kreview.core.reading import (
    FIRST_LINES,
    Folding,
    MessageView,
    ThreadView,
    complete_view,
    open_thread,
    read_message_view,
)
from kreview.core.review import holds_series, reviews_of
from kreview.core.store import Store
from kreview.tui.archive import ArchiveMixin
from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.bindings import (ARCHIVE, EXPORT, MUTE, NAVIGATION, REPLY, REVIEW, TAGGING, THREAD,
                                  THREAD_SERIES)
from kreview.tui.exporting import ExportMixin
from kreview.tui.mail_text import plain_line
from kreview.tui.memory import release_freed_memory_soon
from kreview.tui.replying import ReplyMixin
from kreview.tui.reviewing import ReviewMixin
from kreview.tui.tagging import TaggingMixin, TagTarget
from kreview.tui.widgets.body_view import BodyView
from kreview.tui.widgets.key_hints import KeyHints
from kreview.tui.widgets.series_panel import SeriesPanel
from kreview.tui.widgets.thread_tree import ThreadTree


CARRIED_KEPT = 8  # series whose carried trailers the thread screen keeps


def position_text(top: int, end: int, total: int) -> str:
    """Where the message pane is: "lines 97-144 of 20,034 · 1%", or "all"
    when the whole message is on screen."""
    if total == 0:
        return ""
    if top == 0 and end >= total:
        return f"all {total:,} lines"
    percent = round(100 * end / total)
    return f"lines {top + 1:,}-{end:,} of {total:,} · {percent}%"


def subject_title(subject: str):
    """The title bar: the thread's subject as itself (never markup)."""
    return plain_line(subject) if subject.strip() else plain_line("(no subject)")


class ThreadScreen(ArchiveMixin, ExportMixin, ReviewMixin, ReplyMixin, TaggingMixin, Screen):
    BINDINGS = THREAD + TAGGING + REPLY + REVIEW + EXPORT + ARCHIVE + THREAD_SERIES + NAVIGATION + MUTE

    def __init__(self, store: Store, thread: ThreadSummary | None, query: str = "*", select: str | None = None,
                 preloaded: ThreadView | None = None) -> None:
        # thread None: a screen built ahead, shown by reopen (KreviewApp.show_thread).
        super().__init__()
        self.store = store
        self.thread = thread
        self.search_query = query
        self.select = select
        self._preloaded = preloaded  # loaded before the push: shown by on_mount
        self._already_shown: str | None = None  # a message on screen before its MessageChosen arrives
        self.shown: MessageNode | None = None
        self.reviews: list = []
        self.parsed = None
        self.series_panel_wanted = True
        # Bumped when the screen is pointed at another thread: results of
        # workers started for the previous one are dropped.
        self._generation = 0
        # Carried trailers found, by (database revision, series keys): see _add_carried.
        self._carried_known: dict[tuple, list] = {}
        # A big thread shown from its first nodes: the whole tree is on its way
        # (complete_thread), and tags changed meanwhile are kept for it.
        self._rest_awaited = False
        self._fresher_states: dict[str, tuple] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="title-bar"):
            yield Static(subject_title(self.thread.subject) if self.thread else "", id="thread-title")
            yield Static("", id="fetch-status")  # archive fetch progress (kreview.tui.archive)
            yield Static("", id="body-position")
        with Horizontal(id="thread-body"):
            with Vertical(id="tree-pane"):
                yield ThreadTree(id="tree")
                yield SeriesPanel(id="series-panel")
            body = BodyView(id="body")
            body.wrap_prose = self.app.kreview_config.wrap_prose
            yield body
        yield KeyHints()

    @property
    def tree(self) -> ThreadTree:
        return self.query_one(ThreadTree)

    @property
    def body(self) -> BodyView:
        return self.query_one(BodyView)

    @property
    def folding(self) -> Folding:
        return self.app.kreview_config.folding

    def on_mount(self) -> None:
        try:
            self.bind_tag_keys(self.app.kreview_config)
            self.watch(self.body, "position", self._body_moved)
            self.tree.focus()
        except NoMatches:
            if self.thread is None:
                return  # built ahead as the app closes: its panes are gone already
            raise
        if self.thread is None:  # built ahead: reopen points it at the first thread opened
            self.call_later(self._lay_out_ahead)
            return
        preloaded, self._preloaded = self._preloaded, None
        if preloaded is not None:
            self._show_thread(preloaded)  # before the first paint: one frame shows it all
            return
        self.body.show_text("Loading thread …")
        self.load_thread()

    def _lay_out_ahead(self) -> None:
        """Lay the screen built ahead out at the terminal's size, unseen.

        A screen's first showing is laid out three times: at its push, again
        when its own resize event arrives, and again when that resize gives it
        its width's class (KreviewApp.HORIZONTAL_BREAKPOINTS restyles the
        panes); on the 100k mailbox that was ~70 ms of the first Enter after
        the thread was on screen. Done here, while the list is read, the push
        lays it out once (and again only if the terminal was resized since)."""
        from kreview.tui.textual_compat import is_exiting, lay_out_unseen

        if self.app.screen is not self and self.is_attached and not is_exiting(self.app):
            lay_out_unseen(self, self.app.size)

    def reopen(self, thread: ThreadSummary, query: str, view: ThreadView) -> None:
        """Point this (mounted, not current) screen at another thread before
        it is pushed again: building a thread screen is a large part of
        opening a thread, reusing one is cheap (the app keeps one)."""
        self._generation += 1
        self.thread, self.search_query, self.select = thread, query, None
        self.shown, self.parsed, self.reviews = None, None, []
        self._already_shown = None
        self.series_panel_wanted = True
        self.query_one("#thread-title", Static).update(subject_title(thread.subject), layout=False)
        # The panel keeps its class until _show_thread knows whether this
        # thread holds a series: hiding it here and showing it again in the
        # same frame restyled it twice.
        self.query_one(SeriesPanel).show([])
        self.set_focus(self.tree)
        self._show_thread(view)

    def reload_thread(self, select: str | None = None) -> None:
        """Load the tree again (a draft or a sent reply joined the thread)."""
        current = self.tree.current
        self.select = select or (current.message_id if current else None)
        self.load_thread()

    @in_background(group="thread-tree", exclusive=True, failed="_failed")
    def load_thread(self):
        generation = self._generation
        view = open_thread(self.store, self.thread.thread_id, self.search_query, self.select, self.folding)
        to_ui(self._show_thread, view, generation)
        release_freed_memory_soon()  # the tree's building blocks are garbage now

    def _failed(self, error: str) -> None:
        self.body.show_text(f"Could not load this thread:\n{error}")
        self.notify(error, severity="error")

    def _show_thread(self, view: ThreadView, generation: int | None = None) -> None:
        if not self.is_attached or generation not in (None, self._generation):
            return
        self._rest_awaited = not view.whole
        self._fresher_states = {}
        if not view.nodes:
            self.query_one(SeriesPanel).set_class(False, "visible")
            self.body.show_text("This thread is no longer in the database.")
            return
        self._show_series_and_gaps(view.nodes, view.whole)
        first = view.first
        self.select = first.node.message_id if first is not None else self.select
        self.tree.show_thread(view.nodes, self.select, view.later_depths)  # posts MessageChosen for its cursor
        current = self.tree.current
        if first is not None and current is not None and current.message_id == first.node.message_id:
            self._already_shown = current.message_id
            self._show_message(first)

    def complete_thread(self, thread: ThreadSummary, nodes: list[MessageNode]) -> None:
        """The whole tree of a big thread shown from its first nodes
        (SearchScreen._open_thread): the cursor stays where the reader is,
        and the message shown is not shown again."""
        if self.thread is thread and self._preloaded is not None and not self._preloaded.whole:
            # Came before the screen was mounted: it is shown whole at once.
            self._preloaded = replace(self._preloaded, nodes=nodes, whole=True, later_depths=())
            return
        if not self.is_attached or self.thread is not thread or not self._rest_awaited:
            return  # another thread is shown now, or this one was loaded again
        self._rest_awaited = False
        fresher, self._fresher_states = self._fresher_states, {}
        if fresher:  # tags changed since the reading (a message marked read)
            nodes = [replace(n, tags=fresher[n.message_id][0], path=fresher[n.message_id][1])
                     if n.message_id in fresher else n for n in nodes]
        if not nodes:
            return
        self._show_series_and_gaps(nodes, whole=True)
        current = self.tree.current
        keep = current.message_id if current is not None else None
        if self.shown is not None and self.shown.message_id == keep:
            self._already_shown = keep
        self.tree.show_thread(nodes, keep)

    def _show_series_and_gaps(self, nodes: list[MessageNode], whole: bool) -> None:
        """The series panel, and the gaps the archive could fill. Not
        ``whole`` (a big thread's first nodes): the panel holds its place, and
        both wait for the whole tree."""
        if not holds_series(nodes):
            self.query_one(SeriesPanel).set_class(False, "visible")
        else:
            known = self.app.trailer_counts.known_reviews(self.thread.thread_id, nodes) if whole else None
            if known is not None:
                # The list's A/R/T count read them a moment ago: same frame.
                self._show_series(known, self._generation)
            else:
                # The trailers come from every file of the thread: the panel
                # holds their place, and the worker starts once the screen is
                # painted (started earlier, it competes with the first paint
                # for the interpreter and delays it).
                if self.series_panel_wanted and not self.reviews:
                    panel = self.query_one(SeriesPanel)
                    panel.show_note("Collecting trailers …")
                    panel.set_class(True, "visible")
                if whole:
                    self.call_after_refresh(self.load_series, self.thread.thread_id, nodes, self._generation,
                                            self.app.trailer_counts)
        if whole:
            self.offer_fetch(nodes)  # kreview.tui.archive: "2 missing · f fetches the thread"

    @in_background(group="series", exclusive=True, failure="Could not collect the series' trailers")
    def load_series(self, thread_id: str, nodes: list[MessageNode], generation: int, known):
        """Collect the series' trailers off the UI thread (it reads every file),
        and keep them in ``known`` (the app's TrailerCountCache) for the list's count."""
        reviews = reviews_of(nodes)
        known.remember_reviews(thread_id, nodes, reviews)
        to_ui(self._show_series, reviews, generation)
        release_freed_memory_soon()  # every file of the series was read and parsed

    def _show_series(self, reviews, generation: int) -> None:
        if not self.is_attached or generation != self._generation:
            return  # gone, or the screen shows another thread now
        self.reviews = reviews
        panel = self.query_one(SeriesPanel)
        panel.show(reviews, self.shown.message_id if self.shown else None)
        # A series is what a reviewer opened the thread for: show its panel.
        panel.set_class(bool(reviews) and self.series_panel_wanted, "visible")
        if reviews:
            # After the panel is painted: reading the other versions' threads
            # is 50-150 ms of Python that, started at once, held the
            # interpreter while the screen was being laid out.
            self.call_after_refresh(self._add_carried, reviews, generation)

    def _body_moved(self, position: tuple[int, int, int]) -> None:
        self.query_one("#body-position", Static).update(position_text(*position), layout=False)

    @on(SeriesPanel.JumpTo)
    def _jump(self, event: SeriesPanel.JumpTo) -> None:
        if not self.tree.select_message(event.message_id):
            self.notify("That message is not in this thread.", severity="warning")
        self.tree.focus()

    # -- series across versions (issue 15) ----------------------------------

    def action_other_versions(self) -> None:
        """Every posting of this series, wherever it was posted (a VersionsScreen)."""
        if not self.reviews:
            self.notify("This thread holds no patch series.")
            return
        from kreview.tui.screens.versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.store, self.thread.thread_id), self._version_chosen)

    def _version_chosen(self, result) -> None:
        from kreview.tui.series_actions import open_message_thread, start_interdiff

        if result is not None and result[0] == "open":
            open_message_thread(self.app, result[1])
        elif result is not None:  # two versions the list showed: the screen comes at once
            start_interdiff(self.app, result[2], result[1], whole=True, at_once="Comparing the versions …")

    def action_interdiff(self) -> None:
        """The message's patch (or, on the cover letter, the series) against the previous version."""
        if not self.reviews or self.shown is None:
            self.notify("This thread holds no patch series.")
            return
        from kreview.tui.series_actions import start_interdiff

        ids = {mid for r in self.reviews for p in r.series.patches for mid in p.all_ids}
        ids |= {r.series.cover_id for r in self.reviews if r.series.cover_id}
        newest = max(self.reviews, key=lambda r: r.series.version).series
        # A v2 or later has an earlier version to compare with, most likely:
        # its screen comes at once and fills (or closes, saying why). A v1
        # is told with a toast instead of a screen that opens only to close.
        at_once = "Comparing the versions …" if newest.version > 1 else ""
        if self.shown.message_id in ids:
            start_interdiff(self.app, self.shown.message_id, at_once=at_once)
        else:  # a reply: compare the whole newest series of the thread
            start_interdiff(self.app, newest.key, whole=True, at_once=at_once)

    @in_background(group="carried", exclusive=True)
    def _add_carried(self, reviews, generation: int):
        """Trailers given on earlier versions to patches that did not change
        (reads the other versions' threads, so after the panel is shown).

        It is 70-300 ms of Python, and the reader pages on meanwhile: it runs
        at a lower CPU priority, and what it found is kept per database
        revision (the app keeps this screen), so the same series opened again
        with nothing changed costs nothing."""
        from kreview.core.carry import reviews_with_carried
        from kreview.core.counts import at_low_priority

        try:
            key = (self.store.revision_key(), tuple(r.series.key for r in reviews))
            carried = self._carried_known.get(key)
            if carried is None:
                carried = at_low_priority(reviews_with_carried, self.store, reviews)
                self._carried_known[key] = carried
                while len(self._carried_known) > CARRIED_KEPT:
                    self._carried_known.pop(next(iter(self._carried_known)))
        except Exception:  # noqa: BLE001 - the panel keeps this thread's own trailers
            return
        if carried != reviews:
            return ui(self._show_carried, carried, generation)

    def _show_carried(self, reviews, generation: int) -> None:
        if not self.is_attached or generation != self._generation:
            return
        self.reviews = reviews
        self.query_one(SeriesPanel).show(reviews, self.shown.message_id if self.shown else None)

    def action_toggle_series_panel(self) -> None:
        panel = self.query_one(SeriesPanel)
        if not self.reviews:
            self.notify("This thread holds no patch series.")
            return
        if panel.has_class("visible") and not panel.has_focus:
            panel.focus()  # shown but elsewhere: p goes to it; p again hides it
            return
        self.series_panel_wanted = not panel.has_class("visible")
        panel.set_class(self.series_panel_wanted, "visible")
        if self.series_panel_wanted:
            panel.focus()
        else:
            self.tree.focus()

    @on(ThreadTree.MessageChosen)
    def _chosen(self, event: ThreadTree.MessageChosen) -> None:
        node = event.node
        already, self._already_shown = self._already_shown, None
        if already == node.message_id:
            return  # _show_thread showed it with the tree
        if node.missing:
            self.shown = None
            self.body.show_text(
                f"This message is not in the database:\n<{node.message_id}>\n\n"
                "Replies below quote it; it may not have reached this mailbox.\n"
                "f fetches the rest of this thread from the archive (lore).")
            return
        self.load_message(node)

    @in_background(group="message", exclusive=True, failure="Could not read the message")
    def load_message(self, node: MessageNode):
        view = read_message_view(node, self.folding, first_lines=FIRST_LINES)
        return ui(self._show_message, view)

    @in_background(group="message", exclusive=True, failure="Could not lay out the rest of the message")
    def _finish_message(self, view: MessageView):
        """Lay out the rest of a long body shown in part (another message
        chosen meanwhile cancels this: same exclusive group)."""
        whole = complete_view(view, self.folding)
        if not get_current_worker().is_cancelled:
            to_ui(self._show_rest, whole)
        release_freed_memory_soon()  # a long body's layout leaves its work behind

    def _show_rest(self, whole: MessageView) -> None:
        if self.is_attached and self.shown is not None and self.shown.message_id == whole.node.message_id:
            self.body.show_whole(whole.blocks, whole.lines, whole.node.tags)

    def _show_message(self, view: MessageView) -> None:
        if not self.is_attached:
            return  # the screen was closed while the message was parsing
        node = view.node
        if self.tree.current is None or self.tree.current.message_id != node.message_id:
            return  # the cursor moved on while this one was parsing
        self.shown = node
        self.parsed = view.parsed
        self.body.keep = self.folding.keep
        self.body.show_message(view.parsed, view.blocks, node.tags, view.lines)
        self.load_review(node.message_id)  # review comments kept for this message, if any
        if not view.complete:
            self.call_after_refresh(self._finish_message, view)  # after the part is painted
        if self.reviews:
            # The panel follows the reader: the patch on screen is highlighted.
            self.query_one(SeriesPanel).show(self.reviews, node.message_id)
        if "unread" in node.tags:
            # A database write: after the message is on screen, not before.
            self.call_after_refresh(self._mark_read, node)

    @in_background(group="mark-read", failure="Still unread")
    def _mark_read(self, node: MessageNode):
        """Reading a message clears its unread tag, as in mutt and notmuch-emacs."""
        change = self.store.change_tags([node.message_id], remove=["unread"])
        return ui(self.tags_changed, change)

    # -- tagging -----------------------------------------------------------

    def tag_target(self, whole_thread: bool) -> TagTarget | None:
        if whole_thread:
            nodes = [n for n in self.tree.messages if not n.missing]
            if not nodes:
                return None
            return TagTarget("the thread", tuple(n.message_id for n in nodes),
                             tags_now=frozenset().union(*(n.tags for n in nodes)))
        node = self.tree.current
        if node is None or node.missing:
            return None
        return TagTarget("this message", (node.message_id,), tags_now=node.tags)

    def tags_changed(self, change: TagChange) -> None:
        self._refresh_tags(change.message_ids)

    @in_background(group="refresh-tags", failure="Could not read the new tags")
    def _refresh_tags(self, message_ids):
        return ui(self._apply_tags, self.store.message_states(message_ids))

    def _apply_tags(self, states: dict) -> None:
        """New tags, and new file names: marking a message read renames its
        file (Maildir flags), and reading it again by the old name warned
        that the file "was renamed since it was indexed"."""
        if self._rest_awaited:  # the rest of the tree, read before this change, is on its way
            self._fresher_states.update(states)
        for node in list(self.tree.messages):
            tags, path = states.get(node.message_id, (node.tags, node.path))
            if (tags, path) != (node.tags, node.path):
                updated = replace(node, tags=tags, path=path)
                self.tree.refresh_node(updated)
                if self.shown is not None and self.shown.message_id == node.message_id:
                    self.shown = updated
                    self.body.set_tags(updated.tags)

    # -- actions ---------------------------------------------------------

    @on(BodyView.FileListRequested)
    def _file_list(self, event: BodyView.FileListRequested) -> None:
        from kreview.tui.screens.pickers import Picker

        def chosen(line: int | None) -> None:
            if line is not None:
                self.body.goto_line(line)
                self.body.focus()

        self.app.push_screen(Picker("Files in this patch (Enter jumps)", event.files), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _step(self, delta: int) -> None:
        nodes = [n for n in self.tree.messages if not n.missing]
        current = self.tree.current
        if not nodes:
            return
        ids = [n.message_id for n in nodes]
        index = ids.index(current.message_id) if current and current.message_id in ids else -1
        target = max(0, min(len(ids) - 1, index + delta))
        self.tree.select_message(ids[target])

    def action_next_message(self) -> None:
        self._step(1)

    def action_previous_message(self) -> None:
        self._step(-1)

    def action_page_body(self) -> None:
        """Space pages through the message, then moves to the next one (mutt's habit)."""
        if self.body.at_end():
            self._step(1)
        else:
            self.body.scroll_page_down(animate=False)

    # -- next unread, next patch (bindings.NAVIGATION; core.navigation) ------

    def _go(self, wanted, forward: bool, none_left: str) -> None:
        from kreview.core.navigation import step_to

        current = self.tree.current
        target = step_to(self.tree.messages, current.message_id if current else None, wanted, forward)
        if target is None:
            self.notify(none_left, timeout=3)
            return
        self.tree.select_message(target.message_id)
        self.tree.focus()

    def action_next_unread(self) -> None:
        from kreview.core.navigation import is_unread

        self._go(is_unread, True, "No other unread message in this thread.")

    def action_next_patch(self) -> None:
        from kreview.core.navigation import is_patch

        self._go(is_patch, True, "No other patch in this thread.")

    def action_previous_patch(self) -> None:
        from kreview.core.navigation import is_patch

        self._go(is_patch, False, "No other patch in this thread.")

    def action_focus_next_pane(self) -> None:
        (self.body if self.tree.has_focus else self.tree).focus()

    def action_in_pane(self, action: str) -> None:
        """A key of the message pane pressed elsewhere (THREAD in bindings.py)."""
        self.body.focus()
        if action == "comment":
            # Comments go on a line: the pane's cursor has to get there first.
            self.app.notify("Comment: j/k to the line, then c (v marks a range); tab goes back to the tree",
                            timeout=4)
            return
        getattr(self.body, f"action_{action}")()

    def action_toggle_subtree(self) -> None:
        self.tree.action_toggle_subtree()

"""Every key binding as data: an id (for the keymap in config.toml), the keys,
the action and a description (for the footer and the help screen).

Defaults follow mutt and alot, with vim movement: j/k, Enter, q, /, r/g to
reply, t to tag. Users remap by id: `[keymap] "thread.reply" = "R"`.
"""
from __future__ import annotations

from textual.binding import Binding

APP = [
    Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
    Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
]

SEARCH = [
    Binding("slash", "focus_query", "Search", id="search.query", key_display="/"),
    Binding("q", "quit_app", "Quit", id="search.quit"),
    Binding("escape", "blur_query", "Back to list", id="search.blur", show=False),
    Binding("ctrl+r,f5", "refresh", "Refresh", id="search.refresh", show=False),
]

THREAD_LIST = [
    Binding("j,down", "cursor_down", "Down", id="list.down", show=False),
    Binding("k,up", "cursor_up", "Up", id="list.up", show=False),
    Binding("g,home", "scroll_top", "Top", id="list.top", show=False),
    Binding("G,end", "scroll_bottom", "Bottom", id="list.bottom", show=False),
    Binding("ctrl+f,pagedown", "page_down", "Page down", id="list.page_down", show=False),
    Binding("ctrl+b,pageup", "page_up", "Page up", id="list.page_up", show=False),
    Binding("enter", "select_cursor", "Open", id="list.open"),
]

THREAD = [
    Binding("q,escape", "back", "Back", id="thread.back"),
    Binding("j", "next_message", "Next msg", id="thread.next", show=False),
    Binding("k", "previous_message", "Prev msg", id="thread.previous", show=False),
    Binding("space", "page_body", "Page", id="thread.page", show=False),
    Binding("tab", "focus_next_pane", "Switch pane", id="thread.switch_pane", show=False),
    Binding("z", "toggle_subtree", "Fold subtree", id="thread.toggle_subtree", show=False),
    Binding("p", "toggle_series_panel", "Series", id="thread.series_panel"),
    Binding("V", "other_versions", "Other versions", id="thread.versions", show=False),
    # Keys of the message pane pressed in the tree: the pane takes the focus
    # and does them, where they used to say "does nothing here".
    Binding("c", "in_pane('comment')", "Comment (the pane takes the focus)", id="thread.comment", show=False),
    Binding("right_square_bracket", "in_pane('next_hunk')", "Next hunk", id="thread.next_hunk",
            key_display="]", show=False),
    Binding("left_square_bracket", "in_pane('previous_hunk')", "Prev hunk", id="thread.previous_hunk",
            key_display="[", show=False),
    Binding("right_curly_bracket", "in_pane('next_file')", "Next file", id="thread.next_file",
            key_display="}", show=False),
    Binding("left_curly_bracket", "in_pane('previous_file')", "Prev file", id="thread.previous_file",
            key_display="{", show=False),
    Binding("F", "in_pane('file_list')", "Files", id="thread.files", show=False),
]

BODY = [
    Binding("j,down", "scroll_down", "Down", id="body.down", show=False),
    Binding("k,up", "scroll_up", "Up", id="body.up", show=False),
    Binding("o", "toggle_fold", "Fold/unfold", id="body.toggle_fold"),
    Binding("O", "toggle_all_folds", "Fold all", id="body.toggle_all", show=False),
    Binding("right_square_bracket", "next_hunk", "Next hunk", id="body.next_hunk", key_display="]"),
    Binding("left_square_bracket", "previous_hunk", "Prev hunk", id="body.previous_hunk", key_display="[", show=False),
    Binding("right_curly_bracket", "next_file", "Next file", id="body.next_file", key_display="}", show=False),
    Binding("left_curly_bracket", "previous_file", "Prev file", id="body.previous_file", key_display="{", show=False),
    Binding("F", "file_list", "Files", id="body.files"),
]

# On the thread list (acting on the marked threads, else the one under the
# cursor) and on the thread screen (acting on the message; A on the thread).
TAGGING = [
    Binding("a", "archive", "Archive", id="tag.archive", show=False),
    Binding("A", "archive_thread", "Archive thread", id="tag.archive_thread", show=False),
    Binding("N", "toggle_unread", "Toggle unread", id="tag.unread", show=False),
    Binding("exclamation_mark", "toggle_flagged", "Toggle flagged", id="tag.flagged", key_display="!", show=False),
    Binding("t", "tag_prompt", "Tag", id="tag.prompt"),
    Binding("u", "undo_tags", "Undo tags", id="tag.undo", show=False),
]

MARKING = [
    Binding("m", "toggle_mark", "Mark", id="list.mark"),
    Binding("M", "clear_marks", "Unmark all", id="list.unmark_all", show=False),
]

REPLY = [
    Binding("r", "reply", "Reply", id="reply.sender"),
    Binding("g", "reply_all", "Reply all", id="reply.all", show=False),
    Binding("R", "reply_trailer('Reviewed-by')", "Reply: Reviewed-by", id="reply.reviewed_by", show=False),
    Binding("K", "reply_trailer('Acked-by')", "Reply: Acked-by", id="reply.acked_by", show=False),
    Binding("T", "reply_trailer('Tested-by')", "Reply: Tested-by", id="reply.tested_by", show=False),
    Binding("h", "reply_hunk", "Reply to hunk", id="reply.hunk", show=False),
    Binding("e", "edit_draft", "Edit draft", id="draft.edit", show=False),
    Binding("S", "send_draft", "Send draft", id="draft.send", show=False),
]

# Thread screen: public-inbox archives (kreview.tui.archive); the same key cancels.
ARCHIVE = [
    Binding("f", "fetch_thread", "Fetch thread", id="archive.fetch_thread", show=False),
    Binding("L", "newer_versions", "Newer versions on lore", id="archive.newer_versions", show=False),
]

# Review comments, in the message pane (comment mode: the line cursor), and
# the review reply made from them, on the thread screen.
COMMENT = [
    Binding("c", "comment", "Comment", id="comment.add"),
    Binding("v", "comment_mark", "Comment on a range", id="comment.range", show=False),
    Binding("D", "comment_delete", "Delete comment", id="comment.delete", show=False),
    Binding("greater_than_sign", "comment_down", "Move comment down", id="comment.move_down",
            key_display=">", show=False),
    Binding("less_than_sign", "comment_up", "Move comment up", id="comment.move_up", key_display="<", show=False),
    Binding("right_parenthesis", "next_comment", "Next comment", id="comment.next", key_display=")", show=False),
    Binding("left_parenthesis", "previous_comment", "Prev comment", id="comment.previous", key_display="(",
            show=False),
]

REVIEW = [
    Binding("W", "review_draft", "Review draft", id="review.draft"),
    Binding("Z", "review_discard", "Discard review (zap its comments)", id="review.discard", show=False),
]

# Taking a series and getting things out (thread screen; see kreview/tui/exporting.py).
EXPORT = [
    Binding("w", "write_series", "Write am mbox", id="export.write_series", show=False),
    Binding("P", "apply_series", "Apply series (git am)", id="export.apply_series", show=False),
    Binding("vertical_line", "pipe", "Pipe to command", id="export.pipe", key_display="|", show=False),
    Binding("s", "save_attachment", "Save attachment", id="export.save_attachment", show=False),
    Binding("H", "raw_source", "Raw source", id="export.raw_source", show=False),
    Binding("x", "open_link", "Open link on the line", id="export.open_link", show=False),
    Binding("U", "link_list", "Links (URLs)", id="export.link_list", show=False),
    Binding("y", "copy_id", "Copy Message-ID", id="export.copy_id", show=False),
    Binding("Y", "copy_id(True)", "Copy archive link", id="export.copy_link", show=False),
    Binding("ctrl+x", "cancel_job", "Cancel job", id="export.cancel_job", show=False),
]

# Series across versions (issue 15): the series view, the versions list, the interdiff.
SEARCH_SERIES = [
    Binding("V", "series_view", "Series view", id="search.series", show=False),
]
THREAD_SERIES = [
    Binding("I", "interdiff", "Interdiff with previous version", id="thread.interdiff", show=False),
]
SERIES_VIEW = [
    Binding("q,escape", "back", "Back", id="series.back"),
    Binding("j", "table_down", "Down", id="series.down", show=False),
    Binding("k", "table_up", "Up", id="series.up", show=False),
    Binding("f", "filter_status", "Filter status", id="series.filter"),
    Binding("V", "versions", "Versions", id="series.versions"),
    Binding("d", "interdiff", "Interdiff", id="series.interdiff"),
    Binding("L", "newer_versions", "Newer versions on lore (every chain)", id="series.newer_versions", show=False),
    Binding("ctrl+r,f5", "refresh", "Refresh", id="series.refresh", show=False),
]
VERSIONS = [
    Binding("escape,q", "cancel", "Cancel", id="versions.cancel"),
    Binding("d", "compare", "Compare", id="versions.compare"),
    Binding("space", "mark", "Mark to compare", id="versions.mark"),
]
INTERDIFF = [
    Binding("q,escape", "back", "Back", id="interdiff.back"),
]
SERIES = SEARCH_SERIES + THREAD_SERIES + SERIES_VIEW + VERSIONS + INTERDIFF  # for the help screen

# A reviewer's navigation (mutt/notmuch-emacs habits; kreview.core.navigation):
# n is mutt's next-unread (Tab there; Tab switches panes here); ) and ( step
# from patch to patch over the replies between.
NAVIGATION = [
    Binding("n", "next_unread", "Next unread", id="thread.next_unread"),
    Binding("right_parenthesis", "next_patch", "Next patch", id="thread.next_patch", key_display=")", show=False),
    Binding("left_parenthesis", "previous_patch", "Prev patch", id="thread.previous_patch", key_display="(",
            show=False),
]

# Mute (kill) a thread: tag `muted` on all its messages; lists hide muted
# threads, new replies included, unless the query names tag:muted (core.muting).
MUTE = [
    Binding("X", "toggle_muted", "Mute thread", id="tag.mute", show=False),
]

# The query field: Up/Down walk the search history (kept in the XDG data dir).
SEARCH_HISTORY = [
    Binding("up", "history_older", "Older search", id="search.history_older", show=False),
    Binding("down", "history_newer", "Newer search", id="search.history_newer", show=False),
]

# Sideways in the message pane: half a screen per key, not Textual's one
# column; a cut line ends in › (and starts with ‹ when scrolled) to say so.
SIDEWAYS = [
    Binding("right", "scroll_sideways(1)", "Scroll right", id="body.scroll_right", show=False),
    Binding("left", "scroll_sideways(-1)", "Scroll left", id="body.scroll_left", show=False),
]

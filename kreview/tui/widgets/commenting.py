"""Comment mode of the message pane: review comments under the lines they
concern, added, edited, moved and deleted from the line cursor.

The pane's lines come from the layout (``_plain``); comments are woven in
after the line they concern as lines of kind ``comment``. What a display
line is in the body (which body line; see core.patch_index) is worked out
the first time a comment key is used on a message ("opening comment mode"),
once per layout, in one pass.

The widget owns no files: every change posts :class:`CommentsChanged` and the
screen writes the review (a worker, at once). The text being typed is posted
too (``pending``), so a crash while typing loses nothing.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable

from textual.message import Message

from kreview.core.comments import Comment, moved, new_comment
from kreview.core.layout import DisplayLine
from kreview.core.patch_index import PatchIndex, index_blocks
from kreview.core.sanitize import clean_line

COMMENT_PREFIX = "  ▎ "


class CommentingMixin:
    """For BodyView: needs ``blocks``, ``folded``, ``lines``, ``cursor``, ``parsed``."""

    @dataclass
    class CommentsChanged(Message, namespace="body_view"):  # on_body_view_comments_changed
        comments: tuple[Comment, ...]
        pending: Comment | None = None  # being typed
        final: bool = True  # False while typing: the screen may skip the fsync

    @dataclass
    class CommentEditRequested(Message, namespace="body_view"):  # on_body_view_comment_edit_requested
        """Open the comment box (the screen has it) on ``where`` with ``text``."""
        where: str
        text: str
        typed: Callable[[str], None]
        done: Callable[[str | None], None]

    def reset_comments(self) -> None:
        self.review_comments: list[Comment] = []
        self.mark: int | None = None  # body line where a range selection starts
        self._index: PatchIndex | None = None
        self._index_blocks: list | None = None
        self._body_of: list[int] | None = None
        self._inserted: list[int] = []  # display positions of woven comment lines, sorted
        self._insert_after: list[int] = []  # ... and the plain line each is under
        self._plain: list[DisplayLine] = []
        self._shown_cache: tuple | None = None

    # -- the line map -------------------------------------------------------

    def comment_index(self) -> PatchIndex:
        if self._index is None or self._index_blocks is not self.blocks:
            self._index = index_blocks(self.blocks)
            self._index_blocks = self.blocks
        return self._index

    def _body_map(self) -> list[int]:
        """Body line of each plain display line (-1: headers, fold markers)."""
        if self._body_of is not None:
            return self._body_of
        starts = []
        total = 0
        for block in self.blocks:
            starts.append(total)
            total += len(block.lines)
        out: list[int] = []
        append = out.append
        current, k, after_marker, tail_at = -2, 0, False, 0
        for line in self._plain:
            b = line.block
            if b < 0 or b >= len(starts):
                append(-1)
                continue
            if b != current:
                current, k, after_marker = b, 0, False
                block = self.blocks[b]
                tail_at = starts[b] + len(block.lines) - (block.tail if block.folded else 0)
            if line.kind == "fold":
                append(-1)
                after_marker, k = True, 0
                continue
            append((tail_at if after_marker else starts[b]) + k)
            k += 1
        self._body_of = out
        return out

    def opening_comment_mode(self) -> None:
        """Build what comment keys need (timed by the benchmark)."""
        self.comment_index()
        self._body_map()

    def _plain_of(self, display: int) -> int:
        """The plain line at display position ``display`` (on a comment line:
        the line it is under)."""
        return display - bisect_right(self._inserted, display)

    def _display_of(self, plain: int) -> int:
        return plain + bisect_left(self._insert_after, plain)

    def body_line_at(self, display: int) -> int:
        if not 0 <= display < len(self.lines):
            return -1
        line = self.lines[display]
        if line.kind == "comment":
            comment = self.comment_by_id(line.source)
            return comment.end_body_line if comment else -1
        body = self._body_map()
        plain = self._plain_of(display)
        return body[plain] if 0 <= plain < len(body) else -1

    def comment_by_id(self, comment_id: str) -> Comment | None:
        return next((c for c in self.review_comments if c.id == comment_id), None)

    def comment_at(self, display: int) -> Comment | None:
        """The comment under the cursor: its own lines, or the line it is on."""
        if not 0 <= display < len(self.lines):
            return None
        line = self.lines[display]
        if line.kind == "comment":
            return self.comment_by_id(line.source)
        body = self.body_line_at(display)
        hits = [c for c in self.review_comments if c.body_line <= body <= c.end_body_line]
        return hits[-1] if hits else None

    # -- weaving ------------------------------------------------------------

    def weave_comments(self) -> None:
        """After a layout: self.lines are new plain lines; weave the comments in."""
        self._plain = self.lines
        self._body_of = None
        self._inserted, self._insert_after = [], []
        if self.review_comments and self.parsed is not None:
            self._weave()

    def _shown(self) -> tuple[dict[int, int], list[int]]:
        """Where each body line is shown, and the shown body lines in order."""
        body = self._body_map()
        if self._shown_cache is None or self._shown_cache[0] is not body:
            shown: dict[int, int] = {}
            for display, b in enumerate(body):
                if b >= 0:
                    shown[b] = display
            self._shown_cache = (body, shown, sorted(shown))
        return self._shown_cache[1], self._shown_cache[2]

    def _weave(self) -> None:
        # A folded line's comment goes under the nearest shown line above it.
        shown, positions = self._shown()
        inserts: list[tuple[int, list[DisplayLine]]] = []
        for comment in sorted(self.review_comments, key=lambda c: (c.end_body_line, c.body_line)):
            at = bisect_right(positions, comment.end_body_line)
            if not at:
                continue
            inserts.append((shown[positions[at - 1]], _comment_lines(comment)))
        inserts.sort(key=lambda item: item[0])
        out: list[DisplayLine] = []
        inserted: list[int] = []
        after: list[int] = []
        prev = 0
        for plain_pos, extra in inserts:
            out.extend(self._plain[prev:plain_pos + 1])
            prev = plain_pos + 1
            for line in extra:
                inserted.append(len(out))
                after.append(plain_pos)
                out.append(line)
        out.extend(self._plain[prev:])
        self.lines = out
        self._inserted, self._insert_after = inserted, after

    def set_comments(self, comments: list[Comment] | tuple[Comment, ...]) -> None:
        """Show ``comments`` (the screen loaded them, or one was changed)."""
        plain_cursor = self._plain_of(self.cursor)
        self.review_comments = list(comments)
        if not self._plain:
            self._plain = self.lines
        self.lines = self._plain
        self._inserted, self._insert_after = [], []
        if self.review_comments and self.parsed is not None:
            self._weave()
        self.cursor = max(0, min(self._display_of(plain_cursor), len(self.lines) - 1))
        self.redraw_lines(keep_cache=True)

    # -- actions ----------------------------------------------------------------

    def _announce(self, pending: Comment | None = None, final: bool = True) -> None:
        self.post_message(self.CommentsChanged(tuple(self.review_comments), pending, final))

    def _can_comment(self) -> bool:
        if self.parsed is None or not self.blocks:
            self.app.notify("No message to comment on.", severity="warning")
            return False
        return True

    def action_comment(self) -> None:
        if not self._can_comment():
            return
        self.opening_comment_mode()
        existing = self.comment_at(self.cursor) if self.mark is None else None
        if existing is not None:
            self._edit(existing)
            return
        body = self.body_line_at(self.cursor)
        if body < 0:
            self.app.notify("Move the cursor to a line of the message first (j/k).", severity="warning")
            return
        first = body if self.mark is None else self.mark
        self.mark = None
        comment = new_comment(self.comment_index(), first, body, "")
        self._edit(comment)

    def _edit(self, comment: Comment) -> None:
        def typed(text: str) -> None:
            self._announce(Comment(**{**comment.__dict__, "text": text}), final=False)

        def done(text: str | None) -> None:
            self.focus()
            if text is None:
                self._announce()  # cancelled: nothing pending any more
                return
            if not text.strip():
                self.review_comments = [c for c in self.review_comments if c.id != comment.id]
            else:
                updated = Comment(**{**comment.__dict__, "text": text.rstrip("\n")})
                self.review_comments = [c for c in self.review_comments if c.id != comment.id] + [updated]
            self.set_comments(self.review_comments)
            self._announce()

        self.post_message(self.CommentEditRequested(_where(comment), comment.text, typed, done))

    def action_comment_mark(self) -> None:
        if not self._can_comment():
            return
        self.opening_comment_mode()
        if self.mark is not None:
            self.mark = None
            self.app.notify("Range cancelled.")
        else:
            body = self.body_line_at(self.cursor)
            if body < 0:
                return
            self.mark = body
            self.app.notify("Range started: move to its last line and press c.")
        self.redraw_lines()

    def action_comment_delete(self) -> None:
        comment = self.comment_at(self.cursor)
        if comment is None:
            self.app.bell()
            return
        self.review_comments = [c for c in self.review_comments if c.id != comment.id]
        self.set_comments(self.review_comments)
        self._announce()
        self.app.notify("Comment deleted.")

    def _move_comment(self, delta: int) -> None:
        comment = self.comment_at(self.cursor)
        if comment is None:
            self.app.bell()
            return
        self.opening_comment_mode()
        updated = moved(self.comment_index(), comment, delta)
        self.review_comments = [c for c in self.review_comments if c.id != comment.id] + [updated]
        self.set_comments(self.review_comments)
        for i, line in enumerate(self.lines):
            if line.kind == "comment" and line.source == updated.id:
                self.goto_line(i)
                break
        self._announce()

    def action_comment_down(self) -> None:
        self._move_comment(1)

    def action_comment_up(self) -> None:
        self._move_comment(-1)

    def _jump_comment(self, forward: bool) -> None:
        starts = [i for i, line in enumerate(self.lines)
                  if line.kind == "comment" and (i == 0 or self.lines[i - 1].kind != "comment"
                                                  or self.lines[i - 1].source != line.source)]
        targets = [i for i in starts if i > self.cursor] if forward else [i for i in starts if i < self.cursor]
        if not targets:
            self.app.bell()
            return
        self.goto_line(targets[0] if forward else targets[-1])

    def action_next_comment(self) -> None:
        self._jump_comment(True)

    def action_previous_comment(self) -> None:
        self._jump_comment(False)

    def in_marked_range(self, display: int) -> bool:
        if self.mark is None:
            return False
        body, here = self.body_line_at(display), self.body_line_at(self.cursor)
        return body >= 0 and min(self.mark, here) <= body <= max(self.mark, here)


def _where(comment: Comment) -> str:
    if comment.file is None:
        span = f"{comment.line}" if comment.end_line is None else f"{comment.line}-{comment.end_line}"
        return f"message line {span}" if comment.body_line == comment.end_body_line else \
            f"message lines {comment.body_line + 1}-{comment.end_body_line + 1}"
    end = f"-{comment.end_line}" if comment.end_line is not None else (
        "" if comment.body_line == comment.end_body_line else " (and below)")
    return f"{comment.file}:{comment.line}{end} ({comment.side})"


def _comment_lines(comment: Comment) -> list[DisplayLine]:
    lines = comment.text.split("\n") or [""]
    return [DisplayLine("comment", COMMENT_PREFIX + clean_line(text), -1, 0, "", "", 0, comment.id)
            for text in lines]

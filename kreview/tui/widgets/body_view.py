"""The message pane: headers, text, folded quotes and diffs, drawn line by line.

A ScrollView with the Line API: only visible lines are rendered, each into a
Strip kept in an LRU cache, and the code in diff lines is highlighted with
pygments only when its line is drawn. A 20,000-line patch therefore costs the
lines on screen, not the whole patch.

Prose lines longer than the pane are wrapped at word boundaries (see
core.wrapping); diff lines never are. ``self.lines`` stays one entry per
logical line (the cursor, folds, comments and drafts index it); only
drawing, scrolling and paging see rows, through ``_first_row``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from kreview.core.blocks import Block
from kreview.core.grammar import diff_path, git_diff_names
from kreview.core.highlight import highlight_line
from kreview.core.layout import DisplayLine, header_lines, message_lines
from kreview.core.parse import ParsedMessage
from kreview.core.sanitize import clean
from kreview.core.wrapping import PROSE_KINDS, wrap_line
from kreview.tui.bindings import BODY, COMMENT, SIDEWAYS
from kreview.tui.widgets.cached_lines import CachedLinesView
from kreview.tui.widgets.commenting import CommentingMixin

_KIND_CLASS = {
    "header": "body-view--header",
    "note": "body-view--note",
    "attribution": "body-view--attribution",
    "signature": "body-view--signature",
    "fold": "body-view--fold",
    "diff-file": "body-view--diff-file",
    "diff-meta": "body-view--diff-meta",
    "diff-hunk": "body-view--diff-hunk",
    "diff-add": "body-view--diff-added",
    "diff-del": "body-view--diff-removed",
    "diff-ctx": "body-view--diff-context",
    "diffstat": "body-view--diffstat",
    "comment": "body-view--comment",
}


class BodyView(CommentingMixin, CachedLinesView):
    CACHE_SIZE = 512  # a few screens back; scrolling further re-renders cheaply
    BINDINGS = BODY + COMMENT + SIDEWAYS
    COMPONENT_CLASSES = set(_KIND_CLASS.values()) | {
        "body-view--quote-1", "body-view--quote-2", "body-view--quote-3", "body-view--quote-4",
        "body-view--cursor", "body-view--text", "body-view--comment-range", "body-view--cut",
    }

    @dataclass
    class FileListRequested(Message):
        files: list[tuple[str, int]]  # (path, line index)


    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parsed: ParsedMessage | None = None
        self.blocks: list[Block] = []
        self.tags: frozenset[str] = frozenset()
        self.folded: set[int] = set()
        self.lines: list[DisplayLine] = []
        self.cursor = 0
        self.keep = {"keep_head": 3, "keep_tail": 2}
        self._token_styles: dict[str, Style] = {}
        self._token_theme = ""
        self._code_style_over: dict[tuple[Style, str], Style] = {}
        self.wrap_prose = True  # the config's wrap_prose: set by the screen that shows it
        self._wrap_width = 0
        self._wrapped: dict[int, list[str]] = {}  # line index -> its rows, for lines that wrap
        # (kind, text, width) -> rows, of the last wrap: a relayout (marked
        # read, a fold, a comment) wraps the same lines again, and a hostile
        # 1 MB line took 0.1-0.3 s each time.
        self._wrap_memo: dict[tuple[str, str, int], list[str] | None] = {}
        self._first_row: list[int] | None = None  # first row of each line (and the total); None: a row each
        self.reset_comments()

    # -- content ---------------------------------------------------------

    def show_message(self, parsed: ParsedMessage, blocks: list[Block], tags: frozenset[str] = frozenset(),
                     lines: list[DisplayLine] | None = None) -> None:
        self.parsed, self.blocks, self.tags = parsed, blocks, tags
        self.folded = {i for i, b in enumerate(blocks) if b.folded}
        self.cursor = 0
        self.reset_comments()  # the screen brings this message's own (set_comments)
        self._relayout(lines)
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    def show_whole(self, blocks: list[Block], lines: list[DisplayLine], laid_out_tags: frozenset[str]) -> None:
        """The rest of the message shown in part: same message, the cursor
        and the scroll position stay where the reader put them, and so do
        what happened meanwhile: folds the reader toggled, and tags changed
        (marked read) while ``lines`` were laid out with ``laid_out_tags``."""
        toggled = self.folded ^ {i for i, b in enumerate(self.blocks) if b.folded}
        self.blocks = blocks
        self.folded = {i for i, b in enumerate(blocks) if b.folded} ^ {i for i in toggled if i < len(blocks)}
        if toggled:
            self._relayout()  # rare: a fold toggled in the first seconds
            return
        if laid_out_tags != self.tags:
            old_head = len(header_lines(self.parsed, laid_out_tags))
            lines = header_lines(self.parsed, self.tags) + lines[old_head:]
        self.lines = lines
        self.cursor = min(self.cursor, max(0, len(lines) - 1))
        self._after_layout()

    def show_text(self, text: str) -> None:
        """A placeholder or an error in place of a message (it may quote a
        Message-ID or an error about one: cleaned like mail)."""
        self.parsed, self.blocks = None, []
        self.reset_comments()
        self.lines = [DisplayLine("note", line) for line in clean(text).splitlines()]
        self.cursor = 0
        self._after_layout()

    def set_tags(self, tags: frozenset[str]) -> None:
        self.tags = tags
        if self.parsed is not None:
            self._relayout()

    def _relayout(self, lines: list[DisplayLine] | None = None) -> None:
        if self.parsed is None:
            return
        self.lines = lines if lines is not None else message_lines(
            self.parsed, self.blocks, self.folded, self.tags, **self.keep)
        self.cursor = min(self.cursor, max(0, len(self.lines) - 1))
        self._after_layout()

    def _after_layout(self) -> None:
        self.weave_comments()
        self.redraw_lines()
        self.schedule_warm()

    def redraw_lines(self, keep_cache: bool = False) -> None:
        """Lines changed (a layout, a comment): size, cache and position follow.
        Strips are cached by the line they draw, not its position, so lines
        that only moved (a comment woven in above them) keep theirs."""
        if not keep_cache:
            self._cache.clear()
        self._wrap()
        wrapped = self._wrapped
        width = max((len(line.text) for i, line in enumerate(self.lines[:5000]) if i not in wrapped), default=0)
        self.set_virtual_size(Size(width, self.line_count()))
        self.refresh()
        self.update_position()

    def line_count(self) -> int:
        """Rows, not lines: a wrapped line takes several."""
        return self._first_row[-1] if self._first_row is not None else len(self.lines)

    def on_resize(self) -> None:
        if self.wrap_prose and self.scrollable_content_region.width != self._wrap_width:
            # Not keep_cache: a paint at the new width may have come before
            # this event, with rows wrapped for the old one.
            self.redraw_lines()
            self.scroll_to_show(self.cursor)
        self.update_position()

    def watch_show_horizontal_scrollbar(self, shown: bool) -> None:
        # The bar takes a row: the rows on screen the title bar counts change
        # once it is laid out (a wrapped header can make it come or go).
        self.call_after_refresh(self.update_position)

    # -- wrapping ----------------------------------------------------------

    def _wrap(self) -> None:
        """Rows of the prose lines longer than the pane (a patch is nearly
        all diff lines: a kind test each, no wrapping)."""
        width = self._wrap_width = self.scrollable_content_region.width
        wrapped: dict[int, list[str]] = {}
        memo, kept = self._wrap_memo, {}
        if self.wrap_prose and width > 0:
            # Wide characters take two cells: a line of half the width may not fit.
            least = width // 2
            for i, line in enumerate(self.lines):
                if line.kind in PROSE_KINDS and len(line.text) > least:
                    key = (line.kind, line.text, width)
                    rows = kept[key] = memo[key] if key in memo else wrap_line(line.kind, line.text, width)
                    if rows is not None and len(rows) > 1:
                        wrapped[i] = rows
        self._wrapped = wrapped
        self._wrap_memo = kept  # only what this layout wraps: bounded by the message
        if not wrapped:
            self._first_row = None
            return
        counts = [1] * len(self.lines)
        for i, rows in wrapped.items():
            counts[i] = len(rows)
        self._first_row = [0, *accumulate(counts)]

    def row_of(self, index: int) -> int:
        """The first row of line ``index``."""
        first = self._first_row
        if first is None:
            return index
        return first[max(0, min(index, len(first) - 1))]

    def line_at_row(self, row: int) -> tuple[int, int]:
        """The line drawn at ``row``, and which of its rows it is."""
        first = self._first_row
        if first is None:
            return row, 0
        index = max(0, min(bisect_right(first, row) - 1, len(self.lines) - 1))
        return index, row - first[index]

    def _rows_of(self, index: int) -> range:
        return range(self.row_of(index), self.row_of(index + 1) if self._first_row is not None else index + 1)

    # -- drawing ---------------------------------------------------------

    def styles_changed(self) -> None:
        self._token_theme = ""

    def _code_styles(self) -> dict[str, Style]:
        theme = self.app.theme
        if theme != self._token_theme:
            from kreview.tui.theming import token_styles

            self._token_styles = {k: Style.parse(v) for k, v in token_styles(theme).items()}
            self._token_theme = theme
            self._code_style_over.clear()
        return self._token_styles

    def _style_for(self, line: DisplayLine) -> Style:
        if line.kind in ("quote",) or (line.kind == "fold" and line.level):
            return self.component_style(f"body-view--quote-{min(max(line.level, 1), 4)}")
        return self.component_style(_KIND_CLASS.get(line.kind, "body-view--text"))

    def _token_style(self, styles: dict[str, Style], token: str) -> Style | None:
        while token:
            style = styles.get(token)
            if style is not None:
                return style
            token = token.rpartition(".")[0]
        return None

    def _code_style(self, base: Style, token: str) -> Style:
        """``base`` (the diff line's colours) with the code token's colour
        over it, kept: a screen of code uses a few dozen of these."""
        key = (base, token)
        style = self._code_style_over.get(key)
        if style is None:
            code = self._token_style(self._code_styles(), token)
            # Keep the diff line's background; take only the code's colour.
            style = base if code is None else base + Style(color=code.color, bold=code.bold, italic=code.italic)
            self._code_style_over[key] = style
        return style

    def blank_style(self) -> Style:
        return self.component_style("body-view--text")

    def line_strip(self, row: int, scroll_x: int, width: int) -> Strip:
        index, part = self.line_at_row(row)
        selected = index == self.cursor and self.has_focus
        marked = self.mark is not None and self.in_marked_range(index)
        line = self.lines[index]
        key = (line, part, scroll_x, width, selected, self.app.theme, marked)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        rows = self._wrapped.get(index) if self._first_row is not None else None
        segments = self._line_segments(line if rows is None else line._replace(text=rows[part]))
        pad = self.blank_style()
        if marked:
            segments = list(Segment.apply_style(segments, post_style=self.cursor_background("body-view--comment-range")))
        if selected:
            # The whole row, not only its text: a cursor on a short or empty
            # line was a few underlined cells (issue 17).
            cursor = self.component_style("body-view--cursor")
            segments = list(Segment.apply_style(segments, post_style=cursor))
            pad = pad + cursor
        strip = cut_marks(Strip(segments), scroll_x, width, pad, self.component_style("body-view--cut"))
        self._cache[key] = strip
        return strip

    def _line_segments(self, line: DisplayLine) -> list[Segment]:
        """The line as styled segments, built directly (a Rich Text and its
        render() cost several times more for each line of a long patch)."""
        base = self._style_for(line)
        start = line.code_start
        if not line.lexer or line.lexer == "text" or start >= len(line.text):
            return [Segment(line.text, base)]
        self._code_styles()  # drops the per-token styles if the theme changed
        segments = [Segment(line.text[:start], base)] if start else []
        # Neighbouring tokens that come out in the same style are one
        # segment: every segment costs again in Textual's compositor and
        # filters on each repaint, and most themes colour punctuation,
        # operators and spaces alike.
        text, style = "", None
        for token, value in highlight_line(line.lexer, line.text[start:]):
            token_style = self._code_style(base, token)
            if token_style is style or token_style == style:
                text += value
                continue
            if style is not None:
                segments.append(Segment(text, style))
            text, style = value, token_style
        if style is not None:
            segments.append(Segment(text, style))
        return segments

    # -- cursor and folding ---------------------------------------------

    def _move(self, delta: int) -> None:
        if not self.lines:
            return
        before = self.cursor
        self.cursor = max(0, min(len(self.lines) - 1, self.cursor + delta))
        self.repaint_cursor_move(before, self.cursor)

    def action_scroll_down(self) -> None:
        self._move(1)

    def action_scroll_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(self._page_lines(1))

    def action_page_up(self) -> None:
        self._move(self._page_lines(-1))

    def _page_lines(self, direction: int) -> int:
        """How many lines a page of rows is from the cursor (wrapped lines
        take several rows: a page is a screen, not a number of lines)."""
        if self._first_row is None:
            return direction * self.page_rows
        row = self.row_of(self.cursor) + direction * self.page_rows
        target = self.line_at_row(max(0, min(row, self.line_count() - 1)))[0]
        return (target - self.cursor) or direction

    def scroll_to_show(self, index: int) -> bool:
        """Scroll the least that puts line ``index`` on screen, all its rows
        if they fit (the base class works in rows)."""
        if self._first_row is None:
            return super().scroll_to_show(index)
        rows = self._rows_of(index)
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if rows.start < top or len(rows) > height:
            target = rows.start
        elif rows.stop > top + height:
            target = rows.stop - height
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        return True

    def repaint_cursor_move(self, before: int, after: int) -> None:
        if self._first_row is None:
            super().repaint_cursor_move(before, after)
            return
        if self.scroll_to_show(after):
            self.refresh()
        else:
            for row in (*self._rows_of(before), *self._rows_of(after)):
                self.refresh_line(row)
        self.schedule_warm()

    def action_scroll_home(self) -> None:
        self._move(-len(self.lines))

    def action_scroll_end(self) -> None:
        self._move(len(self.lines))

    def at_end(self) -> bool:
        return self.scroll_offset.y + self.scrollable_content_region.height >= self.line_count()

    def current_block(self) -> int:
        if 0 <= self.cursor < len(self.lines):
            return self.lines[self.cursor].block
        return -1

    def _foldable(self, index: int) -> bool:
        if not 0 <= index < len(self.blocks):
            return False
        block = self.blocks[index]
        return block.type in ("quote", "signature") or (block.type == "diff" and block.level > 0)

    def action_scroll_sideways(self, direction: int) -> None:
        """Half a screen sideways: long diff lines are cut, never wrapped
        (a wrapped line of code reads as a line of its own)."""
        step = max(8, self.scrollable_content_region.width // 2)
        self.scroll_to(x=max(0, self.scroll_offset.x + direction * step), animate=False, immediate=True, force=True)

    def action_toggle_fold(self) -> None:
        index = self.current_block()
        if not self._foldable(index):
            return
        self.folded ^= {index}
        self._relayout()
        # Keep the cursor on the block it acted on.
        for i, line in enumerate(self.lines):
            if line.block == index:
                self.cursor = i
                break
        self.scroll_to_show(self.cursor)

    def action_toggle_all_folds(self) -> None:
        foldable = {i for i in range(len(self.blocks)) if self._foldable(i) and self.blocks[i].type != "diff"}
        self.folded = set() if self.folded & foldable else {i for i in foldable if len(self.blocks[i].lines) > 1}
        self._relayout()

    # -- diff navigation -------------------------------------------------

    def _jump(self, kinds: tuple[str, ...], forward: bool) -> None:
        rng = range(self.cursor + 1, len(self.lines)) if forward else range(self.cursor - 1, -1, -1)
        for i in rng:
            if self.lines[i].kind in kinds:
                self.goto_line(i)
                return
        self.app.bell()

    def action_next_hunk(self) -> None:
        self._jump(("diff-hunk",), True)

    def action_previous_hunk(self) -> None:
        self._jump(("diff-hunk",), False)

    def action_next_file(self) -> None:
        self._jump(("diff-file",), True)

    def action_previous_file(self) -> None:
        self._jump(("diff-file",), False)

    def files(self) -> list[tuple[str, int]]:
        out = []
        for i, line in enumerate(self.lines):
            if line.kind == "diff-file":
                header = line.text[len(line.prefix):]
                names = git_diff_names(header)
                out.append((diff_path(names[1]) if names else header, i))
        return out

    def goto_line(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self.lines) - 1))
        self.scroll_to(y=max(0, self.row_of(self.cursor) - 2), animate=False, immediate=True, force=True)
        self.refresh()

    def action_file_list(self) -> None:
        files = self.files()
        if files:
            self.post_message(self.FileListRequested(files))
        else:
            self.app.notify("This message has no diff.", severity="warning")

    def current_hunk_text(self) -> str | None:
        """The hunk under the cursor with its file header (for an inline-review reply)."""
        if not self.lines or not self.lines[self.cursor].kind.startswith("diff"):
            return None
        start = self.cursor
        while start > 0 and self.lines[start].kind != "diff-hunk":
            start -= 1
        if self.lines[start].kind != "diff-hunk":
            return None
        end = start + 1
        while end < len(self.lines) and self.lines[end].kind in ("diff-add", "diff-del", "diff-ctx", "diff-meta",
                                                                  "comment"):
            if self.lines[end].kind == "diff-meta" and not self.lines[end].text.startswith("\\"):
                break
            end += 1
        header: list[str] = []
        i = start - 1
        while i >= 0 and self.lines[i].kind in ("diff-meta", "diff-file", "diff-hunk", "diff-add", "diff-del", "diff-ctx",
                                                "comment"):
            if self.lines[i].kind == "diff-file":
                header = [self._raw(l) for l in self.lines[i:start] if l.kind in ("diff-file", "diff-meta")]
                break
            i -= 1
        return "\n".join(header + [self._raw(l) for l in self.lines[start:end] if l.kind != "comment"])

    @staticmethod
    def _raw(line: DisplayLine) -> str:
        """The line as in the mail: no quote prefix, tabs kept, no counts we appended."""
        return (line.source or line.text)[len(line.prefix):]



def cut_marks(strip: Strip, scroll_x: int, width: int, pad: Style, mark: Style) -> Strip:
    """``strip`` from column ``scroll_x``, ``width`` wide, with › in the last
    column when the line goes on to the right and ‹ in the first when it was
    scrolled past on the left: a cut line says it is cut."""
    length = strip.cell_length
    shown = strip.crop_extend(scroll_x, scroll_x + width, pad)
    if width < 4:
        return shown
    if length > scroll_x + width:
        shown = Strip.join([shown.crop(0, width - 1), Strip([Segment("›", pad + mark)])])
    if scroll_x > 0 and length > scroll_x:
        shown = Strip.join([Strip([Segment("‹", pad + mark)]), shown.crop(1, width)])
    return shown

"""What the Line-API widgets share: one render_line over a Strip cache that
is dropped whenever what a line looks like may have changed (styles, theme,
focus); the component styles rows are drawn with, resolved once per style
change; keeping a cursor line on screen; drawing the next page ahead; and
the scroll position for screens that show it instead of a scrollbar.

A widget says how many lines it has (``line_count``) and how line ``index``
looks (``line_strip``, cached by the widget under its own key)."""
from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kreview.tui.textual_compat import set_virtual_size_quietly


def cursor_bindings(prefix: str) -> list[Binding]:
    """The arrow, Home/End and page keys of a cursor list, with keymap ids
    under ``prefix`` ("tree.up", ...), for the actions the widget defines."""
    return [
        Binding("up", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("down", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("home", "cursor_home", "First", show=False, id=f"{prefix}.first"),
        Binding("end", "cursor_end", "Last", show=False, id=f"{prefix}.last"),
        Binding("pageup", "page_up_rows", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page_down_rows", "Page down", show=False, id=f"{prefix}.page_down"),
    ]


class CursorKeys:
    """The actions of ``cursor_bindings`` for a view with a row ``cursor``:
    each key asks ``key_move(row)`` (which clamps) to go to a row."""

    def key_move(self, row: int) -> None:
        raise NotImplementedError

    def action_cursor_up(self) -> None:
        self.key_move(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.key_move(self.cursor + 1)

    def action_cursor_home(self) -> None:
        self.key_move(0)

    def action_cursor_end(self) -> None:
        self.key_move(self.line_count() - 1)

    def action_page_up_rows(self) -> None:
        self.key_move(self.cursor - self.page_rows)

    def action_page_down_rows(self) -> None:
        self.key_move(self.cursor + self.page_rows)


class CachedLinesView(ScrollView, can_focus=True):
    CACHE_SIZE = 256
    # Lines (top, end excluded, of how many) on screen, for widgets that
    # show no vertical scrollbar (redrawn on every move, a bar cost a third
    # of a PageDown): their screen watches this and says where the reader
    # is, in the same frame (a message would arrive a frame late).
    position: var[tuple[int, int, int]] = var((0, 0, 0))

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple, Strip] = LRUCache(self.CACHE_SIZE)
        self._styles: dict[str, Style] = {}
        self._drawn_with: Style | None = None  # rich_style when the cached lines were drawn
        self._restyled = False  # the stylesheet was applied again since the last check
        self._warm_pending = False

    def set_virtual_size(self, size: Size) -> None:
        """Change the scrollable size, without a layout pass when it can be
        spared. Textual's virtual_size is a layout reactive: every change
        lays out and repaints the whole screen (30-40 ms here), though a
        list growing by a page, or a pane showing another message, changes
        nothing outside this widget and its scrollbar thumbs, unless a
        scrollbar comes or goes."""
        old = self.virtual_size
        if size == old:
            return
        if not self.display:
            # Hidden (display: none): nothing on screen changes now, and the
            # layout that shows it sizes its scrollbars from this size.
            set_virtual_size_quietly(self, size)
            self.refresh()
            return
        width, height = self.container_size
        styles = self.styles
        wants = (styles.overflow_y == "scroll" or styles.overflow_y == "auto" and size.height > height,
                 styles.overflow_x == "scroll" or styles.overflow_x == "auto" and size.width > width)
        if (not width or not height
                or wants != (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
                or self._bars(size, width, height) != self._bars(old, width, height)):
            self.virtual_size = size  # Textual's way: a layout pass
            return
        set_virtual_size_quietly(self, size)
        self.refresh()

    def _bars(self, size: Size, width: int, height: int) -> tuple[bool, ...]:
        """Which sides of the scrollbar thresholds ``size`` is on (with and
        without the other bar's room taken): equal tuples, same bars. Only
        an ``auto`` axis has thresholds: a bar that is always there (or
        never) does not come or go with the size (the thread tree's, so
        opening a thread of another size needs no layout pass)."""
        styles = self.styles
        bar_w = styles.scrollbar_size_vertical
        bar_h = styles.scrollbar_size_horizontal
        sides: tuple[bool, ...] = ()
        if styles.overflow_x == "auto":
            sides += (size.width > width, size.width > width - bar_w)
        if styles.overflow_y == "auto":
            sides += (size.height > height, size.height > height - bar_h)
        return sides

    def line_count(self) -> int:
        """How many lines there are to scroll through."""
        return self.virtual_size.height

    def line_strip(self, index: int, scroll_x: int, width: int) -> Strip:
        """Line ``index`` drawn ``width`` cells wide from column ``scroll_x``."""
        raise NotImplementedError

    def blank_style(self) -> Style:
        """How the space below the last line looks."""
        return self.base_style

    def render_line(self, y: int) -> Strip:
        self._check_styles()
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= self.line_count():
            return Strip.blank(width, self.blank_style())
        return self.line_strip(index, scroll_x, width)

    @property
    def page_rows(self) -> int:
        """How far a page key moves: a screen, less the line kept in view."""
        return max(1, self.scrollable_content_region.height - 1)

    def scroll_to_show(self, index: int) -> bool:
        """Scroll the least that puts line ``index`` on screen; whether it
        scrolled. At once, not after the next repaint (Textual's default,
        which painted every PageDown twice); and forced: Textual allows a
        scroll only once a layout pass has noted that a scrollbar is needed,
        and a key can come before that (rows just arrived). The bound is
        still max_scroll_y."""
        # Not laid out yet (hidden, or height auto before its first layout):
        # the line goes to the top, so the first paint draws the lines
        # around it and nothing is drawn twice.
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if index < top:
            target = index
        elif index >= top + height:
            target = index - height + 1
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        return True

    def place_cursor(self, row: int) -> bool:
        """Put the cursor on line ``row``, kept within the lines there are,
        and repaint what moved; False (nothing done) when there are none."""
        count = self.line_count()
        if not count:
            return False
        before, self.cursor = self.cursor, max(0, min(count - 1, row))
        self.repaint_cursor_move(before, self.cursor)
        return True

    def repaint_cursor_move(self, before: int, after: int) -> None:
        """The cursor went from line ``before`` to ``after``: keep it on
        screen, and repaint the whole view only if that scrolled (otherwise
        just the two lines that changed); then draw ahead."""
        if self.scroll_to_show(after):
            self.refresh()
        else:
            self.refresh_line(before)
            self.refresh_line(after)
        self.schedule_warm()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.update_position()

    def update_position(self) -> None:
        top = round(self.scroll_y)
        total = self.line_count()
        self.position = (top, min(total, top + self.scrollable_content_region.height), total)

    def component_style(self, name: str) -> Style:
        """A component class's full style (colours blended over the widget's
        background, so translucent theme colours such as ``$accent 40%`` come
        out as the terminal should show them). Resolving it walks the CSS,
        so it is kept until the styles change."""
        self._check_styles()
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    @property
    def base_style(self) -> Style:
        """The widget's own ``rich_style``, kept with the component styles:
        Textual walks every ancestor's CSS to compute it, and asking for it
        once or twice per row was a third of drawing a thread's rows."""
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def cursor_background(self, name: str) -> Style:
        """Only the background of a cursor component class, to lay over a
        row's own colours."""
        return Style(bgcolor=self.component_style(name).bgcolor)

    def row_cursor(self, prefix: str) -> Style:
        """The row cursor's background: component class ``<prefix>--cursor``,
        or ``<prefix>--cursor-blurred`` while the widget is not focused."""
        return self.cursor_background(f"{prefix}--cursor" if self.has_focus else f"{prefix}--cursor-blurred")

    def row_strip(self, segments: list[Segment], selected: bool, prefix: str, start: int, end: int) -> Strip:
        """A row of ``segments`` cut to cells [start, end), padded in the
        widget's style; on the cursor row, the cursor's background laid over
        every segment and the padding (see ``row_cursor``)."""
        pad = self.base_style
        if selected:
            cursor = self.row_cursor(prefix)
            segments = [Segment(text, style + cursor) for text, style, _ in segments]
            pad = pad + cursor
        return Strip(segments).crop_extend(start, end, pad)

    def redraw(self) -> None:
        """Forget every rendered line and repaint."""
        self._cache.clear()
        self.refresh()
        self.schedule_warm()  # and draw ahead again

    # -- drawing ahead -----------------------------------------------------
    # Reading is mostly paging down: after a paint, the page below is drawn
    # into the cache before the next key comes (a key repeats every 40 ms,
    # a page of rows costs ~10 ms to draw), so the key only composites.

    def schedule_warm(self) -> None:
        if not self._warm_pending:
            self._warm_pending = True
            # A little after the paint, not right after it: the terminal
            # driver's writer thread needs the interpreter to send the frame
            # out, and drawing ahead would hold it for several ms.
            self.set_timer(0.01, self._run_warm)

    def _run_warm(self) -> None:
        self._warm_pending = False
        if self.is_attached:
            self.warm_next_page()

    def warm_next_page(self) -> None:
        """Draw the page below the screen into the cache."""
        self._check_styles()
        scroll_x, top = self.scroll_offset
        region = self.scrollable_content_region
        for index in range(top + region.height, min(self.line_count(), top + 2 * region.height)):
            self.line_strip(index, scroll_x, region.width)

    def notify_style_update(self) -> None:
        # Textual calls this each time the stylesheet is applied to the
        # widget (focus moving, the screen's width class set on the first
        # resize...), whether or not a style changed: at start-up the list's
        # first page was drawn twice before the first frame, once for
        # nothing. The lines are dropped only if a style they were drawn
        # with differs, checked before the next drawing (here the
        # component classes are not updated yet).
        super().notify_style_update()
        self._restyled = True

    def _check_styles(self) -> None:
        if not self._restyled:
            return
        self._restyled = False
        now = self.rich_style
        # ("" is the widget's own style, kept there by base_style.)
        fresh = {name: now if name == "" else self.get_component_rich_style(name) for name in self._styles}
        if now != self._drawn_with or fresh != self._styles:
            self._cache.clear()
            self.styles_changed()
        self._drawn_with = now
        self._styles = fresh

    def styles_changed(self) -> None:
        """A style the lines were drawn with changed (and the cache was dropped)."""

    # Focus is in every cache key (the cursor line looks different with and
    # without it): a focus change repaints, and keeps what was drawn.
    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

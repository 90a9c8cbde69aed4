"""What the Line-API widgets share: a Strip cache that is dropped whenever
what a line looks like may have changed (styles, theme, focus), and the
component styles rows are drawn with, resolved once per style change."""
from __future__ import annotations

from rich.style import Style
from textual.cache import LRUCache
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CachedLinesView(ScrollView, can_focus=True):
    CACHE_SIZE = 256

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple, Strip] = LRUCache(self.CACHE_SIZE)
        self._styles: dict[str, Style] = {}

    def component_style(self, name: str) -> Style:
        """A component class's full style (colours blended over the widget's
        background, so translucent theme colours such as ``$accent 40%`` come
        out as the terminal should show them). Resolving it walks the CSS,
        so it is kept until the styles change."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def cursor_background(self, name: str) -> Style:
        """Only the background of a cursor component class, to lay over a
        row's own colours."""
        return Style(bgcolor=self.component_style(name).bgcolor)

    def redraw(self) -> None:
        """Forget every rendered line and repaint."""
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def on_focus(self) -> None:
        self.redraw()  # the cursor line looks different with and without focus

    def on_blur(self) -> None:
        self.redraw()

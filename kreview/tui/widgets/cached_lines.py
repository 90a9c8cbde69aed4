"""What the Line-API widgets share: a Strip cache that is dropped whenever
what a line looks like may have changed (styles, theme, focus)."""
from __future__ import annotations

from textual.cache import LRUCache
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CachedLinesView(ScrollView, can_focus=True):
    CACHE_SIZE = 256

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple, Strip] = LRUCache(self.CACHE_SIZE)

    def redraw(self) -> None:
        """Forget every rendered line and repaint."""
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self.redraw()  # the cursor line looks different with and without focus

    def on_blur(self) -> None:
        self.redraw()

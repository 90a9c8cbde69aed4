"""The key line at the bottom of each screen: the keys that act where the
focus is, as Textual's Footer shows them, drawn as one line of text.

Textual's Footer mounts a widget per key and restyles each of them whenever
focus moves; on the thread screen that was a fifth of the work of opening a
thread. This widget renders the same facts (the screen's active bindings
with ``show=True``, keys as remapped by the keymap) into one line, and
repaints only that line when the bindings change. A click on a key presses
it, as in the Footer.
"""
from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyHints(Widget):
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description"}

    DEFAULT_CSS = """
    KeyHints {
        height: 1;
        dock: bottom;
        background: $footer-background;
    }
    KeyHints > .key-hints--key { color: $footer-key-foreground; text-style: bold; }
    KeyHints > .key-hints--description { color: $footer-description-foreground; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # (first column, end column, key) of each key shown, for clicks
        self._spans: list[tuple[int, int, str]] = []
        # Screen.active_bindings walks the focus chain and checks every
        # action: worth doing when the bindings change, not on every paint.
        self._hints: list[tuple[str, str, str, bool]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        # The keys are worked out after the screen's first frame: the first
        # Screen.active_bindings parses every binding's action (~10-20 ms),
        # and the rows the reader came for should not wait for the key line.
        self._hints = []
        self.call_after_refresh(self._first_hints)

    def _first_hints(self) -> None:
        self._hints = None
        self.refresh()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        if self._hints:
            # Drawn before: repaint only if the keys differ. Textual says the
            # bindings changed after every focus move, once the frame that
            # shows it is painted; opening a thread focuses its tree, and an
            # unchanged key line was a second frame (~20 ms) after the first.
            # Worked out again (~0.1 ms once the actions are parsed).
            hints = self.hints()
            if hints == self._hints:
                return
            self._hints = hints
        else:
            self._hints = None  # worked out when drawn
        self.refresh()

    def hints(self) -> list[tuple[str, str, str, bool]]:
        """(key, shown key, description, enabled), one per action, in
        binding order, as the Footer would list them."""
        seen: set[str] = set()
        out = []
        active = self.screen.active_bindings  # a property that builds the whole map
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((binding.key, self.app.get_key_display(binding), binding.description, enabled))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None and palette[1].action not in seen:
            _node, binding, enabled, _tooltip = palette
            out.append((binding.key, self.app.get_key_display(binding), binding.description, enabled))
        return out

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        if self._hints is None:
            self._hints = self.hints()
        for key, shown, description, enabled in self._hints:
            start = line.cell_len
            line.append(f" {shown} ", key_style)
            line.append(f"{description} ", description_style)
            if not enabled:
                line.stylize("dim", start)
            self._spans.append((start, line.cell_len, key))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return

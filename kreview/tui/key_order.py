"""Keys are handled one at a time: a key typed right after one that opens an
input goes into that input, however fast the two arrive.

Textual hands each key to the widget focused *when the key is read*, and
moves the focus later (``Widget.focus`` is a queued callback; a pushed
screen focuses its input once it is mounted). Keys that arrive in one burst
(a fast typist, a terminal without bracketed paste, tmux ``send-keys "/abc"``) are all read before the
first one's action has run, so ``/`` then ``a`` focused the query box and
archived the thread under the cursor with the ``a``.

:class:`OrderedKeys` (mixed into the App) holds every key after the first
until the first has been handled completely: its widget kept it (an input
typed it), or it reached the App and its binding ran. Then the next key
waits once more for the App's queue (a ``focus()`` just asked for) and, if
the key changed the screen in front, for that screen's queue (a screen just
pushed: mounted, resumed, its input focused) before it is given to whatever
has the focus then. In a burst this costs ~2 ms a key instead of ~0.7 ms
(200 keys: 0.4 s instead of 0.15 s); a person's keys are tens of ms apart.
"""
from __future__ import annotations

from collections import deque

from textual import events

from kreview.tui.textual_compat import propagation_stopped


class OrderedKey(events.Key):
    """A key the App follows until it has been handled (see OrderedKeys)."""

    def __init__(self, key: str, character: str | None, owner: "OrderedKeys") -> None:
        super().__init__(key, character)
        self._owner = owner
        self.sent_on_screen = None  # the screen in front when the key was sent
        # Sent by nobody: Textual stops a message at the parent that sent
        # it, which would stop the key at the App before its binding runs.
        self._sender = None

    def stop(self, stop: bool = True) -> None:
        super().stop(stop)
        if stop:
            # A widget kept the key (an input typed it): it will not reach the App.
            self._owner._key_finished(self)


# Dispatched exactly as a Key: Textual names a subclass's handler after the
# subclass (on_ordered_key) when the class is made, so this comes after.
OrderedKey.handler_name = events.Key.handler_name


class OrderedKeys:
    """Mixin for an App: keys reach widgets strictly one after another."""

    # A key that never reaches the App nor is stopped (its widget went away
    # while it was queued) lets the next one go after this long.
    KEY_LOST_AFTER = 0.5

    def _init_ordered_keys(self) -> None:
        self._held_keys: deque[events.Key] = deque()
        self._key_in_flight: OrderedKey | None = None
        self._lost_key_timer = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, OrderedKey):
            await super().on_event(event)  # back at the App: its binding runs here
            if event.is_forwarded or propagation_stopped(event):
                self._key_finished(event)
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            if self._key_in_flight is None:
                await self._send_next_key()
            return
        await super().on_event(event)

    async def _send_next_key(self) -> None:
        while self._key_in_flight is None and self._held_keys:
            raw = self._held_keys.popleft()
            key = OrderedKey(raw.key, raw.character, self)
            key.time = raw.time
            try:
                key.sent_on_screen = self.screen
            except Exception:
                key.sent_on_screen = None
            self._key_in_flight = key
            await super().on_event(key)  # priority bindings, else to the focused widget
            if not key.is_forwarded:
                self._key_in_flight = None  # a priority binding took it: done
            else:
                self._arm_lost_key_timer(key)

    def _arm_lost_key_timer(self, key: OrderedKey) -> None:
        if self._lost_key_timer is not None:
            self._lost_key_timer.stop()
        self._lost_key_timer = self.set_timer(self.KEY_LOST_AFTER, lambda: self._key_finished(key))

    def _key_finished(self, key: OrderedKey) -> None:
        if key is not self._key_in_flight:
            return  # finished already (stopped, then seen again)
        if self._lost_key_timer is not None:
            self._lost_key_timer.stop()
            self._lost_key_timer = None
        # Still "in flight" until the queues have settled: keys read meanwhile wait.
        self.call_later(self._settle_screen, key)

    async def _settle_screen(self, key: OrderedKey) -> None:
        # The App's queue is through (a queued focus() has run). If the key
        # changed the screen in front (pushed a prompt, popped one), that
        # screen's queue too (mounted, resumed, its input focused), then
        # back on the App's own task to send the next key.
        try:
            screen = self.screen
        except Exception:  # no screen: the app is closing, nothing to wait for
            screen = None
        if screen is None or screen is key.sent_on_screen:
            await self._release(key)
        elif not screen.call_later(self.call_later, self._release, key):
            await self._release(key)  # the screen is closing

    async def _release(self, key: OrderedKey) -> None:
        if key is self._key_in_flight:
            self._key_in_flight = None
            await self._send_next_key()

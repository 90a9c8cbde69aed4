"""Counting the lines a Line-API widget draws, for benchmarks that time a
key "until the screen shows it".

The reader's widgets know nothing of this: while ``counting_paints`` is
active, the given classes' ``render_line`` is wrapped (in the benchmark's
own process) to count the calls that draw a line of content, i.e. not the
blank space below the last line. Textual calls ``render_line`` for each
line of a region being repainted, so a count that grows means the widget
has painted since.
"""
from __future__ import annotations

from collections import Counter


class counting_paints:  # noqa: N801 - used as a context manager, like contextlib's
    """``with`` (or ``async with``, beside ``app.run_test()``) gives a
    Counter: widget -> lines of content it has drawn while the block runs."""

    def __init__(self, *classes: type) -> None:
        self.classes = classes
        self.drawn: Counter = Counter()
        self._originals: dict[type, object] = {}

    def __enter__(self) -> Counter:
        drawn = self.drawn

        def wrap(original):
            def render_line(self, y):
                if self.scroll_offset.y + y < self.line_count():
                    drawn[self] += 1
                return original(self, y)
            return render_line

        for cls in self.classes:
            self._originals[cls] = cls.__dict__.get("render_line")
            cls.render_line = wrap(cls.render_line)
        return drawn

    def __exit__(self, *exc) -> None:
        for cls, original in self._originals.items():
            if original is None:
                del cls.render_line
            else:
                cls.render_line = original

    async def __aenter__(self) -> Counter:
        return self.__enter__()

    async def __aexit__(self, *exc) -> None:
        self.__exit__(*exc)

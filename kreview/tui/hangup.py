"""Leave when the terminal goes away.

A closed terminal normally sends SIGHUP, but only to the session leader. When
kreview runs under another program that catches SIGHUP and waits for its
children (``make demo`` does), the signal never reaches us; the tty simply
stops being one. Textual's input thread then reads end-of-file in a tight loop,
and the orphaned reader spins at most of a core until someone kills it.

So once a second the reader checks that its terminal is still a terminal and
exits when it is not.
"""
from __future__ import annotations

import os
import sys

CHECK_EVERY = 1.0  # seconds; a closed terminal is found within this


def terminal_fd() -> int | None:
    """The descriptor of the terminal the reader was started on, if any."""
    stream = sys.__stdin__
    if stream is None:
        return None
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


def watch_terminal(app) -> None:
    """Exit ``app`` once the terminal it started on has been closed.

    Does nothing for a headless app (tests) or one not started on a tty.
    """
    fd = terminal_fd()
    if fd is None or app.is_headless:
        return

    def check() -> None:
        if not os.isatty(fd):
            app.exit(return_code=129)  # 128 + SIGHUP, as if the signal had come

    app.set_interval(CHECK_EVERY, check, name="terminal-watch")

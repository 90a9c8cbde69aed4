"""What opening a thread needs the first time is loaded while the reader
looks at the list, not on the first Enter."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import asyncio, sys, time
    from pathlib import Path
    from kreview.core.store import Store
    from kreview.tui.app import build_app

    READING = ("kreview.core.reading", "kreview.tui.screens.thread", "pygments.lexers.c_cpp", "kreview.tui.screens.help")

    async def main():
        assert not [m for m in READING if m in sys.modules], "loaded before the app started"
        app = build_app(Store(Path(sys.argv[1])), None, "*")
        async with app.run_test(size=(120, 30)) as pilot:
            deadline = time.monotonic() + 20
            while not all(m in sys.modules for m in READING):
                assert time.monotonic() < deadline, [m for m in READING if m not in sys.modules]
                await pilot.pause(0.05)
            assert type(app.screen).__name__ == "SearchScreen"  # no thread was opened
        print("loaded")

    asyncio.run(main())
""")


def test_reading_path_is_loaded_after_the_first_frame(notmuch_root):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(notmuch_root / "notmuch-config")],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded"

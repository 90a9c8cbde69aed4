"""What is loaded before the first screen: only what the thread list needs.

Not a timing: the modules in ``sys.modules`` when the first frame has been
drawn (the moment the app starts warming up the reading path). A feature
that slips its imports into start-up makes this fail; load it on first use
instead (a lazy import in the action, or the warm-up in tui/app.py), or, if
the list really needs it, add it here and say why in the commit.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import asyncio, sys  # not json: whether kreview loads it is checked
    from pathlib import Path
    from kreview.core.store import Store
    from kreview.tui import app as app_module

    seen = {}

    def first_frame_drawn(self):
        seen["modules"] = sorted(sys.modules)

    app_module.KreviewApp._prepare_reading = first_frame_drawn

    async def main():
        app = app_module.build_app(Store(Path(sys.argv[1])), None, "*")
        async with app.run_test(size=(120, 30)) as pilot:
            while "modules" not in seen:
                await pilot.pause(0.02)
        print(" ".join(seen["modules"]))

    asyncio.run(main())
""")

# The kreview modules the thread list needs for its first screen.
LIST_MODULES = {
    "kreview", "kreview.config", "kreview.paths",
    "kreview.core", "kreview.core.folding", "kreview.core.model", "kreview.core.notmuch_config",
    "kreview.core.paging", "kreview.core.sanitize", "kreview.core.store", "kreview.core.tagops",
    "kreview.core.muting",  # the first query leaves muted threads out
    "kreview.core.rwlock",  # the store's reads and writes take turns
    "kreview.core.queries",  # muting and the store narrow the user's query
    "kreview.tui", "kreview.tui.app", "kreview.tui.bindings", "kreview.tui.commands",
    "kreview.tui.screens", "kreview.tui.screens.search",
    "kreview.tui.tagging", "kreview.tui.theming",
    "kreview.tui.mail_text",  # the list's rows and status line show mail text
    "kreview.tui.key_order",  # keys typed at once reach the prompt they open
    "kreview.tui.background",  # the list reads its pages in workers (imports only textual)
    "kreview.tui.textual_compat",  # the theme set before the first CSS parse; the list grows without a layout pass
    "kreview.tui.hangup",  # a closed terminal ends the reader (os and sys only)
    "kreview.tui.series_commands",  # the palette's provider class (its work is imported on use)
    "kreview.tui.widgets", "kreview.tui.widgets.cached_lines", "kreview.tui.widgets.key_hints",
    "kreview.tui.widgets.thread_list",
}
# Libraries only reading, review or fetching need: never before the first screen.
FEATURE_LIBRARIES = ("email", "unidiff", "pygments.lexers", "http.client", "urllib.request", "mailbox",
                     "secrets", "json",  # the intent log's and config errors' (tag writes, broken files)
                     "pygments",  # styles of code in diffs: shipped themes' style names are trusted
                     "argparse")  # the CLI's: the reader's plain command line is read without it


def loaded_at_first_screen(config) -> set[str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(config)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.strip().splitlines()[-1].split())


def test_only_what_the_list_needs_is_loaded_before_the_first_screen(notmuch_root):
    modules = loaded_at_first_screen(notmuch_root / "notmuch-config")
    kreview = {m for m in modules if m == "kreview" or m.startswith("kreview.")}
    assert sorted(kreview - LIST_MODULES) == [], "loaded at start-up; load it on first use"
    assert [lib for lib in FEATURE_LIBRARIES if lib in modules] == []
    # The check sees what it should: the list itself is there.
    assert "kreview.tui.widgets.thread_list" in kreview

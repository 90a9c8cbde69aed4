"""End to end at 120x40 and 250x70, in a real terminal (80x24 has its own
test): the list, a thread with a patch and a review reply, the series panel
and the help screen, each checked for what a reader sees at that size."""
from __future__ import annotations

import pytest

from tests.e2e.tmux import Terminal, kreview_command, terminal_env

COVER = "[PATCH v8 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only"
V7 = "[PATCH v7 0/7] mm: Merge hmm into devm_memremap_pages, mark GPL-only"
PATCH_SUBJECT = "Subject: [PATCH v8 1/7] mm, devm_memremap_pages: Mark devm_memremap_pages() EXPORT_SYMBOL_GPL"
PROSE = "devm_memremap_pages() is a facility that can create struct page entries"
TRAILER = "Tested-by: Logan Gunthorpe <logang@deltatee.com>"


def row_with(screen: str, text: str) -> str:
    return next((line for line in screen.splitlines() if text in line), "")


@pytest.mark.parametrize("width, height", [(120, 40), (250, 70)])
def test_a_day_at_larger_sizes(store, notmuch_root, isolated_env, width, height):
    env = terminal_env(NOTMUCH_CONFIG=str(notmuch_root / "notmuch-config"), TZ="UTC")
    total = store.count_threads("*")
    term = Terminal(kreview_command() + ["*"], env, width=width, height=height)
    try:
        # The list: every thread on one screen, whole subjects, the count.
        def seen(*texts: str, where=None) -> str:
            """The screen once every text is on it (``where``: a check of the whole screen)."""
            return term.wait_until(lambda shown: all(t in shown for t in texts) and (where is None or where(shown)),
                                   f"{texts}")

        seen(f"*: {total} threads", f"1-{total} of {total}", V7)
        if width >= 200:
            seen(where=lambda shown: COVER in row_with(shown, "[PATCH v8 0/7]")  # and its tag beside it
                 and "flagged" in row_with(shown, "[PATCH v8 0/7]"))

        # The thread: the tree and the series panel beside it, the message
        # the width of the terminal at 120 (below it), beside them at 250.
        term.send("g", "j", "j", "j", "j", "Enter")
        if width >= 200:
            patch_row = "├─ Dan Williams  2018-11-20  [PATCH v8 1/7]"
            seen("1/7 A:1 R:1 T:1", f"{TRAILER}  (cover reply)",  # the trailers' origins whole
                 where=lambda shown: COVER in row_with(shown, "▾ Dan Williams  2018-11-20")  # subjects whole
                 and PATCH_SUBJECT.removeprefix("Subject: ") in row_with(shown, patch_row))
        else:
            # A tree under 60 columns drops the date and numbers the patch.
            seen("1/7 A:1 R:1 T:1", TRAILER,
                 where=lambda shown: "1/7 mm, devm_memremap_pages: Mark" in row_with(shown, "├─ Dan Williams  1/7")
                 and shown.splitlines()[1].startswith("▾ Dan Williams")  # the tree on top ...
                 and any(line.startswith(" From: Dan Williams") for line in shown.splitlines()))  # ... the message full width

        # A patch: its header and prose on one row each (not wrapped at 70
        # columns), and its diff from the next-hunk key.
        term.send(")")
        seen(PATCH_SUBJECT, PROSE)

        # A review reply under it: attribution, quoted patch, the trailer.
        term.send("j")
        seen("On Tue 20-11-18 15:12:54, Dan Williams wrote:", "Subject: Re: [PATCH v8 1/7]",
             "> devm_memremap_pages() is a facility that can create struct", "Acked-by: Michal Hocko <mhocko@suse.com>")

        term.send("k")  # back to the patch
        seen(PATCH_SUBJECT)
        for _ in range(3):  # Tab on to the message (the series panel may come first)
            term.send("Tab")
            try:
                term.wait_until(lambda shown: "] Next hunk" in shown.splitlines()[-1], "the message focused", 3)
                break
            except AssertionError:
                continue
        term.send("]")
        seen("@@ -262,7 +262,7 @@", "-EXPORT_SYMBOL(devm_memremap_pages);", "+EXPORT_SYMBOL_GPL(devm_memremap_pages);")

        # Help: every key of the screen, with its id for [keymap].
        term.send("?")
        seen("Id (for [keymap] in config.toml)", "thread.next_patch" if width >= 200 else "thread.back")
        term.send("Escape")
        term.wait_for("@@ -262,7 +262,7 @@")  # the message as it was left
        term.send("q")
        term.wait_for(f"*: {total} threads")
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()

"""Mail text is data on every screen and in every dialog: subjects, names,
addresses, Message-IDs, tags, file names, trailer values and config values
full of markup and control sequences show as themselves, with no markup
effect (no eaten brackets, no link, no click action, no crash) and no raw
control reaching the terminal."""
from __future__ import annotations

import pytest
from textual.command import CommandPalette

from kreview.config import parse_config
from kreview.core.sanitize import clean_line
from kreview.tui.app import build_app
from kreview.tui.replying import Confirm
from kreview.tui.screens.help import HelpScreen
from kreview.tui.screens.pickers import Picker
from kreview.tui.screens.search import SearchScreen
from kreview.tui.screens.thread import ThreadScreen
from kreview.tui.tagging import TagPrompt
from kreview.tui.widgets.series_panel import SeriesPanel
from kreview.tui.widgets.thread_list import ThreadList
from tests.tui.screen_text import problems_on_screen, screen_text
from tests.tui.pilot import wait_for

ESC = "\x1b[2J\x1b[31m\x1b]0;pwned\x07"
BIDI = "\u202eevil\u2066"
TITLE = "scripts: fix [/dev/null] handling"
FILE_CLICK = "scripts/[@click=app.quit]click[/].sh"
FILE_LINK = "scripts/[link=https://evil.example]x[/link].sh"
NET = "[PATCH v2] net: fix foo"
LINKED = f"[link=https://evil.example]x[/link] and [@click=app.quit]click[/] {BIDI}"
TAG = "[red]tagged[/red]"
EVE = "Eve [b]Evil[/b]"
MALLORY = f"Mallory{ESC}[i]M[/i]"
REVIEWER = '"Rev [b]iewer[/b] \u202eX" <rev@evil.example>'
NOT_ME = f"[b]Not[/b] Me{ESC} <notme@evil.example>"
GONE = "[b]gone[/b]\u202e@evil.example"

CONFIG = f'''
send_command = ["[b]msmtp[/b]", "-t"]

[saved_searches]
"[b]evil[/b] search\\u001b[2J" = "tag:hostile and subject:[link=x]"

[tag_keys]
"4" = "+[b]bold[/b] -[@click=app.quit]x[/]"
'''


def _mail(message_id: str, subject: str, body: str, *, sender: str = f"{EVE} <eve@evil.example>",
          parent: str | None = None, minute: int = 0) -> bytes:
    headers = [
        f"From: {sender}",
        "To: list@evil.example",
        f"Subject: {subject}",
        f"Date: Tue, 14 Nov 2023 22:{minute:02d}:00 +0000",
        f"Message-ID: <{message_id}>",
    ]
    if parent:
        headers += [f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
    headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return ("\n".join(headers) + "\n\n" + body).encode("utf-8")


def _patch(file: str, note: str) -> str:
    return (f"Commit message {note}{ESC} [bold]not bold[/bold] {BIDI}\n\n"
            "Signed-off-by: Eve <eve@evil.example>\n---\n"
            f"diff --git a/{file} b/{file}\n--- a/{file}\n+++ b/{file}\n@@ -1 +1 @@\n-old\n+new [/] {ESC}\n")


MAILS = [
    ("v1-0@evil.example", f"[PATCH v1 0/1] {TITLE}", "Cover v1 [b]x[/b]\n", {}),
    ("v1-1@evil.example", f"[PATCH v1 1/1] {TITLE}", _patch(FILE_CLICK, "v1"), {"parent": "v1-0@evil.example"}),
    ("v2-0@evil.example", f"[PATCH v2 0/1] {TITLE}", "Cover v2\n", {}),
    ("v2-1@evil.example", f"[PATCH v2 1/1] {TITLE}", _patch(FILE_LINK, "v2"), {"parent": "v2-0@evil.example"}),
    ("v2-r@evil.example", f"Re: [PATCH v2 1/1] {TITLE}", f"> old\n\nReviewed-by: {REVIEWER}\n",
     {"parent": "v2-1@evil.example", "sender": REVIEWER}),
    ("net@evil.example", NET, f"body {ESC}\n", {"sender": f"{MALLORY} <mallory@evil.example>"}),
    ("link@evil.example", LINKED, "linked body\n", {"parent": GONE}),
]
DRAFT = ("draft@evil.example", f"Re: {NET}", f"Looks good.\n\nReviewed-by: {NOT_ME}\n", {"parent": "net@evil.example"})


@pytest.fixture
def hostile_store(store, notmuch_root):
    for n, (message_id, subject, body, extra) in enumerate(MAILS + [DRAFT]):
        path = notmuch_root / "mail" / "cur" / f"hostile-{n}:2,S"
        path.write_bytes(_mail(message_id, subject, body, minute=n, **extra))
        tags = ["hostile", "inbox"] + ([TAG] if message_id == "net@evil.example" else [])
        tags += ["draft"] if message_id == DRAFT[0] else []
        store.index_file(path, tags=tags)
    return store


def shown(app, *texts: str) -> None:
    """Each text is on screen as itself (controls shown, as clean_line shows them)."""
    screen = screen_text(app)
    for text in texts:
        assert clean_line(text) in screen, f"{text!r} is not on screen:\n{screen}"
    assert problems_on_screen(app) == [], problems_on_screen(app)


async def open_thread(pilot, app, subject_part: str) -> ThreadScreen:
    while not isinstance(app.screen, SearchScreen):
        await pilot.press("escape")
    threads = app.screen.query_one(ThreadList)
    await wait_for(pilot, lambda: threads.row_count == 4)
    threads.move_cursor(row=next(i for i, t in enumerate(threads.threads) if subject_part in t.subject))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.shown is not None)
    await pilot.pause()
    return app.screen


async def test_every_screen_and_dialog_shows_mail_text_as_itself(hostile_store, tmp_path, monkeypatch):
    statuses: list[tuple[str, str]] = []
    original = SearchScreen.set_status

    def set_status(screen, text: str) -> None:
        original(screen, text)
        statuses.append((text, str(screen.query_one("#status").render())))

    monkeypatch.setattr(SearchScreen, "set_status", set_status)
    config = parse_config(CONFIG, tmp_path / "config.toml")
    app = build_app(hostile_store, config, query="tag:hostile")
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        threads = app.screen.query_one(ThreadList)
        await wait_for(pilot, lambda: threads.row_count == 4)
        await pilot.pause()
        # The list: subjects and tags. (Authors: notmuch finds none in a
        # From with unquoted brackets, so the column is empty here.)
        shown(app, f"[PATCH v2 0/1] {TITLE}", NET, LINKED, TAG)

        # Every thread and every message in it: title bar, tree, headers, body.
        for subject_part in (f"v1 0/1] {TITLE}", f"v2 0/1] {TITLE}", NET, "[link="):
            screen = await open_thread(pilot, app, subject_part)
            title = screen.thread.subject
            shown(app, title)
            opening = [(text, on_screen) for text, on_screen in statuses if text.startswith("Opening")]
            assert opening[-1] == (f"Opening {title} …", clean_line(f"Opening {title} …"))
            for node in screen.tree.messages:
                screen.tree.select_message(node.message_id)
                if node.missing:
                    await wait_for(pilot, lambda: any(clean_line(GONE) in line.text for line in screen.body.lines))
                    shown(app, f"<{GONE}>", "(message not available)")
                    continue
                await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == node.message_id)
                await pilot.pause()
                shown(app, f"Subject: {node.subject}")
                if node.message_id.startswith("v1"):
                    shown(app, EVE)  # in the tree and in From:
                if node.message_id == "net@evil.example":
                    # (How much of an unquoted From with controls and brackets
                    # is a name is the parser's call; shown is what it found.)
                    shown(app, f"From: {screen.parsed.headers.from_}", TAG)

        # The series panel and the versions popup.
        screen = await open_thread(pilot, app, f"v2 0/1] {TITLE}")
        panel = screen.query_one(SeriesPanel)
        await wait_for(pilot, lambda: bool(screen.reviews) and panel.has_class("visible"))
        await pilot.pause()
        shown(app, TITLE, f"Reviewed-by: {REVIEWER}")
        await pilot.press("V")
        from kreview.tui.screens.versions import VersionsScreen

        await wait_for(pilot, lambda: isinstance(app.screen, VersionsScreen) and app.screen.chain is not None)
        await pilot.pause()
        shown(app, f"[cover] {TITLE}")
        await pilot.press("escape")

        # The files list of a patch.
        screen.tree.select_message("v2-1@evil.example")
        await wait_for(pilot, lambda: screen.shown.message_id == "v2-1@evil.example")
        await pilot.press("tab", "F")
        await wait_for(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.pause()
        shown(app, FILE_LINK)
        await pilot.press("escape")

        # The tag prompt, and the notification that names the tags.
        screen.tree.focus()
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TagPrompt))
        await pilot.press(*"+[b]x[/b]", "enter")
        await wait_for(pilot, lambda: "on this message" in screen_text(app))
        shown(app, "+[b]x[/b] on this message")
        assert "[b]x[/b]" in screen.shown.tags

        # The send confirmation: the command from the config, the warning
        # quoting the draft's trailer.
        screen = await open_thread(pilot, app, NET)
        screen.tree.select_message(DRAFT[0])
        await wait_for(pilot, lambda: screen.shown.message_id == DRAFT[0])
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.pause()
        shown(app, "Send this draft with [b]msmtp[/b] -t?", "[b]Not[/b] Me")
        await pilot.press("n")

        # Help: the [tag_keys] operations from the config.
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        shown(app, "Id (for [keymap] in config.toml)")
        app.screen.query_one("#help-box").scroll_end(animate=False, immediate=True)
        await pilot.pause()
        shown(app, "+[b]bold[/b] -[@click=app.quit]x[/]", "[tag_keys] in config.toml")
        await pilot.press("escape")

        # The command palette: a saved search named and written with markup.
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"evil")
        await wait_for(pilot, lambda: "Saved search: [b]evil[/b]" in screen_text(app))
        shown(app, "Saved search: [b]evil[/b] search\x1b[2J", "tag:hostile and subject:[link=x]")
        await pilot.press("escape")

        # Any notification, whoever sends it.
        # (Two lines: a toast wraps at its own width.)
        app.notify("[@click=app.quit]q[/]\n[link=https://e.x]l[/link]\x1b[2J\u202e", title="[b]T[/b] [/dev/null]")
        await wait_for(pilot, lambda: "[link=" in screen_text(app))
        shown(app, "[@click=app.quit]q[/]", "[link=https://e.x]l[/link]\x1b[2J\u202e", "[b]T[/b] [/dev/null]")

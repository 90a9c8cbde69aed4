"""Pilot tests of taking a series and getting things out, on the real
temporary notmuch database and a real git repository: W (dry run, confirm,
git am, tag), a failed apply's report, | with the series, s, v."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input, Log

from kreview.config import Config
from kreview.tui.app import build_app
from kreview.tui.replying import Confirm
from kreview.tui.screens.output import PipePrompt, TextScreen
from kreview.tui.screens.pickers import Picker
from tests.core.gitrepo import GIT_ENV, git, repo_for
from tests.tui.pilot import open_thread_at, wait_for

V8_GOLDEN = Path(__file__).parent.parent / "core" / "fixtures" / "am" / "v8.mbx"
V8_SUBJECT = "[PATCH v8 0/7]"


@pytest.fixture
def setup(store, tmp_path, monkeypatch):
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    repo = repo_for(V8_GOLDEN.read_bytes(), tmp_path)
    config = replace(Config(), am_dir=tmp_path / "am", attachment_dir=tmp_path / "saved",
                     am_repo="linux", repos={"linux": str(repo)})
    return store, config, repo


async def _open_v8(pilot, app):
    screen = await open_thread_at(pilot, app, subject=V8_SUBJECT)
    await wait_for(pilot, lambda: bool(screen.reviews))
    return screen


def _log_text(app) -> str:
    # "" until the text screen is mounted: it is the current screen a moment before.
    logs = app.screen.query(Log)
    return "\n".join(logs.first().lines) if logs else ""


async def _shown_text(pilot, app, wanted: str) -> str:
    """The text screen's lines once ``wanted`` is among them (the Log fills
    itself when it knows its size, a frame or two after the push)."""
    await wait_for(pilot, lambda: wanted in _log_text(app))
    return _log_text(app)


async def test_apply_series_after_the_dry_run_and_tag_it(setup):
    store, config, repo = setup
    app = build_app(store, config, query="*")
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_v8(pilot, app)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        assert "the series applies cleanly" in app.screen.question
        assert f"in {repo}" in app.screen.question
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), timeout=30)
        assert "git am applied 7 patches" in app.screen.title_text
        assert "tagged applied" in app.screen.title_text
        await _shown_text(pilot, app, "Applying: mm, hmm: Mark hmm_devmem_{add, add_resource} EXPORT_SYMBOL_GPL")
    assert len(git(repo, "log", "--format=%s", "HEAD~7..HEAD").splitlines()) == 7
    assert "Acked-by: Michal Hocko <mhocko@suse.com>" in git(repo, "log", "--format=%B", "-1", "HEAD~6")
    applied = {n.message_id for n in store.messages("tag:applied")}
    assert len(applied) == 8  # the cover letter and the 7 patches, nothing else


async def test_failed_apply_shows_git_output_and_the_abort_command(setup):
    store, config, repo = setup
    hmm = repo / "mm" / "hmm.c"
    hmm.write_text(hmm.read_text().replace("EXPORT_SYMBOL(hmm_devmem_add);", "EXPORT_SYMBOL(changed);"))
    git(repo, "commit", "-qam", "upstream moved on")
    app = build_app(store, config, query="*")
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_v8(pilot, app)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        assert "does NOT apply cleanly" in app.screen.question
        assert "patch does not apply" in app.screen.question
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), timeout=30)
        assert "git am stopped after" in app.screen.title_text
        text = await _shown_text(pilot, app, "Patch failed at")
        assert f"git -C {repo} am --abort" in text
    assert (Path(git(repo, "rev-parse", "--absolute-git-dir").strip()) / "rebase-apply").exists()
    assert store.messages("tag:applied") == []


async def test_pipe_the_series_to_a_command_with_history(setup):
    store, config, _ = setup
    app = build_app(store, config, query="*")
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_v8(pilot, app)
        await pilot.press("vertical_line")
        await wait_for(pilot, lambda: isinstance(app.screen, PipePrompt))
        await pilot.press("ctrl+s", "ctrl+s")
        assert app.screen.scope == "series"
        app.screen.query_one(Input).value = "grep -c '^diff --git'"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), timeout=30)
        assert "(8 messages; ok)" in app.screen.title_text
        assert (await _shown_text(pilot, app, "13")).strip() == "13"
        await pilot.press("q")
        await pilot.press("vertical_line")
        await wait_for(pilot, lambda: isinstance(app.screen, PipePrompt))
        await pilot.press("up")
        assert app.screen.query_one(Input).value == "grep -c '^diff --git'"


async def test_save_attachment_and_raw_source(setup):
    store, config, _ = setup
    app = build_app(store, config, query="*")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_thread_at(pilot, app, subject="put_page() is EXPORT_SYMBOL_GPL-only")
        target = next(n for n in screen.tree.messages if "attachment" in n.tags)
        screen.tree.select_message(target.message_id)
        await wait_for(pilot, lambda: screen.shown is not None and screen.shown.message_id == target.message_id)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.press("enter")
        saved = config.attachment_dir / "0001-mm-Restore-EXPORT_SYMBOL-for-put_page-dependencies.patch"
        await wait_for(pilot, lambda: saved.exists())
        assert saved.read_text().startswith("From ")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen))
        await _shown_text(pilot, app, f"<{target.message_id}>")
        assert any(line.lower() == f"message-id: <{target.message_id}>".lower()
                   for line in _log_text(app).split("\n"))


async def test_a_piped_command_can_be_cancelled(setup, tmp_path):
    store, config, _ = setup
    marker = tmp_path / "still-running"
    app = build_app(store, config, query="*")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open_v8(pilot, app)
        await pilot.press("vertical_line")
        await wait_for(pilot, lambda: isinstance(app.screen, PipePrompt))
        app.screen.query_one(Input).value = f"cat >/dev/null; sleep 30; touch {marker}"
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(screen.query("#job-status")))
        assert "ctrl+x cancels" in str(screen.query_one("#job-status").render())
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: screen._job is None)
        assert not screen.query("#job-status")
        assert not isinstance(app.screen, TextScreen)  # nothing to show: it was cancelled
    assert not marker.exists()


async def test_copy_message_id_with_osc52_and_open_a_link(setup, tmp_path, monkeypatch):
    store, config, _ = setup
    opened = tmp_path / "opened"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    app = build_app(store, replace(config, clipboard_osc52=True), query="*")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open_v8(pilot, app)
        await pilot.press("y")
        assert app.clipboard == screen.tree.current.message_id
        await pilot.press("Y")
        assert app.clipboard == f"https://lore.kernel.org/r/{screen.tree.current.message_id}"
        # the cover letter links its v7: the cursor line with it, then x
        line = next(i for i, dl in enumerate(screen.body.lines) if "https://lkml.org/lkml/2018/10/12/878" in dl.text)
        screen.body.focus()
        screen.body.goto_line(line)
        await pilot.press("x")
        await wait_for(pilot, lambda: opened.exists() and opened.read_text())
        assert opened.read_text() == "https://lkml.org/lkml/2018/10/12/878"

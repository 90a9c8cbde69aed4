"""Take a series and get anything out, from the thread screen.

``w`` writes the series as an am-ready mbox, ``P`` writes it and applies it
with ``git am`` after showing a ``git apply --check`` dry run, ``|`` pipes the
message, thread or series to a command, ``s`` saves an attachment, ``H``
shows the raw message, ``x``/``U`` open a link, ``y``/``Y`` copy the
Message-ID or its archive link.

Everything that reads files or runs programs is a thread worker in the
"job" group: one at a time, its progress on the status line, ``ctrl+x``
cancels it. Workers run through kreview.tui.background: results come back
as calls on the UI thread, progress streams with ``to_ui``, and an error
clears the job's status line and becomes a notification, never the end of
the app.
"""
from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from rich.text import Text
from textual.widgets import Static
from textual.worker import get_current_worker

from kreview.core.am import AmOptions, AmResult, FoundSeries, export_am
from kreview.core.export import (
    archive_link,
    attachments,
    default_name,
    find_urls,
    free_name,
    mbox_of,
    raw_source,
    read_file,
    run_pipe,
    save_attachment,
)
from kreview.core.git_apply import AmOutcome, check, choose_repo, git_am
from kreview.core.review import Cancelled
from kreview.core.sanitize import clean
from kreview.core.store import StoreError
from kreview.tui.background import in_background, to_ui, ui

_DEFAULT_AM_DIR = ("am",)


def _cancelled() -> bool:
    return get_current_worker().is_cancelled


class ExportMixin:
    """Export, apply and pipe actions for the thread screen (what they use of it: ThreadHost)."""

    _job = None  # the running job's worker, for ctrl+x

    # -- the status line ---------------------------------------------------

    def _status(self, text: str | None) -> None:
        """Show (or, with None, remove) the job line above the key hints."""
        found = self.query("#job-status")
        if text is None:
            found.remove()
            return
        line = Text(clean(text) + "   ctrl+x cancels")
        if found:
            found.first(Static).update(line)
        else:
            self.mount(Static(line, id="job-status"))

    def _start(self, worker_factory, label: str) -> None:
        if self._job is not None and self._job.is_running:
            self.notify("Another job is running (ctrl+x cancels it).", severity="warning")
            return
        self._status(label)
        self._job = worker_factory()

    def _done(self, message: str | None = None, severity: str = "information", timeout: float = 8) -> None:
        self._status(None)
        self._job = None
        if message:
            self.notify(clean(message), severity=severity, timeout=timeout, markup=False)

    def _job_failed(self, error: str) -> None:
        self._done(error, "error", 15)

    def action_cancel_job(self) -> None:
        if self._job is None or not self._job.is_running:
            self.notify("No job is running.")
            return
        self._job.cancel()
        self._status("Cancelling …")

    # -- which series, which messages ---------------------------------------

    def _config(self):
        return self.app.kreview_config

    def _current_series(self) -> FoundSeries | None:
        if not self.reviews:
            self.notify("This thread holds no patch series (or its trailers are still being collected).")
            return None
        shown = self.shown.message_id if self.shown else None
        review = next((r for r in self.reviews if shown and any(
            shown in (p.message_id, r.series.cover_id) for p in r.patches)), None)
        review = review or max(self.reviews, key=lambda r: r.series.version)
        paths = {n.message_id: n.path for n in self.tree.messages if not n.missing and n.path}
        return FoundSeries(review, paths)

    def _am_options(self) -> AmOptions:
        config = self._config()
        return AmOptions(link_mask=config.am_link_mask, cover=True)

    def _am_dir(self) -> Path:
        config = self._config()
        if config.am_dir is not None:
            return Path(config.am_dir).expanduser()
        from kreview import paths

        return paths.cache_dir().joinpath(*_DEFAULT_AM_DIR)

    # -- w: write the am mbox -------------------------------------------------

    def action_write_series(self) -> None:
        found = self._current_series()
        if found is not None:
            self._start(lambda: self._write_series(found), "Writing the am mbox …")

    @in_background(group="job", exclusive=True, failed="_job_failed")
    def _write_series(self, found: FoundSeries):
        try:
            result = export_am(found, self._am_dir(), self._am_options(), cancelled=_cancelled,
                               progress=self._progress("Writing patch"))
        except Cancelled:
            return ui(self._done, "Export cancelled; nothing written.")
        return ui(self._done, f"Wrote {len(result.patches)} patches to {result.mbox}", "information", 15)

    def _progress(self, what: str):
        def report(done: int, total: int) -> None:
            to_ui(self._status, f"{what} {done}/{total} …")
        return report

    # -- W: dry run, then git am ------------------------------------------------

    def action_apply_series(self) -> None:
        found = self._current_series()
        if found is not None:
            self._start(lambda: self._prepare_apply(found), "Writing the series and checking it applies …")

    @in_background(group="job", exclusive=True, failed="_job_failed")
    def _prepare_apply(self, found: FoundSeries):
        config = self._config()
        try:
            repo = choose_repo(None, config.repos, config.am_repo)
            result = export_am(found, self._am_dir(), self._am_options(), cancelled=_cancelled,
                               progress=self._progress("Writing patch"))
            to_ui(self._status, f"git apply --check in {repo} …")
            dry = check(repo, result.mbox, _cancelled)
        except Cancelled:
            return ui(self._done, "Cancelled; nothing applied.")
        if dry.cancelled:
            return ui(self._done, "Cancelled; nothing applied.")
        return ui(self._ask_apply, found, result, repo, dry)

    def _ask_apply(self, found: FoundSeries, result: AmResult, repo: Path, dry) -> None:
        from kreview.tui.replying import Confirm

        self._done()
        threeway = self._config().am_threeway
        verdict = "applies cleanly" if dry.ok else "does NOT apply cleanly"
        tail = "\n".join(dry.output.strip().splitlines()[-8:])
        question = (f"Dry run (git apply --check) in {repo}: the series {verdict}.\n{tail}\n\n"
                    f"Apply {len(result.patches)} patches with git am{' -3' if threeway else ''}?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(lambda: self._run_am(found, result, repo, threeway),
                            f"git am {len(result.patches)} patches in {repo} …")

        self.app.push_screen(Confirm(question), answered)

    @in_background(group="job", exclusive=True, failed="_job_failed")
    def _run_am(self, found: FoundSeries, result: AmResult, repo: Path, threeway: bool):
        outcome = git_am(repo, result.mbox, threeway=threeway, cancelled=_cancelled)
        tagged = ""
        if outcome.ok:
            tag = self._config().applied_tag
            ids = [p.message_id for p in result.patches] + ([result.cover_id] if result.cover_id else [])
            try:
                change = self.store.change_tags(ids, add=[tag])
                to_ui(self.tags_changed, change)
                tagged = f"; tagged {tag}"
            except StoreError as exc:
                tagged = f"; could not tag it {tag}: {exc}"
        return ui(self._show_am_outcome, outcome, tagged)

    def _show_am_outcome(self, outcome: AmOutcome, tagged: str) -> None:
        from kreview.tui.screens.output import TextScreen

        self._done(outcome.summary + tagged, "information" if outcome.ok else "error",
                   10 if outcome.ok else 30)
        report = outcome.output
        if outcome.abort_command:
            report += (f"\n\nThe repository is left as git left it. Resolve and run "
                       f"git -C {outcome.repo} am --continue, or give up with:\n  {outcome.abort_command}")
        self.app.push_screen(TextScreen(outcome.summary + tagged, report))

    # -- |: pipe ------------------------------------------------------------------

    def _pipe_history(self) -> list[str]:
        history = self.app.pipe_history
        if history is None:
            history = _load_history()
            self.app.pipe_history = history
        return history

    def action_pipe(self) -> None:
        from kreview.tui.screens.output import PipePrompt

        scopes = ("message", "thread") + (("series",) if self.reviews else ())
        history = self._pipe_history()

        def chosen(answer) -> None:
            _save_history(history)
            if answer:
                scope, command = answer
                paths = self._paths_for(scope)
                if paths:
                    self._start(lambda: self._run_pipe(command, paths), f"{command} …")

        self.app.push_screen(PipePrompt(history, scopes=scopes), chosen)

    def _paths_for(self, scope: str) -> list[str]:
        nodes = [n for n in self.tree.messages if not n.missing and n.path]
        if scope == "message":
            node = self.tree.current
            if node is None or node.missing or not node.path:
                self.notify("No message is selected.", severity="warning")
                return []
            return [node.path]
        if scope == "thread":
            return [n.path for n in nodes]
        found = self._current_series()
        if found is None:
            return []
        series = found.review.series
        ids = ([series.cover_id] if series.cover_id else []) + [p.message_id for p in series.patches
                                                                if not p.missing]
        return [found.paths[i] for i in ids if i in found.paths]

    @in_background(group="job", exclusive=True, failed="_job_failed")
    def _run_pipe(self, command: str, paths: list[str]):
        try:
            data = mbox_of(paths, _cancelled)
        except (OSError, InterruptedError) as exc:
            return ui(self._done, f"Could not read the messages: {exc}", "error")
        return ui(self._show_pipe, run_pipe(command, data, _cancelled), len(paths))

    def _show_pipe(self, result, count: int) -> None:
        from kreview.tui.screens.output import TextScreen

        if result.returncode is None:
            self._done(f"Cancelled: {result.command}", "warning")
            return
        status = "ok" if result.ok else f"exit status {result.returncode}"
        self._done(f"{result.command}: {status}", "information" if result.ok else "error")
        text = result.output + ("\n[… output cut at 1 MiB]" if result.truncated else "")
        self.app.push_screen(TextScreen(
            f"| {result.command}  ({count} message{'s' if count != 1 else ''}; {status})",
            text or "(no output)"))

    # -- s: save an attachment -------------------------------------------------

    def action_save_attachment(self) -> None:
        node = self.tree.current
        if node is None or node.missing or not node.path:
            self.notify("No message is selected.", severity="warning")
            return
        self._list_attachments(node.path)

    @in_background(group="attachments", exclusive=True, failure="Could not read the message")
    def _list_attachments(self, path: str):
        raw = read_file(path)
        return ui(self._pick_attachment, raw, attachments(raw))

    def _pick_attachment(self, raw: bytes, parts) -> None:
        from kreview.tui.screens.pickers import Picker

        if not parts:
            self.notify("This message has no attachments.")
            return
        items = [(f"{p.filename or '(no name)'}  {p.content_type}  {p.size:,} bytes  → {default_name(p)}", i)
                 for i, p in enumerate(parts)]

        def chosen(index: int | None) -> None:
            if index is not None:
                self._save(raw, parts[index])

        directory = Path(self._config().attachment_dir).expanduser()
        self.app.push_screen(Picker(f"Save an attachment into {directory} (Enter saves)", items), chosen)

    def _save(self, raw: bytes, part, overwrite: bool = False, name: str | None = None) -> None:
        from kreview.tui.replying import Confirm

        directory = Path(self._config().attachment_dir).expanduser()
        try:
            target = save_attachment(raw, part, directory, overwrite=overwrite, name=name)
        except FileExistsError:
            wanted = name or default_name(part)
            other = free_name(directory, wanted)

            def answered(yes: bool | None) -> None:
                self._save(raw, part, overwrite=True, name=wanted) if yes else \
                    self._save(raw, part, name=other)

            self.app.push_screen(Confirm(
                f"{directory / wanted} exists. Overwrite it?\n(n keeps it and saves as {other!r})"), answered)
            return
        except (OSError, ValueError) as exc:
            self.notify(clean(f"Could not save: {exc}"), severity="error", markup=False)
            return
        self.notify(clean(f"Saved {target}"), markup=False)

    # -- v: raw source ------------------------------------------------------------

    def action_raw_source(self) -> None:
        node = self.tree.current
        if node is None or node.missing or not node.path:
            self.notify("No message is selected.", severity="warning")
            return
        self._load_raw(node.path, node.message_id)

    @in_background(group="raw", exclusive=True, failure="Could not read the message")
    def _load_raw(self, path: str, message_id: str):
        from kreview.tui.screens.output import TextScreen

        text = raw_source(path)
        return ui(self.app.push_screen, TextScreen(f"Raw source of <{message_id}>  ({path})", text))

    # -- x / L: links ------------------------------------------------------------

    def _body_text(self) -> str:
        parsed = self.parsed
        return parsed.text + "".join("\n" + p.text for p in parsed.patches) if parsed else ""

    def action_open_link(self) -> None:
        lines = self.body.lines
        cursor = self.body.cursor
        here = find_urls(lines[cursor].text) if 0 <= cursor < len(lines) else []
        if len(here) == 1:
            self._open_url(here[0])
        elif here:
            self._pick_link(here, "Links on this line (Enter opens)")
        else:
            self.notify("No link on the cursor line (Tab to the message, move to a link; L lists them all).")

    def action_link_list(self) -> None:
        urls = find_urls(self._body_text())
        if not urls:
            self.notify("This message has no links.")
            return
        self._pick_link(urls, "Links in this message (Enter opens)")

    def _pick_link(self, urls: list[str], title: str) -> None:
        from kreview.tui.screens.pickers import Picker

        def chosen(index: int | None) -> None:
            if index is not None:
                self._open_url(urls[index])

        self.app.push_screen(Picker(title, [(u, i) for i, u in enumerate(urls)]), chosen)

    def _open_url(self, url: str) -> None:
        browser = os.environ.get("BROWSER", "").strip()
        if not browser:
            self.notify(f"$BROWSER is not set. The link: {clean(url)}", timeout=20, markup=False)
            return
        # $BROWSER may list several commands separated by ":" (the old convention): use the first
        argv = shlex.split(browser.split(":")[0]) + [url]
        try:
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            self.notify(clean(f"Could not run {argv[0]}: {exc.strerror or exc}. The link: {url}"),
                        severity="error", timeout=20, markup=False)
            return
        self.notify(f"Opened {clean(url)}", markup=False)

    # -- y / Y: copy --------------------------------------------------------------

    def action_copy_id(self, link: bool = False) -> None:
        node = self.tree.current
        if node is None or node.missing and not node.message_id:
            self.notify("No message is selected.", severity="warning")
            return
        text = archive_link(self._config().am_link_mask, node.message_id) if link else node.message_id
        if self._config().clipboard_osc52:
            self.app.copy_to_clipboard(text)
            self.notify(f"Copied {clean(text)}", markup=False)
        else:
            self.notify(f"{clean(text)}\n(set clipboard_osc52 = true to copy it to the clipboard)",
                        timeout=20, markup=False)


def _history_file() -> Path:
    from kreview import paths

    return paths.data_dir() / "pipe-history"


def _load_history() -> list[str]:
    try:
        return [line for line in _history_file().read_text("utf-8").splitlines() if line.strip()][-100:]
    except (OSError, UnicodeDecodeError):
        return []


def _save_history(history: list[str]) -> None:
    try:
        target = _history_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(line + "\n" for line in history[-100:]), "utf-8")
    except OSError:
        pass  # history is a convenience: never an error the user must deal with

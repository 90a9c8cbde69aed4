"""The thread screen's public-inbox keys: fetch the rest of this thread, and
look for newer versions of its series.

Both run as one thread worker (group ``archive``, exclusive) that the same key
cancels; progress goes to the status field in the title bar, the outcome to a
notification, and a thread that got mail is loaded again in place (the
message under the cursor stays). Nothing is fetched unless a key asks.
"""
from __future__ import annotations

from email.utils import parseaddr

from textual.widgets import Static
from textual.worker import get_current_worker

from kreview.core.archive import ArchiveClient, ArchiveError, servers_from
from kreview.core.fetching import (
    Delivery,
    FetchReport,
    Progress,
    delivery_tags,
    fetch_search,
    fetch_thread,
    newer_versions_query,
    thread_fill_ids,
)
from kreview.core.store import StoreError
from kreview.tui.background import in_background, to_ui, ui
from kreview.tui.mail_text import plain

ARCHIVE_GROUP = "archive"


class ArchiveMixin:
    """Fetching from the archive, for the thread screen (what it uses of the screen: ThreadHost)."""

    _fetch_status_text = ""  # what #fetch-status says (composed empty)

    def _archive_running(self) -> bool:
        """Cancel a fetch in progress (the key that started it, pressed again).

        Said at once: a worker waiting on a slow server sees the cancel at its
        next chunk or timeout, and then writes nothing more (delivery checks
        before each batch); what had arrived before stays."""
        running = [w for w in self.workers if w.group == ARCHIVE_GROUP and w.is_running]
        for worker in running:
            worker.cancel()
        if running:
            self._fetch_status("")
            self.notify("Fetch cancelled; mail that had arrived is kept.", title="Archive")
        return bool(running)

    def action_fetch_thread(self) -> None:
        """f: fetch the rest of this thread from the archive (f again cancels)."""
        if self._archive_running():
            return
        ids = thread_fill_ids(self.tree.messages)
        if not ids:
            self.notify("Nothing to ask the archive for: the thread is empty.")
            return
        self._fetch_status("fetching the thread …")
        self._run_fetch("thread", ids)

    def action_newer_versions(self) -> None:
        """L: search the archive for later versions of this series (L again cancels)."""
        if self._archive_running():
            return
        if not self.reviews:
            self.notify("This thread holds no patch series.")
            return
        series = max(self.reviews, key=lambda r: r.series.version).series
        first = series.cover_id or next((p.message_id for p in series.patches if not p.missing), None)
        node = next((n for n in self.tree.messages if n.message_id == first), None)
        email = parseaddr(node.author)[1] if node is not None else ""
        query = newer_versions_query(series.title, email, node.date if node is not None else 0)
        self._fetch_status(f"looking for versions after v{series.version} …")
        self._run_fetch("versions", query, series)

    @in_background(group=ARCHIVE_GROUP, exclusive=True, failed="_fetch_failed")
    def _run_fetch(self, kind: str, what, series=None):
        worker = get_current_worker()
        config = self.app.kreview_config

        def say(text: str) -> None:
            to_ui(self._fetch_status, text)

        client = ArchiveClient(servers_from(config.archive_servers), progress=say,
                               cancelled=lambda: worker.is_cancelled)
        how = Delivery(folder=config.archive_folder, tags=delivery_tags(self.store.settings.new_tags),
                       progress=Progress(say, lambda: worker.is_cancelled))
        try:
            if kind == "thread":
                report = fetch_thread(self.store, client, what, how)
            else:
                report = fetch_search(self.store, client, what, how)
        except (ArchiveError, StoreError, OSError, ValueError):
            if worker.is_cancelled:  # told already; a batch may have landed before
                return ui(self.reload_thread)
            raise  # to _fetch_failed
        newer = self._newer_than(series) if series is not None else ()
        return ui(self._fetch_done, kind, report, newer)

    def _newer_than(self, series) -> tuple[int, ...]:
        from kreview.core.review import other_versions

        try:
            return tuple(v.version for v in other_versions(self.store, series) if v.version > series.version)
        except StoreError:
            return ()

    def _fetch_status(self, text: str) -> None:
        if self.is_attached:
            if text == self._fetch_status_text:
                return  # (each opened thread says "" again: no layout pass for it)
            self._fetch_status_text = text
            status = self.query_one("#fetch-status", Static)
            status.update(plain(text), layout=True)
            status.display = bool(text)

    def offer_fetch(self, nodes) -> None:
        """A thread with gaps says so, and which key fills them (unless a fetch is talking)."""
        if any(w.group == ARCHIVE_GROUP and w.is_running for w in self.workers):
            return
        gaps = sum(1 for n in nodes if n.missing)
        self._fetch_status(f"{gaps} missing · f fetches the thread" if gaps else "")

    def _fetch_failed(self, error: str) -> None:
        self._fetch_status("")
        self.notify(error, title="Archive", severity="error", timeout=10)

    def _fetch_done(self, kind: str, report: FetchReport, newer: tuple[int, ...]) -> None:
        self._fetch_status("")
        where = report.server.split("//", 1)[-1]
        if kind == "versions":
            found = ", ".join(f"v{v}" for v in sorted(set(newer)))
            text = (f"Newer versions: {found} ({report.summary()}); V lists them." if found
                    else f"No newer version on {where} ({report.summary()}).")
        else:
            text = f"Thread from {where}: {report.summary()}."
        self.notify(text, title="Archive", timeout=8)
        if report.added:
            self.reload_thread()  # the tree and the series panel, in place

"""Every posting of the series this thread holds, across threads: version,
date, patches, A/R/T (carried trailers included), status, cover subject.
Enter opens a posting; ``d`` compares the one under the cursor with the
version before it; ``space`` marks one, and ``d`` on another compares the two.
Replaces the old ``V`` picker (duplicate rows, no dates, one patch count)."""
from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kreview.core.sanitize import clean_line
from kreview.tui.background import in_background, ui
from kreview.tui.bindings import VERSIONS
from kreview.tui.mail_text import plain_line


def version_label(chain, version, status: str, here: bool, marked: bool) -> Text:
    a, r, t = version.review.art
    day = time.strftime("%Y-%m-%d", time.gmtime(version.date)) if version.date else "----------"
    posted = len(version.patches)
    count = f"{posted}/{version.total}" if posted != version.total else str(posted)
    name = f"v{version.version}{' RESEND' if version.resend else ''}"
    subject = version.title if version.cover_id is None else f"[cover] {version.title}"
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("* " if marked else "  ")
    text.append(f"{name:<10}{day}  {count:>5}p  A:{a} R:{r} T:{t}  {status:<17} ")
    text.append(clean_line(subject))
    if here:
        text.append("  (this thread)", style="italic")
    return text


class VersionsScreen(ModalScreen):
    """Dismisses with None, ("open", message_id) or ("compare", old_version, head_id):
    the whole posting headed by head_id against old_version (None: the one before)."""

    BINDINGS = VERSIONS

    def __init__(self, store, thread_id: str) -> None:
        super().__init__()
        self.store = store
        self.thread_id = thread_id
        self.chain = None
        self.statuses: list[str] = []
        self.marked: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Versions of this series: finding them …", id="picker-title", markup=False)
        yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @in_background(group="versions", exclusive=True, failed="_failed")  # told, never fatal
    def load(self):
        from kreview.core.chains import chain_of_thread
        from kreview.core.series_index import me_of
        from kreview.core.series_status import version_status, with_carried

        chains = chain_of_thread(self.store, self.thread_id)
        me = me_of(self.store)
        if not chains:
            return ui(self._failed, "This thread holds no patch series.")
        chain = with_carried(max(chains, key=lambda c: c.newest.version))
        statuses = [version_status(chain, v, me) for v in chain.versions]
        return ui(self._show, chain, statuses)

    def _failed(self, text: str) -> None:
        self.dismiss(None)
        self.app.notify(text, severity="warning")

    def _show(self, chain, statuses: list[str]) -> None:
        self.chain, self.statuses = chain, statuses
        count = len(chain.versions)
        self.query_one("#picker-title", Static).update(plain_line(
            f"{count} posting{'s' if count != 1 else ''} of this series · Enter opens · "
            "d compares with the version before · space marks one to compare with"))
        self._fill()

    def _fill(self, keep: int | None = None) -> None:
        options = self.query_one(OptionList)
        highlighted = keep if keep is not None else len(self.chain.versions) - 1
        options.clear_options()
        options.add_options([
            Option(version_label(self.chain, v, s, v.thread_id == self.thread_id, i == self.marked), id=str(i))
            for i, (v, s) in enumerate(zip(self.chain.versions, self.statuses))])
        options.highlighted = highlighted

    def _current(self):
        index = self.query_one(OptionList).highlighted
        if self.chain is None or index is None:
            return None, None
        return index, self.chain.versions[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        version = self.chain.versions[int(event.option.id)]
        self.dismiss(("open", version.key))

    def action_mark(self) -> None:
        index, _ = self._current()
        if index is not None:
            self.marked = None if self.marked == index else index
            self._fill(index)

    def action_compare(self) -> None:
        index, version = self._current()
        if version is None:
            return
        if self.marked is not None and self.marked != index:
            a, b = sorted((self.marked, index), key=lambda i: (self.chain.versions[i].version,
                                                                self.chain.versions[i].date))
            older, newer = self.chain.versions[a], self.chain.versions[b]
            if older.version == newer.version:
                self.app.notify("A resend and its original are the same version: nothing to compare.")
                return
            self.dismiss(("compare", older.version, newer.key))
            return
        if self.chain.previous(version) is None:
            self.app.notify(f"v{version.version} is the oldest version here; mark another with space.")
            return
        self.dismiss(("compare", None, version.key))

    def action_cancel(self) -> None:
        self.dismiss(None)

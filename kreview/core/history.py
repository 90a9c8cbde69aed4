"""The search history behind ``/`` + Up/Down: newest last, no repeats,
kept in a small text file (one query a line) in the XDG data dir."""
from __future__ import annotations

import os
from pathlib import Path

MAX_ENTRIES = 200


class SearchHistory:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: list[str] = []
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            self.entries = [line for line in lines if line.strip()][-MAX_ENTRIES:]

    def add(self, query: str) -> None:
        """Remember ``query`` as the newest (moved there if already known) and save."""
        query = " ".join(query.split())  # one line, whatever was pasted
        if not query:
            return
        if query in self.entries:
            self.entries.remove(query)
        self.entries.append(query)
        del self.entries[:-MAX_ENTRIES]
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text("".join(f"{q}\n" for q in self.entries), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # history is a convenience: a read-only home loses it, not the search


class HistoryCursor:
    """Up/Down through a history while editing; the text being typed is kept
    as the newest entry, so Down past the end gives it back."""

    def __init__(self, entries: list[str], typed: str) -> None:
        # The field often still holds the last search: Up goes to the one before.
        known = [entry for entry in entries if entry != typed]
        self.entries = known + [typed]
        self.index = len(self.entries) - 1
        self.shown = typed  # what the field holds: edited since, a new walk starts

    def older(self) -> str:
        self.index = max(0, self.index - 1)
        self.shown = self.entries[self.index]
        return self.shown

    def newer(self) -> str:
        self.index = min(len(self.entries) - 1, self.index + 1)
        self.shown = self.entries[self.index]
        return self.shown

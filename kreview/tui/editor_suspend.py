"""Editing a draft from the reader: the app gives the terminal to the editor
and takes it back. Call on the UI thread (``App.suspend`` must be)."""
from __future__ import annotations

import os
from collections.abc import Mapping

from textual.app import App, SuspendNotSupported

from kreview.core.editor import EditorResult, run_editor


def edit_draft_in_app(
    app: App, draft_path: str | os.PathLike, env: Mapping[str, str] = os.environ
) -> EditorResult:
    """Run $VISUAL/$EDITOR on ``draft_path`` with the app suspended. Never raises:
    where the terminal cannot be handed over (headless tests, some
    terminals), the result says so and the draft stays where it is."""
    try:
        with app.suspend():
            return run_editor(draft_path, env)
    except SuspendNotSupported:
        return EditorResult(
            None, error=f"cannot suspend the reader to run an editor here; the draft is at {os.fspath(draft_path)}"
        )

"""What the series screens do in the background: compare two versions, open
the thread of a message. Thread workers (kreview.tui.background): a version
that is not there is a warning, any other failure is told by the app's one
handler, never the end of the app."""
from __future__ import annotations

from kreview.core.compare import NothingToCompare
from kreview.tui.background import run_in_background, ui


def start_interdiff(app, message_id: str, against: int | None = None, whole: bool = False) -> None:
    """Compute the interdiff of ``message_id`` (a patch or a cover) and show it."""
    def compare_in_thread():
        from kreview.core.compare import compare, comparison_display
        from kreview.tui.screens.interdiff import InterdiffScreen

        try:
            result = compare(app.store, message_id, against, whole)
            lines = comparison_display(result)
        except NothingToCompare as exc:
            return ui(app.notify, str(exc), severity="warning")
        title = f"v{result.old.version} -> v{result.new.version}  {result.new.title}"
        return ui(app.push_screen, InterdiffScreen(title, lines))

    app.notify("Comparing versions …", timeout=2)
    run_in_background(app, compare_in_thread, group="interdiff", exclusive=True, failure="Could not compare the versions")


def open_message_thread(app, message_id: str) -> None:
    """Open the thread holding ``message_id`` with that message chosen."""
    def read_in_thread():
        from kreview.core.reading import open_thread

        thread_ids = app.store.thread_ids_of([message_id])
        summary = app.store.thread_summary(thread_ids[0]) if thread_ids else None
        if summary is None:
            return ui(app.notify, f"<{message_id}> is no longer in the database.", severity="warning")
        view = open_thread(app.store, summary.thread_id, None, message_id, app.kreview_config.folding)

        def push() -> None:
            from kreview.tui.screens.thread import ThreadScreen

            app.push_screen(ThreadScreen(app.store, summary, "*", select=message_id, preloaded=view))

        return ui(push)

    run_in_background(app, read_in_thread, group="open-version", exclusive=True, failure="Could not open that version")

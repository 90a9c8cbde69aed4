"""What the series screens do in the background: compare two versions, open
the thread of a message. Thread workers; every failure becomes a
notification, never the end of the app."""
from __future__ import annotations

from kreview.core.compare import NothingToCompare


def _fail(app, exc: Exception) -> None:
    if isinstance(exc, NothingToCompare):
        app.call_from_thread(app.notify, str(exc), severity="warning")
    else:
        app.call_from_thread(app.notify, f"{type(exc).__name__}: {exc}", severity="error")


def start_interdiff(app, message_id: str, against: int | None = None, whole: bool = False) -> None:
    """Compute the interdiff of ``message_id`` (a patch or a cover) and show it."""
    def work() -> None:
        from kreview.core.compare import compare, comparison_display
        from kreview.tui.screens.interdiff import InterdiffScreen

        try:
            result = compare(app.store, message_id, against, whole)
            lines = comparison_display(result)
        except Exception as exc:  # noqa: BLE001 - every failure is told, none ends the app
            _fail(app, exc)
            return
        title = f"v{result.old.version} -> v{result.new.version}  {result.new.title}"
        app.call_from_thread(app.push_screen, InterdiffScreen(title, lines))

    app.notify("Comparing versions …", timeout=2)
    app.run_worker(work, thread=True, exclusive=True, group="interdiff", exit_on_error=False)


def open_message_thread(app, message_id: str) -> None:
    """Open the thread holding ``message_id`` with that message chosen."""
    def work() -> None:
        from kreview.core.reading import open_thread

        try:
            thread_ids = app.store.thread_ids_of([message_id])
            summary = app.store.thread_summary(thread_ids[0]) if thread_ids else None
            if summary is None:
                raise NothingToCompare(f"<{message_id}> is no longer in the database.")
            view = open_thread(app.store, summary.thread_id, None, message_id,
                               app.kreview_config.folding)
        except Exception as exc:  # noqa: BLE001
            _fail(app, exc)
            return

        def push() -> None:
            from kreview.tui.screens.thread import ThreadScreen

            app.push_screen(ThreadScreen(app.store, summary, "*", select=message_id, preloaded=view))

        app.call_from_thread(push)

    app.run_worker(work, thread=True, exclusive=True, group="open-version", exit_on_error=False)

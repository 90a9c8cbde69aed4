"""What the series screens do in the background: compare two versions, open
the thread of a message. Thread workers (kreview.tui.background): a version
that is not there is a warning, any other failure is told by the app's one
handler, never the end of the app."""
from __future__ import annotations

from kreview.core.compare import NothingToCompare
from kreview.tui.background import run_in_background, ui


def start_interdiff(app, message_id: str, against: int | None = None, whole: bool = False,
                    at_once: str = "") -> None:
    """Compute the interdiff of ``message_id`` (a patch or a cover) and show it.

    ``at_once`` (a title: the series view, which knows the series has an
    older version): the interdiff screen is shown at once, saying what it
    compares, and filled when the comparison is done; a comparison that
    cannot be made closes it with a warning, a failure is told in it."""
    screen = None
    if at_once:
        from kreview.tui.screens.interdiff import InterdiffScreen

        screen = InterdiffScreen(at_once, None)
        app.push_screen(screen)

    def compare_in_thread():
        from kreview.core.compare import compare, comparison_display
        from kreview.tui.screens.interdiff import InterdiffScreen

        try:
            result = compare(app.store, message_id, against, whole)
            lines = comparison_display(result)
        except NothingToCompare as exc:
            if screen is not None:
                return ui(screen.give_up, str(exc))
            return ui(app.notify, str(exc), severity="warning")
        title = f"v{result.old.version} -> v{result.new.version}  {result.new.title}"
        if screen is not None:
            return ui(screen.show_comparison, title, lines)
        return ui(app.push_screen, InterdiffScreen(title, lines))

    if screen is None:
        app.notify("Comparing versions …", timeout=2)
    # A screen shown at once waits for its own comparison: another one
    # started meanwhile must not cancel it (it would wait for ever).
    group = "interdiff" if screen is None else f"interdiff-{id(screen)}"
    run_in_background(app, compare_in_thread, group=group, exclusive=screen is None,
                      failure="Could not compare the versions",
                      failed=screen.comparison_failed if screen is not None else None)


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

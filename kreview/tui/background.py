"""The one way the reader runs work off the UI thread.

Anything that touches notmuch, disk, the network or a big parse runs in a
Textual thread worker started here, never by hand:

- ``@in_background(group=..., exclusive=..., failure=...)`` on a method (or
  ``run_in_background(node, work, ...)`` for a function) runs it in a thread
  worker of ``node`` (the screen or widget: Textual cancels a node's workers
  when it goes, and ``exclusive=True`` cancels the older worker of the group).
- The work **returns** ``ui(callback, *args)`` to have ``callback(*args)`` run
  on the UI thread once it is done (or returns anything else, or nothing, to
  have nothing run there). A worker that reports progress as it goes calls
  ``to_ui(callback, *args)`` from the thread: it does not wait for the UI.
- The work **raises** when it fails. Every failure reaches one handler, the
  app's ``on_background_failed`` (:class:`BackgroundHandlers`), which says in
  words what went wrong (the status line of the screen, if it has one, and a
  notification), as plain text, and keeps the app running. ``failed=`` names
  a method of the node that shows the failure its own way instead (the thread
  screen writes it in the message pane; a job clears its status line).

Results and failures go to the app as messages: the worker never blocks on
the UI thread (``App.call_from_thread`` would, and would never return once
the app stopped listening), and the callbacks run in the order the worker
sent them.
"""
from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from textual.message import Message
from textual.worker import Worker, get_current_worker

__all__ = ["BackgroundHandlers", "in_background", "run_in_background", "to_ui", "ui", "words"]


@dataclass(frozen=True)
class OnUI:
    """A call to make on the UI thread: what a worker returns or streams."""

    callback: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def ui(callback: Callable[..., Any], *args, **kwargs) -> OnUI:
    """What a worker returns to have ``callback(*args, **kwargs)`` run on the
    UI thread when it is done."""
    return OnUI(callback, args, kwargs)


class BackgroundDone(Message):
    """A worker's call for the UI thread (posted to the app)."""

    def __init__(self, call: OnUI) -> None:
        super().__init__()
        self.call = call


class BackgroundFailed(Message):
    """A worker (or the UI call it returned) raised (posted to the app)."""

    def __init__(self, error: BaseException, failure: str = "", failed: Callable[[str], Any] | None = None,
                 worker: Worker | None = None) -> None:
        super().__init__()
        self.error = error
        self.failure = failure  # what could not be done: "Could not open the thread"
        self.failed = failed  # the node's own way of showing it, given the error in words
        self.worker = worker


def words(error: BaseException) -> str:
    """An error as a person reads it. Our own errors (StoreError, AmError...),
    OSError and ValueError are written to be read; anything else is a bug,
    named by its type so that it can be reported."""
    text = str(error)
    if isinstance(error, (OSError, ValueError)) or type(error).__module__.startswith("kreview."):
        return text or type(error).__name__
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def run_in_background(node, work: Callable[[], Any], *, group: str, exclusive: bool = False,
                      failure: str = "", failed: Callable[[str], Any] | None = None, name: str = "") -> Worker:
    """Run ``work()`` in a thread worker of ``node`` (see the module's doc).

    Call from the UI thread (Textual creates the worker there)."""
    app = node.app

    def in_thread():
        worker = get_current_worker()
        try:
            outcome = work()
        except Exception as error:
            app.post_message(BackgroundFailed(error, failure, failed, worker))
            raise  # the worker ends in ERROR (exit_on_error=False: the app goes on)
        if isinstance(outcome, OnUI):
            app.post_message(BackgroundDone(outcome))
        return outcome

    return node.run_worker(in_thread, name=name or getattr(work, "__name__", ""), group=group,
                           exclusive=exclusive, thread=True, exit_on_error=False)


def in_background(*, group: str, exclusive: bool = False, failure: str = "", failed: str | None = None):
    """Decorate a method of a widget or screen to run in a thread worker of
    it: calling the method starts the worker and returns it. ``failed`` is
    the name of a method of the node that shows a failure its own way."""

    def decorate(method):
        @functools.wraps(method)
        def start(self, *args, **kwargs) -> Worker:
            return run_in_background(self, functools.partial(method, self, *args, **kwargs), group=group,
                                     exclusive=exclusive, failure=failure,
                                     failed=getattr(self, failed) if failed else None, name=method.__name__)

        return start

    return decorate


def to_ui(callback: Callable[..., Any], *args, **kwargs) -> None:
    """From inside a worker: run ``callback(*args, **kwargs)`` on the UI
    thread soon (progress, a row counted), without waiting for it."""
    get_current_worker().node.app.post_message(BackgroundDone(OnUI(callback, args, kwargs)))


class BackgroundHandlers:
    """The app's side: runs the workers' UI calls, and is the one place their
    failures are told. Mixed into KreviewApp."""

    async def on_background_done(self, message: BackgroundDone) -> None:
        call = message.call
        try:
            result = call.callback(*call.args, **call.kwargs)
            if inspect.isawaitable(result):
                await result
        except Exception as error:  # a UI call that fails is told like the work that failed
            self.post_message(BackgroundFailed(error, failure=_label(call.callback)))

    def on_background_failed(self, message: BackgroundFailed) -> None:
        text = words(message.error)
        if message.failed is not None:
            try:
                message.failed(text)
                return
            except Exception as error:  # noqa: BLE001 - the node is gone or broken: tell it plainly below
                text = f"{text} (and showing it failed: {words(error)})"
        try:
            status = getattr(self.screen, "set_status", None)
        except Exception:  # noqa: BLE001 - no screen: the app is closing
            return
        if status is not None:
            status(f"{message.failure}: {text}" if message.failure else text)  # the screen's status line
        self.notify(text, title=message.failure, severity="error", timeout=10)


def _label(callback) -> str:
    name = getattr(callback, "__name__", "") or type(callback).__name__
    return f"Could not update the screen ({name.strip('_')})"

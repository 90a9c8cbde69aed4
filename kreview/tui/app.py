"""The kreview application: one factory builds it for the CLI and the tests."""
from __future__ import annotations

import threading
import weakref
from pathlib import Path

from textual.app import App

from kreview.core.store import Store
from kreview.tui.background import BackgroundHandlers, run_in_background, ui
from kreview.tui.bindings import APP
from kreview.tui.commands import SavedSearches
from kreview.tui.hangup import watch_terminal
from kreview.tui.key_order import OrderedKeys
from kreview.tui.mail_text import safe_str
from kreview.tui.screens.search import SearchScreen
from kreview.tui.series_commands import SeriesStatuses


# Seconds after the first screen before the palette's first-use work is done
# ahead: after the first page has been drawn, before a reader's first key.
PALETTE_WARM_UP_DELAY = 0.25

# Every screen's CSS but the list's (kreview.tcss, CSS_PATH): see load_screens_css.
SCREENS_CSS = Path(__file__).with_name("screens.tcss")


class KreviewApp(BackgroundHandlers, OrderedKeys, App):
    CSS_PATH = "kreview.tcss"
    TITLE = "kreview"
    BINDINGS = APP
    COMMANDS = App.COMMANDS | {SavedSearches, SeriesStatuses}
    # Screens get a class by width (kreview.tcss): below 140 columns the
    # thread screen stacks the tree above the message, which gets the width.
    # Side by side at 120, the message had 70 columns: mail written at 72-76
    # wrapped into ragged one-word rows, diff lines were cut, and the tree
    # showed 18 characters of subject.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-normal"), (200, "-wide")]
    _theme_chosen = False  # see get_css_variables

    def __init__(self, store: Store, config=None, *, query: str | None = None, theme: str | None = None,
                 pager=None) -> None:
        super().__init__()
        self._init_ordered_keys()
        self._prefetched = pager  # a ThreadPager already fetching the first page
        from kreview.config import Config

        self.store = store
        self.kreview_config = config or Config()
        self.initial_query = query or self.kreview_config.starting_query(None, getattr(store, "is_demo", False))
        self.requested_theme = theme or self.kreview_config.theme
        self.keymap_in_force: dict[str, str] = dict(self.kreview_config.keymap)
        self._trailer_counts = None
        self._lazy_lock = threading.Lock()
        self._thread_screen = None  # kept between threads: see show_thread
        self._last_thread_screen = None  # weak reference: see thread_screen
        self._counts = None  # thread counts of the list and the palette: see counts
        self._screens_css = False  # screens.tcss added: see load_screens_css
        from kreview.core.tagops import UndoStack

        self.undo_stack = UndoStack()  # one history for every screen
        self.pipe_history: list[str] | None = None  # commands piped to (|), read on first use
        from kreview.tui.theming import register_all

        # Registered and chosen before the app starts: switching theme after
        # the first CSS parse would parse every stylesheet again.
        self._theme_chosen = True
        self._theme_warnings = register_all(self, self.requested_theme)

    @property
    def trailer_counts(self):
        """A/R/T per thread, shared so screens never count twice. Made on first
        use: importing the parsers is not needed to show the first screen."""
        with self._lazy_lock:  # first asked by a worker or the UI thread: one only
            if self._trailer_counts is None:
                from kreview.core.review import TrailerCountCache

                self._trailer_counts = TrailerCountCache(self.store)
        return self._trailer_counts

    @property
    def counts(self):
        """The CountCache (kreview.core.counts), made on first use: the list
        asks for it after its first page, from a worker."""
        with self._lazy_lock:
            if self._counts is None:
                self._counts = _count_cache(self.store)
        return self._counts

    def get_css_variables(self) -> dict[str, str]:
        """The theme's CSS variables; none while App.__init__ makes the
        stylesheet, before kreview's theme is chosen: choosing it (theming,
        just after) sets the stylesheet's variables again, before anything
        is parsed, and the variables of Textual's default theme were ~1.3 ms
        of every start for nothing."""
        if not self._theme_chosen:
            return {}
        return super().get_css_variables()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from kreview.tui.theming import THEME_VARIABLE_DEFAULTS

        return dict(THEME_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        # (The thread switch interval the reader runs at is set by the entry
        # point, kreview.cli, with its reasons.)
        for warning in self._theme_warnings:
            self.notify(warning, severity="warning", timeout=8)
        for note in getattr(self.store, "recovery_notes", ()):  # tag writes a kill left half-done
            self.notify(note, severity="warning", timeout=15, markup=False)
        if self.keymap_in_force:
            self.set_keymap(self.keymap_in_force)
        watch_terminal(self)
        self.call_after_refresh(self._prepare_reading)

    def _prepare_reading(self) -> None:
        # After the first frame: at start-up the interpreter is busy enough.
        def warm_up():
            import_reading_path()
            return ui(self._build_thread_screen)

        run_in_background(self, warm_up, group="warm-up")
        self.set_timer(PALETTE_WARM_UP_DELAY, self._prepare_palette)

    def _prepare_palette(self) -> None:
        """Do ahead, once, what the first ctrl+p would: import Textual's
        system commands and parse the palette widgets' CSS (~10 % of the
        first opening; the UI thread's, so on a timer after the first
        screen, not at start)."""
        import textual.system_commands  # noqa: F401 - the palette's own provider
        from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
        from textual.containers import Horizontal, Vertical
        from textual.widgets import LoadingIndicator

        from kreview.tui.textual_compat import parse_default_css_ahead

        parse_default_css_ahead(self, (CommandPalette, CommandInput, CommandList, SearchIcon, LoadingIndicator,
                                       Vertical, Horizontal))

    def load_screens_css(self) -> None:
        """Add the CSS of every screen but the list's (screens.tcss), once.

        Only kreview.tcss is parsed before the first screen: the whole of
        the old single file took ~5 ms to parse there, the list's part
        ~1.5 ms. The rest is added while the list is read (the thread
        screen's warm-up, below), or by the first push of any other screen
        if that comes first: no screen is ever built without its rules."""
        if not self._screens_css:
            from kreview.tui.textual_compat import add_css_file

            add_css_file(self, SCREENS_CSS)
            self._screens_css = True

    def push_screen(self, screen, *args, **kwargs):
        self.load_screens_css()
        return super().push_screen(screen, *args, **kwargs)

    def _build_thread_screen(self) -> None:
        """Compose and style the thread screen while the reader looks at the
        list, not on the first Enter (it was ~30-50 ms of that Enter): it is
        mounted without being shown, and show_thread points it at the thread."""
        from kreview.tui.screens.thread import ThreadScreen
        from kreview.tui.textual_compat import is_exiting, mount_unseen

        if self._thread_screen is None and self.is_running and not is_exiting(self):
            self.load_screens_css()
            self._thread_screen = ThreadScreen(self.store, None)
            self.install_screen(self._thread_screen, name="thread")
            mount_unseen(self, self._thread_screen)

    def get_default_screen(self) -> SearchScreen:
        # The search screen is the bottom of the stack, built while the app
        # mounts. Pushed from on_mount instead, it was laid out and drawn
        # inside Textual's start-up batch, where nothing reaches the
        # terminal, and then drawn again.
        screen = SearchScreen(self.store, self.initial_query)
        # With its size class (HORIZONTAL_BREAKPOINTS) from the start: Textual
        # sets it in the screen's first resize handler, after the first frame,
        # and the class arriving then restyled every widget of the list's
        # screen for nothing (no rule of the list's depends on it).
        from kreview.tui.textual_compat import size_classes

        screen.update_classes(size_classes(screen, self.size, self), update=False)
        return screen

    def show_thread(self, thread, query: str, view) -> None:
        """Push the thread screen for ``thread`` with its loaded ``view``.

        One thread screen is kept (installed, so popping it does not destroy
        it) and pointed at each thread opened from the list: composing and
        styling a new one cost more than a third of opening a thread."""
        from kreview.tui.screens.thread import ThreadScreen

        screen = self._thread_screen
        if screen is not None and screen.is_mounted and screen not in self.screen_stack:
            screen.reopen(thread, query, view)
        else:
            screen = ThreadScreen(self.store, thread, query, preloaded=view)
            if self._thread_screen is None:
                self.install_screen(screen, name="thread")
                self._thread_screen = screen
        self._last_thread_screen = weakref.ref(screen)
        self.push_screen(screen)

    @property
    def thread_screen(self):
        """The thread screen show_thread pushed last, while it exists (the rest
        of a big thread pushed in two steps goes there)."""
        return self._last_thread_screen() if self._last_thread_screen is not None else None

    def take_prefetched(self, query: str):
        """The pager started before the app, if it is for ``query`` (once)."""
        pager, self._prefetched = self._prefetched, None
        if pager is not None and pager.query != query:
            pager.close()
            return None
        return pager

    def open_query(self, query: str) -> None:
        """Show ``query``'s threads on the search screen (from the palette)."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, SearchScreen):
            self.pop_screen()
        if isinstance(self.screen, SearchScreen):
            self.screen.query_one("#query").value = query
            self.screen.run_query(query)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification is plain text, whatever the caller asked:
        ours quote subjects, tags, paths and errors, which must never be
        read as markup (``markup`` stays in the signature because Textual's
        Widget.notify passes it). Controls are made visible."""
        super().notify(safe_str(str(message)), title=safe_str(str(title)), severity=severity, timeout=timeout,
                       markup=False)

    def action_help_quit(self) -> None:
        # Textual's own hint, written in markup (which notify no longer reads).
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {self.get_key_display(active.binding)} to quit the app",
                            title="Do you want to quit?")
                return

    def on_command_palette_option_highlighted(self, event) -> None:
        # Posted each time the open palette fills its list: counts start now
        # and labels catch up (commands.py).
        from kreview.tui.commands import palette_listed

        palette_listed(self)

    # -- a key that does nothing says so -------------------------------------

    def on_key(self, event) -> None:
        """A printable key that reached the App (no widget took it) and that
        no binding of the screen in front will take gets a short "key x does
        nothing here; ? for help", not silence. Textual calls this before its
        own App handler, which then runs the binding, if there is one."""
        character = event.character
        if not (event.is_printable and character and not character.isspace()):
            return
        bound = self.screen.active_bindings.get(event.key)
        if bound is not None and bound.enabled:
            return
        if getattr(self, f"key_{event.name}", None) is not None:  # a key_ method of the App takes it
            return
        self.say_dead_key(character)

    def say_dead_key(self, character: str) -> None:
        text = f"key {character} does nothing here; ? for help"
        status = getattr(self.screen, "set_status", None)
        if status is not None:
            status(text)  # the search screen's status line
        else:
            self.notify(text, timeout=2)

    def action_help(self) -> None:
        from kreview.tui.screens.help import HelpScreen  # loaded by the warm-up (import_reading_path)

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def _count_cache(store: Store):
    """Counts kept per database (in the XDG cache dir, one file for each
    notmuch config) until its revision changes: kreview.core.counts."""
    import hashlib

    from kreview.core.counts import CountCache
    from kreview.paths import cache_dir

    name = hashlib.sha1(str(store.config_path or "default").encode()).hexdigest()[:16]
    return CountCache(store, cache_dir() / "counts" / f"{name}.json")


def import_reading_path() -> None:
    """Load what opening a thread needs the first time, while the reader
    looks at the list: its modules (~70 ms) and the C lexer's rules (~10 ms).
    Loaded on the first Enter instead, they made it the slowest one."""
    import kreview.core.intents  # noqa: F401 - the first tag change writes an intent
    import kreview.tui.screens.help  # noqa: F401 - the first ? (not needed for the first screen)
    import kreview.core.reading  # noqa: F401
    import kreview.tui.screens.thread  # noqa: F401
    from kreview.core.highlight import highlight_line
    from kreview.tui.memory import freeze_long_lived_objects

    highlight_line("c", "static int warm;")
    freeze_long_lived_objects()  # what the reader keeps is in: full collections skip it


def build_app(store: Store, config=None, query: str | None = None, theme: str | None = None,
              pager=None) -> KreviewApp:
    return KreviewApp(store, config, query=query, theme=theme, pager=pager)


def run_app(store: Store, args, config, pager) -> int:
    """The reader on the query asked for, ``pager`` already fetching its first
    page (of that query less muted threads: kreview.core.muting)."""
    query = config.starting_query(getattr(args, "query", None), getattr(store, "is_demo", False))
    app = build_app(store, config, query, getattr(args, "theme", None), pager)
    app.run()
    return app.return_code or 0

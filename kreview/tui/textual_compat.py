"""Where kreview relies on Textual beyond its documented API: here only.

Each function says what it relies on. tests/tui/test_textual_compat.py
checks each against the installed Textual, so a release that changes one
fails there, and the fix goes here, nowhere else.
"""
from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView


def bind_on(node: DOMNode, keys: str, action: str, description: str = "", *, show: bool = True) -> None:
    """Bind ``keys`` on this one node (a screen) once it is made: for keys
    from the user's config, which no class ``BINDINGS`` can name. Textual's
    public ``App.bind`` binds app-wide; a node's own bindings are its
    ``_bindings`` map, filled from ``BINDINGS`` when the node is made."""
    node._bindings.bind(keys, action, description, show=show)


def theme_before_running(app: App, name: str) -> None:
    """Make ``name`` the theme of an app that is not running yet, without the
    refresh of all CSS that assigning ``App.theme`` queues (before the first
    parse that parses every stylesheet a second time). Does what Textual's
    theme watcher does that matters before the first parse: the value, the
    app's theme and dark/light classes, and the stylesheet's variables.
    The watcher's other work, the ANSI colour filter, depends on the theme
    being dark or light: the caller assigns ``App.theme`` when that differs
    from the current theme's."""
    theme = app.get_theme(name)
    app.set_reactive(App.theme, name)
    for stale in [cls for cls in app.classes if cls.startswith("-theme-")]:
        app.set_class(False, stale, update=False)
    app.set_class(True, f"-theme-{name}", update=False)
    app.set_class(theme.dark, "-dark-mode", update=False)
    app.set_class(not theme.dark, "-light-mode", update=False)
    app.stylesheet.set_variables(app.get_css_variables())  # nothing is parsed yet


def set_virtual_size_quietly(view: ScrollView, size: Size) -> None:
    """Change ``view``'s virtual size without the layout pass of the whole
    screen that the ``virtual_size`` reactive asks for: for a caller that
    knows no scrollbar comes or goes. Textual keeps the size in the reactive
    and each scrollbar's thumb in its ``window_virtual_size``."""
    view.set_reactive(ScrollView.virtual_size, size)
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.window_virtual_size = size.height
    if view.show_horizontal_scrollbar:
        view.horizontal_scrollbar.window_virtual_size = size.width


def propagation_stopped(message: Message) -> bool:
    """Whether a handler called ``stop()`` on ``message``: Textual keeps it
    in ``_stop_propagation`` and has no public way to ask."""
    return message._stop_propagation


def parse_default_css_ahead(app: App, widget_classes) -> None:
    """Add the DEFAULT_CSS of ``widget_classes`` (with their bases') to the
    app's stylesheet and parse it now, while the app is idle, as Textual
    does when it registers the first widget of each class
    (``Widget._post_register``, through ``DOMNode._get_default_css``, which
    only reads the class). The parse is then a cache hit when one is
    mounted; CSS already added is left as it is (``add_source``)."""
    stylesheet = app.stylesheet
    for widget_class in widget_classes:
        blank = widget_class.__new__(widget_class)  # _get_default_css reads only its class
        for read_from, css, tie_breaker, scope in widget_class._get_default_css(blank):
            stylesheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker,
                                  scope=scope)
    stylesheet.rules_map  # noqa: B018 - parses what was added and maps selectors, as the next styling would


def add_css_file(app: App, path: Path) -> bool:
    """Add the CSS file at ``path`` to a running app's stylesheet and restyle
    what is mounted, as Textual does when a screen with its own ``CSS_PATH``
    is pushed (``App._load_screen_css``), but parsing only the new file: that
    reparses every source in a fresh stylesheet, where this adds it as a
    widget's ``DEFAULT_CSS`` is added on its first mount (``add_source``; the
    next styling parses it, the other sources come from the parse cache).
    False, and nothing done, when it was added already."""
    stylesheet = app.stylesheet
    location = (str(path.resolve()), "")
    if stylesheet.has_source(*location):
        return False
    stylesheet.add_source(path.read_text(encoding="utf-8"), read_from=location, is_default_css=False)
    stylesheet.update(app)
    return True


def mount_unseen(app: App, screen) -> None:
    """Compose and mount ``screen`` now without showing it (its ``on_mount``
    runs): ``App._get_screen`` is the step of ``push_screen`` that registers
    a screen not running yet; a later ``push_screen`` finds it running."""
    app._get_screen(screen)


def lay_out_unseen(screen, size: Size) -> None:
    """Lay ``screen`` out at ``size`` while another screen is shown, so its
    first push needs no layout of its own: ``Screen._refresh_layout`` reflows
    the widgets and posts their (and the screen's) resize events, and draws
    only when the screen is the current one. Textual gives a screen its size
    classes (``App.HORIZONTAL_BREAKPOINTS``...) in its resize handler, after
    a layout; they are set and styled first here (as that handler computes
    them), or the widgets would keep the sizes of the layout without them."""
    classes = size_classes(screen, size, screen.app)
    if classes:
        screen.update_classes(classes, animate=False)
        screen.update_node_styles(animate=False)
    screen._refresh_layout(size)


def size_classes(screen, size: Size, app: App) -> dict[str, bool]:
    """The size classes (``App.HORIZONTAL_BREAKPOINTS``...) ``screen`` gets
    at ``size``, each name with whether it applies, as Textual's
    ``Screen._on_resize`` computes them (``_get_breakpoint_classes``); empty
    when there are no breakpoints. ``app`` is given: a screen not mounted
    yet has none of its own."""
    horizontal = (app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None
                  else screen.HORIZONTAL_BREAKPOINTS) or []
    vertical = (app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None
                else screen.VERTICAL_BREAKPOINTS) or []
    classes = {name: False for _, name in horizontal + vertical}
    for name in screen._get_breakpoint_classes(size.width, horizontal):
        classes[name] = True
    for name in screen._get_breakpoint_classes(size.height, vertical):
        classes[name] = True
    return classes


def is_exiting(app: App) -> bool:
    """Whether the app is ending: ``App.exit`` was called (Textual keeps it
    in ``_exit``), or its shutdown began (``is_running`` is then False)."""
    return app._exit or not app.is_running

"""The help screen: every binding in force, built from the binding data and
the keymap the user configured (so it never lies about a remapped key)."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kreview.core.sanitize import clean_line
from kreview.tui import bindings as binding_data

# (title, binding list, what the section's Action column says). Titles stay
# short: the Keys column is never wrapped, so its widest title set its width
# (57 columns for one title: at 120 columns the ids were cut).
SECTIONS = [
    ("Everywhere", "APP", ""),
    ("Search screen", "SEARCH", ""),
    ("Search history", "SEARCH_HISTORY", "in the search field"),
    ("Thread list", "THREAD_LIST", ""),
    ("Thread screen", "THREAD", ""),
    ("Unread, patches", "NAVIGATION", "on the thread screen"),
    ("Message pane", "BODY", ""),
    ("Tagging", "TAGGING", ""),
    ("Muting", "MUTE", "hidden unless the query names tag:muted"),
    ("Marking threads", "MARKING", ""),
    ("Replying", "REPLY", ""),
    ("Archive (lore)", "ARCHIVE", "on the thread screen"),
    ("Review comments", "COMMENT", "in the message pane"),
    ("Review reply", "REVIEW", ""),
    ("Export, git am", "EXPORT", "taking a series, getting things out"),
    ("Series versions", "SERIES", "a series across its versions"),
]


def keys_in_force(binding: Binding, keymap: dict[str, str]) -> str:
    keys = keymap.get(binding.id or "", binding.key)
    if binding.key_display and binding.id not in keymap:
        keys = binding.key_display + ("," + keys.split(",", 1)[1] if "," in keys else "")
    return ", ".join(k.strip() for k in keys.split(","))


def _cell(text: str, style: str = "") -> Text:
    # Cells are Text, not str: Rich reads a str cell as markup, and keys and
    # tag operations here come from the user's config file.
    return Text(clean_line(text), style=style)


def help_table(keymap: dict[str, str], tag_keys: dict[str, str] | None = None) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column(Text("Keys"), no_wrap=True)
    table.add_column(Text("Action"))
    table.add_column(Text("Id (for [keymap] in config.toml)"), style="dim", no_wrap=True)  # copied whole
    for title, name, note in SECTIONS:
        items = getattr(binding_data, name, None)
        if not items:
            continue
        table.add_row(_cell(title, "bold"), _cell(note, "italic"), "")
        for binding in items:
            table.add_row(_cell(keys_in_force(binding, keymap)), _cell(binding.description), _cell(binding.id or ""))
        table.add_row("", "", "")
    if tag_keys:
        table.add_row(_cell("Tag keys", "bold"), _cell("[tag_keys] in config.toml", "italic"), "")
        for key, ops in tag_keys.items():
            table.add_row(_cell(key), _cell(ops), "")
    return table


class HelpScreen(ModalScreen):
    # j/k move everywhere else in kreview: here they scroll, as do space and
    # b (less), g and G; the arrows and PageUp/PageDown scroll the box itself.
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help.up"),
        Binding("space", "scroll('page_down')", "Page down", show=False, id="help.page_down"),
        Binding("b", "scroll('page_up')", "Page up", show=False, id="help.page_up"),
        Binding("g", "scroll('home')", "Top", show=False, id="help.top"),
        Binding("G", "scroll('end')", "Bottom", show=False, id="help.bottom"),
    ]

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        getattr(box, f"scroll_{where}")(animate=False)

    def compose(self) -> ComposeResult:
        keymap = dict(self.app.keymap_in_force)
        with VerticalScroll(id="help-box"):
            yield Static("kreview keys  (Escape or q closes)", id="help-title", markup=False)
            from kreview.tui.tagging import review_key_map

            tag_keys = review_key_map(self.app.kreview_config)
            yield Static(help_table(keymap, tag_keys), id="help-table")

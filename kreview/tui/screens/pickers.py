"""Small modal pickers: a patch's files, saved searches."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kreview.tui.mail_text import plain_line


class Picker(ModalScreen[int | None]):
    """Choose one of ``items`` (label, value); dismisses with the value or None."""

    BINDINGS = [Binding("escape,q", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, title: str, items: list[tuple[str, int]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        yield Static(plain_line(self.title_text), id="picker-title")
        yield OptionList(*[Option(plain_line(label), id=str(i)) for i, (label, _) in enumerate(self.items)],
                         id="picker-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[int(event.option.id)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)

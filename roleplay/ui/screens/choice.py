"""Pick one of a few options (an event to inject, a route, a category...)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain


class ChoiceScreen(ModalScreen[str | None]):
    """Returns the chosen option's id, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, options: list[tuple[str, str]], *, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = plain(self.title_text)
            if self.hint:
                yield Static(plain(self.hint), classes="dialog-text")
            yield OptionList(*[Option(plain(f"{n}. {label}" if n < 10 else label), id=key) for n, (key, label) in enumerate(self.options, 1)], id="choices")
            yield Static(_("↑↓ and Enter, or the number · Escape to cancel"), classes="dialog-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.options:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)

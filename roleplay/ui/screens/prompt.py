"""Ask for one line of text (a note, a marker, an entry...)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, *, hint: str = "", value: str = "", placeholder: str = "", restrict: str | None = None, password: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder
        self.restrict = restrict
        self.password = password  # typed characters are never shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = plain(self.title_text)
            if self.hint:
                yield Static(plain(self.hint), classes="dialog-text")
            yield Input(self.value, placeholder=self.placeholder, restrict=self.restrict, password=self.password, id="prompt-input")
            yield Static(_("Enter to save · Escape to cancel"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

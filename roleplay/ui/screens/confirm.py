"""A yes/no question before anything that loses work or shows secrets."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n,escape", "answer(False)", N_("No")),
    ]

    def __init__(self, question: str, *, yes: str | None = None, no: str | None = None, title: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes if yes is not None else _("Yes")
        self.no_label = no if no is not None else _("No")
        self.title_text = title if title is not None else _("Please confirm")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = plain(self.title_text)
            yield Static(plain(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("{answer} (y)").format(answer=self.yes_label), id="yes", variant="primary")
                yield Button(_("{answer} (n)").format(answer=self.no_label), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

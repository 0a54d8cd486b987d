"""Recording consent: every participant is asked in turn; every answer is kept in the log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain


class ConsentScreen(ModalScreen[dict[str, bool] | None]):
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes, record me")),
        Binding("n", "answer(False)", N_("No")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, participants: list[str]) -> None:
        super().__init__()
        self.participants = participants
        self.answers: dict[str, bool] = {}
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = _("Consent to recording")
            yield Static("", id="consent-question", classes="dialog-text big")
            yield Static("", id="consent-so-far", classes="dialog-help")
            yield Static(_("y: yes · n: no · Escape: cancel the start"), classes="dialog-help")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        name = self.participants[self.index]
        self.query_one("#consent-question", Static).update(
            plain(
                _("{name}, do you agree to be video-recorded in this session? ({number} of {count})").format(
                    name=name, number=self.index + 1, count=len(self.participants)
                )
            )
        )
        so_far = ", ".join(_("{name}: {answer}").format(name=n, answer=_("yes") if v else _("no")) for n, v in self.answers.items())
        self.query_one("#consent-so-far", Static).update(plain(so_far))

    def action_answer(self, given: bool) -> None:
        self.answers[self.participants[self.index]] = given
        self.index += 1
        if self.index >= len(self.participants):
            self.dismiss(self.answers)
        else:
            self.show()

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Recording consent: every participant is asked in turn; every answer is kept in the log.

Besides yes and no, whoever does not want to be filmed can observe from outside the frame (when the
exercise has a role outside it): the session is filmed, and they are never in the frame (the rules:
roleplay/core/consent.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.core.consent import NO, OUTSIDE, YES
from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain


class ConsentScreen(ModalScreen[dict[str, str] | None]):
    """Dismissed with each participant's answer (yes, no or outside), or None when the start is cancelled."""

    BINDINGS = [
        Binding("y", "answer('yes')", N_("Yes, record me")),
        Binding("o", "answer('outside')", N_("Observe outside the frame")),
        Binding("n", "answer('no')", N_("No")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, participants: list[str], outside_possible: bool = True) -> None:
        super().__init__()
        self.participants = participants
        self.outside_possible = outside_possible
        self.answers: dict[str, str] = {}
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = _("Consent to recording")
            yield Static("", id="consent-question", classes="dialog-text big")
            yield Static("", id="consent-so-far", classes="dialog-help")
            if self.outside_possible:
                yield Static(_("y: yes · o: no, observe outside the frame · n: no · Escape: cancel the start"), classes="dialog-help")
            else:
                yield Static(_("y: yes · n: no · Escape: cancel the start"), classes="dialog-help")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (OUTSIDE,) and not self.outside_possible:
            return False  # every role of this exercise is in the frame
        return True

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
        words = {YES: _("yes"), NO: _("no"), OUTSIDE: _("observing outside the frame")}
        so_far = ", ".join(_("{name}: {answer}").format(name=n, answer=words[v]) for n, v in self.answers.items())
        self.query_one("#consent-so-far", Static).update(plain(so_far))

    def action_answer(self, answer: str) -> None:
        if answer not in (YES, NO, OUTSIDE) or (answer == OUTSIDE and not self.outside_possible):
            return
        self.answers[self.participants[self.index]] = answer
        self.index += 1
        if self.index >= len(self.participants):
            self.dismiss(self.answers)
        else:
            self.show()

    def action_cancel(self) -> None:
        self.dismiss(None)

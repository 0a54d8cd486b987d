"""Before the first exercise of the day: the trainer's checklist (core/pre_session.py).

Shown over the set-up screen the first time a session is set up on a day, unless the trainer turned
it off here. Ticking is for the trainer alone; nothing is logged. "Ready" remembers the day.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static, Switch

from roleplay.core.pre_session import CHECKLIST
from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain, plain_text
from roleplay.ui.widgets.scroll import TextScroll


class PreSessionScreen(ModalScreen[tuple[bool, bool]]):
    """Dismissed with (ready, daily): whether the trainer is ready (the day is remembered), and whether
    to show it before the first session of each day."""

    BINDINGS = [
        Binding("ctrl+s", "ready", N_("Ready")),
        Binding("escape", "later", N_("Later")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="pre-session") as box:
            box.border_title = plain(_("Before the first session today"))
            yield Static(plain(_("A moment to check the room and the ground rules. Space ticks a line; nothing here is saved or shown to the group.")),
                         classes="dialog-help")
            with TextScroll(id="pre-session-items"):
                for check in CHECKLIST:
                    # The title on the box, the whole text wrapped under it: a label is cut at the screen's edge.
                    yield Checkbox(plain_text(str(check.title)), id=f"check-{check.id}")
                    yield Static(plain(str(check.text)), classes="check-text")
            with Horizontal(classes="dialog-buttons"):
                yield Label(plain(_("Show before the first session of each day")))
                yield Switch(True, id="daily")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Ready (ctrl+s)"), id="ready", variant="primary")
                yield Button(_("Later (esc)"), id="later")

    def on_mount(self) -> None:
        self.query_one(f"#check-{CHECKLIST[0].id}", Checkbox).focus()

    @property
    def unticked(self) -> list[str]:
        return [str(c.title) for c in CHECKLIST if not self.query_one(f"#check-{c.id}", Checkbox).value]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ready() if event.button.id == "ready" else self.action_later()

    def action_ready(self) -> None:
        left = self.unticked
        if left:
            self.notify(_("Still to check: {items}").format(items=", ".join(left)), timeout=6)
        self.dismiss((True, self.query_one("#daily", Switch).value))

    def action_later(self) -> None:
        self.dismiss((False, self.query_one("#daily", Switch).value))

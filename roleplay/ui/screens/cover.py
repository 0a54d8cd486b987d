"""The cover the room sees before the trainer's private layer opens on a projected screen.

On a mirrored projector the laptop's screen is the room's screen. The cover hides the
session first and tells the trainer to freeze or blank the projector; only Enter (a
deliberate key) goes on to the private layer. Escape goes back without showing anything.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_

ROOM_TEXT = N_("One moment: the trainer is checking their notes.")
TRAINER_TEXT = N_(
    "Trainer: freeze or blank the projector now (Freeze or AV-mute on its remote), "
    "then press Enter to see your private notes. Escape goes back."
)


class CoverScreen(ModalScreen[bool]):
    """Answers True when the trainer chose to open the private layer."""

    BINDINGS = [
        Binding("enter", "answer(True)", N_("Open private view")),
        Binding("escape", "answer(False)", N_("Back")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="cover"):
            yield Static(_(ROOM_TEXT), id="cover-room")
            yield Static(_(TRAINER_TEXT), id="cover-trainer")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

"""`roleplay replay` in the terminal: a minimal app whose only screen is the replay screen."""

from __future__ import annotations

from textual.app import App

from roleplay.ui.i18n import N_
from roleplay.ui.screens.replay import ReplayScreen
from roleplay.ui.text import PlainNotifications


class ReplayApp(PlainNotifications, App):
    TITLE = N_("Role-play replay")
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, player=None, *, folder=None, passphrase=None, sound: bool = True, name: str | None = None):
        super().__init__()
        self._screen_args = dict(folder=folder, passphrase=passphrase, player=player, viewer=name, sound=sound)

    def get_default_screen(self) -> ReplayScreen:
        # The replay screen is the base screen: its quit key ends the app.
        return ReplayScreen(**self._screen_args)


def run_replay_app(player, *, sound: bool = True, name: str | None = None) -> int:
    ReplayApp(player, sound=sound, name=name).run()
    return 0

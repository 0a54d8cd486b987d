"""A short line in the phase header while the room is open: how many phones are in, how many wait.

The app puts one into each phase screen's header (roleplay/ui/room_service.py); names are left out,
only counts, so it says as little as possible on a projected screen.
"""

from __future__ import annotations

from textual.widgets import Static

from roleplay.ui.text import plain


class RoomBadge(Static):
    DEFAULT_CSS = """
    RoomBadge { width: auto; height: 2; padding: 0 1; content-align: right middle; color: $text-muted; }
    RoomBadge.-waiting { color: $warning; text-style: bold; }
    """

    def show(self, text: str | None, waiting: int = 0) -> None:
        """`text` None hides the badge (no room open)."""
        self.display = text is not None
        self.set_class(waiting > 0, "-waiting")
        self.update(plain(text or ""))

"""The phase countdown: colour and words change near the end; expiry is shown, never silent."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from roleplay.ui.i18n import _
from roleplay.ui.text import clock_text


class Countdown(Static):
    """Shows `⏱ 04:32 left`; near the end `⚠ 00:45 left · nearly time`; then `■ TIME IS UP`."""

    DEFAULT_CSS = """
    Countdown { width: auto; min-width: 24; height: 1; padding: 0 1; text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.state = "none"

    def show(self, remaining: float | None, *, warn_before: float = 60, expired: bool = False, paused: bool = False) -> None:
        if remaining is None:
            state, text = "none", _("no timer")
        elif paused:
            state, text = "paused", "‖ " + _("PAUSED · {time} left").format(time=clock_text(remaining))
        elif expired or remaining <= 0:
            state, text = "expired", "■ " + _("TIME IS UP · {time}").format(time="00:00")
        elif remaining <= warn_before:
            state, text = "warn", "⚠ " + _("{time} left · nearly time").format(time=clock_text(remaining))
        else:
            state, text = "running", "⏱ " + _("{time} left").format(time=clock_text(remaining))
        if state == self.state and text == getattr(self, "_text", None):
            return
        # A tick keeps the state and width (`04:32` to `04:31`): then no layout, whose pass would also redraw the
        # screen's scroll bars in a second frame. The widget is `width: auto`, so a new width needs one.
        layout = state != self.state or cell_len(text) != cell_len(getattr(self, "_text", None) or "")
        self.state = state
        self._text = text
        for name in ("none", "paused", "expired", "warn", "running"):
            self.set_class(name == state, f"-{name}")
        self.update(text, layout=layout)

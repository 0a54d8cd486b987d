"""The phase countdown: colour and words change near the end; expiry is shown, never silent."""

from __future__ import annotations

from textual.widgets import Static

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
            state, text = "none", "no timer"
        elif paused:
            state, text = "paused", f"‖ PAUSED · {clock_text(remaining)} left"
        elif expired or remaining <= 0:
            state, text = "expired", "■ TIME IS UP · 00:00"
        elif remaining <= warn_before:
            state, text = "warn", f"⚠ {clock_text(remaining)} left · nearly time"
        else:
            state, text = "running", f"⏱ {clock_text(remaining)} left"
        if state == self.state and text == getattr(self, "_text", None):
            return
        self.state = state
        self._text = text
        for name in ("none", "paused", "expired", "warn", "running"):
            self.set_class(name == state, f"-{name}")
        self.update(text)

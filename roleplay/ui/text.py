"""Small helpers for showing text from scenarios safely (never as markup)."""

from __future__ import annotations

from textual.content import Content


def plain(text: str | None) -> Content:
    """Scenario and participant text as-is: brackets in it are never read as markup."""
    return Content(text or "")


def clock_text(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def minutes_text(seconds: int) -> str:
    minutes = round(seconds / 60)
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes} min"

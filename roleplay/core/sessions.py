"""Past sessions on disk, read from their logs only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roleplay.core.log import LOG_NAME, LogError, read_log


@dataclass
class SessionInfo:
    folder: Path
    scenario: str
    title: str
    started: float
    participants: list[str]
    ended: str | None  # "final", "stopped", or None when cut off (resumable)
    last_phase: str | None
    events: int

    @property
    def resumable(self) -> bool:
        return self.ended is None


def read_info(folder: Path) -> SessionInfo:
    events = read_log(folder)
    if not events or events[0].type != "session_started":
        raise LogError(f"{folder}: the session log does not start with session_started")
    first = events[0].data
    ended = None
    last_phase = None
    for event in events:
        if event.type == "phase_entered":
            last_phase = event.data.get("phase")
        elif event.type == "session_ended":
            ended = event.data.get("reason", "final")
        elif event.type == "session_resumed":
            ended = None
    return SessionInfo(
        folder=Path(folder),
        scenario=first.get("scenario", "?"),
        title=first.get("title", first.get("scenario", "?")),
        started=events[0].wall,
        participants=list(first.get("participants", [])),
        ended=ended,
        last_phase=last_phase,
        events=len(events),
    )


def list_sessions(root: Path) -> list[SessionInfo]:
    """Sessions under `root`, newest first; folders whose log cannot be read are skipped."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for log in root.glob(f"*/{LOG_NAME}"):
        try:
            found.append(read_info(log.parent))
        except (LogError, OSError, ValueError, KeyError):
            continue
    return sorted(found, key=lambda info: info.started, reverse=True)

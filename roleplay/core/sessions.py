"""Past sessions on disk, each with its true state, read from their logs only.

Every folder under the sessions root that holds a session log is listed,
whatever shape it is in: running (another program holds it open), ended,
cut off (can be resumed), damaged (which line, and why), a recording made by
`roleplay record` (what it holds), encrypted (needs its passphrase), or from
a newer version of the program. Nothing that exists is hidden: `prune` and
`delete` must never remove what the list did not show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from roleplay.core.events import PhaseEntered, SessionEnded, SessionResumed, SessionStarted
from roleplay.core.folder import SessionFolder
from roleplay.core.i18n import _
from roleplay.core.log import DamagedLog, LockedLog, LogError, LogEvent, NewerLog, is_live, read_log


class FolderState(str, Enum):
    RUNNING = "running"
    ENDED = "ended"
    CUT_OFF = "cut off"
    DAMAGED = "damaged"
    RECORDING = "recording only"
    ENCRYPTED = "encrypted"
    NEWER = "newer version"
    UNREADABLE = "unreadable"


@dataclass
class SessionInfo:
    folder: Path
    state: FolderState
    scenario: str = "?"
    title: str = ""
    started: float = 0.0
    participants: list[str] | None = None
    ended: str | None = None  # "final" or "stopped" when ended
    last_phase: str | None = None
    events: int = 0
    problem: str = ""  # for damaged, unreadable, newer: what is wrong and where
    video: str = ""  # what a recording holds, when there is one

    @property
    def resumable(self) -> bool:
        return self.state is FolderState.CUT_OFF

    @property
    def readable(self) -> bool:
        return self.state in (FolderState.ENDED, FolderState.CUT_OFF, FolderState.RUNNING)

    def describe(self) -> str:
        """One short line for lists: the state in words."""
        if self.state is FolderState.ENDED:
            if self.ended in (None, "final"):
                return _("ended")
            return _("ended ({reason})").format(reason=_("stopped") if self.ended == "stopped" else self.ended)
        if self.state is FolderState.CUT_OFF:
            return _("cut off in '{phase}' (can be resumed)").format(phase=self.last_phase)
        if self.state is FolderState.RUNNING:
            return _("running now (in '{phase}')").format(phase=self.last_phase) if self.last_phase else _("running now")
        if self.state is FolderState.RECORDING:
            return _("recording only: {video}").format(video=self.video) if self.video else _("recording only: no video yet")
        if self.state is FolderState.ENCRYPTED:
            return _("encrypted: needs its passphrase")
        state = {FolderState.DAMAGED: _("damaged"), FolderState.NEWER: _("newer version"),
                 FolderState.UNREADABLE: _("unreadable")}.get(self.state, self.state.value)
        return _("{state}: {problem}").format(state=state, problem=self.problem)


def _video_summary(folder: SessionFolder) -> str:
    """What a recording holds, read from its index (segments and seconds); "" when there is none."""
    try:
        raw = folder.video_index.read_bytes()
    except OSError:
        return ""
    segments, seconds = 0, 0.0
    for line in raw.split(b"\n"):
        try:
            entry = json.loads(line)
            seconds += float(entry["end"]) - float(entry["start"])
            segments += 1
        except (ValueError, KeyError, TypeError):
            continue
    if not segments:
        return ""
    return _("{segments} video segment(s), {minutes}:{seconds:02d} min").format(
        segments=segments, minutes=int(seconds // 60), seconds=int(seconds % 60))


def _from_events(folder: SessionFolder, events: list[LogEvent], live: bool) -> SessionInfo:
    first = events[0].body
    assert isinstance(first, SessionStarted)
    info = SessionInfo(
        folder=folder.path,
        state=FolderState.RUNNING if live else FolderState.CUT_OFF,
        scenario=first.scenario,
        title=first.title or first.scenario,
        started=events[0].wall,
        participants=list(first.participants),
        events=len(events),
        video=_video_summary(folder),
    )
    if first.headless or first.scenario_data is None:
        info.state = FolderState.RUNNING if live else FolderState.RECORDING
        return info
    for event in events:
        body = event.body
        if isinstance(body, PhaseEntered):
            info.last_phase = body.phase
        elif isinstance(body, SessionEnded):
            info.ended = body.reason
        elif isinstance(body, SessionResumed):
            info.ended = None
    if info.ended is not None and not live:
        info.state = FolderState.ENDED
    return info


def read_info(folder: Path) -> SessionInfo:
    """The state of one session folder; never raises for what is inside the folder."""
    paths = SessionFolder(Path(folder))
    live = is_live(paths.path)
    stamp = _mtime(paths)
    try:
        events = read_log(paths.path)
    except LockedLog:
        return SessionInfo(paths.path, FolderState.RUNNING if live else FolderState.ENCRYPTED, started=stamp)
    except NewerLog as exc:
        return SessionInfo(paths.path, FolderState.NEWER, started=stamp, problem=str(exc))
    except DamagedLog as exc:
        info = SessionInfo(paths.path, FolderState.DAMAGED, started=stamp,
                           problem=_("line {line}: {reason}").format(line=exc.line, reason=exc.reason))
        if exc.events:
            good = _from_events(paths, exc.events, live=False)
            info.scenario, info.title, info.started = good.scenario, good.title, good.started
            info.participants, info.last_phase, info.events = good.participants, good.last_phase, good.events
        return info
    except LogError as exc:
        return SessionInfo(paths.path, FolderState.UNREADABLE, started=stamp, problem=str(exc))
    if not events:
        state = FolderState.RUNNING if live else FolderState.DAMAGED
        return SessionInfo(paths.path, state, started=stamp, problem=_("the log is empty"))
    return _from_events(paths, events, live)


def _mtime(folder: SessionFolder) -> float:
    try:
        return folder.log.stat().st_mtime
    except OSError:
        return 0.0


def list_sessions(root: Path) -> list[SessionInfo]:
    """Every session folder under `root`, newest first, each with its true state."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        paths = SessionFolder(child)
        if paths.is_session():
            found.append(read_info(child))
    return sorted(found, key=lambda info: (info.started, info.folder.name), reverse=True)

"""Which recorded scenes each participant was in, for the replay on phones (issue 11).

Neither the session log nor the video index says who was in a scene: a segment of video knows only
its stretch of the clock. So the room works it out from the log, the way the trainer would:

- At every moment the log tells who was *cast*: whenever a phase is entered or roles change, the
  participants who hold a role, except the roles that fill in a checklist open in that phase (the
  observers, who watch the scene rather than play it), and never anyone observing outside the frame
  (roleplay/core/consent.py). In a scenario where nobody holds a role, everyone in the session counts
  as cast.
- A segment belongs to the phase visit in effect when it started (by the wall clock, which the index
  and the log share across restarts of the program). A *scene* is the segments of one visit and one
  take (a new take may come from another camera or at another size), in recording order; a segment
  the recorder began in the second after the phase changed still ends the scene before.
- A scene's people are everyone cast at any moment it covers. Only their phones are offered it.

`SceneBook` runs on the session's owner thread (the room's session listener) and hands the web
threads an immutable `ReplayInfo` in each snapshot; `scenes_of` turns it and the video index into
the scene list. Pure Python: no web or video library.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

from roleplay.core import events as ev
from roleplay.core.consent import withdrawn
from roleplay.core.log import LogEvent
from roleplay.core.state import SessionState

# A take's segment that starts this soon after the phase changed is the end of the scene before: the
# recorder stops a moment after the phase it films is left.
STOP_GRACE = 1.0
# Events after which who is cast, or the phase, may have changed.
_CAST_EVENTS = (ev.SessionStarted, ev.PhaseEntered, ev.RolesDealt, ev.RoleAssigned, ev.RolesSwapped,
                ev.ParticipantsSwapped)


class Segment(Protocol):
    """What a scene needs of a video index entry (roleplay.video.segments.SegmentEntry)."""

    @property
    def segment(self) -> int: ...
    @property
    def take(self) -> int: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def start_wall(self) -> float: ...
    @property
    def encrypted(self) -> bool: ...


@dataclass(frozen=True)
class CastMoment:
    wall: float
    visit: int  # 1-based visit of the session (len(history)); 0 before the first phase
    phase: str
    people: frozenset[str]


@dataclass(frozen=True)
class ReflectionNote:
    by: str
    text: str
    at: float  # seconds into the session's recording (takes end to end)
    seq: int


@dataclass(frozen=True)
class ReplayInfo:
    """What the replay pages know of the session, as of one log event (in the room's snapshot)."""

    allowed: bool = False
    consented: bool = True  # nobody has withdrawn their consent to being filmed (outside the frame is no withdrawal)
    ended: bool = False
    moments: tuple[CastMoment, ...] = ()
    reflections: tuple[ReflectionNote, ...] = ()
    phase_titles: dict[str, str] = field(default_factory=dict)

    def moment_at(self, wall: float) -> CastMoment | None:
        """The moment in effect at `wall` (None: before the first one)."""
        index = bisect.bisect_right(self.moments, wall, key=lambda m: m.wall) - 1
        return self.moments[index] if index >= 0 else None


def cast_of(session: SessionState) -> frozenset[str]:
    """Who plays in the current phase: everyone holding a role that fills in no checklist open here."""
    if not session.dealt:
        return frozenset()
    if not any(session.roles.get(p) for p in session.participants):
        return frozenset(session.participants)  # a scenario without roles: everyone takes part
    fillers = {session.scenario.checklist(cid).for_role for cid in session.current.checklists}
    outside = getattr(session, "outside_frame", set())  # they watch from outside the frame: never in a scene
    return frozenset(p for p in session.participants
                     if session.roles.get(p) and session.roles.get(p) not in fillers and p not in outside)


class SceneBook:
    """Who was cast when, and the reflections written, kept up to date from the session's events.

    Owner thread only: made when the room opens (from the events so far, replayed on a copy of the
    session's state, since the live state knows only the present), then told of each new event.
    """

    def __init__(self, session: Any):
        self.moments: list[CastMoment] = []
        self.reflections: list[ReflectionNote] = []
        shadow = SessionState(session.scenario, list(session.participants), seed=session.seed,
                              language=session.language)
        for event in list(session.events):
            shadow.apply(event)
            self._note(shadow, event)
        self._titles = {pid: session.text(phase.title) for pid, phase in session.scenario.phases.items()}

    def follow(self, session: Any, event: LogEvent) -> None:
        """A new event, already applied to the live session."""
        self._note(session, event)

    def _note(self, state: SessionState, event: LogEvent) -> None:
        body = event.body
        if isinstance(body, ev.Reflection):
            self.reflections.append(ReflectionNote(body.by, body.text, body.at, event.seq))
            return
        if not isinstance(body, _CAST_EVENTS):
            return
        moment = CastMoment(event.wall, len(state.history), state.phase, cast_of(state))
        last = self.moments[-1] if self.moments else None
        if last is None or (last.visit, last.phase, last.people) != (moment.visit, moment.phase, moment.people):
            self.moments.append(moment)

    def info(self, session: Any) -> ReplayInfo:
        return ReplayInfo(
            allowed=bool(getattr(session, "replay_allowed", False)),
            consented=not withdrawn(session),  # declining to be filmed, outside the frame, is no withdrawal
            ended=session.ended is not None,
            moments=tuple(self.moments),
            reflections=tuple(self.reflections),
            phase_titles=self._titles,
        )


@dataclass(frozen=True)
class Scene:
    number: int  # 1-based, in recording order over the whole session
    phase: str
    title: str
    take: int
    people: frozenset[str]
    segments: tuple[Any, ...]  # the index entries, in order
    at: float  # where it starts in the session's recording (seconds, takes end to end)
    duration: float
    started_wall: float

    @property
    def encrypted(self) -> bool:
        return any(s.encrypted for s in self.segments)

    def started(self) -> str:
        return time.strftime("%H:%M", time.localtime(self.started_wall))

    def segment_at(self, local: float) -> tuple[Any, float]:
        """The segment holding `local` seconds into the scene, and the time into that segment."""
        offset = 0.0
        for entry in self.segments:
            length = max(0.0, entry.end - entry.start)
            if local < offset + length:
                return entry, local - offset
            offset += length
        last = self.segments[-1]
        return last, max(0.0, last.end - last.start)

    def session_clock(self, local: float) -> float:
        """The session clock (`mono`) of `local` seconds into the scene."""
        entry, into = self.segment_at(max(0.0, local))
        return float(entry.start) + into


def scenes_of(entries: Sequence[Segment], info: ReplayInfo) -> list[Scene]:
    """The recorded scenes, in order: runs of segments of one phase visit and one take."""
    groups: list[tuple[tuple[int, int], CastMoment, list[Any], float, set[str]]] = []
    at = 0.0
    for entry in entries:
        length = max(0.0, float(entry.end) - float(entry.start))
        moment = info.moment_at(float(entry.start_wall))
        if moment is not None and moment.visit > 0:
            key = (moment.visit, int(entry.take))
            last = groups[-1] if groups else None
            if last is not None and last[0] == key:
                last[2].append(entry)
                last[4].update(moment.people)  # roles changed during the scene: both casts were in it
            elif last is not None and last[0][1] == key[1] and float(entry.start_wall) - moment.wall < STOP_GRACE:
                last[2].append(entry)  # the moment the recorder took to stop after the scene's phase was left
            else:
                groups.append((key, moment, [entry], at, set(moment.people)))
        at += length
    scenes = []
    for number, (key, moment, segments, start_at, people) in enumerate(groups, 1):
        duration = sum(max(0.0, float(s.end) - float(s.start)) for s in segments)
        title = info.phase_titles.get(moment.phase, moment.phase)
        scenes.append(Scene(number, moment.phase, title, key[1], frozenset(people), tuple(segments), start_at, duration,
                            float(segments[0].start_wall)))
    return scenes


def scenes_for(entries: Sequence[Segment], info: ReplayInfo, name: str) -> list[Scene]:
    """The scenes `name` was in."""
    return [scene for scene in scenes_of(entries, info) if name in scene.people]


def reflections_in(info: ReplayInfo, scene: Scene, name: str) -> list[tuple[float, ReflectionNote]]:
    """`name`'s own reflections on `scene`, as (seconds into the scene, reflection), in time order."""
    end = scene.at + scene.duration
    mine = [(r.at - scene.at, r) for r in info.reflections if r.by == name and scene.at - 1e-6 <= r.at <= end + 1e-6]
    return sorted(mine, key=lambda item: (item[0], item[1].seq))


def clock_text(seconds: float) -> str:
    """01:05 (or 1:02:03): how a phone shows a time in a scene."""
    seconds = max(0, int(seconds))
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes:02d}:{rest:02d}"


def parse_clock(text: str) -> float | None:
    """Seconds for `65`, `65.5`, `01:05`, `1:02:03`; None if it is not a time."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or any(not p or len(p) > 12 for p in parts):
        return None
    try:
        numbers = [float(p) if i == len(parts) - 1 else int(p) for i, p in enumerate(parts)]
    except ValueError:
        return None
    total = 0.0
    for number in numbers:
        if number < 0 or number != number or number == float("inf"):
            return None
        total = total * 60 + number
    return total

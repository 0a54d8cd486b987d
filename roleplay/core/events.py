"""Every kind of event a session log can hold, as typed models.

A log line is an envelope (`seq`, `wall`, `mono`, `type`, `data`); `data` is
one of the models below, chosen by `type`. Writers build these models and
readers get them back, so a misspelt key or a wrong type fails where it is
written, not weeks later in a report. The first event of every log,
`session_started`, carries the log's format version: a log written by a newer
version of the program is refused with a clear message instead of being read
wrongly.

`docs/session-log.md` is generated from this module (`make docs`); a test
checks that it is current and that every example validates.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from roleplay.core.i18n import _

# 1: the first release (no `format` key). 2: typed events; sealed (encrypted) lines.
LOG_FORMAT = 2


class EventBody(BaseModel):
    """The `data` of one log line. Subclasses set `type` and document themselves."""

    # defer_build: each model is built when first used, so importing this module (the loader does,
    # through core.state) costs little for `validate` and `list`, which never build an event.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    #: A realistic `data` for the generated documentation (validated by a test).
    example: ClassVar[dict[str, Any]] = {}
    #: Which part of the program writes it, for the documentation.
    written_by: ClassVar[str] = "session"

    def payload(self) -> dict[str, Any]:
        """The `data` object as written to disk: the fields that were given, under their log names."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude={"type"})


# ----- the session's own course -------------------------------------------------


class SessionStarted(EventBody):
    """The first event. Holds a full copy of the scenario, so the log stands alone."""

    type: Literal["session_started"] = "session_started"
    format: int = 1
    scenario: str
    scenario_path: str | None = None
    title: str = ""
    participants: list[str] = []
    seed: int = 0
    language: str | None = None
    recording: bool = False
    scenario_data: dict[str, Any] | None = None
    #: Roles the trainer chose at set-up (participant -> role id), kept when roles are dealt.
    roles: dict[str, str] = {}
    # A folder made by `roleplay record`: video only, no scenario to follow.
    headless: bool = False
    #: The course the session belongs to (core/course.py), if any: its growth is read from such sessions.
    course: str | None = None
    example: ClassVar[dict[str, Any]] = {
        "format": 2, "scenario": "guess-who", "scenario_path": None, "title": "Guess who you are",
        "participants": ["Ana", "Ben", "Cleo"], "seed": 4711, "language": "en", "recording": False,
        "scenario_data": {"id": "guess-who", "title": {"en": "Guess who you are"}},
    }


class SessionResumed(EventBody):
    """The app came back after a crash or a quit; the time it was down does not count."""

    type: Literal["session_resumed"] = "session_resumed"
    timer_remaining: float | None = None
    example: ClassVar[dict[str, Any]] = {"timer_remaining": 312.5}


class SessionEnded(EventBody):
    """`final`: the trainer ended it in a final phase; `stopped`: ended early."""

    type: Literal["session_ended"] = "session_ended"
    reason: str = "final"
    example: ClassVar[dict[str, Any]] = {"reason": "final"}


class PhaseEntered(EventBody):
    """The session moved to a phase (`trigger` is `timer-expired` when the timer moved it on)."""

    type: Literal["phase_entered"] = "phase_entered"
    phase: str
    from_: str | None = Field(default=None, alias="from")
    trigger: str | None = None
    forced: bool = False
    example: ClassVar[dict[str, Any]] = {"phase": "scene", "from": "warm-up", "trigger": "next"}


class GuardWarned(EventBody):
    """A route's check was not met; asking again goes on anyway."""

    type: Literal["guard_warning"] = "guard_warning"
    phase: str
    trigger: str
    message: str
    example: ClassVar[dict[str, Any]] = {"phase": "guessing", "trigger": "next", "message": "not guessed yet: Ben"}


class TimerStarted(EventBody):
    type: Literal["timer_started"] = "timer_started"
    phase: str
    duration: float
    resumed: bool = False
    example: ClassVar[dict[str, Any]] = {"phase": "scene", "duration": 600}


class TimerExtended(EventBody):
    type: Literal["timer_extended"] = "timer_extended"
    phase: str
    seconds: float
    example: ClassVar[dict[str, Any]] = {"phase": "scene", "seconds": 60}


class TimerExpired(EventBody):
    type: Literal["timer_expired"] = "timer_expired"
    phase: str
    example: ClassVar[dict[str, Any]] = {"phase": "scene"}


class Paused(EventBody):
    """Time-out: the timer stops."""

    type: Literal["paused"] = "paused"
    phase: str
    reason: str = ""
    example: ClassVar[dict[str, Any]] = {"phase": "scene", "reason": "Ben needs a moment"}


class Resumed(EventBody):
    type: Literal["resumed"] = "resumed"
    phase: str
    example: ClassVar[dict[str, Any]] = {"phase": "scene"}


class Heartbeat(EventBody):
    """Written every few seconds while a timer runs, so a crash costs at most that much time."""

    type: Literal["heartbeat"] = "heartbeat"
    phase: str
    example: ClassVar[dict[str, Any]] = {"phase": "scene"}


# ----- roles and cards --------------------------------------------------------------


class RolesDealt(EventBody):
    """Groups, roles and cards, in full. Written on first entering the scenario's dealing phase
    (`deal_in`, else its first `assignment` phase; at the start when it has none), and on a re-deal.
    `chosen`: the roles the trainer chose by hand, which this deal kept."""

    type: Literal["roles_dealt"] = "roles_dealt"
    seed: int
    groups: list[list[str]]
    roles: dict[str, str | None]
    cards: dict[str, dict[str, str]] = {}
    warnings: list[str] = []
    chosen: dict[str, str] = {}
    example: ClassVar[dict[str, Any]] = {
        "seed": 4711, "groups": [["Ana", "Ben", "Cleo"]], "roles": {"Ana": "player", "Ben": "player", "Cleo": "observer"},
        "cards": {"identities": {"Ana": "doctor", "Ben": "neighbour"}}, "warnings": [], "chosen": {"Cleo": "observer"},
    }


class RoleAssigned(EventBody):
    """The trainer chose a role for a participant (before the deal: kept when roles are dealt).

    When the role was full, `replaced` held it before and now plays `replaced_role`, the
    participant's old role (left out: no role; before the deal: dealt at random)."""

    type: Literal["role_assigned"] = "role_assigned"
    participant: str
    role: str
    replaced: str | None = None
    replaced_role: str | None = None
    example: ClassVar[dict[str, Any]] = {
        "participant": "Ana", "role": "person-in-crisis", "replaced": "Ben", "replaced_role": "observer",
    }


class HandedOut(EventBody):
    """A participant's private brief and cards were shown to them (the hand-out on the roles screen)."""

    type: Literal["handed_out"] = "handed_out"
    participant: str
    example: ClassVar[dict[str, Any]] = {"participant": "Ana"}


class RolesSwapped(EventBody):
    """Everyone holding the first role takes the second, and back (role reversal)."""

    type: Literal["roles_swapped"] = "roles_swapped"
    roles: tuple[str, str]
    example: ClassVar[dict[str, Any]] = {"roles": ["supporter", "person"]}


class ParticipantsSwapped(EventBody):
    """Two people swap roles and cards."""

    type: Literal["participants_swapped"] = "participants_swapped"
    participants: tuple[str, str]
    example: ClassVar[dict[str, Any]] = {"participants": ["Ana", "Ben"]}


class CardGiven(EventBody):
    type: Literal["card_given"] = "card_given"
    deck: str
    participant: str
    card: str
    example: ClassVar[dict[str, Any]] = {"deck": "identities", "participant": "Ana", "card": "doctor"}


class CardDrawn(EventBody):
    type: Literal["card_drawn"] = "card_drawn"
    deck: str
    card: str
    example: ClassVar[dict[str, Any]] = {"deck": "situations", "card": "phone-duty"}


# ----- what the room says and does ------------------------------------------------


class Note(EventBody):
    """A trainer's note; `question` is the index of a debrief question it answers."""

    type: Literal["note"] = "note"
    text: str
    phase: str
    question: int | None = None
    example: ClassVar[dict[str, Any]] = {"text": "good open question at 3:10", "phase": "scene"}


class Marker(EventBody):
    type: Literal["marker"] = "marker"
    label: str
    phase: str
    example: ClassVar[dict[str, Any]] = {"label": "key moment", "phase": "scene"}


class EventInjected(EventBody):
    """A scripted event brought into the scene; `to` got its secret brief."""

    type: Literal["event_injected"] = "event_injected"
    event: str
    phase: str
    to: str | None = None
    example: ClassVar[dict[str, Any]] = {"event": "phone-rings", "phase": "scene", "to": "Ben"}


class Guess(EventBody):
    type: Literal["guess"] = "guess"
    participant: str
    deck: str
    outcome: Literal["right", "wrong", "revealed"]
    text: str = ""
    try_: int = Field(default=1, alias="try")
    example: ClassVar[dict[str, Any]] = {"participant": "Ana", "deck": "identities", "outcome": "right", "text": "a doctor?", "try": 2}


class Tick(EventBody):
    """A checklist item seen. `by`: the participant observed doing it (their group is their pair);
    without it the tick is not attributed. The round is not written: it is the visit of `phase`
    the tick was made in, counted from the `phase_entered` events before it."""

    type: Literal["tick"] = "tick"
    checklist: str
    item: str
    phase: str
    by: str | None = None
    example: ClassVar[dict[str, Any]] = {"checklist": "listening", "item": "open-questions", "phase": "scene", "by": "Ben"}


class Untick(EventBody):
    """Takes back one tick of the same item, `by` and round (the current visit of `phase`)."""

    type: Literal["untick"] = "untick"
    checklist: str
    item: str
    phase: str
    by: str | None = None
    example: ClassVar[dict[str, Any]] = {"checklist": "listening", "item": "open-questions", "phase": "scene"}


class EntryAdded(EventBody):
    type: Literal["entry_added"] = "entry_added"
    collection: str
    text: str
    by: str | None = None
    example: ClassVar[dict[str, Any]] = {"collection": "qualities", "text": "took time for me", "by": "Ben"}


class EntryTagged(EventBody):
    """`entry` is 0-based."""

    type: Literal["entry_tagged"] = "entry_tagged"
    collection: str
    entry: int
    category: str
    example: ClassVar[dict[str, Any]] = {"collection": "qualities", "entry": 0, "category": "empathy"}


class EntryRated(EventBody):
    type: Literal["entry_rated"] = "entry_rated"
    collection: str
    entry: int
    scale: str
    value: int
    example: ClassVar[dict[str, Any]] = {"collection": "options", "entry": 2, "scale": "appeal", "value": 4}


# ----- correcting a collection (issue 15): the log stays append-only, entries keep their numbers -----


class EntryEdited(EventBody):
    """An entry's text was corrected; `entry` is 0-based."""

    type: Literal["entry_edited"] = "entry_edited"
    collection: str
    entry: int
    text: str
    example: ClassVar[dict[str, Any]] = {"collection": "qualities", "entry": 0, "text": "took time for me, did not rush"}


class EntryRemoved(EventBody):
    """An entry was taken out (`entry` is 0-based). Earlier lines keep it; the other entries keep
    their numbers, so "entry 3" means the same entry before and after."""

    type: Literal["entry_removed"] = "entry_removed"
    collection: str
    entry: int
    example: ClassVar[dict[str, Any]] = {"collection": "qualities", "entry": 1}


# ----- end of the collection corrections -----


class Rated(EventBody):
    type: Literal["rated"] = "rated"
    scale: str
    value: int
    phase: str
    by: str | None = None
    example: ClassVar[dict[str, Any]] = {"scale": "commitment", "value": 8, "phase": "will", "by": "Ana"}


class VoteCast(EventBody):
    type: Literal["vote_cast"] = "vote_cast"
    vote: str
    option: str
    count: int = 1
    example: ClassVar[dict[str, Any]] = {"vote": "stayed-peer", "option": "yes", "count": 3}


class FormAnswered(EventBody):
    type: Literal["form_answered"] = "form_answered"
    form: str
    question: str
    value: int | str
    by: str | None = None
    example: ClassVar[dict[str, Any]] = {"form": "quality-control", "question": "respected", "value": 5}


class Consent(EventBody):
    """One participant's answer about being filmed; the latest answer counts. `outside_frame` (with
    `given: false`): they do not want to be filmed and observe from outside the frame, so recording
    may go on while they are not in it (the rules: roleplay/core/consent.py). Left out: false."""

    type: Literal["consent"] = "consent"
    participant: str
    given: bool
    outside_frame: bool = False
    example: ClassVar[dict[str, Any]] = {"participant": "Ben", "given": False, "outside_frame": True}

    @model_validator(mode="after")
    def _outside_is_a_no(self) -> "Consent":
        if self.outside_frame and self.given:
            raise ValueError("outside_frame goes with given: false")
        return self


class ConsentAll(EventBody):
    """Consent given outside the app (`roleplay record --consent-all`), for everyone named or present."""

    type: Literal["consent_all"] = "consent_all"
    given_outside_app: bool = True
    participants: list[str] = []
    example: ClassVar[dict[str, Any]] = {"given_outside_app": True, "participants": []}


class Reflection(EventBody):
    """A participant's reflection on the replay (`roleplay replay`, or their phone's replay page), at `at`
    seconds into the recording (takes end to end)."""

    type: Literal["reflection"] = "reflection"
    by: str
    text: str
    at: float
    mono: float | None = None
    written_by: ClassVar[str] = "replay"
    example: ClassVar[dict[str, Any]] = {"by": "Ben", "text": "here I started to advise", "at": 95.2, "mono": 1234.5}


# ----- video ----------------------------------------------------------------------


class RecordingStarted(EventBody):
    type: Literal["recording_started"] = "recording_started"
    reason: str
    take: int
    source: str
    width: int
    height: int
    fps: float
    audio: str
    encrypted: bool = False
    segment_seconds: float
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {
        "reason": "phase", "take": 1, "source": "camera 0", "width": 1280, "height": 720, "fps": 30.0,
        "audio": "on", "encrypted": False, "segment_seconds": 1.5,
    }


class RecordingStopped(EventBody):
    type: Literal["recording_stopped"] = "recording_stopped"
    reason: str
    take: int | None = None
    frames: int = 0
    dropped: int = 0
    segments: int = 0
    seconds: float = 0.0
    error: str | None = None
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"reason": "phase", "take": 1, "frames": 9000, "dropped": 0, "segments": 200, "seconds": 300.0}


class RecordingDeleted(EventBody):
    type: Literal["recording_deleted"] = "recording_deleted"
    files: int
    bytes: int
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"files": 201, "bytes": 73400320}


class AudioUnavailable(EventBody):
    type: Literal["audio_unavailable"] = "audio_unavailable"
    reason: str
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"reason": "no input device"}


class SourceEnded(EventBody):
    type: Literal["source_ended"] = "source_ended"
    source: str
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"source": "file demo.mp4"}


class CameraLost(EventBody):
    type: Literal["camera_lost"] = "camera_lost"
    source: str
    reason: str
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"source": "camera 0", "reason": "no frame for 2 s"}


class CameraResumed(EventBody):
    type: Literal["camera_resumed"] = "camera_resumed"
    source: str
    after_seconds: float
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"source": "camera 0", "after_seconds": 4.2}


class FramesDropped(EventBody):
    type: Literal["frames_dropped"] = "frames_dropped"
    count: int
    total: int
    written_by: ClassVar[str] = "recorder"
    example: ClassVar[dict[str, Any]] = {"count": 3, "total": 7}


# ----- the room (issue 11): phones join the session ------------------------------------------
# A device's token never reaches the log: only its SHA-256 (hex), which is all the room needs to
# recognise the device again after a restart. `device` is a short public id for the trainer's console.


class RoomOpened(EventBody):
    """The room's web server started listening (`play --room`, later the app)."""

    type: Literal["room_opened"] = "room_opened"
    address: str
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"address": "127.0.0.1:8765"}


class RoomLocked(EventBody):
    """The trainer locked joining (`locked`: true): no new device may ask to join, accepted devices
    stay; or unlocked it again (false)."""

    type: Literal["room_locked"] = "room_locked"
    locked: bool = True
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"locked": True}


class DeviceJoined(EventBody):
    """A device asked to join as `participant` from the join page; it waits for the trainer."""

    type: Literal["device_joined"] = "device_joined"
    participant: str
    device: str
    token_sha256: str
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {
        "participant": "Ana", "device": "d7c1a9e2", "token_sha256": "50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c",
    }


class DeviceAccepted(EventBody):
    """The device may show `participant`'s page. `via`: `join` (the trainer accepted a waiting
    device; token_sha256 is left out, it is the join's) or `link` (the participant's own link was
    opened: the link's token is the device's token)."""

    type: Literal["device_accepted"] = "device_accepted"
    participant: str
    device: str
    via: Literal["join", "link"] = "join"
    token_sha256: str | None = None
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"participant": "Ana", "device": "d7c1a9e2", "via": "join"}


class DeviceRefused(EventBody):
    type: Literal["device_refused"] = "device_refused"
    participant: str
    device: str
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"participant": "Ana", "device": "d7c1a9e2"}


class DeviceRemoved(EventBody):
    """The trainer took the device out of the room: its token opens nothing any more."""

    type: Literal["device_removed"] = "device_removed"
    participant: str
    device: str
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"participant": "Ana", "device": "d7c1a9e2"}


class VotersNoted(EventBody):
    """Which phones voted in `vote` during visit `visit` of its phase (the visit counts every phase
    entered so far), so that after a restart each phone still votes once. The room writes it with
    at least three of those votes at once, their `vote_cast` events in a random order
    (roleplay/room/ballots.py): it names devices, never what any of them chose."""

    type: Literal["voters_noted"] = "voters_noted"
    vote: str
    visit: int
    devices: list[str]
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"vote": "stayed-peer", "visit": 7, "devices": ["1c9e40aa", "7f02d3b1", "d7c1a9e2"]}


ROOM_EVENTS: tuple[type[EventBody], ...] = (
    RoomOpened, RoomLocked, DeviceJoined, DeviceAccepted, DeviceRefused, DeviceRemoved, VotersNoted,
)

# ----- end of the room's events -----


# ----- psychodrama (issue 12): techniques called in the action, and stepping out of the roles -----


class TechniqueUsed(EventBody):
    """The trainer called a psychodrama technique in an action phase (roleplay/core/techniques.py).
    `who`: the people it involved, the one it centres on first (the protagonist), then those who
    help (the double, the mirror, the other side of a role reversal). `scene_time`: seconds since
    this visit of `phase` began. The roles the session holds do not change."""

    type: Literal["technique_used"] = "technique_used"
    technique: str
    phase: str
    who: list[str] = []
    note: str = ""
    scene_time: float = 0.0
    example: ClassVar[dict[str, Any]] = {
        "technique": "doubling", "phase": "scene", "who": ["Ana", "Cleo"], "note": "I am scared they keep me here", "scene_time": 190.5,
    }


class DeRoled(EventBody):
    """In a de-roling phase, a participant stepped out of a role they played: a role id, or
    `double` for having been someone's double (roleplay/core/deroling.py)."""

    type: Literal["de_roled"] = "de_roled"
    participant: str
    role: str
    phase: str
    example: ClassVar[dict[str, Any]] = {"participant": "Ana", "role": "person-in-crisis", "phase": "de-roling"}


PSYCHODRAMA_EVENTS: tuple[type[EventBody], ...] = (TechniqueUsed, DeRoled)

# ----- end of psychodrama -----


# ----- replay on phones (issue 11): while the trainer allows it, each phone shows its person the
# recorded scenes they were in; their reflections are `reflection` events (see Replay).


class ReplayAllowed(EventBody):
    """The trainer let phones show each participant the recorded scenes they were in (`replay on`)."""

    type: Literal["replay_allowed"] = "replay_allowed"
    phase: str  # the phase the session was in
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"phase": "debrief"}


class ReplayStopped(EventBody):
    """Phones show no recording any more (`replay off`); a video being watched stops."""

    type: Literal["replay_stopped"] = "replay_stopped"
    phase: str  # the phase the session was in
    written_by: ClassVar[str] = "room"
    example: ClassVar[dict[str, Any]] = {"phase": "debrief"}


# ----- end of replay on phones -----


Event = Annotated[
    Union[
        SessionStarted, SessionResumed, SessionEnded, PhaseEntered, GuardWarned, TimerStarted, TimerExtended,
        TimerExpired, Paused, Resumed, Heartbeat, RolesDealt, RoleAssigned, HandedOut, RolesSwapped,
        ParticipantsSwapped, CardGiven, CardDrawn, Note, Marker, EventInjected, Guess, Tick, Untick, EntryAdded, EntryTagged, EntryRated,
        EntryEdited, EntryRemoved,
        Rated, VoteCast, FormAnswered, Consent, ConsentAll, Reflection, RecordingStarted, RecordingStopped,
        RecordingDeleted, AudioUnavailable, SourceEnded, CameraLost, CameraResumed, FramesDropped,
        RoomOpened, RoomLocked, DeviceJoined, DeviceAccepted, DeviceRefused, DeviceRemoved, VotersNoted,
        TechniqueUsed, DeRoled,
        ReplayAllowed, ReplayStopped,
    ],
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event, config=ConfigDict(defer_build=True))  # built when first used

#: Every event model by its `type`, in the order the documentation lists them.
KINDS: dict[str, type[EventBody]] = {
    model.model_fields["type"].default: model
    for model in EventBody.__subclasses__()
}


class EventDataError(ValueError):
    """A log line's `data` does not fit its `type`; the message says which field and why."""


def parse_body(type_: str, data: Any) -> EventBody:
    """The typed event for a `type` and its `data` object; raises EventDataError."""
    if type_ not in KINDS:
        raise EventDataError(_("unknown event kind '{type}'").format(type=type_))
    if not isinstance(data, dict):
        raise EventDataError(_("the data of a '{type}' event is not an object").format(type=type_))
    try:
        return KINDS[type_].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        raise EventDataError(_("'{type}' event: {where}: {msg}").format(type=type_, where=where, msg=first['msg'])) from None


def make_body(type_: str, data: dict[str, Any] | None = None) -> EventBody:
    """Build a typed event from a kind name and keyword data (for writers that hold a name)."""
    return parse_body(type_, dict(data or {}))

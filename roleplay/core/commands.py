"""Typed commands: everything the trainer's console, `play` and the room can ask of a session.

A command is a small frozen model; `Session.execute(command)` carries it out
or raises `CommandError` (or `GuardWarning`) saying why not.
`allowed_commands(session)` is the one place that decides which kinds of
command make sense in the current phase: the console's keys, the command
palette, `play`'s messages and the room all ask it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from roleplay.core.state import SessionState


class Command(BaseModel):
    # defer_build: each command model is built when first used, not when this module is imported.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    #: The word `play` reads for it (see roleplay.core.command_line).
    word: ClassVar[str] = ""


class Go(Command):
    """Take a route out of the current phase (`next` or a named trigger); `force` goes on despite a warning."""

    word: ClassVar[str] = "go"
    trigger: str = "next"
    force: bool = False


class ExpireTimer(Command):
    """Time's up now."""

    word: ClassVar[str] = "timeout"


class ExtendTimer(Command):
    word: ClassVar[str] = "extend"
    seconds: int


class Pause(Command):
    """Time-out: the timer stops."""

    word: ClassVar[str] = "pause"
    reason: str = ""


class Resume(Command):
    word: ClassVar[str] = "resume"


class AddNote(Command):
    word: ClassVar[str] = "note"
    text: str
    question: int | None = None  # 0-based index of a debrief question


class AddMarker(Command):
    word: ClassVar[str] = "mark"
    label: str


class Inject(Command):
    word: ClassVar[str] = "inject"
    event: str
    to: str | None = None  # who receives the secret brief, when the event names no role


class RecordGuess(Command):
    word: ClassVar[str] = "guess"
    participant: str
    outcome: str
    text: str = ""


class TickItem(Command):
    word: ClassVar[str] = "tick"
    checklist: str
    item: str
    by: str | None = None


class UntickItem(Command):
    word: ClassVar[str] = "untick"
    checklist: str
    item: str
    by: str | None = None


class AddEntry(Command):
    word: ClassVar[str] = "add"
    collection: str
    text: str
    by: str | None = None


class TagEntry(Command):
    word: ClassVar[str] = "tag"
    collection: str
    entry: int  # 1-based, as shown
    category: str


class Rate(Command):
    """Rate an entry of the open collection (with `entry`, 1-based) or on a phase scale."""

    word: ClassVar[str] = "rate"
    scale: str
    value: int
    entry: int | None = None
    by: str | None = None


class CastVote(Command):
    word: ClassVar[str] = "vote"
    vote: str
    option: str
    count: int = 1


class AnswerForm(Command):
    word: ClassVar[str] = "answer"
    question: str
    value: str
    by: str | None = None


class SetConsent(Command):
    word: ClassVar[str] = "consent"
    participant: str
    given: bool


class ObserveOutsideFrame(Command):
    """The participant does not want to be filmed and observes from outside the frame (roleplay/core/consent.py)."""

    word: ClassVar[str] = "outside"
    participant: str


class Redeal(Command):
    word: ClassVar[str] = "deal"
    seed: int | None = None


class AssignRole(Command):
    """Give a participant a role; a full role is swapped (its holder takes the participant's old role).

    Before the deal it is a choice the deal keeps."""

    word: ClassVar[str] = "assign"
    participant: str
    role: str


class MarkHandedOut(Command):
    """The participant has seen their private brief and cards."""

    word: ClassVar[str] = "handed"
    participant: str


class SwapParticipants(Command):
    word: ClassVar[str] = "swap"
    first: str
    second: str


class GiveCard(Command):
    word: ClassVar[str] = "give"
    participant: str
    deck: str
    card: str


class EndSession(Command):
    word: ClassVar[str] = "end"
    reason: str = "stopped"


# ----- correcting the open collection (issue 15): entries keep the numbers they were shown with -----


class EditEntry(Command):
    """Change the text of an entry of the open collection (`entry` is 1-based, as shown)."""

    word: ClassVar[str] = "edit"
    collection: str
    entry: int
    text: str


class RemoveEntry(Command):
    """Take an entry out of the open collection; the log keeps it, the other entries keep their numbers."""

    word: ClassVar[str] = "remove"
    collection: str
    entry: int


# ----- end of the collection corrections -----


# ----- the room (issue 11): the room's server and the trainer ask these; tokens travel only as SHA-256 -----


class OpenRoom(Command):
    """The room's server is listening at `address` (host:port); sent by the server, not typed."""

    word: ClassVar[str] = "room-open"
    address: str


class AskToJoin(Command):
    """A device asks to join as `participant` (the join page sends it); the trainer accepts or refuses."""

    word: ClassVar[str] = "room-join"
    participant: str
    device: str
    token_sha256: str


class SignInByLink(Command):
    """A participant's own link was opened: the device is accepted without asking the trainer."""

    word: ClassVar[str] = "room-link"
    participant: str
    device: str
    token_sha256: str


class AcceptDevice(Command):
    """Let the device waiting to join as `participant` see their page."""

    word: ClassVar[str] = "accept"
    participant: str


class RefuseDevice(Command):
    word: ClassVar[str] = "refuse"
    participant: str


class RemoveDevice(Command):
    """Take the participant's devices (or one, by its id) out of the room: they get nothing more."""

    word: ClassVar[str] = "remove"
    participant: str
    device: str | None = None


class LockRoom(Command):
    """No new device may ask to join (devices already in stay)."""

    word: ClassVar[str] = "lock"


class UnlockRoom(Command):
    word: ClassVar[str] = "unlock"


class NoteVoters(Command):
    """The room notes which phones voted in `vote` in this visit of its phase, never how (sent by the room
    with a batch of their votes, roleplay/room/ballots.py; not typed)."""

    word: ClassVar[str] = "room-voters"
    vote: str
    devices: list[str]


ROOM_COMMANDS: tuple[type[Command], ...] = (
    OpenRoom, AskToJoin, SignInByLink, AcceptDevice, RefuseDevice, RemoveDevice, LockRoom, UnlockRoom, NoteVoters,
)


def room_commands(session: "SessionState") -> list[type[Command]]:
    """What the trainer can do about the room now: nothing until a room was opened."""
    if not session.room_addresses or session.ended:
        return []
    kinds: list[type[Command]] = []
    if any(d.status == "waiting" for d in session.devices.values()):
        kinds += [AcceptDevice, RefuseDevice]
    if any(d.status in ("waiting", "accepted") for d in session.devices.values()):
        kinds.append(RemoveDevice)
    kinds.append(UnlockRoom if session.room_locked else LockRoom)
    return kinds


# ----- end of the room -----


# ----- psychodrama (issue 12): techniques in action phases, de-roling (rules: core/techniques.py, core/deroling.py) -----


class UseTechnique(Command):
    """Log a psychodrama technique called in an action phase; `who`: the person it centres on first,
    then those who help (the double, the mirror, the other side of a role reversal)."""

    word: ClassVar[str] = "technique"
    technique: str
    who: list[str] = []
    note: str = ""


class MarkDeRoled(Command):
    """In a de-roling phase: the participant has stepped out of a role (a role id or `double`),
    or, without `role`, out of every role they played."""

    word: ClassVar[str] = "deroled"
    participant: str
    role: str | None = None


def psychodrama_commands(session: "SessionState") -> list[type[Command]]:
    from roleplay.core.model import ACTION_KINDS

    kind = session.current.kind
    return [UseTechnique] if kind in ACTION_KINDS else [MarkDeRoled] if kind == "de-roling" else []


# ----- end of psychodrama -----


# ----- replay on phones (issue 11): the trainer lets each phone watch the recorded scenes its person was in -----


class AllowReplay(Command):
    """Phones may show their person the recorded scenes they were in, and take reflections (`replay on`)."""

    word: ClassVar[str] = "replay"


class StopReplay(Command):
    """Phones show no recording any more; a video being watched stops (`replay off`)."""

    word: ClassVar[str] = "replay"


class AddReflection(Command):
    """A participant's reflection on a scene, at `at` seconds of the session's recording (takes end to
    end, as `roleplay replay` counts); `mono`: that moment on the session clock. A phone's replay page sends it."""

    word: ClassVar[str] = "room-reflect"
    by: str
    text: str
    at: float
    mono: float | None = None


def replay_commands(session: "SessionState") -> list[type[Command]]:
    """`replay on` or `replay off`, once a room was opened."""
    if not session.room_addresses or session.ended:
        return []
    return [StopReplay if session.replay_allowed else AllowReplay]


# ----- end of replay on phones -----


ALL_COMMANDS: tuple[type[Command], ...] = tuple(Command.__subclasses__())


def allowed_commands(session: "SessionState") -> list[type[Command]]:
    """The kinds of command that make sense now, in the order a trainer would look for them."""
    if session.ended:
        return [AddNote, AddMarker]
    phase = session.current
    scenario = session.scenario
    kinds: list[type[Command]] = []
    if session.triggers():
        kinds.append(Go)
    if session.timer and not session.timer.expired:
        kinds.append(ExpireTimer)
    if session.timer:
        kinds.append(ExtendTimer)
    kinds.append(Resume if session.paused else Pause)
    kinds += [AddNote, AddMarker]
    if session.injectable():
        kinds.append(Inject)
    if phase.guesses:
        kinds.append(RecordGuess)
    if phase.checklists:
        kinds += [TickItem, UntickItem]
    if phase.collection:
        kinds.append(AddEntry)
        kinds += [EditEntry, RemoveEntry]  # correcting entries (issue 15)
        if scenario.collection(phase.collection).categories and phase.tagging:
            kinds.append(TagEntry)
    if phase.ratings or (phase.collection and scenario.collection(phase.collection).ratings):
        kinds.append(Rate)
    if phase.votes:
        kinds.append(CastVote)
    if phase.form:
        kinds.append(AnswerForm)
    kinds += psychodrama_commands(session)  # issue 12
    kinds += [SetConsent, ObserveOutsideFrame]
    if session.dealt:
        kinds += [Redeal, AssignRole, MarkHandedOut, SwapParticipants, GiveCard]
    else:
        kinds.append(AssignRole)  # roles chosen before the deal are kept by it
    kinds += room_commands(session)  # the room (issue 11)
    kinds += replay_commands(session)  # replay on phones (issue 11)
    kinds.append(EndSession)
    return kinds


def is_allowed(session: "SessionState", kind: type[Command]) -> bool:
    return kind in allowed_commands(session)


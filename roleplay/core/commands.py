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
    model_config = ConfigDict(extra="forbid", frozen=True)

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


class Redeal(Command):
    word: ClassVar[str] = "deal"
    seed: int | None = None


class AssignRole(Command):
    word: ClassVar[str] = "assign"
    participant: str
    role: str


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
        if scenario.collection(phase.collection).categories:
            kinds.append(TagEntry)
    if phase.ratings or (phase.collection and scenario.collection(phase.collection).ratings):
        kinds.append(Rate)
    if phase.votes:
        kinds.append(CastVote)
    if phase.form:
        kinds.append(AnswerForm)
    kinds += [SetConsent, Redeal, AssignRole, SwapParticipants, GiveCard, EndSession]
    return kinds


def is_allowed(session: "SessionState", kind: type[Command]) -> bool:
    return kind in allowed_commands(session)


"""The scenario format as pydantic models.

Unknown keys are forbidden everywhere, so a misspelt key is an error with a
line and column rather than a silently ignored setting. Cross-references
(targets, roles, decks...) are checked after this, in `checks.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from roleplay.core.durations import EXAMPLES as DURATION_EXAMPLES
from roleplay.core.durations import SCHEMA_PATTERN as DURATION_PATTERN
from roleplay.core.durations import parse_duration as parse_duration
from roleplay.core.durations import validate_duration
from roleplay.core.text import LANGUAGE_CODE, LocalText

FORMAT_VERSION: Final = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64),
    Field(description="lower-case letters, digits and hyphens, e.g. mingle-round"),
]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_CODE.pattern)]

Duration = Annotated[
    int,
    BeforeValidator(validate_duration),  # the one documented format: roleplay/core/durations.py
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "a duration with its unit, e.g. 90s, 5m, 5 min, 1h30m, 1:30 (minutes:seconds) or 1:30:00",
            "examples": list(DURATION_EXAMPLES),
        }
    ),
]


def _check_count(value: Any) -> Any:
    if isinstance(value, bool) or not (
        (isinstance(value, int) and value >= 0) or value in ("each", "rest")
    ):
        raise PydanticCustomError(
            "role_count",
            "count must be a whole number, 'each' (one per participant) or 'rest' (everyone not yet given a role)",
        )
    return value


RoleCount = Annotated[
    Union[int, Literal["each", "rest"]],
    BeforeValidator(_check_count),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1}, {"enum": ["each", "rest"]}]}),
]

Visibility = Literal["holder", "others", "trainer", "everyone"]

PhaseKind = Literal[
    "warm-up",
    "briefing",
    "assignment",
    "enactment",
    "time-out",
    "role-reversal",
    "de-roling",
    "debrief",
    "sharing",
    "teaching",
    "reflection",
    "collection",
    "quality-check",
    "closing",
]

# Psychodrama (issue 12). An action phase is one where the scene is played: the trainer may call any
# technique there (roleplay/core/techniques.py), and roles held there count as played (de-roling).
ACTION_KINDS: Final = ("enactment", "role-reversal", "time-out")
TechniqueId = Literal["role-reversal", "doubling", "mirroring", "soliloquy", "empty-chair", "freeze"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class GroupSize(Strict):
    min: int = Field(ge=1, description="fewest participants the exercise works with")
    max: Optional[int] = Field(default=None, ge=1, description="most participants; leave out for no limit")


class Role(Strict):
    id: Id
    name: LocalText
    count: RoleCount = Field(
        default=1,
        description="how many participants get this role: a number, 'each' (everyone) or 'rest' (all not yet given a role)",
    )
    description: Optional[LocalText] = Field(default=None, description="public: shown to everyone")
    brief: Optional[LocalText] = Field(default=None, description="private brief for the role")
    brief_visible_to: Visibility = Field(
        default="holder", description="who may see the brief: holder, others (everyone but the holder), trainer, everyone"
    )
    chosen_by: Literal["deal", "group"] = Field(
        default="deal",
        description="deal: dealt with the other roles; group: the deal leaves it empty and the trainer records "
        "the group's choice during the session (assign NAME ROLE), e.g. the protagonist; choosing again replaces the holder",
    )


class Card(Strict):
    id: Id
    text: LocalText
    trainer_note: Optional[LocalText] = None


class Deck(Strict):
    id: Id
    title: LocalText
    deal_to: Union[Literal["everyone", "nobody"], Id] = Field(
        default="everyone",
        description="a role id or everyone: each holder gets one card when roles are dealt; nobody: cards are only drawn by phases",
    )
    visible_to: Visibility = Field(default="holder", description="who may see a dealt card")
    cards: list[Card] = Field(min_length=1)


class Grouping(Strict):
    size: int = Field(ge=2, description="participants per group; roles are dealt within each group")


class Competency(Strict):
    id: Id
    name: LocalText
    description: Optional[LocalText] = None


class ChecklistItem(Strict):
    id: Id
    text: LocalText
    competency: Optional[Id] = Field(default=None, description="id of a competency category")


class Checklist(Strict):
    id: Id
    title: LocalText
    for_role: Optional[Id] = Field(default=None, description="the role whose holders tick it, usually observers")
    items: list[ChecklistItem] = Field(min_length=1)


class Category(Strict):
    id: Id
    name: LocalText
    description: Optional[LocalText] = None


class RatingScale(Strict):
    id: Id
    label: LocalText
    min: int = 1
    max: int = 10


class Collection(Strict):
    id: Id
    title: LocalText
    prompt: Optional[LocalText] = None
    categories: list[Category] = Field(default_factory=list, description="named categories entries are tagged into")
    ratings: list[RatingScale] = Field(default_factory=list, description="scales every entry can be rated on")


class Event(Strict):
    id: Id
    title: LocalText
    script: LocalText = Field(description="for the trainer: what happens and how to bring it in")
    group_text: Optional[LocalText] = None
    brief: Optional[LocalText] = Field(default=None, description="secret instruction for the players of brief_for")
    brief_for: Optional[Id] = Field(
        default=None, description="role id whose holders receive the brief; leave out to choose a person when injecting"
    )


class VoteOption(Strict):
    id: Id
    label: LocalText


class Vote(Strict):
    id: Id
    question: LocalText
    options: list[VoteOption] = Field(min_length=2)


class FormQuestion(Strict):
    id: Id
    text: LocalText
    answer: Literal["rating", "text"] = "rating"
    min: int = 1
    max: int = 5
    levels: list[LocalText] = Field(
        default_factory=list,
        description="a name for each rating from min to max, in order (e.g. basic, intermediate, advanced, leader)",
    )


class Form(Strict):
    id: Id
    title: LocalText
    intro: Optional[LocalText] = None
    questions: list[FormQuestion] = Field(min_length=1)
    anonymous: bool = Field(
        default=True,
        description="false: each participant answers for themselves and the answers keep their name "
        "(a self-assessment, followed across a course's sessions); true: answers are kept without who gave them",
    )


class VisitCount(Strict):
    phase: Id
    # 0 is refused for authors (checks.py) but still read from older session logs; editors are told 1.
    count: int = Field(ge=0, json_schema_extra={"minimum": 1})


class EntryCount(Strict):
    collection: Id
    count: int = Field(ge=0, json_schema_extra={"minimum": 1})


class VoteResult(Strict):
    vote: Id
    option: Id


class Condition(Strict):
    """Every condition given must hold."""

    visits_below: Optional[VisitCount] = Field(default=None, description="the phase was entered fewer than count times")
    all_guessed: Optional[Id] = Field(default=None, description="deck id: every holder has guessed their card")
    entries_at_least: Optional[EntryCount] = None
    all_tagged: Optional[Id] = Field(default=None, description="collection id: every entry has a category")
    vote_leading: Optional[VoteResult] = Field(default=None, description="the option has the most votes")
    timer_expired: Optional[bool] = None


class Transition(Strict):
    trigger: Id = Field(description="the command that fires it; 'next' is the default route")
    to: Id
    label: Optional[LocalText] = Field(default=None, description="button text for the trainer")
    when: Optional[Condition] = Field(
        default=None, description="branch: taken only if this holds, else later routes for the trigger are tried"
    )
    guard: Optional[Condition] = Field(
        default=None, description="soft check: if unmet the trainer is warned and may go on anyway"
    )
    guard_message: Optional[LocalText] = None


class Timer(Strict):
    duration: Duration
    on_expiry: Union[Literal["stay"], Id] = Field(
        description="phase to move to when time is up, or 'stay' to only alert the trainer"
    )
    warn_before: Duration = Field(
        default=60,
        description="the countdown changes colour this long before the end",
        json_schema_extra={"default": "1m"},  # as an author writes it (a bare 60 is refused)
    )
    resume: bool = Field(
        default=False,
        description="on coming back to this phase (e.g. after a time-out), go on with the time that was left instead of starting again",
    )


class Phase(Strict):
    kind: PhaseKind
    title: LocalText
    script: Optional[LocalText] = Field(default=None, description="the trainer's script: what to say and watch for")
    group_text: Optional[LocalText] = Field(default=None, description="shown large to the whole group")
    timer: Optional[Timer] = None
    questions: list[LocalText] = Field(default_factory=list)
    checklists: list[Id] = Field(default_factory=list)
    collection: Optional[Id] = None
    events: Union[Literal["all"], list[Id]] = Field(default_factory=list, description="injectable events, or all")
    votes: list[Id] = Field(default_factory=list)
    ratings: list[RatingScale] = Field(default_factory=list)
    form: Optional[Id] = None
    guesses: Optional[Id] = Field(default=None, description="deck id: its holders' guesses are recorded here")
    draw: Optional[Id] = Field(
        default=None, description="deck id: on entry the next card is drawn for the scene (no repeats until the deck is used up)"
    )
    swap_roles: Optional[tuple[Id, Id]] = Field(default=None, description="two role ids whose players swap on entry")
    techniques: list[TechniqueId] = Field(
        default_factory=list,
        description="psychodrama techniques that suit this action phase, offered first (every technique may be used in an action phase)",
    )
    record: bool = Field(default=False, description="video is recorded during this phase")
    show_resources: bool = Field(default=False, description="show the support resources for the trainer's country")
    show_groups: bool = Field(
        default=False,
        description="show the room who plays which role, by pair or group (names and public role names only)",
    )
    tagging: bool = Field(
        default=True,
        description="entries of the phase's collection can be put into its categories here; "
        "false keeps the categories out of sight (e.g. while a list is first gathered)",
    )
    next: Optional[Id] = Field(default=None, description="the default route for 'next'")
    transitions: list[Transition] = Field(default_factory=list)
    final: bool = False


class Scenario(Strict):
    format: Literal[1] = Field(default=FORMAT_VERSION, description="version of this format")
    id: Id
    title: LocalText
    summary: LocalText
    duration: Duration = Field(description="expected length of the whole exercise")
    group_size: GroupSize
    languages: list[Language] = Field(min_length=1, description="languages every text is given in")
    fallback_language: Optional[Language] = Field(default=None, description="defaults to the first language")
    content_notes: list[LocalText] = Field(default_factory=list, description="shown before the start")
    opt_out: Optional[LocalText] = Field(default=None, description="how a participant can sit out, shown with the content notes")
    competencies: list[Competency] = Field(default_factory=list)
    roles: list[Role] = Field(min_length=1)
    grouping: Optional[Grouping] = None
    deal_in: Optional[Id] = Field(
        default=None,
        description=(
            "the phase in which roles and cards are dealt, when it is first entered; "
            "default: the first phase of kind 'assignment', or at the start when there is none"
        ),
    )
    decks: list[Deck] = Field(default_factory=list)
    checklists: list[Checklist] = Field(default_factory=list)
    collections: list[Collection] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    votes: list[Vote] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list)
    start: Id
    phases: dict[Id, Phase] = Field(min_length=1)

    @property
    def fallback(self) -> str:
        return self.fallback_language or self.languages[0]

    @property
    def deal_phase(self) -> str | None:
        """The phase whose first entry deals roles and cards; None: they are dealt at the start."""
        if self.deal_in is not None:
            return self.deal_in
        return next((pid for pid, phase in self.phases.items() if phase.kind == "assignment"), None)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def deck(self, deck_id: str) -> Deck:
        return next(d for d in self.decks if d.id == deck_id)

    def checklist(self, checklist_id: str) -> Checklist:
        return next(c for c in self.checklists if c.id == checklist_id)

    def collection(self, collection_id: str) -> Collection:
        return next(c for c in self.collections if c.id == collection_id)

    def event(self, event_id: str) -> Event:
        return next(e for e in self.events if e.id == event_id)

    def vote(self, vote_id: str) -> Vote:
        return next(v for v in self.votes if v.id == vote_id)

    def form(self, form_id: str) -> Form:
        return next(f for f in self.forms if f.id == form_id)

    def routes(self, phase_id: str) -> list[Transition]:
        """All transitions out of a phase, the `next` shorthand last."""
        phase = self.phases[phase_id]
        routes = list(phase.transitions)
        if phase.next is not None:
            routes.append(Transition(trigger="next", to=phase.next))
        return routes

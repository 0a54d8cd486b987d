"""What each page of the room may show: the one place the room's privacy rules are written.

Pure Python over a session's state (no web library): `stage_view(session)` is what the whole room
may see (the projector's `/stage`), `participant_view(session, name)` what one participant's phone
may show. Pages are rendered only from these views, never from the session, so a template cannot
reach a secret the view left out.

The rules:

- Everyone (stage and phones): the phase's title and group text (with the players' names filled in),
  its timer, the group text of events brought into this visit of the phase, the drawn cards of decks
  whose cards are `visible_to: everyone`, who plays which role when the phase shows the groups (public
  role names only), and public tallies: checklist ticks, votes, how many guessed, how many entries.
- A participant, besides: their own role's name and public description; their own role's brief when
  its `brief_visible_to` is `holder` or `everyone`; their own card of each deck whose cards are
  `visible_to: holder` or `everyone`; for a deck `visible_to: others` (guess-who's forehead cards)
  everyone else's card and never their own; the secret instruction of an injected event they receive.
- Never: another participant's brief or card beyond the above, a card or brief `visible_to: trainer`,
  a card's trainer note, a phase's or event's script, the trainer's notes, who answered a form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from roleplay.core import commands as c
from roleplay.core.i18n import N_, _
from roleplay.core.names import assignments, filled
from roleplay.core.standard_forms import find_form
from roleplay.core.state import SessionState


@dataclass(frozen=True)
class TimerView:
    """A timer as the room sees it; the page counts down from `deadline_wall` while it runs."""

    duration: float
    deadline_wall: float
    paused_remaining: float | None
    expired: bool

    def remaining(self, now_wall: float) -> float:
        if self.expired:
            return 0.0
        if self.paused_remaining is not None:
            return self.paused_remaining
        return max(0.0, self.deadline_wall - now_wall)

    @property
    def running(self) -> bool:
        return not self.expired and self.paused_remaining is None


@dataclass(frozen=True)
class CardView:
    deck: str  # the deck's title
    text: str
    holder: str | None = None  # whose card it is (None: drawn for the scene)


@dataclass(frozen=True)
class Tally:
    title: str
    rows: list[tuple[str, int]]


@dataclass(frozen=True)
class SeatView:
    name: str
    role: str


@dataclass(frozen=True)
class TeamView:
    title: str
    seats: list[SeatView]


@dataclass(frozen=True)
class PhaseView:
    """What the whole room may see now."""

    title: str
    scenario_title: str
    group_text: str
    timer: TimerView | None
    paused: bool
    ended: bool
    event_texts: list[tuple[str, str]] = field(default_factory=list)  # (title, group text)
    drawn: list[CardView] = field(default_factory=list)
    teams: list[TeamView] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    deal_note: str = ""  # before the deal: when roles are given out


@dataclass(frozen=True)
class ParticipantView:
    name: str
    phase: PhaseView
    role: str = ""  # the role's public name ("" before the deal or without a role)
    role_description: str = ""
    brief: str = ""
    own_cards: list[CardView] = field(default_factory=list)
    others_cards: list[CardView] = field(default_factory=list)  # forehead cards: everyone's but mine
    instructions: list[tuple[str, str]] = field(default_factory=list)  # (event title, secret brief for me)
    actions: "ActionsView | None" = None  # what this participant can do on their phone now


def _timer(session: SessionState) -> TimerView | None:
    timer = session.timer
    if timer is None:
        return None
    return TimerView(timer.duration, timer.deadline_wall, timer.paused_remaining, timer.expired)


def _visit_start(session: SessionState) -> float:
    return session.history[-1].entered_wall if session.history else 0.0


def _injected_here(session: SessionState) -> list[dict[str, Any]]:
    """Events brought into the current visit of the current phase."""
    since = _visit_start(session)
    return [
        item for item in session.injected
        if item.get("phase") == session.phase and float(item.get("wall", 0.0)) >= since
    ]


def _tallies(session: SessionState) -> list[Tally]:
    scenario = session.scenario
    phase = session.current
    tallies: list[Tally] = []
    round_ = session.round_of(session.phase)
    for checklist_id in phase.checklists:
        checklist = scenario.checklist(checklist_id)
        rows = []
        for item in checklist.items:
            count = sum(
                n for (cl, it, rnd, _by), n in session.tick_counts.items()
                if cl == checklist_id and it == item.id and rnd == round_
            )
            rows.append((session.text(item.text), count))
        tallies.append(Tally(session.text(checklist.title), rows))
    for vote_id in phase.votes:
        vote = scenario.vote(vote_id)
        counts: dict[str, int] = dict(session.votes.get(vote_id, {}))
        tallies.append(Tally(session.text(vote.question), [(session.text(o.label), counts.get(o.id, 0)) for o in vote.options]))
    if phase.guesses:
        holders = session.deck_holders(phase.guesses)
        done = sum(
            1 for p in holders if any(g["outcome"] in ("right", "revealed") for g in session.guesses.get(p, []))
        )
        tallies.append(Tally(_("Guesses"), [(_("guessed their card"), done), (_("still guessing"), len(holders) - done)]))
    if phase.collection:
        collection = scenario.collection(phase.collection)
        tallies.append(Tally(session.text(collection.title), [(_("entries"), len(session.live_entries(phase.collection)))]))
    return tallies


def _drawn(session: SessionState) -> list[CardView]:
    cards = []
    for deck in session.scenario.decks:
        drawn = session.drawn.get(deck.id, [])
        if deck.visible_to != "everyone" or not drawn:
            continue
        card = next((c for c in deck.cards if c.id == drawn[-1]), None)
        if card is not None:
            cards.append(CardView(session.text(deck.title), session.text(card.text)))
    return cards


def stage_view(session: SessionState) -> PhaseView:
    """What the projector, and every phone, may show: never a secret."""
    scenario = session.scenario
    phase = session.current
    events = []
    for item in _injected_here(session):
        event = scenario.event(str(item["event"]))
        if event.group_text:
            events.append((session.text(event.title), filled(session, event.group_text)))
    teams = []
    if phase.show_groups:
        teams = [TeamView(t.title, [SeatView(s.name, s.role) for s in t.seats]) for t in assignments(session)]
    return PhaseView(
        title=session.text(phase.title),
        scenario_title=session.text(scenario.title),
        group_text=filled(session, phase.group_text) if phase.group_text else "",
        timer=_timer(session),
        paused=session.paused,
        ended=session.ended is not None,
        event_texts=events,
        drawn=_drawn(session),
        teams=teams,
        tallies=_tallies(session),
        deal_note="" if session.dealt else session.deal_timing(),
    )


def _card_text(session: SessionState, deck_id: str, card_id: str) -> str:
    deck = session.scenario.deck(deck_id)
    card = next((c for c in deck.cards if c.id == card_id), None)
    return session.text(card.text) if card is not None else ""


def participant_view(session: SessionState, name: str, stage: PhaseView | None = None) -> ParticipantView:
    """What `name`'s own phone may show (see the module's rules)."""
    if name not in session.participants:
        raise KeyError(name)
    scenario = session.scenario
    stage = stage if stage is not None else stage_view(session)
    role_name = description = brief = ""
    role_id = session.roles.get(name) if session.dealt else None
    if role_id:
        role = scenario.role(role_id)
        role_name = session.text(role.name)
        description = session.text(role.description) if role.description else ""
        if role.brief and role.brief_visible_to in ("holder", "everyone"):
            brief = session.text(role.brief)
    own: list[CardView] = []
    others: list[CardView] = []
    if session.dealt:
        for deck in scenario.decks:
            held = session.cards.get(deck.id, {})
            title = session.text(deck.title)
            if deck.visible_to in ("holder", "everyone") and name in held:
                own.append(CardView(title, _card_text(session, deck.id, held[name]), name))
            elif deck.visible_to == "others":
                others += [
                    CardView(title, _card_text(session, deck.id, card_id), holder)
                    for holder, card_id in held.items() if holder != name
                ]
    instructions = []
    for item in _injected_here(session):
        event_id = str(item["event"])
        event = scenario.event(event_id)
        to = item.get("to")
        if event.brief and name in session.brief_receivers(event_id, str(to) if to else None):
            instructions.append((session.text(event.title), session.text(event.brief)))
    return ParticipantView(
        name=name, phase=stage, role=role_name, role_description=description, brief=brief,
        own_cards=own, others_cards=others, instructions=instructions, actions=actions_view(session, name),
    )


# ----- what a phone can do (issue 11, phone actions) -----------------------------------------------
# The same typed commands as the trainer's. `phone_refusal` is the one place that says whether a
# participant's phone may send a command now; the room asks it on the session's owner thread, right
# before `session.execute`, so the answer cannot go stale between the check and the command.
#
# - Observer checklists: only a participant whose role is the checklist's `for_role` ticks it, and
#   each tick is about someone they observe (`by`, as on the console: the person observed doing it),
#   chosen on the phone among the others of their own group who do not fill in a checklist here.
# - Votes: one per phone per vote and visit of the phase (the room remembers which phone voted;
#   `vote_cast` names nobody). Ratings on a phase scale: one per participant and scale and visit
#   (`rated` keeps `by`). Collection entries: `by` is the participant. Guesses: the holder says
#   the guess aloud and the trainer records it (no phone action).
# - The quality-control sheet: answered without `by`; the room remembers in memory only which phones
#   answered. "Mark this moment": only while the scene is being recorded; the marker names nobody.

PHONE_MARKER_LABEL = N_("marked by a participant")  # logged in the session's language: str(PHONE_MARKER_LABEL)
MAX_ENTRY_CHARS = 300
MAX_ANSWER_CHARS = 1000


@dataclass(frozen=True)
class ChecklistAction:
    id: str
    title: str
    items: list[tuple[str, str]]  # (item id, text)
    observable: list[tuple[str, str]]  # (name, role name) of those this participant may observe
    counts: dict[str, dict[str, int]]  # observed name -> item id -> ticks about them in this round


@dataclass(frozen=True)
class VoteAction:
    id: str
    question: str
    options: list[tuple[str, str]]  # (option id, label)


@dataclass(frozen=True)
class ScaleAction:
    id: str
    label: str
    min: int
    max: int
    given: int | None  # this participant's rating in this visit of the phase


@dataclass(frozen=True)
class CollectionAction:
    id: str
    title: str
    prompt: str
    mine: list[str]  # the entries this participant added (not removed)


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: str
    answer: str  # rating or text
    min: int
    max: int
    levels: tuple[str, ...] = ()  # a name for each rating from min to max, when the form gives them


@dataclass(frozen=True)
class FormAction:
    id: str
    title: str
    intro: str
    questions: list[QuestionView]
    anonymous: bool = True  # false: each person answers for themselves, under their name


@dataclass(frozen=True)
class GuessView:
    deck: str
    tries: int
    outcome: str | None  # the last recorded outcome
    card: str  # the holder's own card, only once it was guessed right or revealed


@dataclass(frozen=True)
class ActionsView:
    visit: int  # which visit of the session this is (votes are one per phone and visit)
    checklists: list[ChecklistAction] = field(default_factory=list)
    votes: list[VoteAction] = field(default_factory=list)
    scales: list[ScaleAction] = field(default_factory=list)
    collection: CollectionAction | None = None
    form: FormAction | None = None
    guess: GuessView | None = None
    can_mark: bool = False

    @property
    def any(self) -> bool:
        return bool(self.checklists or self.votes or self.scales or self.collection or self.form or self.guess
                    or self.can_mark)


def visit_number(session: SessionState) -> int:
    return len(session.history)


def recording_now(session: SessionState) -> bool:
    """The scene is being filmed: the session records, everyone consented (or observes from outside the
    frame, and is not in it), and this phase records (or the recorder said it started and has not stopped)."""
    started = session.started
    if session.ended or started is None or not started.recording or not session.may_record():
        return False
    if session.current.record:
        return True
    from roleplay.core import events as ev

    for event in reversed(session.events):
        if isinstance(event.body, ev.RecordingStopped):
            return False
        if isinstance(event.body, ev.RecordingStarted):
            return True
    return False


def checklist_fillers(session: SessionState) -> set[str]:
    """The roles that fill in a checklist open now."""
    return {r for r in (session.scenario.checklist(cid).for_role for cid in session.current.checklists) if r}


def observable(session: SessionState, name: str) -> list[str]:
    """Whom `name` may observe: the others of their group who fill in no checklist here (else everyone such)."""
    fillers = checklist_fillers(session)
    group = next((g for g in session.groups if name in g), list(session.participants))
    chosen = [p for p in group if p != name and session.roles.get(p) not in fillers]
    if not chosen:
        chosen = [p for p in session.participants if p != name and session.roles.get(p) not in fillers]
    return chosen


def _my_checklists(session: SessionState, name: str) -> list[ChecklistAction]:
    role = session.roles.get(name) if session.dealt else None
    if not role:
        return []
    round_ = session.round_of(session.phase)
    out = []
    people = observable(session, name)
    for checklist_id in session.current.checklists:
        checklist = session.scenario.checklist(checklist_id)
        if checklist.for_role != role:
            continue
        counts = {
            person: {
                item.id: session.tick_counts.get((checklist_id, item.id, round_, person), 0) for item in checklist.items
            }
            for person in people
        }
        out.append(ChecklistAction(
            checklist_id, session.text(checklist.title),
            [(item.id, session.text(item.text)) for item in checklist.items],
            [(p, session.role_name(session.roles.get(p))) for p in people], counts,
        ))
    return out


def _my_rating(session: SessionState, name: str, scale_id: str) -> int | None:
    since = _visit_start(session)
    given = None
    for rating in session.ratings:
        if (rating.get("by") == name and rating.get("scale") == scale_id and rating.get("phase") == session.phase
                and float(rating.get("wall", 0.0)) >= since):
            given = int(rating["value"])
    return given


_NOW: "WeakKeyDictionary[SessionState, tuple[int, frozenset[type[c.Command]], bool]]" = WeakKeyDictionary()


def _now(session: SessionState) -> tuple[frozenset[type[c.Command]], bool]:
    """The allowed kinds of command and whether the scene is filmed, worked out once per log event
    (the room builds every participant's view after each event)."""
    known = _NOW.get(session)
    if known is not None and known[0] == len(session.events):
        return known[1], known[2]
    kinds, filming = frozenset(c.allowed_commands(session)), recording_now(session)
    _NOW[session] = (len(session.events), kinds, filming)
    return kinds, filming


def actions_view(session: SessionState, name: str) -> ActionsView:
    """What `name` may do on their phone now (the same rules as `phone_refusal`)."""
    visit = visit_number(session)
    if session.ended:
        return ActionsView(visit)
    kinds, filming = _now(session)
    phase = session.current
    scenario = session.scenario
    checklists = _my_checklists(session, name) if c.TickItem in kinds else []
    votes = []
    if c.CastVote in kinds:
        for vote_id in phase.votes:
            vote = scenario.vote(vote_id)
            votes.append(VoteAction(vote_id, session.text(vote.question),
                                    [(o.id, session.text(o.label)) for o in vote.options]))
    scales = [
        ScaleAction(s.id, session.text(s.label), s.min, s.max, _my_rating(session, name, s.id))
        for s in phase.ratings
    ] if c.Rate in kinds else []
    collection = None
    if c.AddEntry in kinds and phase.collection:
        col = scenario.collection(phase.collection)
        mine = [entry.text for _, entry in session.live_entries(phase.collection) if entry.by == name]
        collection = CollectionAction(col.id, session.text(col.title), session.text(col.prompt) if col.prompt else "",
                                      mine)
    form = None
    if c.AnswerForm in kinds and phase.form:
        f = find_form(scenario, phase.form)
        form = FormAction(f.id, session.text(f.title), session.text(f.intro) if f.intro else "", [
            QuestionView(q.id, session.text(q.text), q.answer, q.min, q.max, tuple(session.text(level) for level in q.levels))
            for q in f.questions
        ], f.anonymous)
    guess = None
    if phase.guesses and name in session.cards.get(phase.guesses, {}):
        tries = session.guesses.get(name, [])
        outcome = str(tries[-1]["outcome"]) if tries else None
        card = ""
        if any(t["outcome"] in ("right", "revealed") for t in tries):
            card = _card_text(session, phase.guesses, session.cards[phase.guesses][name])
        guess = GuessView(session.text(scenario.deck(phase.guesses).title), len(tries), outcome, card)
    return ActionsView(visit, checklists, votes, scales, collection, form, guess,
                       can_mark=c.AddMarker in kinds and filming)


def phone_refusal(session: SessionState, name: str, command: c.Command) -> tuple[int, str] | None:
    """Why `name`'s phone may not send `command` now, as (HTTP status, plain words), or None.

    403: not theirs to do (someone else's checklist, a name that is not theirs, a command phones
    never send). 409: not now (the phase has moved on, already done)."""
    if isinstance(command, c.AddReflection):
        return reflection_refusal(session, name, command)  # replay on phones: also after the session's end
    if session.ended:
        return 409, _("The session has ended.")
    if name not in session.participants:
        return 403, _("This phone is not in the room.")
    phone_kinds = (c.TickItem, c.UntickItem, c.CastVote, c.Rate, c.AddEntry, c.AnswerForm, c.AddMarker)
    if not isinstance(command, phone_kinds):
        return 403, _("Phones cannot do that.")
    if type(command) not in c.allowed_commands(session):
        return 409, _("That is not open now: the session has moved on.")
    if isinstance(command, (c.TickItem, c.UntickItem)):
        if command.checklist not in session.current.checklists:
            return 409, _("That checklist is not open now.")
        if not any(cl.id == command.checklist for cl in _my_checklists(session, name)):
            return 403, _("This checklist is filled in by someone else.")
        if command.by not in observable(session, name):
            return 403, _("Choose someone you observe.")
    elif isinstance(command, c.CastVote):
        if command.count != 1:
            return 403, _("One vote per phone.")
        if command.vote not in session.current.votes:
            return 409, _("That vote is not open now.")
    elif isinstance(command, c.Rate):
        if command.entry is not None or command.by != name:
            return 403, _("You can only give your own rating.")
        if command.scale not in {s.id for s in session.current.ratings}:
            return 409, _("That rating is not open now.")
        if _my_rating(session, name, command.scale) is not None:
            return 409, _("You have rated this already.")
    elif isinstance(command, c.AddEntry):
        if command.by != name:
            return 403, _("You can only add your own entries.")
        if command.collection != session.current.collection:
            return 409, _("That list is not open now.")
        if not command.text.strip() or len(command.text) > MAX_ENTRY_CHARS:
            return 409, _("Write something, at most {count} characters.").format(count=MAX_ENTRY_CHARS)
    elif isinstance(command, c.AnswerForm):
        sheet = find_form(session.scenario, session.current.form) if session.current.form else None
        if sheet is not None and not sheet.anonymous:
            if command.by != name:
                return 403, _("You can only answer for yourself.")
        elif command.by is not None:
            return 403, _("The sheet is anonymous: answers carry no name.")
        if len(command.value) > MAX_ANSWER_CHARS:
            return 409, _("An answer has at most {count} characters.").format(count=MAX_ANSWER_CHARS)
    elif isinstance(command, c.AddMarker):
        if command.label != str(PHONE_MARKER_LABEL):
            return 403, _("Phones mark moments without a label.")
        if not recording_now(session):
            return 409, _("Nothing is being recorded now.")
    return None


# ----- replay on phones (issue 11): a reflection is the only thing a phone sends after the end -----
# Which scenes a phone may watch is decided by roleplay/room/scenes.py (who was in each scene); the
# replay page checks that before it offers a scene, so a reflection is about a scene its person was in.

MAX_REFLECTION_CHARS = 1000


def reflection_refusal(session: SessionState, name: str, command: c.AddReflection) -> tuple[int, str] | None:
    """Why `name`'s phone may not add this reflection now (status, plain words), or None."""
    if name not in session.participants:
        return 403, _("This phone is not in the room.")
    if command.by != name:
        return 403, _("You can only add your own reflections.")
    if not session.replay_allowed:
        return 409, _("The replay is closed now.")
    if not command.text.strip() or len(command.text) > MAX_REFLECTION_CHARS:
        return 409, _("Write something, at most {count} characters.").format(count=MAX_REFLECTION_CHARS)
    return None

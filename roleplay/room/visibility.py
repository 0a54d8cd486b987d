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

from roleplay.core.names import assignments, filled
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
        counts = session.votes.get(vote_id, {})
        tallies.append(Tally(session.text(vote.question), [(session.text(o.label), counts.get(o.id, 0)) for o in vote.options]))
    if phase.guesses:
        holders = session.deck_holders(phase.guesses)
        done = sum(
            1 for p in holders if any(g["outcome"] in ("right", "revealed") for g in session.guesses.get(p, []))
        )
        tallies.append(Tally("Guesses", [("guessed their card", done), ("still guessing", len(holders) - done)]))
    if phase.collection:
        collection = scenario.collection(phase.collection)
        tallies.append(Tally(session.text(collection.title), [("entries", len(session.live_entries(phase.collection)))]))
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
        own_cards=own, others_cards=others, instructions=instructions,
    )

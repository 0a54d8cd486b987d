"""What the trainer's page shows (issue 11): the private side of the current phase, for the trainer only.

The room's other views (roleplay/room/visibility.py) leave out everything here: the phase's and the
events' scripts, the debrief questions, the trainer's notes, who plays whom with the cards' trainer
notes. The trainer's page (roleplay/room/trainer_page.py) is served only to a browser that opened
the trainer's link; this view is built on the session's owner thread with each snapshot, so the web
threads never touch the session. Pure Python over the session's state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from roleplay.core.i18n import _
from roleplay.core.names import filled


@dataclass(frozen=True)
class NoteView:
    phase: str  # the phase's title
    text: str
    question: str = ""  # the debrief question it answers
    here: bool = False  # written in the current phase


@dataclass(frozen=True)
class ScriptedEvent:
    title: str
    script: str


@dataclass(frozen=True)
class SeatNotes:
    name: str
    role: str
    cards: list[tuple[str, str, str]] = field(default_factory=list)  # (deck, card, the card's trainer note)


@dataclass(frozen=True)
class TrainerView:
    phase: str  # the phase's title
    script: str
    questions: list[str] = field(default_factory=list)
    brought_in: list[ScriptedEvent] = field(default_factory=list)  # events brought into this visit
    ready: list[ScriptedEvent] = field(default_factory=list)  # events the trainer can bring in now
    notes: list[NoteView] = field(default_factory=list)  # every note so far, oldest first
    seats: list[SeatNotes] = field(default_factory=list)
    replay_allowed: bool = False
    room_open: bool = False
    ended: bool = False


def trainer_view(session: Any) -> TrainerView:
    """The trainer's page for the current phase (owner thread)."""
    s = session
    phase = s.current
    since = s.history[-1].entered_wall if s.history else 0.0
    brought_in = []
    for item in s.injected:
        if item.get("phase") == s.phase and float(item.get("wall", 0.0)) >= since:
            event = s.scenario.event(str(item["event"]))
            brought_in.append(ScriptedEvent(s.text(event.title), filled(s, event.script)))
    ready = []
    if not s.ended:
        for event_id in s.injectable():
            event = s.scenario.event(event_id)
            ready.append(ScriptedEvent(s.text(event.title), filled(s, event.script)))
    notes = []
    for note in s.notes:
        phase_id = str(note.get("phase", ""))
        known = s.scenario.phases.get(phase_id)
        title = s.text(known.title) if known is not None else phase_id
        question = ""
        index = note.get("question")
        if known is not None and index is not None and 0 <= int(index) < len(known.questions):
            question = s.text(known.questions[int(index)])
        notes.append(NoteView(title, str(note.get("text", "")), question, phase_id == s.phase))
    seats = []
    if s.dealt:
        for name in s.participants:
            role_id = s.roles.get(name)
            cards = []
            for deck in s.scenario.decks:
                card_id = s.cards.get(deck.id, {}).get(name)
                card = next((c for c in deck.cards if c.id == card_id), None) if card_id else None
                if card is not None:
                    note = s.text(card.trainer_note) if card.trainer_note else ""
                    cards.append((s.text(deck.title), s.text(card.text), note))
            seats.append(SeatNotes(name, s.role_name(role_id) if role_id else _("no role"), cards))
    return TrainerView(
        phase=s.text(phase.title),
        script=filled(s, phase.script) if phase.script else "",
        questions=[s.text(q) for q in phase.questions],
        brought_in=brought_in,
        ready=ready,
        notes=notes,
        seats=seats,
        replay_allowed=bool(getattr(s, "replay_allowed", False)),
        room_open=bool(s.room_addresses),
        ended=s.ended is not None,
    )

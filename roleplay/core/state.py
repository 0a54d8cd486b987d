"""What a session is at one moment, rebuilt from its events.

`SessionState.apply` is the only code that changes this state, and it runs
for the live session and for a replayed log alike: that is why a session
rebuilt from its log equals the live one. Nothing here writes anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from roleplay.core import events as ev
from roleplay.core.clock import Clock
from roleplay.core import consent as frame
from roleplay.core.consent import apply_consent
from roleplay.core.i18n import _
from roleplay.core.log import LogEvent
from roleplay.core.model import ACTION_KINDS, Condition, Phase, Scenario
from roleplay.core.text import localize


class CommandError(Exception):
    """A command that is not valid now; the message says why and what is."""


@dataclass
class TimerState:
    phase: str
    duration: float
    deadline_wall: float
    deadline_mono: float
    paused_remaining: float | None = None
    expired: bool = False


@dataclass
class Entry:
    text: str
    by: str | None = None
    category: str | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    removed: bool = False  # taken out by the trainer; it keeps its place, so later entries keep their numbers


@dataclass
class PhaseVisit:
    phase: str
    entered_wall: float
    trigger: str | None
    forced: bool = False
    left_wall: float | None = None


# ----- the room (issue 11) -----


@dataclass
class Device:
    """A phone or browser in the room, as the log tells it: whose it is and whether it may see their page."""

    device: str
    participant: str
    token_sha256: str
    status: str  # "waiting", "accepted", "refused" or "removed"
    via: str = "join"


# ----- end of the room -----

# Events that can change who holds which role (psychodrama, issue 12: what counts as played).
_ROLE_EVENTS = (ev.PhaseEntered, ev.RolesDealt, ev.RoleAssigned, ev.RolesSwapped, ev.ParticipantsSwapped)


def check_participants(participants: list[str]) -> list[str]:
    names = [p.strip() for p in participants]
    if any(not n for n in names):
        raise CommandError(_("participant names cannot be empty"))
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CommandError(_("participant names must differ: {duplicates} given twice").format(duplicates=', '.join(duplicates)))
    return names


class SessionState:
    """The session's facts: phase, roles, cards, timer, what was said and collected."""

    def __init__(
        self,
        scenario: Scenario,
        participants: list[str],
        *,
        seed: int = 0,
        language: str | None = None,
        clock: Clock | None = None,
    ):
        names = check_participants(participants)
        self.scenario = scenario
        self.participants = names
        self.seed = seed
        self.language = language or scenario.fallback
        self.clock = clock or Clock()
        self.events: list[LogEvent] = []
        self.phase: str = scenario.start
        self.history: list[PhaseVisit] = []
        self.visits: Counter[str] = Counter()
        self.groups: list[list[str]] = [list(names)]
        self.roles: dict[str, str | None] = {n: None for n in names}
        self.cards: dict[str, dict[str, str]] = {}
        self.dealt = False  # roles and cards are dealt on entering the scenario's dealing phase
        self.chosen: dict[str, str] = {}  # roles the trainer chose by hand: every deal keeps them
        self.handed_out: set[str] = set()  # who has seen their private brief and cards since they last changed
        self.drawn: dict[str, list[str]] = {}
        self.timer: TimerState | None = None
        self.timer_left: dict[str, float] = {}  # time left on timers of phases that were left early
        self.paused = False
        self.notes: list[dict[str, Any]] = []
        self.markers: list[dict[str, Any]] = []
        self.injected: list[dict[str, Any]] = []
        self.guesses: dict[str, list[dict[str, Any]]] = {}
        self.ticks: Counter[tuple[str, str]] = Counter()
        # The same ticks by (checklist, item, round, who was observed); the round is the visit of the tick's phase.
        self.tick_counts: Counter[tuple[str, str, int, str | None]] = Counter()
        self.entries: dict[str, list[Entry]] = {c.id: [] for c in scenario.collections}
        self.ratings: list[dict[str, Any]] = []
        self.votes: dict[str, Counter[str]] = {v.id: Counter() for v in scenario.votes}
        self.answers: list[dict[str, Any]] = []
        self.consents: dict[str, bool] = {}
        self.outside_frame: set[str] = set()  # who declined to be filmed and observes from outside the frame
        self.warnings: list[str] = []
        self.ended: str | None = None
        self.resumes: list[float] = []  # wall times the session was resumed after a stop or crash
        # The room (issue 11): devices by their public id, in the order they came; joining locked or not.
        self.devices: dict[str, Device] = {}
        self.room_locked = False
        self.room_addresses: list[str] = []  # every address the room was opened at, oldest first
        self.replay_allowed = False  # phones may show their person's recorded scenes (`replay on`)
        # Psychodrama (issue 12): the roles each person held while the scene was played (de-roling lists
        # them), the techniques called, and who stepped out of which role (participant, role).
        self.played: dict[str, list[str]] = {n: [] for n in names}
        self.techniques: list[dict[str, Any]] = []
        self.deroled: list[tuple[str, str]] = []
        # Called after each phase_entered is applied, with the phase id (the router follows the state).
        self.on_phase: Callable[[str], None] | None = None

    # ----- applying events ---------------------------------------------------------

    def apply(self, event: LogEvent) -> None:
        self.events.append(event)
        handler = self._HANDLERS.get(type(event.body))
        if handler is not None:
            handler(self, event, event.body)
        if isinstance(event.body, _ROLE_EVENTS):
            self._note_played()

    def _session_started(self, e: LogEvent, b: ev.SessionStarted) -> None:
        self.chosen = dict(b.roles)

    def _roles_dealt(self, e: LogEvent, b: ev.RolesDealt) -> None:
        self.seed = b.seed
        self.groups = [list(g) for g in b.groups]
        self.roles = dict(b.roles)
        self.cards = {deck: dict(cards) for deck, cards in b.cards.items()}
        self.warnings.extend(b.warnings)
        self.dealt = True
        self.handed_out.clear()

    def _role_assigned(self, e: LogEvent, b: ev.RoleAssigned) -> None:
        self.chosen[b.participant] = b.role
        if b.replaced is not None:
            self.chosen.pop(b.replaced, None)
        if not self.dealt:
            return  # a choice the deal keeps
        self.roles[b.participant] = b.role
        self.handed_out.discard(b.participant)
        if b.replaced is not None:
            self.roles[b.replaced] = b.replaced_role
            self.handed_out.discard(b.replaced)
            # cards that go with either role change hands with it
            for deck in self.scenario.decks:
                if deck.deal_to in (b.role, b.replaced_role):
                    held = self.cards.get(deck.id, {})
                    mine, theirs = held.pop(b.participant, None), held.pop(b.replaced, None)
                    if theirs is not None:
                        held[b.participant] = theirs
                    if mine is not None:
                        held[b.replaced] = mine

    def _handed_out(self, e: LogEvent, b: ev.HandedOut) -> None:
        self.handed_out.add(b.participant)

    def _roles_swapped(self, e: LogEvent, b: ev.RolesSwapped) -> None:
        a, c = b.roles
        for name, role in self.roles.items():
            if role == a:
                self.roles[name] = c
                self.handed_out.discard(name)
            elif role == c:
                self.roles[name] = a
                self.handed_out.discard(name)

    def _participants_swapped(self, e: LogEvent, b: ev.ParticipantsSwapped) -> None:
        x, y = b.participants
        self.roles[x], self.roles[y] = self.roles[y], self.roles[x]
        for deck in self.cards.values():
            if x in deck and y in deck:
                deck[x], deck[y] = deck[y], deck[x]
        chosen_x, chosen_y = self.chosen.pop(x, None), self.chosen.pop(y, None)
        if chosen_x is not None:
            self.chosen[y] = chosen_x
        if chosen_y is not None:
            self.chosen[x] = chosen_y
        self.handed_out.difference_update((x, y))

    def _card_given(self, e: LogEvent, b: ev.CardGiven) -> None:
        self.cards.setdefault(b.deck, {})[b.participant] = b.card
        self.handed_out.discard(b.participant)

    def _card_drawn(self, e: LogEvent, b: ev.CardDrawn) -> None:
        self.drawn.setdefault(b.deck, []).append(b.card)

    def _phase_entered(self, e: LogEvent, b: ev.PhaseEntered) -> None:
        if self.history:
            self.history[-1].left_wall = e.wall
        if self.timer and not self.timer.expired:
            left = self.timer.paused_remaining
            self.timer_left[self.timer.phase] = max(0.0, self.timer.deadline_wall - e.wall) if left is None else left
        else:
            self.timer_left.pop(self.phase, None)
        self.phase = b.phase
        self.visits[self.phase] += 1
        self.history.append(PhaseVisit(self.phase, e.wall, b.trigger, b.forced))
        self.timer = None
        if self.on_phase is not None:
            self.on_phase(self.phase)

    def _timer_started(self, e: LogEvent, b: ev.TimerStarted) -> None:
        self.timer = TimerState(b.phase, b.duration, e.wall + b.duration, e.mono + b.duration)
        if self.paused:
            self.timer.paused_remaining = b.duration

    def _timer_extended(self, e: LogEvent, b: ev.TimerExtended) -> None:
        if self.timer:
            if self.timer.expired:
                # Time was up: the extension counts from now.
                self.timer.deadline_wall = e.wall + b.seconds
                self.timer.deadline_mono = e.mono + b.seconds
            else:
                self.timer.deadline_wall += b.seconds
                self.timer.deadline_mono += b.seconds
                if self.timer.paused_remaining is not None:
                    self.timer.paused_remaining += b.seconds
            self.timer.duration += b.seconds
            self.timer.expired = False

    def _timer_expired(self, e: LogEvent, b: ev.TimerExpired) -> None:
        if self.timer:
            self.timer.expired = True

    def _paused(self, e: LogEvent, b: ev.Paused) -> None:
        self.paused = True
        if self.timer and not self.timer.expired:
            self.timer.paused_remaining = max(0.0, self.timer.deadline_wall - e.wall)

    def _resumed(self, e: LogEvent, b: ev.Resumed) -> None:
        self.paused = False
        if self.timer and self.timer.paused_remaining is not None:
            self.timer.deadline_wall = e.wall + self.timer.paused_remaining
            self.timer.deadline_mono = e.mono + self.timer.paused_remaining
            self.timer.paused_remaining = None

    def _session_resumed(self, e: LogEvent, b: ev.SessionResumed) -> None:
        self.resumes.append(e.wall)
        if self.timer and b.timer_remaining is not None:
            remaining = b.timer_remaining
            self.timer.deadline_wall = e.wall + remaining
            self.timer.deadline_mono = e.mono + remaining
            if self.timer.paused_remaining is not None:
                self.timer.paused_remaining = remaining

    def _note(self, e: LogEvent, b: ev.Note) -> None:
        self.notes.append({**b.payload(), "wall": e.wall})

    def _marker(self, e: LogEvent, b: ev.Marker) -> None:
        self.markers.append({**b.payload(), "wall": e.wall})

    def _event_injected(self, e: LogEvent, b: ev.EventInjected) -> None:
        self.injected.append({**b.payload(), "wall": e.wall})

    def _guess(self, e: LogEvent, b: ev.Guess) -> None:
        self.guesses.setdefault(b.participant, []).append({**b.payload(), "wall": e.wall})

    def _tick(self, e: LogEvent, b: ev.Tick) -> None:
        self.ticks[(b.checklist, b.item)] += 1
        self.tick_counts[(b.checklist, b.item, self.round_of(b.phase), b.by)] += 1

    def _untick(self, e: LogEvent, b: ev.Untick) -> None:
        key = (b.checklist, b.item)
        if self.ticks[key] > 0:
            self.ticks[key] -= 1
            exact = (b.checklist, b.item, self.round_of(b.phase), b.by)
            if self.tick_counts[exact] <= 0:  # a log from before ticks were counted per round and person
                same = [k for k, n in self.tick_counts.items() if k[:2] == key and n > 0]
                exact = max((k for k in same if k[3] == b.by), default=None, key=lambda k: k[2]) or max(
                    same, key=lambda k: k[2])
            self.tick_counts[exact] -= 1
            if not self.tick_counts[exact]:
                del self.tick_counts[exact]

    def _entry_added(self, e: LogEvent, b: ev.EntryAdded) -> None:
        self.entries.setdefault(b.collection, []).append(Entry(b.text, b.by))

    def _entry_tagged(self, e: LogEvent, b: ev.EntryTagged) -> None:
        self.entries[b.collection][b.entry].category = b.category

    def _entry_rated(self, e: LogEvent, b: ev.EntryRated) -> None:
        self.entries[b.collection][b.entry].ratings[b.scale] = b.value

    # ----- correcting a collection (issue 15) -----

    def _entry_edited(self, e: LogEvent, b: ev.EntryEdited) -> None:
        self.entries[b.collection][b.entry].text = b.text

    def _entry_removed(self, e: LogEvent, b: ev.EntryRemoved) -> None:
        self.entries[b.collection][b.entry].removed = True

    # ----- end of the collection corrections -----

    def _rated(self, e: LogEvent, b: ev.Rated) -> None:
        self.ratings.append({**b.payload(), "wall": e.wall})

    def _vote_cast(self, e: LogEvent, b: ev.VoteCast) -> None:
        self.votes.setdefault(b.vote, Counter())[b.option] += b.count

    def _form_answered(self, e: LogEvent, b: ev.FormAnswered) -> None:
        self.answers.append({**b.payload(), "wall": e.wall})

    def _consent(self, e: LogEvent, b: ev.EventBody) -> None:
        apply_consent(self.consents, self.participants, b, self.outside_frame)

    def _session_ended(self, e: LogEvent, b: ev.SessionEnded) -> None:
        self.ended = b.reason
        if self.history:
            self.history[-1].left_wall = e.wall

    # ----- the room (issue 11) -----

    def _room_opened(self, e: LogEvent, b: ev.RoomOpened) -> None:
        self.room_addresses.append(b.address)

    def _room_locked(self, e: LogEvent, b: ev.RoomLocked) -> None:
        self.room_locked = b.locked

    def _device_joined(self, e: LogEvent, b: ev.DeviceJoined) -> None:
        self.devices[b.device] = Device(b.device, b.participant, b.token_sha256, "waiting")

    def _device_accepted(self, e: LogEvent, b: ev.DeviceAccepted) -> None:
        known = self.devices.get(b.device)
        token = b.token_sha256 or (known.token_sha256 if known else "")
        self.devices[b.device] = Device(b.device, b.participant, token, "accepted", b.via)

    def _device_refused(self, e: LogEvent, b: ev.DeviceRefused) -> None:
        if b.device in self.devices:
            self.devices[b.device].status = "refused"

    def _device_removed(self, e: LogEvent, b: ev.DeviceRemoved) -> None:
        if b.device in self.devices:
            self.devices[b.device].status = "removed"

    def _replay_allowed(self, e: LogEvent, b: ev.ReplayAllowed) -> None:
        self.replay_allowed = True

    def _replay_stopped(self, e: LogEvent, b: ev.ReplayStopped) -> None:
        self.replay_allowed = False

    # ----- end of the room -----

    # ----- psychodrama (issue 12) -----

    def _note_played(self) -> None:
        """Roles held while the scene is played (an action phase) count as played."""
        if not self.history or self.current.kind not in ACTION_KINDS:
            return
        for name, role in self.roles.items():
            if role and role not in self.played.setdefault(name, []):
                self.played[name].append(role)

    def _technique_used(self, e: LogEvent, b: ev.TechniqueUsed) -> None:
        # The roles of the people involved at that moment: a role reversal or a mirror lends them.
        self.techniques.append({
            "technique": b.technique, "phase": b.phase, "who": list(b.who), "note": b.note,
            "scene_time": b.scene_time, "wall": e.wall, "roles": {n: self.roles.get(n) for n in b.who},
            "step": len(self.history), "round": self.round_of(b.phase),
        })

    def _de_roled(self, e: LogEvent, b: ev.DeRoled) -> None:
        if (b.participant, b.role) not in self.deroled:
            self.deroled.append((b.participant, b.role))

    # ----- end of psychodrama -----

    _HANDLERS: dict[type[ev.EventBody], Callable[[Any, LogEvent, Any], None]] = {
        ev.SessionStarted: _session_started,
        ev.RolesDealt: _roles_dealt,
        ev.RoleAssigned: _role_assigned,
        ev.HandedOut: _handed_out,
        ev.RolesSwapped: _roles_swapped,
        ev.ParticipantsSwapped: _participants_swapped,
        ev.CardGiven: _card_given,
        ev.CardDrawn: _card_drawn,
        ev.PhaseEntered: _phase_entered,
        ev.TimerStarted: _timer_started,
        ev.TimerExtended: _timer_extended,
        ev.TimerExpired: _timer_expired,
        ev.Paused: _paused,
        ev.Resumed: _resumed,
        ev.SessionResumed: _session_resumed,
        ev.Note: _note,
        ev.Marker: _marker,
        ev.EventInjected: _event_injected,
        ev.Guess: _guess,
        ev.Tick: _tick,
        ev.Untick: _untick,
        ev.EntryAdded: _entry_added,
        ev.EntryTagged: _entry_tagged,
        ev.EntryRated: _entry_rated,
        ev.EntryEdited: _entry_edited,
        ev.EntryRemoved: _entry_removed,
        ev.Rated: _rated,
        ev.VoteCast: _vote_cast,
        ev.FormAnswered: _form_answered,
        ev.Consent: _consent,
        ev.ConsentAll: _consent,
        ev.SessionEnded: _session_ended,
        # the room (issue 11)
        ev.RoomOpened: _room_opened,
        ev.RoomLocked: _room_locked,
        ev.DeviceJoined: _device_joined,
        ev.DeviceAccepted: _device_accepted,
        ev.DeviceRefused: _device_refused,
        ev.DeviceRemoved: _device_removed,
        ev.ReplayAllowed: _replay_allowed,
        ev.ReplayStopped: _replay_stopped,
        # psychodrama (issue 12)
        ev.TechniqueUsed: _technique_used,
        ev.DeRoled: _de_roled,
    }

    # ----- reading the state -----------------------------------------------------------

    @property
    def current(self) -> Phase:
        return self.scenario.phases[self.phase]

    @property
    def started(self) -> ev.SessionStarted | None:
        first = self.events[0].body if self.events else None
        return first if isinstance(first, ev.SessionStarted) else None

    def text(self, value: Any) -> str:
        return localize(value, self.language, self.scenario.fallback)

    def holders(self, role_id: str) -> list[str]:
        return [p for p in self.participants if self.roles.get(p) == role_id]

    def deck_holders(self, deck_id: str) -> list[str]:
        return list(self.cards.get(deck_id, {}))

    def deal_due(self) -> bool:
        """Whether roles should be dealt by now: at the start, or the dealing phase was entered."""
        phase = self.scenario.deal_phase
        return phase is None or self.visits[phase] > 0

    def deal_timing(self) -> str:
        """When roles and cards are dealt, in words (for the trainer, before the deal)."""
        phase_id = self.scenario.deal_phase
        if self.dealt:
            return _("roles and cards are dealt")
        if phase_id is None or self.visits[phase_id] > 0:
            return _("roles and cards are dealt now")
        number = list(self.scenario.phases).index(phase_id) + 1
        title = self.text(self.scenario.phases[phase_id].title)
        return _("roles and cards are dealt when the session reaches '{title}' (phase {number} of {count})").format(title=title, number=number, count=len(self.scenario.phases))

    def role_name(self, role_id: str | None) -> str:
        return self.text(self.scenario.role(role_id).name) if role_id else _("no role")

    def assignment_text(self, b: ev.RoleAssigned, dealt: bool | None = None) -> str:
        """What an assignment changed, in words: 'Ana now plays X in place of Ben; Ben now plays Y'."""
        dealt = self.dealt if dealt is None else dealt
        role = self.role_name(b.role)
        if not dealt:
            if b.replaced is None:
                return _("{participant} will play {role} when roles are dealt").format(participant=b.participant, role=role)
            return _("{participant} will play {role} in place of {replaced}; {replaced}'s role will be dealt at random").format(participant=b.participant, role=role, replaced=b.replaced)
        if b.replaced is None:
            return _("{participant} now plays {role}").format(participant=b.participant, role=role)
        return _("{participant} now plays {role} in place of {replaced}; {replaced} now plays {replaced_role}").format(participant=b.participant, role=role, replaced=b.replaced, replaced_role=self.role_name(b.replaced_role))

    def live_entries(self, collection_id: str) -> list[tuple[int, Entry]]:
        """The entries not removed, with the 1-based numbers they were shown with (removed ones leave a gap)."""
        return [(n, en) for n, en in enumerate(self.entries.get(collection_id, []), 1) if not en.removed]

    def round_of(self, phase_id: str) -> int:
        """Which round a phase is in: how often it has been entered so far (1 on the first visit)."""
        return max(1, self.visits[phase_id])

    def timer_remaining(self) -> float | None:
        if self.timer is None:
            return None
        if self.timer.paused_remaining is not None:
            return self.timer.paused_remaining
        return max(0.0, self.timer.deadline_mono - self.clock.monotonic())

    def all_consented(self) -> bool:
        return bool(self.participants) and all(self.consents.get(p) for p in self.participants)

    def may_record(self) -> bool:
        """Recording may run now: everyone consented or observes from outside the frame, and nobody
        outside the frame is in it (the rules: core/consent.py)."""
        return frame.may_record(self)

    def unmet(self, cond: Condition) -> list[str]:
        """Why a condition does not hold now (empty when it holds)."""
        reasons: list[str] = []
        if cond.visits_below and self.visits[cond.visits_below.phase] >= cond.visits_below.count:
            reasons.append(_("'{phase}' was already visited {count} times").format(
                phase=cond.visits_below.phase, count=self.visits[cond.visits_below.phase]))
        if cond.all_guessed:
            waiting = [
                p
                for p in self.deck_holders(cond.all_guessed)
                if not any(g["outcome"] in ("right", "revealed") for g in self.guesses.get(p, []))
            ]
            if waiting:
                reasons.append(_("not guessed yet: {waiting}").format(waiting=', '.join(waiting)))
        if cond.entries_at_least:
            have = len(self.live_entries(cond.entries_at_least.collection))
            if have < cond.entries_at_least.count:
                reasons.append(_("{have} of {count} entries collected").format(have=have, count=cond.entries_at_least.count))
        if cond.all_tagged:
            untagged = [n for n, en in self.live_entries(cond.all_tagged) if en.category is None]
            if untagged:
                reasons.append(_("entries without a category: {entries}").format(entries=", ".join(map(str, untagged))))
        if cond.vote_leading:
            counts = self.votes.get(cond.vote_leading.vote, Counter())
            best = max(counts.values(), default=0)
            if best == 0 or counts[cond.vote_leading.option] != best:
                reasons.append(_("'{option}' is not leading the vote").format(option=cond.vote_leading.option))
        if cond.timer_expired and not (self.timer and self.timer.expired):
            reasons.append(_("the timer has not run out"))
        return reasons

    def triggers(self) -> list[str]:
        """Triggers that leave the current phase, `next` first. In a final phase `next` ends the session."""
        if self.ended:
            return []
        if self.current.final:
            return ["next"]
        names = list(dict.fromkeys(r.trigger for r in self.scenario.routes(self.phase)))
        return sorted(names, key=lambda n: n != "next")

    def injectable(self) -> list[str]:
        events = self.current.events
        return [e.id for e in self.scenario.events] if events == "all" else list(events)

    def brief_receivers(self, event_id: str, to: str | None = None) -> list[str]:
        """Who may see an event's secret brief."""
        event = self.scenario.event(event_id)
        if not event.brief:
            return []
        if to:
            return [to]
        return self.holders(event.brief_for) if event.brief_for else []

    def snapshot(self) -> dict[str, Any]:
        """Everything a report or a resumed session needs; replay must give the same."""
        timer = None
        if self.timer:
            timer = {
                "phase": self.timer.phase,
                "duration": self.timer.duration,
                "deadline_wall": round(self.timer.deadline_wall, 3),
                "paused_remaining": self.timer.paused_remaining,
                "expired": self.timer.expired,
            }
        return {
            "phase": self.phase,
            "history": [(v.phase, v.trigger, v.forced) for v in self.history],
            "visits": dict(self.visits),
            "groups": self.groups,
            "roles": self.roles,
            "cards": self.cards,
            "dealt": self.dealt,
            "chosen": self.chosen,
            "handed_out": sorted(self.handed_out),
            "drawn": self.drawn,
            "timer": timer,
            "timer_left": {k: round(v, 3) for k, v in self.timer_left.items()},
            "paused": self.paused,
            "notes": self.notes,
            "markers": self.markers,
            "injected": self.injected,
            "guesses": self.guesses,
            "ticks": sorted(self.ticks.items()),
            "tick_counts": sorted(([*k[:3], k[3] or ""], n) for k, n in self.tick_counts.items()),
            "entries": {k: [vars(e) for e in v] for k, v in self.entries.items()},
            "ratings": self.ratings,
            "votes": {k: dict(v) for k, v in self.votes.items()},
            "answers": self.answers,
            "consents": self.consents,
            "outside_frame": sorted(self.outside_frame),
            "ended": self.ended,
            "played": self.played,
            "techniques": self.techniques,
            "deroled": self.deroled,
        }


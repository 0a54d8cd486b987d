"""A live session: one `transitions` state machine per session, driven by the trainer.

Every change goes through `_record`, which appends an event to the session log
and then applies it. Replay applies the same events in the same way, so a
session rebuilt from its log equals the live one (tests check this).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError
from transitions import Machine, MachineError

from roleplay.core.clock import Clock
from roleplay.core.dealing import deal, draw_card
from roleplay.core.log import LogError, LogEvent, SessionLog, new_session_folder, read_log
from roleplay.core.model import Condition, Phase, Scenario
from roleplay.core.standard_forms import find_form
from roleplay.core.text import localize

TIMER_TRIGGER = "timer-expired"


class CommandError(Exception):
    """A command that is not valid now; the message says why and what is."""


class GuardWarning(Exception):
    """A route's soft check is not met; the trainer may repeat with force."""

    def __init__(self, trigger: str, message: str):
        super().__init__(message)
        self.trigger = trigger
        self.message = message


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


@dataclass
class PhaseVisit:
    phase: str
    entered_wall: float
    trigger: str | None
    forced: bool = False
    left_wall: float | None = None


class _Fsm:
    """The model object the `transitions` machine drives (kept apart from Session's own names)."""

    state: str


class Session:
    def __init__(
        self,
        scenario: Scenario,
        participants: list[str],
        *,
        seed: int = 0,
        language: str | None = None,
        clock: Clock | None = None,
        log: SessionLog | None = None,
    ):
        names = [p.strip() for p in participants]
        if any(not n for n in names):
            raise CommandError("participant names cannot be empty")
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise CommandError(f"participant names must differ: {', '.join(duplicates)} given twice")
        self.scenario = scenario
        self.participants = names
        self.seed = seed
        self.language = language or scenario.fallback
        self.clock = clock or Clock()
        self.log = log
        self.listeners: list[Callable[[LogEvent], None]] = []
        self.events: list[LogEvent] = []
        # State rebuilt from events:
        self.phase: str = scenario.start
        self.history: list[PhaseVisit] = []
        self.visits: Counter[str] = Counter()
        self.groups: list[list[str]] = [list(names)]
        self.roles: dict[str, str | None] = {n: None for n in names}
        self.cards: dict[str, dict[str, str]] = {}
        self.drawn: dict[str, list[str]] = {}
        self.timer: TimerState | None = None
        self.timer_left: dict[str, float] = {}  # time left on timers of phases that were left early
        self.paused = False
        self.notes: list[dict] = []
        self.markers: list[dict] = []
        self.injected: list[dict] = []
        self.guesses: dict[str, list[dict]] = {}
        self.ticks: Counter[tuple[str, str]] = Counter()
        self.entries: dict[str, list[Entry]] = {c.id: [] for c in scenario.collections}
        self.ratings: list[dict] = []
        self.votes: dict[str, Counter[str]] = {v.id: Counter() for v in scenario.votes}
        self.answers: list[dict] = []
        self.consents: dict[str, bool] = {}
        self.warnings: list[str] = []
        self.ended: str | None = None
        self._forcing = False
        self._replayed_from: Path | None = None
        self._fsm = _Fsm()
        self._machine = self._build_machine()

    # ----- building -------------------------------------------------------------

    def _build_machine(self) -> Machine:
        s = self.scenario
        machine = Machine(
            model=self._fsm,
            states=list(s.phases),
            initial=s.start,
            auto_transitions=False,
            queued=True,
            ignore_invalid_triggers=False,
        )
        for pid, phase in s.phases.items():
            for route in s.routes(pid):
                conditions = [self._checker(route.when)] if route.when else []
                before = [self._guard(route.trigger, route.guard, route.guard_message)] if route.guard else []
                machine.add_transition(route.trigger, pid, route.to, conditions=conditions, before=before)
            if phase.timer and phase.timer.on_expiry != "stay":
                machine.add_transition(TIMER_TRIGGER, pid, phase.timer.on_expiry)
        return machine

    def _checker(self, cond: Condition) -> Callable[[], bool]:
        return lambda: not self.unmet(cond)

    def _guard(self, trigger: str, cond: Condition, message: Any) -> Callable[[], None]:
        def check() -> None:
            if self._forcing:
                return
            reasons = self.unmet(cond)
            if reasons:
                text = localize(message, self.language, self.scenario.fallback) if message else ""
                detail = "; ".join(reasons)
                raise GuardWarning(trigger, f"{text} ({detail})" if text else detail)

        return check

    # ----- starting and replaying ----------------------------------------------

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        participants: list[str],
        *,
        root: Path,
        seed: int | None = None,
        language: str | None = None,
        clock: Clock | None = None,
        scenario_path: str | None = None,
        recording: bool = False,
        listeners: list[Callable[[LogEvent], None]] | None = None,
    ) -> "Session":
        """A new session with its own folder and log: logs the start, deals, enters the first phase."""
        clock = clock or Clock()
        if seed is None:
            seed = random.SystemRandom().randrange(1, 10**6)
        if language and language not in scenario.languages:
            raise CommandError(
                f"language '{language}' is not offered by {scenario.id} (offered: {', '.join(scenario.languages)})"
            )
        session = cls(scenario, participants, seed=seed, language=language, clock=clock)
        session.listeners.extend(listeners or [])
        folder = new_session_folder(Path(root), scenario.id, clock)
        session.log = SessionLog(folder, clock)
        session._record(
            "session_started",
            {
                "scenario": scenario.id,
                "scenario_path": scenario_path,
                "title": localize(scenario.title, session.language, scenario.fallback),
                "participants": session.participants,
                "seed": seed,
                "language": session.language,
                "recording": recording,
                # A full copy, so reports and replay never depend on the file staying the same.
                "scenario_data": scenario.model_dump(mode="json", exclude_defaults=True),
            },
        )
        session.redeal(seed)
        session._enter(scenario.start, trigger=None)
        return session

    @property
    def folder(self) -> Path | None:
        return self.log.folder if self.log else self._replayed_from

    @classmethod
    def replay(cls, folder: Path, clock: Clock | None = None, resume: bool = False) -> "Session":
        """The session rebuilt from its log. With `resume`, further commands append to the same log."""
        events = read_log(Path(folder))
        if not events or events[0].type != "session_started":
            raise CommandError(f"{folder} does not hold a session log that starts with session_started")
        first = events[0].data
        try:
            scenario = Scenario.model_validate(first["scenario_data"])
            session = cls(
                scenario,
                first["participants"],
                seed=first.get("seed", 0),
                language=first.get("language"),
                clock=clock,
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise LogError(
                f"{folder}: the copy of the scenario in the log is not valid ({exc.error_count()} problem(s), first: {where}: {first['msg']})"
            ) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise LogError(f"{folder}: the session's start cannot be read ({type(exc).__name__}: {exc})") from None
        session._replayed_from = Path(folder)
        for event in events:
            try:
                session._apply(event)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
                raise LogError(
                    f"{folder}: session log event {event.seq} ({event.type}) cannot be applied: {type(exc).__name__}: {exc}"
                ) from None
        if resume:
            session.log = SessionLog(Path(folder), session.clock)
            if not session.ended:
                session._record("session_resumed", session._reanchor_timer(events[-1]))
        return session

    def _reanchor_timer(self, last: LogEvent) -> dict:
        """The time the app was down does not count against a running timer."""
        if self.timer is None or self.timer.expired:
            return {}
        if self.timer.paused_remaining is not None:
            return {"timer_remaining": self.timer.paused_remaining}
        return {"timer_remaining": max(0.0, self.timer.deadline_wall - last.wall)}

    # ----- recording and applying events ---------------------------------------

    def _record(self, type_: str, data: dict[str, Any]) -> LogEvent:
        if self.log is not None:
            event = self.log.append(type_, data)
        else:
            event = LogEvent(len(self.events) + 1, self.clock.wall(), self.clock.monotonic(), type_, data)
        self._apply(event)
        for listener in list(self.listeners):
            listener(event)
        return event

    def _apply(self, event: LogEvent) -> None:
        self.events.append(event)
        handler = getattr(self, "_on_" + event.type, None)
        if handler is not None:
            handler(event, event.data)

    def _on_roles_dealt(self, e: LogEvent, d: dict) -> None:
        self.seed = d.get("seed", self.seed)
        self.groups = [list(g) for g in d["groups"]]
        self.roles = dict(d["roles"])
        self.cards = {deck: dict(cards) for deck, cards in d["cards"].items()}
        self.warnings.extend(d.get("warnings", []))

    def _on_role_assigned(self, e: LogEvent, d: dict) -> None:
        self.roles[d["participant"]] = d["role"]

    def _on_roles_swapped(self, e: LogEvent, d: dict) -> None:
        a, b = d["roles"]
        for name, role in self.roles.items():
            if role == a:
                self.roles[name] = b
            elif role == b:
                self.roles[name] = a

    def _on_participants_swapped(self, e: LogEvent, d: dict) -> None:
        x, y = d["participants"]
        self.roles[x], self.roles[y] = self.roles[y], self.roles[x]
        for deck in self.cards.values():
            if x in deck and y in deck:
                deck[x], deck[y] = deck[y], deck[x]

    def _on_card_given(self, e: LogEvent, d: dict) -> None:
        self.cards.setdefault(d["deck"], {})[d["participant"]] = d["card"]

    def _on_card_drawn(self, e: LogEvent, d: dict) -> None:
        self.drawn.setdefault(d["deck"], []).append(d["card"])

    def _on_phase_entered(self, e: LogEvent, d: dict) -> None:
        if self.history:
            self.history[-1].left_wall = e.wall
        if self.timer and not self.timer.expired:
            left = self.timer.paused_remaining
            self.timer_left[self.timer.phase] = max(0.0, self.timer.deadline_wall - e.wall) if left is None else left
        else:
            self.timer_left.pop(self.phase, None)
        self.phase = d["phase"]
        self._machine.set_state(self.phase, model=self._fsm)
        self.visits[self.phase] += 1
        self.history.append(PhaseVisit(self.phase, e.wall, d.get("trigger"), d.get("forced", False)))
        self.timer = None

    def _on_timer_started(self, e: LogEvent, d: dict) -> None:
        self.timer = TimerState(d["phase"], d["duration"], e.wall + d["duration"], e.mono + d["duration"])
        if self.paused:
            self.timer.paused_remaining = d["duration"]

    def _on_timer_extended(self, e: LogEvent, d: dict) -> None:
        if self.timer:
            if self.timer.expired:
                # Time was up: the extension counts from now.
                self.timer.deadline_wall = e.wall + d["seconds"]
                self.timer.deadline_mono = e.mono + d["seconds"]
            else:
                self.timer.deadline_wall += d["seconds"]
                self.timer.deadline_mono += d["seconds"]
                if self.timer.paused_remaining is not None:
                    self.timer.paused_remaining += d["seconds"]
            self.timer.duration += d["seconds"]
            self.timer.expired = False

    def _on_timer_expired(self, e: LogEvent, d: dict) -> None:
        if self.timer:
            self.timer.expired = True

    def _on_paused(self, e: LogEvent, d: dict) -> None:
        self.paused = True
        if self.timer and not self.timer.expired:
            self.timer.paused_remaining = max(0.0, self.timer.deadline_wall - e.wall)

    def _on_resumed(self, e: LogEvent, d: dict) -> None:
        self.paused = False
        if self.timer and self.timer.paused_remaining is not None:
            self.timer.deadline_wall = e.wall + self.timer.paused_remaining
            self.timer.deadline_mono = e.mono + self.timer.paused_remaining
            self.timer.paused_remaining = None

    def _on_session_resumed(self, e: LogEvent, d: dict) -> None:
        if self.timer and "timer_remaining" in d:
            remaining = d["timer_remaining"]
            self.timer.deadline_wall = e.wall + remaining
            self.timer.deadline_mono = e.mono + remaining
            if self.timer.paused_remaining is not None:
                self.timer.paused_remaining = remaining

    def _on_note(self, e: LogEvent, d: dict) -> None:
        self.notes.append({**d, "wall": e.wall})

    def _on_marker(self, e: LogEvent, d: dict) -> None:
        self.markers.append({**d, "wall": e.wall})

    def _on_event_injected(self, e: LogEvent, d: dict) -> None:
        self.injected.append({**d, "wall": e.wall})

    def _on_guess(self, e: LogEvent, d: dict) -> None:
        self.guesses.setdefault(d["participant"], []).append({**d, "wall": e.wall})

    def _on_tick(self, e: LogEvent, d: dict) -> None:
        self.ticks[(d["checklist"], d["item"])] += 1

    def _on_untick(self, e: LogEvent, d: dict) -> None:
        key = (d["checklist"], d["item"])
        if self.ticks[key] > 0:
            self.ticks[key] -= 1

    def _on_entry_added(self, e: LogEvent, d: dict) -> None:
        self.entries.setdefault(d["collection"], []).append(Entry(d["text"], d.get("by")))

    def _on_entry_tagged(self, e: LogEvent, d: dict) -> None:
        self.entries[d["collection"]][d["entry"]].category = d["category"]

    def _on_entry_rated(self, e: LogEvent, d: dict) -> None:
        self.entries[d["collection"]][d["entry"]].ratings[d["scale"]] = d["value"]

    def _on_rated(self, e: LogEvent, d: dict) -> None:
        self.ratings.append({**d, "wall": e.wall})

    def _on_vote_cast(self, e: LogEvent, d: dict) -> None:
        self.votes.setdefault(d["vote"], Counter())[d["option"]] += d.get("count", 1)

    def _on_form_answered(self, e: LogEvent, d: dict) -> None:
        self.answers.append({**d, "wall": e.wall})

    def _on_consent(self, e: LogEvent, d: dict) -> None:
        self.consents[d["participant"]] = bool(d["given"])

    def _on_consent_all(self, e: LogEvent, d: dict) -> None:
        for name in self.participants:
            self.consents[name] = True

    def _on_session_ended(self, e: LogEvent, d: dict) -> None:
        self.ended = d.get("reason", "final")
        if self.history:
            self.history[-1].left_wall = e.wall

    # ----- reading the state -----------------------------------------------------

    @property
    def current(self) -> Phase:
        return self.scenario.phases[self.phase]

    def text(self, value: Any) -> str:
        return localize(value, self.language, self.scenario.fallback)

    def holders(self, role_id: str) -> list[str]:
        return [p for p in self.participants if self.roles.get(p) == role_id]

    def deck_holders(self, deck_id: str) -> list[str]:
        return list(self.cards.get(deck_id, {}))

    def timer_remaining(self) -> float | None:
        if self.timer is None:
            return None
        if self.timer.paused_remaining is not None:
            return self.timer.paused_remaining
        return max(0.0, self.timer.deadline_mono - self.clock.monotonic())

    def all_consented(self) -> bool:
        return bool(self.participants) and all(self.consents.get(p) for p in self.participants)

    def unmet(self, cond: Condition) -> list[str]:
        """Why a condition does not hold now (empty when it holds)."""
        reasons: list[str] = []
        if cond.visits_below and self.visits[cond.visits_below.phase] >= cond.visits_below.count:
            reasons.append(f"'{cond.visits_below.phase}' was already visited {self.visits[cond.visits_below.phase]} times")
        if cond.all_guessed:
            waiting = [
                p
                for p in self.deck_holders(cond.all_guessed)
                if not any(g["outcome"] in ("right", "revealed") for g in self.guesses.get(p, []))
            ]
            if waiting:
                reasons.append(f"not guessed yet: {', '.join(waiting)}")
        if cond.entries_at_least:
            have = len(self.entries.get(cond.entries_at_least.collection, []))
            if have < cond.entries_at_least.count:
                reasons.append(f"{have} of {cond.entries_at_least.count} entries collected")
        if cond.all_tagged:
            untagged = [i + 1 for i, en in enumerate(self.entries.get(cond.all_tagged, [])) if en.category is None]
            if untagged:
                reasons.append(f"entries without a category: {', '.join(map(str, untagged))}")
        if cond.vote_leading:
            counts = self.votes.get(cond.vote_leading.vote, Counter())
            best = max(counts.values(), default=0)
            if best == 0 or counts[cond.vote_leading.option] != best:
                reasons.append(f"'{cond.vote_leading.option}' is not leading the vote")
        if cond.timer_expired and not (self.timer and self.timer.expired):
            reasons.append("the timer has not run out")
        return reasons

    def triggers(self) -> list[str]:
        """Triggers that leave the current phase, `next` first."""
        if self.ended:
            return []
        names = list(dict.fromkeys(r.trigger for r in self.scenario.routes(self.phase)))
        return sorted(names, key=lambda n: n != "next")

    # ----- commands ---------------------------------------------------------------

    def _require_running(self) -> None:
        if self.ended:
            raise CommandError("the session has ended")

    def fire(self, trigger: str, force: bool = False) -> str:
        """Take a route out of the current phase; returns the new phase id."""
        self._require_running()
        valid = self.triggers()
        if trigger not in valid:
            raise CommandError(f"'{trigger}' is not a route from '{self.phase}' (routes: {', '.join(valid)})")
        before = self.phase
        last = self.events[-1] if self.events else None
        if last and last.type == "guard_warning" and last.data.get("trigger") == trigger and last.data.get("phase") == before:
            force = True  # the trainer was warned and asked again: that is the confirmation
        self._forcing = force
        try:
            moved = self._fsm.trigger(trigger)
        except GuardWarning as warning:
            self._record("guard_warning", {"phase": before, "trigger": trigger, "message": warning.message})
            raise
        except MachineError as exc:  # pragma: no cover - triggers are checked above
            raise CommandError(str(exc)) from None
        finally:
            self._forcing = False
        if not moved:  # every branch's 'when' failed: cannot happen with a valid scenario
            raise CommandError(f"no route for '{trigger}' from '{before}' applies now")
        target = self._fsm.state
        self._machine.set_state(before, model=self._fsm)  # the log entry below moves it for real
        self._enter(target, trigger=trigger, forced=force)
        return target

    def _enter(self, phase_id: str, trigger: str | None, forced: bool = False) -> None:
        data: dict[str, Any] = {"phase": phase_id, "from": self.phase if self.history else None, "trigger": trigger}
        if forced:
            data["forced"] = True
        self._record("phase_entered", data)
        phase = self.scenario.phases[phase_id]
        if phase.swap_roles:
            self._record("roles_swapped", {"roles": list(phase.swap_roles)})
        if phase.draw:
            deck = self.scenario.deck(phase.draw)
            card = draw_card([c.id for c in deck.cards], self.drawn.get(deck.id, []), self.seed, deck.id)
            self._record("card_drawn", {"deck": deck.id, "card": card})
        if phase.timer:
            left = self.timer_left.get(phase_id) if phase.timer.resume else None
            if left:
                self._record("timer_started", {"phase": phase_id, "duration": left, "resumed": True})
            else:
                self._record("timer_started", {"phase": phase_id, "duration": phase.timer.duration})
        if phase.final:
            self._record("session_ended", {"reason": "final"})

    def poll(self) -> bool:
        """Expire the timer if its time is up; the UI calls this a few times a second."""
        if self.timer and not self.timer.expired and not self.paused and self.timer_remaining() <= 0:
            self.expire_timer()
            return True
        return False

    def expire_timer(self) -> None:
        self._require_running()
        if self.timer is None or self.timer.expired:
            raise CommandError(f"no timer is running in '{self.phase}'")
        phase = self.current
        self._record("timer_expired", {"phase": self.phase})
        assert phase.timer is not None
        if phase.timer.on_expiry != "stay":
            before = self.phase
            self._fsm.trigger(TIMER_TRIGGER)
            target = self._fsm.state
            self._machine.set_state(before, model=self._fsm)
            self._enter(target, trigger=TIMER_TRIGGER)

    def extend(self, seconds: int) -> None:
        self._require_running()
        if self.timer is None:
            raise CommandError(f"no timer in '{self.phase}' to extend")
        if seconds <= 0:
            raise CommandError("extend by a positive duration, e.g. extend 2m")
        self._record("timer_extended", {"phase": self.phase, "seconds": seconds})

    def pause(self, reason: str = "") -> None:
        self._require_running()
        if self.paused:
            raise CommandError("already paused (time-out); use resume")
        self._record("paused", {"phase": self.phase, "reason": reason})

    def resume(self) -> None:
        self._require_running()
        if not self.paused:
            raise CommandError("not paused")
        self._record("resumed", {"phase": self.phase})

    def note(self, text: str, question: int | None = None) -> None:
        if not text.strip():
            raise CommandError("a note needs some text")
        data: dict[str, Any] = {"text": text, "phase": self.phase}
        if question is not None:
            if not 0 <= question < len(self.current.questions):
                raise CommandError(f"'{self.phase}' has no question {question + 1}")
            data["question"] = question
        self._record("note", data)

    def mark(self, label: str) -> None:
        if not label.strip():
            raise CommandError("a marker needs a label")
        self._record("marker", {"label": label, "phase": self.phase})

    def injectable(self) -> list[str]:
        events = self.current.events
        return [e.id for e in self.scenario.events] if events == "all" else list(events)

    def inject(self, event_id: str, to: str | None = None) -> None:
        """Bring an event into the scene; `to` names who gets its secret brief when no role is set."""
        self._require_running()
        allowed = self.injectable()
        if event_id not in allowed:
            raise CommandError(
                f"event '{event_id}' cannot be injected in '{self.phase}'"
                + (f" (events here: {', '.join(allowed)})" if allowed else " (no events here)")
            )
        data: dict[str, Any] = {"event": event_id, "phase": self.phase}
        if to:
            data["to"] = self._participant(to)
        self._record("event_injected", data)

    def brief_receivers(self, event_id: str, to: str | None = None) -> list[str]:
        """Who may see an event's secret brief."""
        event = self.scenario.event(event_id)
        if not event.brief:
            return []
        if to:
            return [to]
        return self.holders(event.brief_for) if event.brief_for else []

    def _participant(self, name: str) -> str:
        if name in self.participants:
            return name
        folded = [p for p in self.participants if p.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise CommandError(f"no participant '{name}' (participants: {', '.join(self.participants)})")

    def guess(self, name: str, outcome: str, text: str = "") -> None:
        self._require_running()
        deck = self.current.guesses
        if not deck:
            raise CommandError(f"guesses are not recorded in '{self.phase}'")
        name = self._participant(name)
        if name not in self.cards.get(deck, {}):
            raise CommandError(f"{name} holds no card of '{deck}'")
        if outcome not in ("right", "wrong", "revealed"):
            raise CommandError("a guess is right, wrong or revealed")
        tries = len(self.guesses.get(name, [])) + 1
        self._record("guess", {"participant": name, "deck": deck, "outcome": outcome, "text": text, "try": tries})

    def _checklist_item(self, checklist_id: str, item_id: str) -> None:
        if checklist_id not in self.current.checklists:
            shown = ", ".join(self.current.checklists) or "none"
            raise CommandError(f"checklist '{checklist_id}' is not open in '{self.phase}' (open: {shown})")
        items = [i.id for i in self.scenario.checklist(checklist_id).items]
        if item_id not in items:
            raise CommandError(f"checklist '{checklist_id}' has no item '{item_id}' (items: {', '.join(items)})")

    def tick(self, checklist_id: str, item_id: str, by: str | None = None) -> None:
        self._require_running()
        self._checklist_item(checklist_id, item_id)
        data = {"checklist": checklist_id, "item": item_id, "phase": self.phase}
        if by:
            data["by"] = self._participant(by)
        self._record("tick", data)

    def untick(self, checklist_id: str, item_id: str) -> None:
        self._require_running()
        self._checklist_item(checklist_id, item_id)
        if self.ticks[(checklist_id, item_id)] == 0:
            raise CommandError(f"'{item_id}' has no tick to take back")
        self._record("untick", {"checklist": checklist_id, "item": item_id, "phase": self.phase})

    def _open_collection(self, collection_id: str) -> None:
        if self.current.collection != collection_id:
            shown = self.current.collection or "none"
            raise CommandError(f"collection '{collection_id}' is not open in '{self.phase}' (open: {shown})")

    def add_entry(self, collection_id: str, text: str, by: str | None = None) -> int:
        self._require_running()
        self._open_collection(collection_id)
        if not text.strip():
            raise CommandError("an entry needs some text")
        data: dict[str, Any] = {"collection": collection_id, "text": text.strip()}
        if by:
            data["by"] = self._participant(by)
        self._record("entry_added", data)
        return len(self.entries[collection_id])

    def _entry_index(self, collection_id: str, number: int) -> int:
        count = len(self.entries.get(collection_id, []))
        if not 1 <= number <= count:
            raise CommandError(f"'{collection_id}' has no entry {number} (entries: 1-{count})" if count else f"'{collection_id}' has no entries yet")
        return number - 1

    def tag_entry(self, collection_id: str, number: int, category: str) -> None:
        self._require_running()
        self._open_collection(collection_id)
        index = self._entry_index(collection_id, number)
        categories = [c.id for c in self.scenario.collection(collection_id).categories]
        if category not in categories:
            raise CommandError(f"'{collection_id}' has no category '{category}' (categories: {', '.join(categories)})")
        self._record("entry_tagged", {"collection": collection_id, "entry": index, "category": category})

    def rate(self, scale_id: str, value: int, entry: int | None = None, by: str | None = None) -> None:
        """Rate an entry of the open collection (with `entry`) or on a phase scale."""
        self._require_running()
        phase = self.current
        if entry is not None:
            if not phase.collection:
                raise CommandError(f"no collection is open in '{self.phase}'")
            scales = {s.id: s for s in self.scenario.collection(phase.collection).ratings}
        else:
            scales = {s.id: s for s in phase.ratings}
        scale = scales.get(scale_id)
        if scale is None:
            raise CommandError(f"no rating '{scale_id}' here (ratings: {', '.join(scales) or 'none'})")
        if not scale.min <= value <= scale.max:
            raise CommandError(f"'{scale_id}' is rated from {scale.min} to {scale.max}")
        if entry is not None:
            assert phase.collection is not None
            index = self._entry_index(phase.collection, entry)
            self._record("entry_rated", {"collection": phase.collection, "entry": index, "scale": scale_id, "value": value})
        else:
            data: dict[str, Any] = {"scale": scale_id, "value": value, "phase": self.phase}
            if by:
                data["by"] = self._participant(by)
            self._record("rated", data)

    def vote(self, vote_id: str, option: str, count: int = 1) -> None:
        self._require_running()
        if vote_id not in self.current.votes:
            raise CommandError(f"vote '{vote_id}' is not open in '{self.phase}' (open: {', '.join(self.current.votes) or 'none'})")
        options = [o.id for o in self.scenario.vote(vote_id).options]
        if option not in options:
            raise CommandError(f"vote '{vote_id}' has no option '{option}' (options: {', '.join(options)})")
        if count < 1:
            raise CommandError("a vote counts at least 1")
        self._record("vote_cast", {"vote": vote_id, "option": option, "count": count})

    def answer(self, question_id: str, value: str, by: str | None = None) -> None:
        self._require_running()
        if not self.current.form:
            raise CommandError(f"no form is open in '{self.phase}'")
        form = find_form(self.scenario, self.current.form)
        question = next((q for q in form.questions if q.id == question_id), None)
        if question is None:
            raise CommandError(f"form '{form.id}' has no question '{question_id}' (questions: {', '.join(q.id for q in form.questions)})")
        answer: int | str = value
        if question.answer == "rating":
            try:
                answer = int(value)
            except ValueError:
                raise CommandError(f"'{question_id}' is answered with a number from {question.min} to {question.max}") from None
            if not question.min <= answer <= question.max:
                raise CommandError(f"'{question_id}' is answered with a number from {question.min} to {question.max}")
        elif not value.strip():
            raise CommandError("an answer needs some text")
        data: dict[str, Any] = {"form": form.id, "question": question_id, "value": answer}
        if by:
            data["by"] = by
        self._record("form_answered", data)

    def consent(self, name: str, given: bool) -> None:
        name = self._participant(name)
        self._record("consent", {"participant": name, "given": given})

    def redeal(self, seed: int | None = None) -> None:
        """Deal roles and cards afresh (the trainer's 're-deal')."""
        self._require_running()
        if seed is None:
            seed = random.SystemRandom().randrange(1, 10**6)
        self._record("roles_dealt", deal(self.scenario, self.participants, seed).as_data(seed))

    def assign(self, name: str, role_id: str) -> None:
        self._require_running()
        name = self._participant(name)
        roles = [r.id for r in self.scenario.roles]
        if role_id not in roles:
            raise CommandError(f"no role '{role_id}' (roles: {', '.join(roles)})")
        self._record("role_assigned", {"participant": name, "role": role_id})

    def swap(self, first: str, second: str) -> None:
        self._require_running()
        a, b = self._participant(first), self._participant(second)
        if a == b:
            raise CommandError("swap needs two different participants")
        self._record("participants_swapped", {"participants": [a, b]})

    def give(self, name: str, deck_id: str, card_id: str) -> None:
        self._require_running()
        name = self._participant(name)
        decks = {d.id: d for d in self.scenario.decks}
        if deck_id not in decks:
            raise CommandError(f"no deck '{deck_id}' (decks: {', '.join(decks) or 'none'})")
        cards = [c.id for c in decks[deck_id].cards]
        if card_id not in cards:
            raise CommandError(f"deck '{deck_id}' has no card '{card_id}'")
        self._record("card_given", {"deck": deck_id, "participant": name, "card": card_id})

    def end(self, reason: str = "stopped") -> None:
        self._require_running()
        self._record("session_ended", {"reason": reason})

    def close(self) -> None:
        if self.log is not None:
            self.log.close()

    # ----- comparing --------------------------------------------------------------

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
            "drawn": self.drawn,
            "timer": timer,
            "timer_left": {k: round(v, 3) for k, v in self.timer_left.items()},
            "paused": self.paused,
            "notes": self.notes,
            "markers": self.markers,
            "injected": self.injected,
            "guesses": self.guesses,
            "ticks": sorted(self.ticks.items()),
            "entries": {k: [vars(e) for e in v] for k, v in self.entries.items()},
            "ratings": self.ratings,
            "votes": {k: dict(v) for k, v in self.votes.items()},
            "answers": self.answers,
            "consents": self.consents,
            "ended": self.ended,
        }

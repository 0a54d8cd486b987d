"""A live session: the commands a trainer (or the room) gives, checked and logged.

`Session` adds commands to `SessionState` (what the session is, rebuilt from
events) and routes through phases with a `Router` (the `transitions`
machine). Every change goes through `_record`: the event is appended to the
session log first and applied only once it is on disk, so the live session
and one rebuilt from its log are always equal (tests check this).
"""

from __future__ import annotations

import random
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from pydantic import ValidationError

from roleplay.core import commands as c
from roleplay.core import consent as frame
from roleplay.core import deroling, techniques
from roleplay.core import events as ev
from roleplay.core.clock import Clock
from roleplay.core.dealing import deal, draw_card, places
from roleplay.core.folder import FolderError, SessionFolder
from roleplay.core.i18n import _, in_language, ngettext
from roleplay.core.log import LogError, LogEvent, SessionLog, read_log
from roleplay.core.model import Scenario
from roleplay.core.routing import TIMER_TRIGGER, GuardWarning, Router
from roleplay.core.standard_forms import find_form
from roleplay.core.state import CommandError, Entry, PhaseVisit, SessionState, TimerState

if TYPE_CHECKING:
    from roleplay.core.sealing import Opener

HEARTBEAT_SECONDS = 4.0  # a resumed timer is right to within this

__all__ = [
    "TIMER_TRIGGER", "CommandError", "Entry", "GuardWarning", "PhaseVisit", "Session", "TimerState",
]


class Session(SessionState):
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
        super().__init__(scenario, participants, seed=seed, language=language, clock=clock)
        self.log = log
        self.listeners: list[Callable[[LogEvent], None]] = []
        # Called right before the session leaves its phase or ends: the room writes the anonymous
        # answers and votes it still holds for that phase (roleplay/room/ballots.py).
        self.before_leaving: list[Callable[[], None]] = []
        self._replayed_from: Path | None = None
        self.router = Router(scenario, self, self._move)
        self.on_phase = self.router.follow

    # ----- starting, replaying, resuming ------------------------------------------

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
        passphrase: str | None = None,
        roles: dict[str, str] | None = None,
        outside_frame: list[str] | None = None,
        course: str | None = None,
    ) -> "Session":
        """A new session with its own folder and log: logs the start and enters the first phase.

        Roles and cards are dealt on first entering the scenario's dealing phase (`deal_in`, else
        its first assignment phase), or here when it has none. `roles` (participant -> role id) are
        the roles the trainer chose at set-up: logged with the start and kept by the deal.
        With a passphrase the log is sealed: nothing about a person is written in plain text.
        `outside_frame`: who declined to be filmed at set-up and observes from outside the frame
        (logged before the deal, so a deal at the start keeps them out of the frame).
        """
        clock = clock or Clock()
        if seed is None:
            seed = random.SystemRandom().randrange(1, 10**6)
        if language and language not in scenario.languages:
            raise CommandError(
                _("language '{language}' is not offered by {id} (offered: {languages})").format(language=language, id=scenario.id, languages=', '.join(scenario.languages))
            )
        session = cls(scenario, participants, seed=seed, language=language, clock=clock)
        chosen = session._check_chosen(roles or {})  # before any folder is made
        if passphrase is not None:
            from roleplay.core.sealing import check_passphrase

            check_passphrase(passphrase)  # before any folder is made
        session.listeners.extend(listeners or [])
        try:
            folder = SessionFolder.create(Path(root), scenario.id, clock)
        except FolderError as exc:
            raise LogError(str(exc)) from None
        sealer = None
        if passphrase is not None:
            from roleplay.core.sealing import create_keys

            sealer, _opener = create_keys(folder, passphrase)  # not `_`: that is the catalogue's function
        session.log = SessionLog(folder.path, clock, sealer=sealer)
        try:
            session._record(
                ev.SessionStarted(
                    format=ev.LOG_FORMAT,
                    scenario=scenario.id,
                    scenario_path=scenario_path,
                    title=session.text(scenario.title),
                    participants=session.participants,
                    seed=seed,
                    language=session.language,
                    recording=recording,
                    # A full copy, so reports and replay never depend on the file staying the same.
                    scenario_data=scenario.model_dump(mode="json", exclude_defaults=True),
                    **({"roles": chosen} if chosen else {}),
                    **({"course": course} if course else {}),
                )
            )
            for name in outside_frame or []:
                session.observe_outside_frame(name)
            if scenario.deal_phase is None:
                session._deal()
            session._enter(scenario.start)
        except BaseException:
            session.close()  # what was written stays; resuming finishes the start
            raise
        return session

    @property
    def folder(self) -> Path | None:
        return self.log.folder if self.log else self._replayed_from

    @classmethod
    def replay(
        cls, folder: Path, clock: Clock | None = None, resume: bool = False, opener: "Opener | None" = None
    ) -> "Session":
        """The session rebuilt from its log. With `resume`, further commands append to the same log."""
        events = read_log(Path(folder), opener=opener)
        session = cls.from_events(Path(folder), events, clock)
        if resume:
            session.continue_logging()
        return session

    @classmethod
    def reopen(cls, folder: Path, clock: Clock | None = None, opener: "Opener | None" = None) -> "Session":
        """Continue a cut-off session: the app's resume and `play --resume` both come here.

        An ended session is refused before its log is opened for writing.
        """
        events = read_log(Path(folder), opener=opener)
        session = cls.from_events(Path(folder), events, clock)
        if session.ended:
            raise CommandError(_("the session in {folder} has ended ({ended}); it cannot be resumed").format(folder=folder, ended=session.ended))
        session.continue_logging()
        return session

    @classmethod
    def from_events(cls, folder: Path, events: list[LogEvent], clock: Clock | None = None) -> "Session":
        if not events or not isinstance(events[0].body, ev.SessionStarted):
            raise LogError(_("{folder} does not hold a session log that starts with session_started").format(folder=folder))
        first = events[0].body
        if first.headless or first.scenario_data is None:
            raise LogError(_("{folder} holds a recording made with `roleplay record`, not a session with a scenario").format(folder=folder))
        try:
            scenario = Scenario.model_validate(first.scenario_data)
            session = cls(scenario, first.participants, seed=first.seed, language=first.language, clock=clock)
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise LogError(
                _("{folder}: the copy of the scenario in the log is not valid ({error_count} problem(s), first: {where}: {msg})").format(folder=folder, error_count=exc.error_count(), where=where, msg=problem['msg'])
            ) from None
        except CommandError as exc:
            raise LogError(_("{folder}: the session's start cannot be read ({exc})").format(folder=folder, exc=exc)) from None
        session._replayed_from = Path(folder)
        for event in events:
            try:
                session.apply(event)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
                raise LogError(
                    _("{folder}: session log event {seq} ({type}) cannot be applied: {kind}: {exc}").format(folder=folder, seq=event.seq, type=event.type, kind=type(exc).__name__, exc=exc)
                ) from None
        return session

    def continue_logging(self) -> None:
        """Resume a cut-off session: reopen its log for writing and log the resume."""
        assert self._replayed_from is not None
        self.log = SessionLog(self._replayed_from, self.clock)
        if not self.ended:
            self._record(ev.SessionResumed(**self._reanchor_timer(self.events[-1])))
            # A start cut off before the first phase was entered is finished now, and so is a deal
            # cut off between entering the dealing phase and dealing.
            if not self.history:
                if not self.dealt and self.scenario.deal_phase is None:
                    self._deal()
                self._enter(self.scenario.start)
            elif not self.dealt and self.deal_due():
                self._deal()

    def _reanchor_timer(self, last: LogEvent) -> dict[str, Any]:
        """The time the app was down does not count against a running timer."""
        if self.timer is None or self.timer.expired:
            return {}
        if self.timer.paused_remaining is not None:
            return {"timer_remaining": self.timer.paused_remaining}
        return {"timer_remaining": max(0.0, self.timer.deadline_wall - last.wall)}

    # ----- recording events -------------------------------------------------------

    def _record(self, body: ev.EventBody) -> LogEvent:
        """Write the event, then apply it: nothing changes that is not on disk."""
        if self.log is not None:
            event = self.log.append(body)
        else:
            event = LogEvent(len(self.events) + 1, self.clock.wall(), self.clock.monotonic(), body)
        self.apply(event)
        for listener in list(self.listeners):
            listener(event)
        return event

    # ----- the typed entry point ----------------------------------------------------

    def execute(self, command: c.Command) -> Any:
        """Carry out a typed command; raises CommandError (or GuardWarning) when it cannot."""
        handler = _EXECUTORS.get(type(command))
        if handler is None:  # pragma: no cover - every command kind has an executor (a test checks)
            raise CommandError(_("unknown command {kind}").format(kind=type(command).__name__))
        with in_language(self.language):  # its messages in the session's language, whichever thread asks
            return handler(self, command)

    # ----- commands ---------------------------------------------------------------

    def _require_running(self) -> None:
        if self.ended:
            raise CommandError(_("the session has ended"))

    def fire(self, trigger: str, force: bool = False) -> str:
        """Take a route out of the current phase; returns the new phase id."""
        self._require_running()
        valid = self.triggers()
        if trigger not in valid:
            raise CommandError(_("'{trigger}' is not a route from '{phase}' (routes: {valid})").format(trigger=trigger, phase=self.phase, valid=', '.join(valid)))
        if self.current.final:  # the closing phase was shown and run: the trainer ends the session here
            self._leaving()
            self._record(ev.SessionEnded(reason="final"))
            return self.phase
        before = self.phase
        last = self.events[-1] if self.events else None
        if (
            last
            and isinstance(last.body, ev.GuardWarned)
            and last.body.trigger == trigger
            and last.body.phase == before
        ):
            force = True  # the trainer was warned and asked again: that is the confirmation
        try:
            self.router.fire(trigger, force=force)
        except GuardWarning as warning:
            self._record(ev.GuardWarned(phase=before, trigger=trigger, message=warning.message))
            raise
        return self.phase

    def _move(self, target: str, trigger: str, forced: bool) -> None:
        """The router's callback before it moves: log the move (the machine moves only if this succeeds)."""
        self._leaving()
        self._record(ev.PhaseEntered(phase=target, from_=self.phase, trigger=trigger, **({"forced": True} if forced else {})))
        self._entered(target)

    def _enter(self, phase_id: str) -> None:
        """Enter the first phase (no route leads there)."""
        self._record(ev.PhaseEntered(phase=phase_id, from_=None, trigger=None))
        self._entered(phase_id)

    def _entered(self, phase_id: str) -> None:
        """What entering a phase sets going: the deal, role reversal, a drawn card, the timer."""
        phase = self.scenario.phases[phase_id]
        if not self.dealt and phase_id == self.scenario.deal_phase:
            self._deal()
        if phase.swap_roles:
            self._record(ev.RolesSwapped(roles=phase.swap_roles))
        if phase.draw:
            deck = self.scenario.deck(phase.draw)
            card = draw_card([card.id for card in deck.cards], self.drawn.get(deck.id, []), self.seed, deck.id)
            self._record(ev.CardDrawn(deck=deck.id, card=card))
        if phase.timer:
            left = self.timer_left.get(phase_id) if phase.timer.resume else None
            if left:
                self._record(ev.TimerStarted(phase=phase_id, duration=left, resumed=True))
            else:
                self._record(ev.TimerStarted(phase=phase_id, duration=phase.timer.duration))

    def poll(self) -> bool:
        """Expire the timer if its time is up; the UI calls this a few times a second.

        While a timer runs, a heartbeat is logged every few seconds: after a crash the
        timer resumes from the last line written, so it is off by at most that much.
        """
        remaining = self.timer_remaining()
        running = self.timer is not None and not self.timer.expired and not self.paused and not self.ended
        if running and remaining is not None and remaining <= 0:
            self.expire_timer()
            return True
        if running and self.events and self.clock.wall() - self.events[-1].wall >= HEARTBEAT_SECONDS:
            self._record(ev.Heartbeat(phase=self.phase))
        return False

    def expire_timer(self) -> None:
        self._require_running()
        if self.timer is None or self.timer.expired:
            raise CommandError(_("no timer is running in '{phase}'").format(phase=self.phase))
        phase = self.current
        self._record(ev.TimerExpired(phase=self.phase))
        assert phase.timer is not None
        if phase.timer.on_expiry != "stay":
            self.router.fire(TIMER_TRIGGER, force=True)

    def extend(self, seconds: int) -> None:
        self._require_running()
        if self.timer is None:
            raise CommandError(_("no timer in '{phase}' to extend").format(phase=self.phase))
        if seconds <= 0:
            raise CommandError(_("extend by a positive duration, e.g. extend 2m"))
        self._record(ev.TimerExtended(phase=self.phase, seconds=seconds))

    def pause(self, reason: str = "") -> None:
        self._require_running()
        if self.paused:
            raise CommandError(_("already paused (time-out); use resume"))
        self._record(ev.Paused(phase=self.phase, reason=reason))

    def resume(self) -> None:
        self._require_running()
        if not self.paused:
            raise CommandError(_("not paused"))
        self._record(ev.Resumed(phase=self.phase))

    def note(self, text: str, question: int | None = None) -> None:
        if not text.strip():
            raise CommandError(_("a note needs some text"))
        data: dict[str, Any] = {"text": text, "phase": self.phase}
        if question is not None:
            if not 0 <= question < len(self.current.questions):
                raise CommandError(_("'{phase}' has no question {number}").format(phase=self.phase, number=question + 1))
            data["question"] = question
        self._record(ev.Note(**data))

    def mark(self, label: str) -> None:
        if not label.strip():
            raise CommandError(_("a marker needs a label"))
        self._record(ev.Marker(label=label, phase=self.phase))

    def inject(self, event_id: str, to: str | None = None) -> None:
        """Bring an event into the scene; `to` names who gets its secret brief when no role is set."""
        self._require_running()
        allowed = self.injectable()
        if event_id not in allowed:
            if allowed:
                raise CommandError(_("event '{event_id}' cannot be injected in '{phase}' (events here: {events})").format(
                    event_id=event_id, phase=self.phase, events=", ".join(allowed)))
            raise CommandError(_("event '{event_id}' cannot be injected in '{phase}' (no events here)").format(
                event_id=event_id, phase=self.phase))
        data: dict[str, Any] = {"event": event_id, "phase": self.phase}
        if to:
            data["to"] = self._participant(to)
        self._record(ev.EventInjected(**data))

    def _participant(self, name: str) -> str:
        if name in self.participants:
            return name
        folded = [p for p in self.participants if p.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise CommandError(_("no participant '{name}' (participants: {participants})").format(name=name, participants=', '.join(self.participants)))

    def guess(self, name: str, outcome: str, text: str = "") -> None:
        self._require_running()
        deck = self.current.guesses
        if not deck:
            raise CommandError(_("guesses are not recorded in '{phase}'").format(phase=self.phase))
        name = self._participant(name)
        if name not in self.cards.get(deck, {}):
            raise CommandError(_("{name} holds no card of '{deck}'").format(name=name, deck=deck))
        if outcome not in ("right", "wrong", "revealed"):
            raise CommandError(_("a guess is right, wrong or revealed"))
        tries = len(self.guesses.get(name, [])) + 1
        self._record(ev.Guess(participant=name, deck=deck, outcome=outcome, text=text, try_=tries))

    def _checklist_item(self, checklist_id: str, item_id: str) -> None:
        if checklist_id not in self.current.checklists:
            shown = ", ".join(self.current.checklists) or _("none")
            raise CommandError(_("checklist '{checklist_id}' is not open in '{phase}' (open: {shown})").format(checklist_id=checklist_id, phase=self.phase, shown=shown))
        items = [i.id for i in self.scenario.checklist(checklist_id).items]
        if item_id not in items:
            raise CommandError(_("checklist '{checklist_id}' has no item '{item_id}' (items: {items})").format(checklist_id=checklist_id, item_id=item_id, items=', '.join(items)))

    def tick(self, checklist_id: str, item_id: str, by: str | None = None) -> None:
        self._require_running()
        self._checklist_item(checklist_id, item_id)
        data: dict[str, Any] = {"checklist": checklist_id, "item": item_id, "phase": self.phase}
        if by:
            data["by"] = self._participant(by)
        self._record(ev.Tick(**data))

    def untick(self, checklist_id: str, item_id: str, by: str | None = None) -> None:
        self._require_running()
        self._checklist_item(checklist_id, item_id)
        who = self._participant(by) if by else None
        if self.ticks[(checklist_id, item_id)] == 0:
            raise CommandError(_("'{item_id}' has no tick to take back").format(item_id=item_id))
        round_ = self.round_of(self.phase)
        if self.tick_counts[(checklist_id, item_id, round_, who)] == 0:
            others = sorted(
                (k[3] or _("not attributed"), n) for k, n in self.tick_counts.items()
                if k[:3] == (checklist_id, item_id, round_) and n > 0
            )
            held = ", ".join(f"{name} {n}" for name, n in others) or _("none")
            if who:
                raise CommandError(
                    _("'{item_id}' has no tick for {name} to take back in this round ({round}); its ticks in this round: {held}")
                    .format(item_id=item_id, name=who, round=round_, held=held)
                )
            raise CommandError(
                _("'{item_id}' has no tick without a name to take back in this round ({round}); its ticks in this round: {held}")
                .format(item_id=item_id, round=round_, held=held)
            )
        data: dict[str, Any] = {"checklist": checklist_id, "item": item_id, "phase": self.phase}
        if who:
            data["by"] = who
        self._record(ev.Untick(**data))

    def _open_collection(self, collection_id: str) -> None:
        if self.current.collection != collection_id:
            shown = self.current.collection or _("none")
            raise CommandError(_("collection '{collection_id}' is not open in '{phase}' (open: {shown})").format(collection_id=collection_id, phase=self.phase, shown=shown))

    def add_entry(self, collection_id: str, text: str, by: str | None = None) -> int:
        self._require_running()
        self._open_collection(collection_id)
        if not text.strip():
            raise CommandError(_("an entry needs some text"))
        data: dict[str, Any] = {"collection": collection_id, "text": text.strip()}
        if by:
            data["by"] = self._participant(by)
        self._record(ev.EntryAdded(**data))
        return len(self.entries[collection_id])

    def _entry_index(self, collection_id: str, number: int) -> int:
        count = len(self.entries.get(collection_id, []))
        if not 1 <= number <= count:
            raise CommandError(_("'{collection_id}' has no entry {number} (entries: 1-{count})").format(collection_id=collection_id, number=number, count=count) if count else _("'{collection_id}' has no entries yet").format(collection_id=collection_id))
        if self.entries[collection_id][number - 1].removed:
            raise CommandError(_("entry {number} of '{collection_id}' was removed (the others keep their numbers)").format(number=number, collection_id=collection_id))
        return number - 1

    def tag_entry(self, collection_id: str, number: int, category: str) -> None:
        self._require_running()
        self._open_collection(collection_id)
        index = self._entry_index(collection_id, number)
        if not self.current.tagging:
            raise CommandError(_("entries are not tagged in '{phase}' (the scenario keeps sorting for a later phase)").format(phase=self.phase))
        categories = [c.id for c in self.scenario.collection(collection_id).categories]
        if category not in categories:
            raise CommandError(_("'{collection_id}' has no category '{category}' (categories: {categories})").format(collection_id=collection_id, category=category, categories=', '.join(categories)))
        self._record(ev.EntryTagged(collection=collection_id, entry=index, category=category))

    # ----- correcting a collection (issue 15) -----

    def edit_entry(self, collection_id: str, number: int, text: str) -> None:
        """Correct an entry's text; it keeps its number, category and ratings."""
        self._require_running()
        self._open_collection(collection_id)
        index = self._entry_index(collection_id, number)
        if not text.strip():
            raise CommandError(_("an entry needs some text (to take entry {number} out, remove it)").format(number=number))
        if text.strip() == self.entries[collection_id][index].text:
            raise CommandError(_("entry {number} already reads so").format(number=number))
        self._record(ev.EntryEdited(collection=collection_id, entry=index, text=text.strip()))

    def remove_entry(self, collection_id: str, number: int) -> None:
        """Take an entry out; the log keeps it and the later entries keep their numbers."""
        self._require_running()
        self._open_collection(collection_id)
        index = self._entry_index(collection_id, number)
        self._record(ev.EntryRemoved(collection=collection_id, entry=index))

    # ----- end of the collection corrections -----

    def rate(self, scale_id: str, value: int, entry: int | None = None, by: str | None = None) -> None:
        """Rate an entry of the open collection (with `entry`) or on a phase scale."""
        self._require_running()
        phase = self.current
        if entry is not None:
            if not phase.collection:
                raise CommandError(_("no collection is open in '{phase}'").format(phase=self.phase))
            scales = {s.id: s for s in self.scenario.collection(phase.collection).ratings}
        else:
            scales = {s.id: s for s in phase.ratings}
        scale = scales.get(scale_id)
        if scale is None:
            raise CommandError(_("no rating '{scale_id}' here (ratings: {scales})").format(scale_id=scale_id, scales=', '.join(scales) or _('none')))
        if not scale.min <= value <= scale.max:
            raise CommandError(_("'{scale_id}' is rated from {min} to {max}").format(scale_id=scale_id, min=scale.min, max=scale.max))
        if entry is not None:
            assert phase.collection is not None
            index = self._entry_index(phase.collection, entry)
            self._record(ev.EntryRated(collection=phase.collection, entry=index, scale=scale_id, value=value))
        else:
            data: dict[str, Any] = {"scale": scale_id, "value": value, "phase": self.phase}
            if by:
                data["by"] = self._participant(by)
            self._record(ev.Rated(**data))

    def vote(self, vote_id: str, option: str, count: int = 1) -> None:
        self._require_running()
        if vote_id not in self.current.votes:
            raise CommandError(_("vote '{vote_id}' is not open in '{phase}' (open: {votes})").format(vote_id=vote_id, phase=self.phase, votes=', '.join(self.current.votes) or _('none')))
        options = [o.id for o in self.scenario.vote(vote_id).options]
        if option not in options:
            raise CommandError(_("vote '{vote_id}' has no option '{option}' (options: {options})").format(vote_id=vote_id, option=option, options=', '.join(options)))
        if count < 1:
            raise CommandError(_("a vote counts at least 1"))
        self._record(ev.VoteCast(vote=vote_id, option=option, count=count))

    def answer(self, question_id: str, value: str, by: str | None = None) -> None:
        self._require_running()
        if not self.current.form:
            raise CommandError(_("no form is open in '{phase}'").format(phase=self.phase))
        form = find_form(self.scenario, self.current.form)
        question = next((q for q in form.questions if q.id == question_id), None)
        if question is None:
            raise CommandError(_("form '{id}' has no question '{question_id}' (questions: {questions})").format(
                id=form.id, question_id=question_id, questions=", ".join(q.id for q in form.questions)))
        answer: int | str = value
        if question.answer == "rating":
            try:
                answer = int(value)
            except ValueError:
                raise CommandError(_("'{question_id}' is answered with a number from {min} to {max}").format(question_id=question_id, min=question.min, max=question.max)) from None
            if not question.min <= answer <= question.max:
                raise CommandError(_("'{question_id}' is answered with a number from {min} to {max}").format(question_id=question_id, min=question.min, max=question.max))
        elif not value.strip():
            raise CommandError(_("an answer needs some text"))
        data: dict[str, Any] = {"form": form.id, "question": question_id, "value": answer}
        # An anonymous sheet never holds a name; a named form (a self-assessment) always does.
        if form.anonymous and by:
            raise CommandError(_("'{id}' is anonymous: its answers carry no name").format(id=form.id))
        if not form.anonymous:
            if not by:
                raise CommandError(_("'{id}' is answered by each participant for themselves: say whose answer it is").format(id=form.id))
            data["by"] = self._participant(by)
        self._record(ev.FormAnswered(**data))

    def consent(self, name: str, given: bool) -> None:
        name = self._participant(name)
        self._record(ev.Consent(participant=name, given=given))

    def observe_outside_frame(self, name: str) -> None:
        """`name` does not want to be filmed and observes from outside the frame (rules: core/consent.py)."""
        self._require_running()
        name = self._participant(name)
        with _frame_rule():
            frame.check_mark_outside(self, name)
        self._record(ev.Consent(participant=name, given=False, outside_frame=True))

    # ----- dealing and choosing roles -------------------------------------------------

    def _deal(self, seed: int | None = None) -> None:
        """Deal with the session's seed (or a new one), keeping the roles the trainer chose."""
        seed = self.seed if seed is None else seed
        with in_language(self.language):  # its warnings are logged in the session's language
            dealt = deal(self.scenario, self.participants, seed, frame.deal_outside(self, self.chosen))
        # `chosen` in the log: only what the trainer chose by hand (not the places outside the frame).
        dealt.chosen = {p: r for p, r in dealt.chosen.items() if self.chosen.get(p) == r}
        self._record(ev.RolesDealt(**dealt.as_data(seed)))

    def _not_dealt_yet(self) -> CommandError:
        return CommandError(_("nothing is dealt yet: {deal_timing}; choose roles by hand now with assign NAME ROLE").format(deal_timing=self.deal_timing()))

    def redeal(self, seed: int | None = None) -> None:
        """Deal roles and cards afresh (the trainer's 're-deal'); roles chosen by hand stay."""
        self._require_running()
        if not self.dealt:
            raise self._not_dealt_yet()
        if seed is None:
            seed = random.SystemRandom().randrange(1, 10**6)
        self._deal(seed)

    def _role_id(self, role_id: str) -> str:
        roles = [r.id for r in self.scenario.roles]
        if role_id in roles:
            return role_id
        folded = [r for r in roles if r.casefold() == role_id.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise CommandError(_("no role '{role_id}' (roles: {roles})").format(role_id=role_id, roles=', '.join(roles)))

    def _check_chosen(self, chosen: dict[str, str]) -> dict[str, str]:
        """Roles chosen at set-up, checked: known people and roles, no more people than a role has places."""
        checked: dict[str, str] = {}
        for name, role_id in chosen.items():
            checked[self._participant(name)] = self._role_id(role_id)
        for role in self.scenario.roles:
            room = places(self.scenario, role.id, len(self.participants))
            named = [n for n, r in checked.items() if r == role.id]
            if room is not None and len(named) > room:
                raise CommandError(
                    ngettext(
                        "{count} participants were chosen for '{role}' ({names}), but it has {places} place",
                        "{count} participants were chosen for '{role}' ({names}), but it has {places} places",
                        room,
                    ).format(count=len(named), role=self.text(role.name), names=", ".join(named), places=room)
                )
        return checked

    def _full_role_holder(self, name: str, role_id: str) -> str | None:
        """Who gives up `role_id` when `name` takes it and it is full (None: it has room)."""
        room = places(self.scenario, role_id, len(self.participants))
        if room is None:
            return None
        if self.dealt:  # a role's number counts in each group
            count = self.scenario.role(role_id).count
            assert isinstance(count, int)
            group = next((g for g in self.groups if name in g), self.participants)
            holders = [p for p in group if p != name and self.roles.get(p) == role_id]
            room = count
        else:
            holders = [p for p in self.participants if p != name and self.chosen.get(p) == role_id]
        return holders[0] if holders and len(holders) >= room else None

    def assign(self, name: str, role_id: str) -> None:
        """Give `name` a role. A full role is swapped: its holder takes `name`'s old role.

        Before the deal this is a choice the deal keeps (the holder it replaces is dealt at random).
        """
        self._require_running()
        name = self._participant(name)
        role_id = self._role_id(role_id)
        current = self.roles.get(name) if self.dealt else self.chosen.get(name)
        if current == role_id:
            role = self.text(self.scenario.role(role_id).name)
            if self.dealt:
                raise CommandError(_("{name} plays {role} already").format(name=name, role=role))
            raise CommandError(_("{name} will play {role} already").format(name=name, role=role))
        data: dict[str, Any] = {"participant": name, "role": role_id}
        replaced = self._full_role_holder(name, role_id)
        if replaced is not None:
            data["replaced"] = replaced
            if self.dealt and current is not None:
                data["replaced_role"] = current
        with _frame_rule():  # nobody observing outside the frame is put into it
            frame.check_roles(self, {name: role_id, **({replaced: data.get("replaced_role")} if replaced else {})})
        self._record(ev.RoleAssigned(**data))

    def hand_out(self, name: str) -> None:
        """`name` has seen their private brief and cards (logged, so a resume knows)."""
        self._require_running()
        name = self._participant(name)
        if not self.dealt:
            raise self._not_dealt_yet()
        self._record(ev.HandedOut(participant=name))

    def swap(self, first: str, second: str) -> None:
        self._require_running()
        if not self.dealt:
            raise self._not_dealt_yet()
        a, b = self._participant(first), self._participant(second)
        if a == b:
            raise CommandError(_("swap needs two different participants"))
        with _frame_rule():
            frame.check_roles(self, {a: self.roles.get(b), b: self.roles.get(a)})
        self._record(ev.ParticipantsSwapped(participants=(a, b)))

    def give(self, name: str, deck_id: str, card_id: str) -> None:
        self._require_running()
        if not self.dealt:
            raise self._not_dealt_yet()
        name = self._participant(name)
        decks = {d.id: d for d in self.scenario.decks}
        if deck_id not in decks:
            raise CommandError(_("no deck '{deck_id}' (decks: {decks})").format(deck_id=deck_id, decks=', '.join(decks) or _('none')))
        cards = [c.id for c in decks[deck_id].cards]
        if card_id not in cards:
            raise CommandError(_("deck '{deck_id}' has no card '{card_id}'").format(deck_id=deck_id, card_id=card_id))
        self._record(ev.CardGiven(deck=deck_id, participant=name, card=card_id))

    def end(self, reason: str = "stopped") -> None:
        """End the session: in its final phase that is its normal end, anywhere else it stops early."""
        self._require_running()
        if self.current.final and reason == "stopped":
            reason = "final"
        self._leaving()
        self._record(ev.SessionEnded(reason=reason))

    def _leaving(self) -> None:
        """The phase is about to end: whatever a hook holds for it is written while it is still open."""
        for hook in list(self.before_leaving):
            hook()

    # ----- the room (issue 11): phones join; only the SHA-256 of a device's token is logged -----

    def open_room(self, address: str) -> None:
        self._require_running()
        if not address.strip():
            raise CommandError(_("the room needs an address"))
        self._record(ev.RoomOpened(address=address.strip()))

    def _room_device_id(self, device: str, token_sha256: str) -> None:
        if not _DEVICE_ID.fullmatch(device):
            raise CommandError(_("a device id is 4 to 32 lower-case letters and digits"))
        if not _SHA256.fullmatch(token_sha256):
            raise CommandError(_("a device's token is given as its SHA-256, 64 hex digits"))
        if device in self.devices:
            raise CommandError(_("device {device} is known already").format(device=device))
        if any(d.token_sha256 == token_sha256 for d in self.devices.values()):
            raise CommandError(_("this token is in use already"))

    def _room_open(self) -> None:
        self._require_running()
        if not self.room_addresses:
            raise CommandError(_("no room is open (play --room opens one)"))

    def ask_to_join(self, name: str, device: str, token_sha256: str) -> None:
        self._room_open()
        if self.room_locked:
            raise CommandError(_("the room is locked: the trainer is not taking new devices"))
        name = self._participant(name)
        self._room_device_id(device, token_sha256)
        if any(d.participant == name and d.status in ("waiting", "accepted") for d in self.devices.values()):
            raise CommandError(_("{name} has a device in the room already, or one waiting").format(name=name))
        self._record(ev.DeviceJoined(participant=name, device=device, token_sha256=token_sha256))

    def sign_in_by_link(self, name: str, device: str, token_sha256: str) -> None:
        """A participant's own link was opened: its token becomes the device's token (no waiting)."""
        self._room_open()
        name = self._participant(name)
        self._room_device_id(device, token_sha256)
        self._record(ev.DeviceAccepted(participant=name, device=device, via="link", token_sha256=token_sha256))

    def _devices_of(self, name: str, *statuses: str) -> list[str]:
        return [d.device for d in self.devices.values() if d.participant == name and d.status in statuses]

    def accept_device(self, name: str) -> None:
        self._room_open()
        name = self._participant(name)
        waiting = self._devices_of(name, "waiting")
        if not waiting:
            raise CommandError(_("no device is waiting to join as {name}").format(name=name))
        self._record(ev.DeviceAccepted(participant=name, device=waiting[-1]))

    def refuse_device(self, name: str) -> None:
        self._room_open()
        name = self._participant(name)
        waiting = self._devices_of(name, "waiting")
        if not waiting:
            raise CommandError(_("no device is waiting to join as {name}").format(name=name))
        for device in waiting:
            self._record(ev.DeviceRefused(participant=name, device=device))

    def remove_device(self, name: str, device: str | None = None) -> None:
        """Take `name`'s devices (or the one given) out of the room, waiting or accepted."""
        self._room_open()
        name = self._participant(name)
        present = self._devices_of(name, "waiting", "accepted")
        if device is not None:
            if device not in present:
                raise CommandError(_("{name} has no device {device} in the room").format(name=name, device=device))
            present = [device]
        if not present:
            raise CommandError(_("{name} has no device in the room").format(name=name))
        for one in present:
            self._record(ev.DeviceRemoved(participant=name, device=one))

    def lock_room(self) -> None:
        self._room_open()
        if self.room_locked:
            raise CommandError(_("the room is locked already"))
        self._record(ev.RoomLocked())

    def unlock_room(self) -> None:
        self._room_open()
        if not self.room_locked:
            raise CommandError(_("the room is not locked"))
        self._record(ev.RoomLocked(locked=False))

    def note_voters(self, vote_id: str, devices: list[str]) -> None:
        """The room notes which phones voted in `vote_id` in this visit of its phase (never how)."""
        self._room_open()
        if vote_id not in self.current.votes:
            raise CommandError(_("vote '{vote}' is not open in '{phase}'").format(vote=vote_id, phase=self.phase))
        if not devices or len(set(devices)) != len(devices) or any(d not in self.devices for d in devices):
            raise CommandError(_("the room notes devices it knows, each once"))
        self._record(ev.VotersNoted(vote=vote_id, visit=len(self.history), devices=sorted(devices)))

    # ----- end of the room -----

    # ----- replay on phones (issue 11): allowed or not is logged; so are the phones' reflections -----

    def _room_was_opened(self) -> None:
        """Replay needs a room that was opened at some time; unlike the other room commands it goes on
        after the session has ended (the course watches the scenes back afterwards)."""
        if not self.room_addresses:
            raise CommandError(_("no room is open (play --room opens one)"))

    def allow_replay(self) -> None:
        self._room_was_opened()
        if self.replay_allowed:
            raise CommandError(_("replay on phones is on already"))
        self._record(ev.ReplayAllowed(phase=self.phase))

    def stop_replay(self) -> None:
        self._room_was_opened()
        if not self.replay_allowed:
            raise CommandError(_("replay on phones is off already"))
        self._record(ev.ReplayStopped(phase=self.phase))

    def reflect(self, by: str, text: str, at: float, mono: float | None = None) -> None:
        """A participant's reflection at `at` seconds of the recording (as `roleplay replay` writes them)."""
        by = self._participant(by)
        text = text.strip()
        if not text:
            raise CommandError(_("a reflection needs some text"))
        if not 0.0 <= at < 10**7:  # also refuses NaN
            raise CommandError(_("a reflection's time is seconds into the recording, 0 or more"))
        data: dict[str, Any] = {"by": by, "text": text, "at": round(at, 3)}
        if mono is not None and mono == mono:  # NaN is left out
            data["mono"] = round(mono, 6)
        self._record(ev.Reflection(**data))

    # ----- end of replay on phones -----

    # ----- psychodrama (issue 12): the rules are in core/techniques.py and core/deroling.py -----

    def use_technique(self, technique: str, who: list[str], note: str = "") -> None:
        """Log a technique called in an action phase, with who it involved and the time into the scene."""
        self._require_running()
        names = [self._participant(n) for n in who]
        found = techniques.check_use(self.phase, self.current, technique, names)
        with _frame_rule():
            frame.check_in_scene(self, names)
        scene_time = max(0.0, self.clock.wall() - self.history[-1].entered_wall) if self.history else 0.0
        self._record(ev.TechniqueUsed(
            technique=found.id, phase=self.phase, who=names, note=note.strip(), scene_time=round(scene_time, 1),
        ))

    def mark_deroled(self, name: str, role: str | None = None) -> None:
        """In a de-roling phase: `name` stepped out of `role` (None: every role they still hold)."""
        self._require_running()
        name = self._participant(name)
        for key in deroling.check_step_out(self, name, role):
            self._record(ev.DeRoled(participant=name, role=key, phase=self.phase))

    # ----- end of psychodrama -----

    def close(self) -> None:
        if self.log is not None:
            self.log.close()


@contextmanager
def _frame_rule() -> Iterator[None]:
    """The frame's rules (core/consent.py) refuse as any command does."""
    try:
        yield
    except frame.FrameError as exc:
        raise CommandError(str(exc)) from None


_EXECUTORS: dict[type[c.Command], Callable[[Session, Any], Any]] = {
    c.Go: lambda s, k: s.fire(k.trigger, force=k.force),
    c.ExpireTimer: lambda s, k: s.expire_timer(),
    c.ExtendTimer: lambda s, k: s.extend(k.seconds),
    c.Pause: lambda s, k: s.pause(k.reason),
    c.Resume: lambda s, k: s.resume(),
    c.AddNote: lambda s, k: s.note(k.text, k.question),
    c.AddMarker: lambda s, k: s.mark(k.label),
    c.Inject: lambda s, k: s.inject(k.event, k.to),
    c.RecordGuess: lambda s, k: s.guess(k.participant, k.outcome, k.text),
    c.TickItem: lambda s, k: s.tick(k.checklist, k.item, k.by),
    c.UntickItem: lambda s, k: s.untick(k.checklist, k.item, k.by),
    c.AddEntry: lambda s, k: s.add_entry(k.collection, k.text, k.by),
    c.TagEntry: lambda s, k: s.tag_entry(k.collection, k.entry, k.category),
    c.Rate: lambda s, k: s.rate(k.scale, k.value, k.entry, k.by),
    c.CastVote: lambda s, k: s.vote(k.vote, k.option, k.count),
    c.AnswerForm: lambda s, k: s.answer(k.question, k.value, k.by),
    c.SetConsent: lambda s, k: s.consent(k.participant, k.given),
    c.ObserveOutsideFrame: lambda s, k: s.observe_outside_frame(k.participant),
    c.Redeal: lambda s, k: s.redeal(k.seed),
    c.AssignRole: lambda s, k: s.assign(k.participant, k.role),
    c.MarkHandedOut: lambda s, k: s.hand_out(k.participant),
    c.SwapParticipants: lambda s, k: s.swap(k.first, k.second),
    c.GiveCard: lambda s, k: s.give(k.participant, k.deck, k.card),
    c.EndSession: lambda s, k: s.end(k.reason),
}

# Correcting a collection (issue 15).
_EXECUTORS.update({
    c.EditEntry: lambda s, k: s.edit_entry(k.collection, k.entry, k.text),
    c.RemoveEntry: lambda s, k: s.remove_entry(k.collection, k.entry),
})

# Psychodrama (issue 12).
_EXECUTORS.update({
    c.UseTechnique: lambda s, k: s.use_technique(k.technique, list(k.who), k.note),
    c.MarkDeRoled: lambda s, k: s.mark_deroled(k.participant, k.role),
})

# The room (issue 11).
_DEVICE_ID = re.compile(r"[a-z0-9]{4,32}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_EXECUTORS.update({
    c.OpenRoom: lambda s, k: s.open_room(k.address),
    c.AskToJoin: lambda s, k: s.ask_to_join(k.participant, k.device, k.token_sha256),
    c.SignInByLink: lambda s, k: s.sign_in_by_link(k.participant, k.device, k.token_sha256),
    c.AcceptDevice: lambda s, k: s.accept_device(k.participant),
    c.RefuseDevice: lambda s, k: s.refuse_device(k.participant),
    c.RemoveDevice: lambda s, k: s.remove_device(k.participant, k.device),
    c.LockRoom: lambda s, k: s.lock_room(),
    c.UnlockRoom: lambda s, k: s.unlock_room(),
    c.NoteVoters: lambda s, k: s.note_voters(k.vote, list(k.devices)),
})

# Replay on phones (issue 11).
_EXECUTORS.update({
    c.AllowReplay: lambda s, k: s.allow_replay(),
    c.StopReplay: lambda s, k: s.stop_replay(),
    c.AddReflection: lambda s, k: s.reflect(k.by, k.text, k.at, k.mono),
})

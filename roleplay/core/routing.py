"""Routing through phases: one `transitions` state machine per session.

Each route of the scenario is a transition. A branch's `when` is a
condition (the machine tries the routes of a trigger in order and takes the
first whose condition holds); a soft check (`guard`) is a `before` callback
that raises `GuardWarning` unless the trainer forces the move; the move itself
is logged by a `before` callback, so a move that cannot be written to the log
never happens. Replaying a log moves the machine to each logged phase
without running any callback (`follow`).
"""

from __future__ import annotations

from typing import Any, Callable

from transitions import Machine, MachineError

from roleplay.core.i18n import _
from roleplay.core.model import Condition, Scenario
from roleplay.core.state import CommandError, SessionState
from roleplay.core.text import localize

TIMER_TRIGGER = "timer-expired"


class GuardWarning(Exception):
    """A route's soft check is not met; the trainer may repeat with force."""

    def __init__(self, trigger: str, message: str):
        super().__init__(message)
        self.trigger = trigger
        self.message = message


class _Position:
    """The model object the machine drives (kept apart from the session's own names)."""

    state: str


# Called with (target phase, trigger, forced) before the machine moves; it logs the move.
Mover = Callable[[str, str, bool], None]


class Router:
    def __init__(self, scenario: Scenario, state: SessionState, move: Mover):
        self.scenario = scenario
        self.state = state
        self._move = move
        self._forcing = False
        self.position = _Position()
        self.machine = Machine(
            model=self.position,
            states=list(scenario.phases),
            initial=scenario.start,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )
        for pid, phase in scenario.phases.items():
            for route in scenario.routes(pid):
                conditions: list[str | Callable[..., bool | None]] = [self._holds(route.when)] if route.when else []
                before: list[str | Callable[..., bool | None]] = []
                if route.guard:
                    before.append(self._guard(route.trigger, route.guard, route.guard_message))
                before.append(self._mover(route.to, route.trigger))
                self.machine.add_transition(route.trigger, pid, route.to, conditions=conditions, before=before)
            if phase.timer and phase.timer.on_expiry != "stay":
                self.machine.add_transition(
                    TIMER_TRIGGER, pid, phase.timer.on_expiry, before=[self._mover(phase.timer.on_expiry, TIMER_TRIGGER)]
                )

    def _holds(self, cond: Condition) -> Callable[[], bool]:
        return lambda: not self.state.unmet(cond)

    def _guard(self, trigger: str, cond: Condition, message: Any) -> Callable[[], None]:
        def check() -> None:
            if self._forcing:
                return
            reasons = self.state.unmet(cond)
            if reasons:
                text = localize(message, self.state.language, self.scenario.fallback) if message else ""
                detail = "; ".join(reasons)
                raise GuardWarning(trigger, f"{text} ({detail})" if text else detail)

        return check

    def _mover(self, target: str, trigger: str) -> Callable[[], None]:
        return lambda: self._move(target, trigger, self._forcing)

    def fire(self, trigger: str, force: bool = False) -> None:
        """Take the first route for `trigger` whose condition holds. Raises GuardWarning or CommandError."""
        self._forcing = force
        try:
            moved = self.position.trigger(trigger)  # type: ignore[attr-defined]
        except MachineError as exc:
            raise CommandError(str(exc)) from None
        finally:
            self._forcing = False
        if not moved:  # every branch's 'when' failed: cannot happen with a valid scenario
            raise CommandError(_("no route for '{trigger}' from '{phase}' applies now").format(trigger=trigger, phase=self.state.phase))

    def follow(self, phase: str) -> None:
        """Put the machine where the log says the session is (no callbacks run)."""
        if self.position.state != phase:
            self.machine.set_state(phase, model=self.position)

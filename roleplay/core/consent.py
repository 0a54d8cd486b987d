"""Who has consented to being filmed, and who observes outside the frame: the rules, in one place.

Participants come from the first `session_started`. A `consent` event sets
one participant's answer; the latest answer counts. `consent_all` (given
outside the app, e.g. on paper) counts for everyone it names, or for everyone
in the session when it names nobody. A later `consent` with `given: false`
still withdraws. A headless recording (`roleplay record`) names nobody: it
needs a `consent_all`.

The course promises that anyone who does not want to be filmed can observe
from outside the frame. So a third answer exists: `consent` with
`outside_frame: true` (the `outside NAME` command). Such a person has not
consented, yet does not hold recording back, as long as they are not in the
frame:

- In a phase where the scene is played (an action phase, or one that records),
  the frame holds the people with an *acting role*: a role whose holders are
  cast in a phase that records (not the observers who fill in a checklist there).
  In any other phase the whole group is in the frame.
- In a filmed session, a person outside the frame is dealt a role outside it,
  and cannot be given an acting role or be brought into a technique; the
  command is refused and says what to do.
- Recording may start once everyone has either consented or is outside the
  frame, and nobody outside the frame is in the frame now.
- A later `consent NAME yes` brings them back: they may step in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.core.events import Consent, ConsentAll, EventBody, SessionStarted
from roleplay.core.i18n import _
from roleplay.core.log import LogEvent, read_log
from roleplay.core.model import ACTION_KINDS, Phase, Scenario

if TYPE_CHECKING:
    from roleplay.core.state import SessionState

EVERYONE_PRESENT = "everyone present"

# The three answers the consent screen can give.
YES = "yes"
NO = "no"
OUTSIDE = "outside"


class ConsentMissing(Exception):
    """Recording was asked for before everyone consented (or someone outside the frame is in it); the message says who."""


class FrameError(ValueError):
    """A command would put someone who observes outside the frame into it; the message says who and what to do."""


def apply_consent(answers: dict[str, bool], participants: list[str], body: EventBody,
                  outside: set[str] | None = None) -> bool:
    """Update `answers` (and who is `outside` the frame) for one event; returns whether it was about consent."""
    if isinstance(body, Consent):
        answers[body.participant] = body.given
        if outside is not None:
            if body.outside_frame:
                outside.add(body.participant)
            else:
                outside.discard(body.participant)
        return True
    if isinstance(body, ConsentAll) and body.given_outside_app:
        for name in body.participants or participants:
            answers[name] = True
            if outside is not None:
                outside.discard(name)
        return True
    return False


def missing_consent(events: list[LogEvent]) -> list[str]:
    """Participants without consent who are not outside the frame; `["everyone present"]` if nobody
    is named and no consent was given."""
    participants: list[str] = []
    answers: dict[str, bool] = {}
    outside: set[str] = set()
    all_given = False
    for event in events:
        body = event.body
        if isinstance(body, SessionStarted) and not participants:
            participants = list(body.participants)
        elif apply_consent(answers, participants, body, outside) and isinstance(body, ConsentAll):
            all_given = True
    if not participants:
        withdrawn = [name for name, given in answers.items() if not given]
        if withdrawn:
            return withdrawn
        return [] if all_given or answers else [EVERYONE_PRESENT]
    return [name for name in participants if not answers.get(name, False) and name not in outside]


# ----- the frame ---------------------------------------------------------------------------------


def _fillers(scenario: Scenario, phase: Phase) -> set[str]:
    """Roles that fill in a checklist open in `phase`: they watch the scene, from outside the frame."""
    return {r for r in (scenario.checklist(cid).for_role for cid in phase.checklists) if r}


def _scene_phases(scenario: Scenario) -> list[Phase]:
    """The phases the camera is there for: those that record, else those where the scene is played."""
    recorded = [p for p in scenario.phases.values() if p.record]
    return recorded or [p for p in scenario.phases.values() if p.kind in ACTION_KINDS]


def acting_roles(scenario: Scenario) -> list[str]:
    """Roles whose holders are in the frame: cast (filling in no checklist) in a phase the camera is there for."""
    phases = _scene_phases(scenario)
    if not phases:
        return [r.id for r in scenario.roles]
    return [r.id for r in scenario.roles if any(r.id not in _fillers(scenario, p) for p in phases)]


def outside_role(scenario: Scenario) -> str | None:
    """The role a person outside the frame is dealt (a role with room for anyone, outside the frame)."""
    acting = set(acting_roles(scenario))
    for role in scenario.roles:
        if role.id not in acting and role.chosen_by == "deal" and (role.count in ("each", "rest")):
            return role.id
    return next((r.id for r in scenario.roles if r.id not in acting and r.chosen_by == "deal"), None)


def outside_possible(scenario: Scenario) -> bool:
    """Whether someone can take part from outside the frame (the scenario has a role outside it)."""
    return outside_role(scenario) is not None


def filmed(state: "SessionState") -> bool:
    """The trainer chose to film this session."""
    started = state.started
    return bool(started and started.recording and not started.headless)


def _scene_now(state: "SessionState") -> bool:
    phase = state.current
    return bool(state.history) and (phase.record or phase.kind in ACTION_KINDS)


def in_frame(state: "SessionState") -> list[str]:
    """Who is in the frame now: in a played scene the holders of acting roles, otherwise everyone."""
    if not _scene_now(state) or not state.dealt:
        return list(state.participants)
    acting = set(acting_roles(state.scenario))
    return [p for p in state.participants if state.roles.get(p) in acting]


def outside_in_frame(state: "SessionState") -> list[str]:
    """People who observe outside the frame but are in it now (recording must not run)."""
    frame = set(in_frame(state))
    return [p for p in state.participants if p in state.outside_frame and p in frame]


def recording_problems(state: "SessionState") -> list[str]:
    """Why recording may not run now, in words (empty: it may)."""
    problems: list[str] = []
    waiting = [p for p in state.participants if not state.consents.get(p) and p not in state.outside_frame]
    if waiting or not state.participants:
        problems.append(_("no consent yet from {waiting}").format(waiting=", ".join(waiting) or EVERYONE_PRESENT))
    for name in outside_in_frame(state):
        problems.append(_("{name} observes outside the frame but is in it here ({role})").format(
            name=name, role=state.role_name(state.roles.get(name)) if _scene_now(state) else _("the whole group is in the frame")))
    return problems


def everyone_answered(state: "SessionState") -> bool:
    """Everyone consented or observes from outside the frame: the session can be filmed."""
    return bool(state.participants) and all(state.consents.get(p) or p in state.outside_frame for p in state.participants)


def may_record(state: "SessionState") -> bool:
    """Everyone consented or observes outside the frame, and nobody outside the frame is in it now."""
    return not recording_problems(state)


def withdrawn(state: "SessionState") -> list[str]:
    """People who said no to being filmed without observing outside the frame (what was filmed is not shown)."""
    return [p for p, given in state.consents.items() if given is False and p not in state.outside_frame]


def check_mark_outside(state: "SessionState", name: str) -> None:
    if name in state.outside_frame:
        raise FrameError(_("{name} observes outside the frame already (consent {name} yes brings them back)").format(name=name))


def check_roles(state: "SessionState", roles: dict[str, str | None]) -> None:
    """Refuse giving an acting role to someone outside the frame in a filmed session."""
    if not filmed(state):
        return
    acting = set(acting_roles(state.scenario))
    for name, role in roles.items():
        if name in state.outside_frame and role in acting:
            raise FrameError(_(
                "{name} observes outside the frame, so in this filmed session they cannot play {role}, a role in "
                "the frame; give them {outside} (or first: consent {name} yes)").format(
                name=name, role=state.role_name(role), outside=state.role_name(outside_role(state.scenario))))


def check_in_scene(state: "SessionState", names: list[str]) -> None:
    """Refuse bringing someone outside the frame into the scene (a technique) in a filmed session."""
    if not filmed(state):
        return
    for name in names:
        if name in state.outside_frame:
            raise FrameError(_("{name} observes outside the frame, so in this filmed session they cannot step "
                               "into the scene (first: consent {name} yes)").format(name=name))


def deal_outside(state: "SessionState", chosen: dict[str, str]) -> dict[str, str]:
    """The roles the deal keeps: those chosen by hand, and a role outside the frame for whoever observes from there."""
    role = outside_role(state.scenario)
    if not filmed(state) or role is None or not state.outside_frame:
        return chosen
    acting = set(acting_roles(state.scenario))
    fixed = dict(chosen)
    for name in state.participants:
        if name in state.outside_frame and (fixed.get(name) is None or fixed[name] in acting):
            fixed[name] = role
    return fixed


def frame_label(state: "SessionState", name: str) -> str:
    """`observing outside the frame` for such a person, else ''."""
    return _("observing outside the frame") if name in state.outside_frame else ""


# ----- before recording starts --------------------------------------------------------------------


def _state_from(events: list[LogEvent]) -> "SessionState | None":
    """The session's state rebuilt from its events (None: a headless recording, or no scenario to follow)."""
    from roleplay.core.state import SessionState

    first = events[0].body if events else None
    if not isinstance(first, SessionStarted) or first.headless or first.scenario_data is None:
        return None
    try:
        scenario = Scenario.model_validate(first.scenario_data)
        state = SessionState(scenario, list(first.participants), seed=first.seed, language=first.language)
        for event in events:
            state.apply(event)
    except Exception:  # noqa: BLE001 - a log that does not replay: as without a scenario (nobody may stand outside)
        return None
    return state


def check_consent(folder: Path, events: list[LogEvent] | None = None) -> None:
    """Raise `ConsentMissing` unless every participant's consent (or their place outside the frame) is in
    the log and nobody outside the frame is in it now.

    A live session passes its own `events` (the same as on disk; a sealed log cannot be read back
    without its key), a headless recording lets the log be read.
    """
    events = read_log(folder) if events is None else events
    missing = missing_consent(events)
    if missing:
        raise ConsentMissing(_("cannot record in {folder}: no consent in the session log from {missing}").format(folder=folder, missing=', '.join(missing)))
    if any(isinstance(e.body, Consent) and e.body.outside_frame for e in events):
        state = _state_from(events)
        if state is None:  # no scenario tells who is in the frame: nobody can stand outside it
            outside: set[str] = set()
            for event in events:
                apply_consent({}, [], event.body, outside)
            if outside:
                raise ConsentMissing(_("cannot record in {folder}: no consent in the session log from {missing}").format(
                    folder=folder, missing=", ".join(sorted(outside))))
        elif not may_record(state):
            raise ConsentMissing(_("cannot record in {folder}: {problems}").format(
                folder=folder, problems="; ".join(recording_problems(state))))

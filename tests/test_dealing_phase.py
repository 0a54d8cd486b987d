"""Roles are dealt in the scenario's dealing phase, chosen roles are kept, role counts hold, hand-outs are logged."""

from __future__ import annotations

import json

import pytest

from roleplay.core import events as ev
from roleplay.core.clock import FakeClock
from roleplay.core.engine import CommandError, Session
from roleplay.core.log import LOG_NAME, SessionLog, new_session_folder, read_log
from roleplay.core.loader import load_scenario, load_scenario_bytes
from tests.conftest import SCENARIOS, run_cli

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]


def load(scenario_id: str):
    result = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    assert result.ok, result.problems
    return result.scenario


def types(session) -> list[str]:
    return [e.type for e in session.events]


def start(scenario, tmp_path, people=PEOPLE, **kwargs):
    return Session.start(scenario, people, root=tmp_path, seed=kwargs.pop("seed", 7), clock=FakeClock(), **kwargs)


# ----- when the deal happens ---------------------------------------------------------------------


def test_crisis_deals_in_its_assignment_phase_after_the_safety_briefing(tmp_path):
    s = start(load("crisis-conversation"), tmp_path)
    assert s.scenario.deal_phase == "roles"
    assert s.phase == "safety-briefing" and not s.dealt
    assert set(s.roles.values()) == {None} and "roles_dealt" not in types(s)
    s.fire("next")
    assert s.phase == "roles" and s.dealt
    entered = types(s).index("phase_entered", 2)
    assert types(s)[entered + 1] == "roles_dealt"  # logged as the dealing phase is entered
    assert sorted(r for r in s.roles.values()) == ["observer", "observer", "peer-supporter", "person-in-crisis"]
    # the same deal as `roleplay cards` and a session with the same seed always gave
    from roleplay.core.dealing import deal

    assert s.roles == deal(s.scenario, PEOPLE, 7).roles


def test_a_named_phase_deals_on_its_first_entry_only(tmp_path):
    s = start(load("grow-coaching"), tmp_path)
    assert s.scenario.deal_in == "briefing" and s.phase == "warm-up" and not s.dealt
    s.fire("next")
    assert s.phase == "briefing" and s.dealt
    first = dict(s.roles)
    while s.phase != "swap":
        s.fire("next")
    s.fire("next")  # the swap phase is a briefing too, but not the dealing phase: no new deal
    assert types(s).count("roles_dealt") == 1
    assert all(s.roles[p] != first[p] for p in PEOPLE)  # the role reversal, not a re-deal


def test_peer_drift_deals_on_the_first_situation_only(tmp_path):
    s = start(load("peer-drift"), tmp_path)
    assert s.scenario.deal_phase == "draw-situation" and not s.dealt
    s.fire("next")
    assert s.dealt and types(s).count("roles_dealt") == 1


def test_a_scenario_without_a_dealing_phase_deals_at_the_start(tmp_path):
    s = start(load("ideal-helper"), tmp_path)
    assert s.scenario.deal_phase is None
    assert types(s)[:3] == ["session_started", "roles_dealt", "phase_entered"]
    assert set(s.roles.values()) == {"participant"}


SMALL = """\
id: small
title: Small
summary: A small scenario.
duration: 10m
group_size: {min: 2, max: 6}
languages: [en]
roles:
  - {id: lead, name: Lead, count: 1, brief: You lead.}
  - {id: helper, name: Helper, count: 1}
  - {id: observer, name: Observer, count: rest}
decks:
  - id: tasks
    title: Tasks
    deal_to: lead
    cards: [{id: one, text: Task one}, {id: two, text: Task two}]
DEAL_IN
start: welcome
phases:
  welcome: {kind: warm-up, title: Welcome, script: Hello., next: roles}
  roles: {kind: assignment, title: Roles, script: Deal., next: pairs}
  pairs: {kind: briefing, title: Pairs, script: Pairs., next: end}
  end: {kind: closing, title: End, script: Bye., final: true}
"""


def small(deal_in: str = ""):
    result = load_scenario_bytes(SMALL.replace("DEAL_IN", deal_in).encode(), "small.yaml")
    return result


def test_deal_in_overrides_the_assignment_phase(tmp_path):
    result = small("deal_in: pairs")
    assert result.ok, result.problems
    s = start(result.scenario, tmp_path)
    s.fire("next")
    assert s.phase == "roles" and not s.dealt
    s.fire("next")
    assert s.phase == "pairs" and s.dealt


def test_a_deal_in_that_names_no_phase_is_an_error_with_its_place():
    result = small("deal_in: pair")
    assert not result.ok
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (problem.line, problem.column) == (16, 10)
    assert "deal_in: no phase 'pair'" in problem.message and "known phases: end, pairs, roles, welcome" in problem.message
    assert str(problem).startswith("small.yaml:16:10: error: ")


def test_a_bad_deal_in_is_reported_with_other_errors_too():
    result = load_scenario_bytes(SMALL.replace("DEAL_IN", "deal_in: nowhere").replace("duration: 10m", "duration: soon").encode(), "x.yaml")
    messages = [p.message for p in result.problems]
    assert any("no phase 'nowhere'" in m for m in messages) and any("duration" in m for m in messages)


# ----- choosing roles, counts, swaps -----------------------------------------------------------


def test_roles_chosen_at_set_up_are_logged_and_kept_by_every_deal(tmp_path):
    scenario = load("crisis-conversation")
    for seed in range(1, 12):
        s = start(scenario, tmp_path, seed=seed, roles={"cleo": "person-in-crisis", "Dan": "peer-supporter"})
        assert s.started.roles == {"Cleo": "person-in-crisis", "Dan": "peer-supporter"}
        s.fire("next")
        assert s.roles["Cleo"] == "person-in-crisis" and s.roles["Dan"] == "peer-supporter"
        assert s.events[-2].body.chosen == {"Cleo": "person-in-crisis", "Dan": "peer-supporter"}
        s.redeal(seed + 100)  # a re-deal keeps them too
        assert s.roles["Cleo"] == "person-in-crisis" and s.roles["Dan"] == "peer-supporter"
        assert sorted(s.roles.values()).count("observer") == 2


def test_chosen_roles_are_placed_one_per_group(tmp_path):
    people = ["Ana", "Ben", "Cleo", "Dan", "Eve", "Fay"]
    for seed in range(1, 10):
        s = start(load("grow-coaching"), tmp_path, people, seed=seed, roles={"Ana": "coach", "Ben": "coach", "Cleo": "coach"})
        s.fire("next")
        assert [sorted(s.roles[p] for p in g) for g in s.groups] == [["coach", "coachee"]] * 3
        assert {s.roles[p] for p in ("Ana", "Ben", "Cleo")} == {"coach"} and not s.warnings


def test_chosen_roles_are_checked_before_anything_is_written(tmp_path):
    scenario = load("crisis-conversation")
    with pytest.raises(CommandError, match=r"2 participants were chosen for 'Alex, the person in crisis' \(Ana, Ben\), but it has 1 place"):
        start(scenario, tmp_path, roles={"Ana": "person-in-crisis", "Ben": "person-in-crisis"})
    with pytest.raises(CommandError, match="no participant 'Zoe'"):
        start(scenario, tmp_path, roles={"Zoe": "observer"})
    with pytest.raises(CommandError, match=r"no role 'boss' \(roles: person-in-crisis, peer-supporter, observer\)"):
        start(scenario, tmp_path, roles={"Ana": "boss"})
    assert list(tmp_path.iterdir()) == []


def test_a_full_role_swaps_with_its_holder_and_says_so(tmp_path):
    s = start(load("crisis-conversation"), tmp_path, roles={"Ben": "person-in-crisis", "Ana": "peer-supporter"})
    s.fire("next")
    s.assign("Cleo", "person-in-crisis")
    body = s.events[-1].body
    assert isinstance(body, ev.RoleAssigned)
    assert body.payload() == {"participant": "Cleo", "role": "person-in-crisis", "replaced": "Ben", "replaced_role": "observer"}
    assert s.holders("person-in-crisis") == ["Cleo"] and s.roles["Ben"] == "observer"
    assert s.assignment_text(body) == "Cleo now plays Alex, the person in crisis in place of Ben; Ben now plays Observer"
    s.assign("Ben", "peer-supporter")  # Ben (observer) takes Ana's place; Ana becomes an observer
    assert s.holders("peer-supporter") == ["Ben"] and s.roles["Ana"] == "observer"
    assert sorted(s.roles.values()).count("observer") == 2
    s.assign("Ben", "observer")  # a role without a number is never full: nobody is moved
    assert s.events[-1].body.replaced is None and s.holders("peer-supporter") == []
    s.assign("Ben", "peer-supporter")  # a free place: nobody is replaced either
    assert s.events[-1].body.replaced is None
    with pytest.raises(CommandError, match="Cleo plays Alex, the person in crisis already"):
        s.assign("Cleo", "person-in-crisis")
    s.redeal(99)  # hand choices are kept by a re-deal: Cleo and Ben keep theirs
    assert s.roles["Cleo"] == "person-in-crisis" and s.roles["Ben"] == "peer-supporter"
    assert s.events[-1].body.chosen == {"Cleo": "person-in-crisis", "Ben": "peer-supporter"}


def test_cards_of_a_role_go_with_it_in_a_swap(tmp_path):
    s = start(small().scenario, tmp_path, ["Ana", "Ben", "Cleo"], roles={"Ana": "lead"})
    s.fire("next")
    card = s.cards["tasks"]["Ana"]
    s.assign("Ben", "lead")
    assert s.roles["Ana"] == s.events[-1].body.replaced_role and s.roles["Ben"] == "lead"
    assert s.cards["tasks"] == {"Ben": card}


def test_a_role_chosen_before_the_deal_is_kept_and_a_full_one_frees_its_holder(tmp_path):
    s = start(load("crisis-conversation"), tmp_path, roles={"Ana": "person-in-crisis"})
    s.assign("Ben", "person-in-crisis")
    body = s.events[-1].body
    assert body.replaced == "Ana" and body.replaced_role is None
    assert s.assignment_text(body) == (
        "Ben will play Alex, the person in crisis in place of Ana; Ana's role will be dealt at random"
    )
    assert s.chosen == {"Ben": "person-in-crisis"} and set(s.roles.values()) == {None}
    s.fire("next")
    assert s.roles["Ben"] == "person-in-crisis" and s.roles["Ana"] != "person-in-crisis"


def test_dealing_commands_wait_for_the_deal(tmp_path):
    from roleplay.core import commands as c

    s = start(load("crisis-conversation"), tmp_path)
    for action in (lambda: s.redeal(), lambda: s.swap("Ana", "Ben"), lambda: s.hand_out("Ana")):
        with pytest.raises(CommandError, match=r"nothing is dealt yet: roles and cards are dealt when the session reaches "
                                               r"'Roles and private briefs' \(phase 2 of \d+\)"):
            action()
    kinds = c.allowed_commands(s)
    assert c.AssignRole in kinds and c.Redeal not in kinds and c.MarkHandedOut not in kinds
    s.fire("next")
    assert c.Redeal in c.allowed_commands(s) and c.MarkHandedOut in c.allowed_commands(s)


# ----- hand-outs, replay and resume ------------------------------------------------------------


def test_handed_out_is_logged_survives_a_resume_and_is_cleared_when_a_brief_changes(tmp_path):
    s = start(load("crisis-conversation"), tmp_path, roles={"Ana": "person-in-crisis"})
    s.fire("next")
    s.hand_out("Ana")
    s.hand_out("Ben")
    s.close()
    again = Session.reopen(s.folder, clock=FakeClock(wall=1_800_000_900.0))
    assert again.handed_out == {"Ana", "Ben"}
    again.assign("Cleo", "person-in-crisis")  # Cleo and Ana change roles: both need their new brief
    assert again.handed_out == {"Ben"}
    again.swap("Ben", "Dan")
    assert again.handed_out == set()
    again.hand_out("Dan")
    again.redeal(5)
    assert again.handed_out == set()
    again.close()
    assert Session.replay(s.folder).snapshot() == again.snapshot()


def test_replay_and_resume_give_the_same_state_before_and_after_the_deal(tmp_path):
    s = start(load("crisis-conversation"), tmp_path, roles={"Dan": "peer-supporter"})
    s.assign("Ana", "person-in-crisis")
    assert Session.replay(s.folder).snapshot() == s.snapshot()
    s.close()
    resumed = Session.reopen(s.folder, clock=FakeClock(wall=1_800_000_900.0))
    assert resumed.chosen == {"Dan": "peer-supporter", "Ana": "person-in-crisis"} and not resumed.dealt
    resumed.fire("next")
    assert resumed.roles["Ana"] == "person-in-crisis" and resumed.roles["Dan"] == "peer-supporter"
    assert Session.replay(s.folder).snapshot() == resumed.snapshot()


def _cut_log(folder, keep: int) -> None:
    path = folder / LOG_NAME
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:keep]))


def test_a_start_cut_off_is_finished_on_resume_without_dealing_early(tmp_path):
    s = start(load("crisis-conversation"), tmp_path, roles={"Ana": "person-in-crisis"})
    s.close()
    _cut_log(s.folder, 1)  # only session_started was written
    resumed = Session.reopen(s.folder, clock=FakeClock())
    assert types(resumed) == ["session_started", "session_resumed", "phase_entered", "timer_started"]
    assert resumed.phase == "safety-briefing" and not resumed.dealt and resumed.chosen == {"Ana": "person-in-crisis"}

    helper = start(load("ideal-helper"), tmp_path / "other")
    helper.close()
    _cut_log(helper.folder, 1)
    resumed = Session.reopen(helper.folder, clock=FakeClock())  # no dealing phase: dealt as the start is finished
    assert types(resumed)[:4] == ["session_started", "session_resumed", "roles_dealt", "phase_entered"]


def test_a_deal_cut_off_on_entering_the_dealing_phase_is_made_on_resume(tmp_path):
    scenario = load("crisis-conversation")
    whole = start(scenario, tmp_path / "whole", roles={"Ben": "person-in-crisis"})
    whole.fire("next")
    s = start(scenario, tmp_path / "cut", roles={"Ben": "person-in-crisis"})
    s.fire("next")
    s.close()
    dealt_at = types(s).index("roles_dealt")
    _cut_log(s.folder, dealt_at)  # phase_entered(roles) was written, the deal was not
    resumed = Session.reopen(s.folder, clock=FakeClock())
    assert resumed.phase == "roles" and resumed.dealt
    assert resumed.roles == whole.roles and resumed.cards == whole.cards
    assert Session.replay(s.folder).snapshot() == resumed.snapshot()


def test_an_old_log_dealt_at_the_start_is_not_dealt_again(tmp_path):
    """Logs written before dealing phases existed deal right after session_started: they read and resume as they were."""
    from roleplay.core.dealing import deal

    scenario = load("crisis-conversation")
    clock = FakeClock()
    folder = new_session_folder(tmp_path, scenario.id, clock)
    with SessionLog(folder, clock) as log:
        log.append(ev.SessionStarted(format=ev.LOG_FORMAT, scenario=scenario.id, participants=PEOPLE, seed=3,
                                     scenario_data=scenario.model_dump(mode="json", exclude_defaults=True)))
        log.append(ev.RolesDealt(**deal(scenario, PEOPLE, 3).as_data(3)))
        log.append(ev.PhaseEntered(phase="safety-briefing"))
    old = Session.reopen(folder, clock=clock)
    roles = dict(old.roles)
    assert old.dealt and all(roles.values())
    old.fire("next")
    assert old.phase == "roles" and types(old).count("roles_dealt") == 1 and old.roles == roles


# ----- play --role ------------------------------------------------------------------------------


def test_play_role_chooses_who_plays_and_assign_says_what_it_replaced(tmp_path):
    result = run_cli(
        "play", "crisis-conversation", "--participants", "Ana,Ben,Cleo,Dan", "--role", "ben=person-in-crisis",
        "--role", "Dan=peer-supporter", "--seed", "3", "--out", str(tmp_path),
        stdin="next\nassign Cleo person-in-crisis\nhanded Cleo\n",
    )
    assert result.returncode == 3, result.stderr  # input ended before the final phase
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["data"]["roles"] == {"Ben": "person-in-crisis", "Dan": "peer-supporter"}
    dealt = next(e for e in events if e["type"] == "roles_dealt")
    assert events[events.index(dealt) - 1]["data"]["phase"] == "roles"
    assert dealt["data"]["roles"]["Ben"] == "person-in-crisis" and dealt["data"]["roles"]["Dan"] == "peer-supporter"
    assigned = next(e for e in events if e["type"] == "role_assigned")
    assert assigned["data"] == {"participant": "Cleo", "role": "person-in-crisis", "replaced": "Ben", "replaced_role": "observer"}
    assert "Cleo now plays Alex, the person in crisis in place of Ben; Ben now plays Observer" in result.stderr
    assert events[-1]["type"] == "handed_out"
    folder = next(tmp_path.iterdir())
    assert Session.replay(folder).roles["Ben"] == "observer"
    assert [e.type for e in read_log(folder)][-1] == "handed_out"


@pytest.mark.parametrize(
    ("option", "code", "message"),
    [
        ("Zoe=observer", 1, "--role Zoe=observer: no participant 'Zoe' (participants: Ana, Ben, Cleo)"),
        ("Ana=boss", 1, "--role Ana=boss: crisis-conversation has no role 'boss' (roles: person-in-crisis, peer-supporter, observer)"),
        ("Ana", 2, "--role Ana: give NAME=ROLE, e.g. --role Ana=person-in-crisis"),
    ],
)
def test_play_role_errors_name_what_is_wrong(tmp_path, option, code, message):
    result = run_cli("play", "crisis-conversation", "--participants", "Ana,Ben,Cleo", "--role", option, "--out", str(tmp_path), stdin="")
    assert result.returncode == code and message in result.stderr and "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())  # nothing was started


def test_play_role_is_refused_with_resume(tmp_path):
    result = run_cli("play", "--resume", str(tmp_path / "x"), "--role", "Ana=observer", stdin="")
    assert result.returncode == 2 and "drop --role" in result.stderr

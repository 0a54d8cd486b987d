"""Issue 12: a role the group chooses during the session (the protagonist), and roles with a number
that never get one holder too many.

`chosen_by: group` leaves the role out of the deal; `assign NAME ROLE` fills it, and choosing again
replaces the holder (logged with whom it replaced, who takes the newcomer's old role). The same
holds for every numbered role, checked here as a property over any sequence of assignments.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.core import commands as c
from roleplay.core.dealing import deal
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario, load_scenario_text
from tests.conftest import DATA, SCENARIOS, run_cli

PSYCHODRAMA = DATA / "valid" / "psychodrama.yaml"
PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]


@pytest.fixture
def scenario():
    return load_scenario(PSYCHODRAMA).scenario


def test_the_deal_leaves_a_role_the_group_chooses_empty(scenario):
    for seed in range(20):
        roles = deal(scenario, PEOPLE, seed).roles
        assert "protagonist" not in roles.values()
        assert sorted(roles.values()) == ["audience", "audience", "audience", "helper"]


def test_choosing_again_replaces_the_protagonist_and_the_count_holds(scenario, clock, tmp_path):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=2, clock=clock)
    assert s.holders("protagonist") == []
    first = next(n for n in PEOPLE if s.roles[n] == "audience")
    second = next(n for n in PEOPLE if s.roles[n] == "helper")
    s.execute(c.AssignRole(participant=first, role="protagonist"))
    assert s.holders("protagonist") == [first]
    assert s.events[-1].body.payload() == {"participant": first, "role": "protagonist"}
    s.execute(c.AssignRole(participant=second, role="protagonist"))  # the group changed its mind
    assert s.holders("protagonist") == [second]
    assert s.roles[first] == "helper"  # the one replaced takes the newcomer's old role
    assert s.events[-1].body.payload() == {"participant": second, "role": "protagonist", "replaced": first, "replaced_role": "helper"}
    assert s.assignment_text(s.events[-1].body) == (
        f"{second} now plays Protagonist in place of {first}; {first} now plays The helper"
    )
    assert sorted(r for r in s.roles.values()) == ["audience", "audience", "helper", "protagonist"]
    s.fire("next")
    s.close()
    again = Session.replay(s.folder)
    assert again.snapshot() == s.snapshot()


def test_a_protagonist_chosen_at_set_up_is_kept_by_the_deal(scenario, clock, tmp_path):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=7, clock=clock, roles={"Dan": "protagonist"})
    assert s.holders("protagonist") == ["Dan"]
    s.assign("Ana", "protagonist")
    assert s.holders("protagonist") == ["Ana"] and s.roles["Dan"] is not None
    s.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PEOPLE + ["Eva"]), st.sampled_from(["protagonist", "helper", "audience"])), max_size=12))
def test_no_numbered_role_ever_has_more_holders_than_its_count(scenario, tmp_path_factory, assignments):
    from roleplay.core.clock import FakeClock

    people = PEOPLE + ["Eva"]
    s = Session.start(scenario, people, root=tmp_path_factory.mktemp("s"), seed=3, clock=FakeClock())
    try:
        for name, role in assignments:
            try:
                s.assign(name, role)
            except Exception as exc:  # only "plays ... already" may be refused
                assert "already" in str(exc)
            assert len(s.holders("protagonist")) <= 1 and len(s.holders("helper")) <= 1
            assert all(s.roles[n] is not None for n in people)  # nobody is left without a role
    finally:
        s.close()


def test_a_count_one_role_of_a_built_in_scenario_is_swapped_never_doubled(clock, tmp_path):
    scenario = load_scenario(SCENARIOS / "crisis-conversation.yaml").scenario
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.fire("next")  # the dealing phase
    s.fire("next")
    for name in PEOPLE:
        if s.roles[name] != "person-in-crisis":
            s.assign(name, "person-in-crisis")
            assert len(s.holders("person-in-crisis")) == 1 and len(s.holders("peer-supporter")) == 1
    s.close()


def test_play_replaces_the_protagonist_and_says_whom(tmp_path):
    result = run_cli("play", str(PSYCHODRAMA), "--participants", ",".join(PEOPLE), "--seed", "2", "--out", str(tmp_path),
                     stdin="assign Ana protagonist\nassign Cleo protagonist\n")
    assert result.returncode == 3, result.stderr
    assigned = [json.loads(line)["data"] for line in result.stdout.splitlines() if '"role_assigned"' in line]
    assert assigned[-1]["replaced"] == "Ana" and assigned[-1]["role"] == "protagonist"
    assert "Cleo now plays Protagonist in place of Ana; Ana now plays" in result.stderr


ROLES = """\
id: t
title: T
summary: S
duration: 10m
group_size: {min: 2}
languages: [en]
roles:
%s
start: a
phases:
  a: {kind: enactment, title: A, script: S, next: b}
  b: {kind: closing, title: B, script: S, final: true}
"""


def test_a_group_chosen_role_needs_a_number():
    result = load_scenario_text(ROLES % "  - {id: p, name: P, count: rest, chosen_by: group}", "t.yaml")
    assert [str(p) for p in result.problems] == [
        "t.yaml:8:46: error: a role the group chooses needs a count of 1 or more (it has count 'rest'); "
        "for a protagonist write count: 1"
    ]


def test_a_group_chosen_role_may_stand_beside_each():
    text = ROLES % "  - {id: member, name: Member, count: each}\n  - {id: p, name: Protagonist, count: 1, chosen_by: group}"
    result = load_scenario_text(text, "t.yaml")
    assert result.ok and result.problems == []
    roles = deal(result.scenario, ["Ana", "Ben"], 1).roles
    assert roles == {"Ana": "member", "Ben": "member"}

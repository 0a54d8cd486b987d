"""Names in scripts and group texts (`{role:id}`), and the public list of who plays which role."""

from __future__ import annotations

import re

import pytest

from roleplay.core.checks import texts_with_fields
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario, load_scenario_text
from roleplay.core.names import (
    assignments,
    assignments_text,
    fill_names,
    fill_role_names,
    join_names,
    placeholders,
)
from tests.conftest import SCENARIOS

PEOPLE = ["Ana", "Ben", "Cleo", "Dan", "Eva", "Femi"]


def load(scenario_id):
    result = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    assert result.ok, result.problems
    return result.scenario


def walk(session, until):
    for _ in range(40):
        if session.phase == until:
            return
        try:
            session.fire("next")
        except Exception:  # a soft check: ask again, as a trainer would
            session.fire("next", force=True)
    raise AssertionError(f"never reached {until}")


def test_names_are_joined_the_way_the_language_joins_a_list():
    assert join_names([]) == ""
    assert join_names(["Ana"]) == "Ana"
    assert join_names(["Ana", "Ben"]) == "Ana and Ben"
    assert join_names(["Ana", "Ben", "Cleo"], "en") == "Ana, Ben and Cleo"
    assert join_names(["Ana", "Ben"], "es") == "Ana y Ben"
    assert join_names(["Ana", "Inés"], "es") == "Ana e Inés"  # Spanish "y" before an i sound
    assert join_names(["Ana", "Ben"], "de") == "Ana und Ben"
    assert join_names(["Ana", "Ben"], "xx") == "Ana and Ben"


def test_the_role_reversal_names_the_players_after_the_swap(tmp_path, clock):
    s = Session.start(load("crisis-conversation"), PEOPLE, root=tmp_path, seed=7, clock=clock)
    walk(s, "scene")
    crisis, supporter = s.holders("person-in-crisis")[0], s.holders("peer-supporter")[0]
    s.fire("role-reversal")
    script = fill_names(s, s.text(s.current.script))
    group = fill_names(s, s.text(s.current.group_text))
    # The one who played the supporter is told they are now Alex, and the other way round.
    assert f"{supporter}, you are now Alex. {crisis}, you are now the peer supporter." in " ".join(script.split())
    assert f"{supporter} is now Alex." in group and f"{crisis} is now the peer supporter." in group
    assert "{role:" not in script + group and "[" not in script
    s.fire("next")
    assert s.phase == "own-roles"
    assert f"Ask {supporter}, the peer supporter" in fill_names(s, s.text(s.current.script))


def test_spanish_scripts_get_the_names_too(tmp_path, clock):
    s = Session.start(load("crisis-conversation"), PEOPLE, root=tmp_path, seed=7, clock=clock, language="es")
    walk(s, "scene")
    crisis = s.holders("person-in-crisis")[0]
    supporter = s.holders("peer-supporter")[0]
    s.fire("role-reversal")
    script = " ".join(fill_names(s, s.text(s.current.script)).split())
    assert f"{supporter}, ahora eres Álex. {crisis}, ahora eres agente de apoyo mutuo" in script


def test_before_the_deal_a_placeholder_reads_as_the_role_name(tmp_path, clock):
    s = Session.start(load("crisis-conversation"), PEOPLE, root=tmp_path, seed=7, clock=clock)
    assert s.phase == "safety-briefing" and not any(s.roles.values())  # dealt later, in the assignment phase
    assert fill_names(s, "{role:peer-supporter}, you are now Alex.") == "Peer supporter, you are now Alex."
    assert assignments(s) == [] and assignments_text(s) == ""


def test_several_holders_are_all_named(tmp_path, clock):
    s = Session.start(load("grow-coaching"), PEOPLE, root=tmp_path, seed=7, clock=clock)
    walk(s, "briefing")
    coaches = s.holders("coach")
    assert len(coaches) == 3
    assert fill_names(s, "Coaches: {role:coach}.") == f"Coaches: {coaches[0]}, {coaches[1]} and {coaches[2]}."


def test_built_in_scripts_no_longer_ask_the_trainer_to_fill_in_names():
    bracketed = re.compile(r"\[[^\]]*(name|nombre)[^\]]*\]", re.I)
    used = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load(path.stem)
        role_ids = {r.id for r in scenario.roles}
        for where, _model, _field, text in texts_with_fields(scenario):
            assert not bracketed.search(text), (path.name, where)
            for _, role_id in placeholders(text):
                assert role_id in role_ids
                used += 1
    assert used >= 8  # crisis-conversation, peer-drift and grow-coaching name their players


def test_every_language_of_a_text_uses_the_same_placeholders():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load(path.stem)
        by_text: dict = {}
        for where, _model, _field, text in texts_with_fields(scenario):
            by_text.setdefault(where[:-1], {})[where[-1]] = sorted(r for _, r in placeholders(text))
        for where, languages in by_text.items():
            assert len({tuple(v) for v in languages.values()}) == 1, (path.name, where, languages)


SMALL = """\
id: names
title: Names
summary: A scenario with name placeholders.
duration: 5m
group_size: {min: 2, max: 4}
languages: [en]
roles:
  - {id: speaker, name: Speaker}
  - {id: listener, name: Listener, count: rest, brief: "You listen to {role:speaker}."}
start: one
phases:
  one:
    kind: enactment
    title: One
    script: |
      Welcome {role:speaker}.
      Then ask {role:listner} to sit down.
    group_text: "{role:speaker} speaks"
    next: two
  two:
    kind: closing
    title: Two
    script: Thank {role:nobody}.
    final: true
"""


def test_an_unknown_role_is_an_error_at_the_placeholder_itself():
    result = load_scenario_text(SMALL, "names.yaml")
    assert not result.ok
    shown = [str(p) for p in result.problems]
    assert "names.yaml:17:16: error: placeholder {role:listner} names no role (known roles: listener, speaker)" in shown
    assert "names.yaml:23:19: error: placeholder {role:nobody} names no role (known roles: listener, speaker)" in shown
    line, column = 17, 16
    assert SMALL.splitlines()[line - 1][column - 1 :].startswith("{role:listner}")


def test_a_placeholder_where_names_are_not_filled_in_is_a_warning():
    fixed = SMALL.replace("{role:listner}", "{role:listener}").replace("{role:nobody}", "{role:speaker}")
    result = load_scenario_text(fixed, "names.yaml")
    assert result.ok
    (warning,) = result.problems
    line = next(i for i, text in enumerate(fixed.splitlines(), 1) if "brief:" in text)
    assert warning.severity == "warning" and (warning.line, warning.column) == (line, fixed.splitlines()[line - 1].index("{role:") + 1)
    assert "is shown as written here" in warning.message


def test_a_printed_script_shows_the_role_names():
    scenario = load("crisis-conversation")
    script = fill_role_names(scenario, scenario.phases["role-reversal"].script["en"])
    assert "Peer supporter, you are now the peer supporter." in " ".join(script.split())
    spanish = fill_role_names(scenario, scenario.phases["role-reversal"].script["es"], "es")
    assert "{role:" not in spanish


@pytest.mark.parametrize("count, pairs", [(4, 2), (5, 2), (6, 3)])
def test_the_public_deal_lists_pairs_with_names_and_role_names_only(tmp_path, clock, count, pairs):
    s = Session.start(load("grow-coaching"), PEOPLE[:count], root=tmp_path, seed=3, clock=clock)
    walk(s, "briefing")
    teams = assignments(s)
    assert len(teams) == pairs
    assert sorted(seat.name for team in teams for seat in team.seats) == sorted(s.participants)
    text = assignments_text(s)
    for team, line in zip(teams, text.splitlines()):
        coach = next(seat.name for seat in team.seats if seat.role == "Coach")
        assert line.startswith(f"{team.title}: {coach} (Coach) · ")
    if count == 5:
        assert "Group 1:" in text and "(Observer)" in text  # the odd one out makes a trio
    briefs = [s.text(r.brief) for r in s.scenario.roles if r.brief]
    assert not any(brief[:40] in text for brief in briefs)


def test_one_group_is_listed_by_role(tmp_path, clock):
    s = Session.start(load("peer-drift"), PEOPLE, root=tmp_path, seed=3, clock=clock)
    walk(s, "draw-situation")
    lines = assignments_text(s).splitlines()
    assert lines[0] == f"Peer supporter: {s.holders('peer-supporter')[0]}"
    assert lines[-1].startswith("Observer: ") and len(lines) == 4
    card = s.scenario.deck("situations").cards[0]
    assert s.text(card.trainer_note)[:30] not in assignments_text(s)


def test_filled_is_the_text_in_the_session_language_with_names(tmp_path, clock):
    from roleplay.core.names import filled

    s = Session.start(load("peer-drift"), PEOPLE, root=tmp_path, seed=3, clock=clock, language="es")
    walk(s, "draw-situation")
    text = filled(s, s.current.script)
    assert s.holders("staff")[0] in text and "{role:" not in text and "Lee la tarjeta" in text

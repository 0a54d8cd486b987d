"""Issue 12: psychodrama techniques as first-class actions.

`UseTechnique` is valid in every action phase (enactment, role-reversal, time-out) and nowhere
else; it is logged as `technique_used` with the phase, the people and the time into the phase,
rebuilt from the log, shown on the replay timeline and in the report; `play` reads
`technique doubling Ana Ben [note]`. The format: `techniques` per phase, the `teaching` kind,
the sharing phase's warning.
"""

from __future__ import annotations

import json

import pytest

from roleplay.core import commands as c
from roleplay.core.command_line import available, parse, run_command
from roleplay.core.engine import CommandError, Session
from roleplay.core.loader import load_scenario, load_scenario_text
from roleplay.core.techniques import TECHNIQUES, offered
from tests.conftest import DATA, run_cli

PSYCHODRAMA = DATA / "valid" / "psychodrama.yaml"
PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]


@pytest.fixture
def scenario():
    result = load_scenario(PSYCHODRAMA)
    assert result.ok and result.problems == [], result.problems
    return result.scenario


@pytest.fixture
def session(scenario, clock, tmp_path):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=2, clock=clock)
    yield s
    s.close()


def go_to(session, *triggers):
    for trigger in triggers:
        session.fire(trigger)


@pytest.mark.parametrize("route", [(), ("reverse",), ("time-out",)], ids=["enactment", "role-reversal", "time-out"])
@pytest.mark.parametrize("technique", list(TECHNIQUES))
def test_every_technique_is_logged_in_every_action_phase(session, clock, route, technique):
    go_to(session, "next", *route)
    clock.advance(42)
    who = ["Ana", "Ben"][: max(1, TECHNIQUES[technique].fewest)] if TECHNIQUES[technique].fewest else []
    assert c.UseTechnique in c.allowed_commands(session) and "technique" in available(session)
    session.execute(c.UseTechnique(technique=technique, who=who, note="  a note  "))
    last = session.events[-1]
    assert last.type == "technique_used"
    assert last.body.payload() == {
        "technique": technique, "phase": session.phase, "who": who, "note": "a note", "scene_time": 42.0,
    }
    assert session.techniques[-1]["phase"] == session.phase


@pytest.mark.parametrize("phase", ["warm-up", "de-roling", "sharing", "teaching"])
def test_techniques_are_refused_outside_an_action_phase(session, phase):
    while session.phase != phase:
        session.fire("next")
    assert c.UseTechnique not in c.allowed_commands(session) and "technique" not in available(session)
    before = len(session.events)
    with pytest.raises(CommandError) as error:
        session.execute(c.UseTechnique(technique="doubling", who=["Ana", "Ben"]))
    assert str(error.value) == (
        f"techniques are called in action phases (kind enactment, role-reversal, time-out); "
        f"'{phase}' is a phase of kind {session.current.kind}"
    )
    assert len(session.events) == before  # nothing logged


@pytest.mark.parametrize(
    "technique, who, message",
    [
        ("dubling", ["Ana", "Ben"], "no technique 'dubling' (techniques: role-reversal, doubling, mirroring, soliloquy, "
                                    "empty-chair, freeze); did you mean 'doubling'?"),
        ("doubling", ["Ana"], "doubling involves at least 2 people: the protagonist, then who stands behind them as "
                              "the double (e.g. technique doubling NAME NAME)"),
        ("role-reversal", ["Ana", "Ben", "Cleo"], "role reversal involves 2 people: the protagonist, then the person "
                                                   "they swap roles with (e.g. technique role-reversal NAME NAME)"),
        ("soliloquy", [], "soliloquy involves at least one person: who speaks their thoughts aloud (e.g. technique soliloquy NAME)"),
        ("mirroring", ["Ana", "ana"], "Ana named twice for mirroring"),
        ("empty-chair", ["Zoe"], "no participant 'Zoe' (participants: Ana, Ben, Cleo, Dan)"),
    ],
)
def test_a_wrong_technique_call_says_what_and_how(session, technique, who, message):
    session.fire("next")
    with pytest.raises(CommandError) as error:
        session.use_technique(technique, who)
    assert str(error.value) == message


def test_names_are_matched_in_any_case_and_techniques_by_their_name(session):
    session.fire("next")
    session.use_technique("Empty chair", ["ana"])
    assert session.events[-1].body.technique == "empty-chair" and session.events[-1].body.who == ["Ana"]


def test_a_phase_offers_its_suggestions_first(scenario):
    assert offered(scenario.phases["scene"])[:2] == ["doubling", "empty-chair"]
    assert sorted(offered(scenario.phases["scene"])) == sorted(TECHNIQUES)
    assert offered(scenario.phases["reversal"]) == list(TECHNIQUES)


def test_techniques_are_rebuilt_from_the_log_on_resume(session, clock):
    session.fire("next")
    clock.advance(10)
    session.use_technique("doubling", ["Ana", "Cleo"], "I am scared")
    session.fire("reverse")
    session.use_technique("mirroring", ["Ben", "Dan"])
    folder = session.folder
    session.close()
    resumed = Session.reopen(folder, clock=clock)
    try:
        assert resumed.snapshot() == session.snapshot()
        assert [t["technique"] for t in resumed.techniques] == ["doubling", "mirroring"]
        resumed.use_technique("freeze", [])
        assert resumed.techniques[-1]["phase"] == "reversal"
    finally:
        resumed.close()


def test_play_reads_technique_words_with_names_then_a_note(tmp_path):
    stdin = "\n".join([
        "assign Ana protagonist", "next",
        "technique doubling Ana cleo she fears being kept here",
        "technique freeze",
        'technique empty-chair "Ben" -- Ana speaks to her sister',
        "help",
    ]) + "\n"
    result = run_cli("play", str(PSYCHODRAMA), "--participants", ",".join(PEOPLE), "--seed", "1", "--out", str(tmp_path), stdin=stdin)
    assert result.returncode == 3, result.stderr  # the input ended before the final phase
    used = [json.loads(line)["data"] for line in result.stdout.splitlines() if '"technique_used"' in line]
    assert [(u["technique"], u["who"], u["note"]) for u in used] == [
        ("doubling", ["Ana", "Cleo"], "she fears being kept here"),
        ("freeze", [], ""),
        ("empty-chair", ["Ben"], "Ana speaks to her sister"),
    ]
    assert "technique TECHNIQUE [NAME...] [-- NOTE]" in result.stderr  # `help` in an action phase lists it


def test_play_says_why_a_technique_does_not_fit_and_stops(tmp_path):
    result = run_cli("play", str(PSYCHODRAMA), "--participants", ",".join(PEOPLE), "--out", str(tmp_path),
                     stdin="technique doubling Ana Ben\n")
    assert result.returncode == 1
    assert "roleplay: error: techniques are called in action phases (kind enactment, role-reversal, time-out); " \
           "'warm-up' is a phase of kind warm-up" in result.stderr
    assert "Traceback" not in result.stderr


def test_parse_keeps_names_and_note_apart(session):
    session.fire("next")
    command = parse(session, "technique role-reversal ana BEN the moment she asked for help")
    assert command == c.UseTechnique(technique="role-reversal", who=["ana", "BEN"], note="the moment she asked for help")
    with pytest.raises(CommandError, match=r"usage: technique TECHNIQUE"):
        run_command(session, "technique")


# ----- the format -----

MINIMAL = """\
id: t
title: T
summary: S
duration: 10m
group_size: {min: 2}
languages: [en]
roles:
  - {id: player, name: Player, count: rest}
start: a
phases:
  a:
    kind: %s
    title: A
    script: S
%s    next: b
  b:
    kind: closing
    title: B
    script: S
    final: true
"""


def test_techniques_on_a_phase_that_is_not_an_action_phase_are_an_error_at_their_line():
    result = load_scenario_text(MINIMAL % ("debrief", "    techniques: [doubling]\n"), "t.yaml")
    assert [str(p) for p in result.problems] == [
        "t.yaml:15:5: error: techniques are for action phases (kind enactment, role-reversal, time-out), and this "
        "phase is 'debrief': leave the list out or move it to an action phase"
    ]


def test_an_unknown_technique_is_an_error_and_a_listed_one_is_valid():
    assert load_scenario_text(MINIMAL % ("enactment", "    techniques: [mirroring, soliloquy]\n"), "t.yaml").problems == []
    bad = load_scenario_text(MINIMAL % ("enactment", "    techniques: [mirorring]\n"), "t.yaml")
    assert not bad.ok and [(p.line, p.column) for p in bad.problems] == [(15, 18)]


def test_teaching_is_a_kind_and_a_vote_in_a_sharing_phase_is_a_warning():
    assert load_scenario_text(MINIMAL % ("teaching", ""), "t.yaml").problems == []
    text = MINIMAL % ("sharing", "    votes: [v]\n") + "votes:\n  - {id: v, question: Q, options: [{id: a, label: A}, {id: b, label: B}]}\n"
    result = load_scenario_text(text, "t.yaml")
    assert result.ok
    assert [str(p) for p in result.problems] == [
        "t.yaml:15:5: warning: a sharing phase is for speaking from one's own experience, without advice or "
        "judgement; the vote here asks the group to judge: move it to a debrief phase"
    ]


def test_technique_and_deroled_are_reserved_command_words():
    result = load_scenario_text(MINIMAL.replace("    next: b\n", "    next: b\n    transitions:\n      - {trigger: technique, to: b}\n") % ("enactment", ""), "t.yaml")
    assert any(p.severity == "error" and p.message.startswith("'technique' is a") for p in result.problems)


def test_the_replay_timeline_marks_each_technique(session, clock):
    from roleplay.video.timeline import KINDS, build_timeline

    session.fire("next")
    clock.advance(30)
    session.use_technique("doubling", ["Ana", "Cleo"], "I am scared")
    clock.advance(15)
    session.use_technique("freeze", [])
    timeline = build_timeline([], session.events)
    marks = [m for m in timeline.marks if m.kind == "technique"]
    assert "technique" in KINDS
    assert [(round(m.at), m.label) for m in marks] == [
        (30, "technique: Doubling (Ana, Cleo): I am scared"),
        (45, "technique: Freeze"),
    ]
    assert timeline.resolve("doubling") == marks[0].at  # `clip --from doubling` finds it

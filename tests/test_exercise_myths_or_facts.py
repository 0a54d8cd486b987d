"""Myths or facts (issue 13): the course's six misconceptions about peer support, voted on, then answered.

The exercise follows the course document "Providing individualized peer support in mental health and
related areas" (WHO QualityRights), section 5 "Misconceptions about peer support" (the six
statements and why each is a misconception) and section 12 (the medication belief; peer support
complements the service). The course lists all six as misconceptions, so the answer revealed after
each vote is "myth". Every fact is read from the loaded scenario, not from a copy of its text.
"""

from __future__ import annotations

import json
import re

import pytest

from roleplay.core.engine import CommandError, GuardWarning, Session
from roleplay.core.loader import load_scenario
from tests.exercise_support import flat, LANGUAGES, main_line
from tests.conftest import SCENARIOS, run_cli

PATH = SCENARIOS / "myths-or-facts.yaml"

# Section 5's table, in the course's order: words the English statement carries, and the course's
# reasons the English answer shown to the group carries.
MISCONCEPTIONS = {
    "rehabilitation": (
        ["vocational rehabilitation", "own recovery"],
        ["skill", "not because the job might help their own recovery", "serves neither"],
    ),
    "fragile": (
        ["fragile", "relapse"],
        ["resilience", "stability", "commitment to their recovery", "same benefits and discretion",
         "no evidence that work leads to relapse"],
    ),
    "any-service-user": (
        ["anyone", "used mental health services", "effective"],
        ["own experience on purpose", "having used services can help", "interest in people", "empathy",
         "sharing your story", "take responsibility"],
    ),
    "hard-topics": (
        ["never", "suicide", "medication"],
        ["not only light topics", "only person someone wants to tell", "support and skills",
         "do not diagnose, prescribe or make false promises"],
    ),
    "anti-medication": (
        ["stop their medication", "ignore", "treatment team"],
        ["many views", "good and bad experiences", "person's own decisions", "not imposing your own view",
         "new role that adds to the service"],
    ),
    "no-difference": (
        ["nothing different from other staff"],
        ["hope and belief in recovery", "empowerment", "self-esteem", "self-management", "social inclusion",
         "role not understood", "peer identity worn down", "power", "stress", "unclear boundaries"],
    ),
}
# Sections of the course document each answer's trainer script names as its source.
SOURCES = {sid: ["section 5"] for sid in MISCONCEPTIONS} | {
    "fragile": ["section 5", "section 6"],  # "compassion, but not as fragile" is objective 3 of section 6
    "anti-medication": ["section 5", "section 12"],
    "no-difference": ["section 5", "section 12"],
}
# The time-out word of each language's glossary (docs/glossary/*.md).
TIME_OUT = {"en": "time-out", "es": "tiempo muerto", "de": "Auszeit", "ro": "time-out", "bg": "тайм-аут", "nl": "time-out"}
SUICIDE = {"en": "suicide", "es": "suicidio", "de": "Suizid", "ro": "suicid", "bg": "самоубийство", "nl": "suïcide"}


@pytest.fixture(scope="module")
def scenario():
    result = load_scenario(PATH)
    assert result.ok and result.problems == [], result.problems  # valid, and not one warning
    return result.scenario


def texts(value):
    """Every language map (a text) anywhere in the scenario."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), str):
            yield value
            return
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def test_the_six_statements_are_the_courses_misconceptions_in_its_order(scenario):
    assert [v.id for v in scenario.votes] == list(MISCONCEPTIONS)
    for vote in scenario.votes:
        statement = vote.question["en"].lower()
        for words in MISCONCEPTIONS[vote.id][0]:
            assert words in statement, (vote.id, words)


def test_each_vote_asks_myth_or_fact_in_every_language(scenario):
    for vote in scenario.votes:
        assert [o.id for o in vote.options] == ["myth", "fact"]
        assert set(vote.question) == set(LANGUAGES)
        for option in vote.options:
            assert set(option.label) == set(LANGUAGES) and all(option.label.values())
        assert [o.label for o in vote.options] == [o.label for o in scenario.votes[0].options]  # one wording


def test_phase_order_and_kinds(scenario):
    order = main_line(scenario)
    statements = [step for sid in MISCONCEPTIONS for step in (f"vote-{sid}", f"answer-{sid}")]
    assert order == ["welcome", *statements, "scene-setup", "scene", "de-roling", "sharing", "debrief", "quality-check", "closing"]
    kinds = [scenario.phases[pid].kind for pid in order]
    assert kinds == ["warm-up", *["teaching"] * 12, "assignment", "enactment", "de-roling", "sharing", "debrief", "quality-check", "closing"]
    assert set(order) == set(scenario.phases), "every phase is on the main line"
    assert all(scenario.phases[pid].script for pid in order), "every phase has a trainer script"


def test_each_statement_is_voted_on_before_the_course_answer_is_shown(scenario):
    myth = scenario.votes[0].options[0].label
    fact = scenario.votes[0].options[1].label
    for vote in scenario.votes:
        asked, answered = scenario.phases[f"vote-{vote.id}"], scenario.phases[f"answer-{vote.id}"]
        assert asked.votes == [vote.id] and asked.next == f"answer-{vote.id}"
        assert answered.votes == [], "the vote closes when the answer is revealed"
        assert asked.timer and answered.timer and answered.questions, "a short vote, then a discussion with questions"
        for language in LANGUAGES:
            shown_first, revealed = asked.group_text[language], answered.group_text[language]
            verdict = revealed.splitlines()[0]
            assert vote.question[language] in shown_first, (vote.id, language)
            assert myth[language].casefold() in verdict.casefold(), (vote.id, language, verdict)  # the course: a myth
            assert fact[language].casefold() not in verdict.casefold()
            assert verdict not in shown_first
            assert not set(revealed.splitlines()[1:]) - {""} & set(shown_first.splitlines()), "no answer before the vote"


def test_the_answers_give_the_courses_reasons_and_name_their_source(scenario):
    for sid, (_statement, reasons) in MISCONCEPTIONS.items():
        answer = scenario.phases[f"answer-{sid}"]
        shown = " ".join(answer.group_text["en"].split()).lower()
        for reason in reasons:
            assert reason in shown, (sid, reason)
        for section in SOURCES[sid]:
            assert section in flat(answer.script["en"]), (sid, section)
        for language in LANGUAGES:  # every language names the same sections (its own word for "section")
            numbers = re.findall(r"\d+", answer.script[language].split("\n\n")[-1])
            assert {s.split()[-1] for s in SOURCES[sid]} <= set(numbers), (sid, language, numbers)
    welcome = flat(scenario.phases["welcome"].script["en"])
    assert "Providing individualized peer support in mental health and related areas" in welcome
    assert 'section 5 "Misconceptions about peer support"' in welcome and "section 12" in welcome


def test_the_hard_topics_answer_keeps_what_peer_supporters_do_not_do(scenario):
    script = flat(scenario.phases["answer-hard-topics"].script["en"])
    assert "do not diagnose, do not prescribe, and do not make false promises" in script


def test_sharing_speaks_from_experience_and_judges_nothing(scenario):
    sharing = scenario.phases["sharing"]
    assert sharing.votes == [] and sharing.ratings == [] and sharing.collection is None and sharing.form is None
    assert sharing.questions and sharing.timer
    judged_in = [pid for pid, p in scenario.phases.items() if p.votes]
    assert judged_in == [f"vote-{sid}" for sid in MISCONCEPTIONS], "votes only on the statements, never on a person"


def test_the_scene_is_optional_observed_and_followed_by_de_roling(scenario):
    last_answer = scenario.phases["answer-no-difference"]
    assert [(t.trigger, t.to) for t in last_answer.transitions] == [("skip-scene", "sharing")]
    for language in LANGUAGES:  # the script tells the trainer the way round the scene by its label
        assert last_answer.transitions[0].label[language] in flat(last_answer.script[language])
    assert scenario.deal_in == "scene-setup", "roles are dealt only when the scene is set up, after the votes"
    assert {r.id: r.count for r in scenario.roles} == {"peer-supporter": 1, "colleague": 1, "observer": "rest"}
    assert scenario.group_size.min >= 4  # two players and at least two observers
    scene = scenario.phases["scene"]
    assert scene.kind == "enactment" and scene.timer and scene.next == "de-roling"
    assert [scenario.checklist(c).for_role for c in scene.checklists] == ["observer"]
    assert "role-reversal" in scene.techniques and scene.events == ["second-worry"]
    assert scenario.event("second-worry").brief_for == "colleague"
    for item in scenario.checklist("answering-a-myth").items:
        assert item.competency in {c.id for c in scenario.competencies}


def test_safety_notes_time_out_signal_and_support_lines(scenario):
    assert scenario.languages == LANGUAGES
    for language in LANGUAGES:
        notes = " ".join(note[language] for note in scenario.content_notes)
        assert SUICIDE[language].casefold() in notes.casefold()
        assert TIME_OUT[language].casefold() in scenario.opt_out[language].casefold()
    mentions = 0
    for text in texts(scenario.model_dump()):
        for language in LANGUAGES:
            if TIME_OUT[language].casefold() in text[language].casefold():
                mentions += 1
                assert re.search(r"\bT\b", text[language]), ("the signal is the word or a T with the hands", text[language][:80])
    assert mentions >= 6 * len(LANGUAGES)
    forms = [p.form for p in scenario.phases.values() if p.form]
    assert forms == ["quality-control"]
    closing = scenario.phases["closing"]
    assert closing.final and closing.show_resources, "suicide and relapse were discussed: show the support lines"


def walk_to(session, phase):
    for _ in range(40):
        if session.phase == phase:
            return
        try:
            session.fire("next")
        except GuardWarning:
            session.fire("next")
    raise AssertionError(f"never reached {phase}")


def test_a_vote_is_open_only_until_its_answer_and_the_scene_can_be_skipped(scenario, tmp_path, clock):
    people = ["Ana", "Ben", "Cleo", "Dan"]
    s = Session.start(scenario, people, root=tmp_path, seed=3, clock=clock)
    walk_to(s, "vote-fragile")
    s.vote("fragile", "myth", 3)
    s.vote("fragile", "fact")
    with pytest.raises(CommandError):
        s.vote("rehabilitation", "myth")  # that statement's vote is closed
    s.fire("next")
    assert s.phase == "answer-fragile"
    with pytest.raises(CommandError):
        s.vote("fragile", "fact")  # revealed: no more votes
    assert dict(s.votes["fragile"]) == {"myth": 3, "fact": 1}
    walk_to(s, "answer-no-difference")
    s.fire("skip-scene")
    assert s.phase == "sharing" and not s.dealt, "no scene, so nobody is given a role"
    walk_to(s, "closing")
    s.fire("next")
    assert s.ended == "final"
    s.close()


def test_plays_to_the_end_in_german_by_the_command_line(scenario, tmp_path):
    commands = ["next", "vote rehabilitation myth 4", "vote rehabilitation fact 2"] + ["next"] * 13 + [
        "tick answering-a-myth listened-first"] + ["next"] * 7
    result = run_cli("play", "myths-or-facts", "--participants", "6", "--language", "de", "--seed", "1",
                     "--out", str(tmp_path), stdin="\n".join(commands) + "\n")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["data"]["language"] == "de"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == main_line(scenario)
    votes = [(e["data"]["option"], e["data"]["count"]) for e in events if e["type"] == "vote_cast"]
    assert votes == [("myth", 4), ("fact", 2)]
    dealt = next(e for e in events if e["type"] == "roles_dealt")
    assert entered.index("scene-setup") == len([e for e in events[: events.index(dealt)] if e["type"] == "phase_entered"]) - 1
    assert sorted(dealt["data"]["roles"].values()).count("observer") == 4
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"
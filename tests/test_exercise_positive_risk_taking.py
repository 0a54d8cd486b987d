"""Issue 13, missing exercise 7: "Positive risk-taking with the empty chair", in all six languages.

The exercise follows the Peer2Peer course outline (documents 001 and 003), session "Positive Risk
Taking and Boundaries" (positive risk-taking, the balance between risk and responsibility in the
peer relationship, boundaries and role tension, hard topics); the SRN Peer Values Framework
(document 003: "Empowerment" and "Responsibility"); the WHO QualityRights guidance (document 004:
self-determination, "Peer support is person-driven", annex 1 categories 2, 5 and 8); and the
course's psychodrama method (warm-up, action with the empty chair and role reversal, de-roling,
sharing). Every fact is read from the loaded scenario, never from a copy of its text here.
"""

from __future__ import annotations

import json
import re

import pytest

from roleplay.core.deroling import roles_to_leave
from roleplay.core.engine import GuardWarning, Session
from roleplay.core.loader import load_scenario
from roleplay.core.model import ACTION_KINDS
from tests.exercise_support import flat, LANGUAGES, main_line, PEOPLE
from tests.conftest import SCENARIOS, run_cli

ID = "positive-risk-taking"

# The default route through the exercise: (phase, kind).
ORDER = [
    ("welcome", "warm-up"),
    ("risk-line", "warm-up"),
    ("positive-risk", "teaching"),
    ("choosing", "assignment"),
    ("empty-chair", "enactment"),
    ("peer-support", "enactment"),
    ("de-roling", "de-roling"),
    ("sharing", "sharing"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]
# Reached only by the trainer's routes from a scene.
SIDE = {"role-reversal": "role-reversal", "own-roles": "role-reversal", "time-out": "time-out"}
# The time-out word of each language's glossary (docs/glossary/*.md) and the word for suicide.
TIME_OUT = {"en": "time-out", "es": "tiempo muerto", "de": "Auszeit", "ro": "time-out", "bg": "тайм-аут", "nl": "time-out"}
SUICIDE = {"en": "suicide", "es": "suicidio", "de": "Suizid", "ro": "suicid", "bg": "самоубийство", "nl": "suïcide"}


@pytest.fixture(scope="module")
def scenario():
    result = load_scenario(SCENARIOS / f"{ID}.yaml")
    assert result.ok and result.problems == [], result.problems  # valid, and not one warning
    return result.scenario


def source(script: str) -> str:
    """The script's last paragraph: the trainer note naming the course documents it follows."""
    return flat(script.strip().split("\n\n")[-1])


def test_phase_order_and_kinds(scenario):
    assert scenario.languages == LANGUAGES
    order = main_line(scenario)
    assert [(pid, scenario.phases[pid].kind) for pid in order] == ORDER
    assert {pid: p.kind for pid, p in scenario.phases.items() if pid not in order} == SIDE
    for pid, phase in scenario.phases.items():
        assert phase.script and phase.timer, f"{pid}: a trainer script and a timer"
    assert scenario.phases["closing"].final


def test_every_script_names_the_course_documents_it_follows_in_every_language(scenario):
    for pid, phase in scenario.phases.items():
        english = source(phase.script["en"])
        assert english.startswith("Source:"), pid
        documents = set(re.findall(r"\b00\d\b", english))
        assert documents, (pid, english)
        for language in LANGUAGES:  # each translation names the same documents
            assert set(re.findall(r"\b00\d\b", source(phase.script[language]))) == documents, (pid, language)
    outline = 'session "Positive Risk Taking and Boundaries"'
    for pid in ("welcome", "positive-risk", "peer-support", "debrief"):
        assert outline in flat(scenario.phases[pid].script["en"]), pid
        for language in LANGUAGES:  # the course's session keeps its English name in every language
            assert "Positive Risk Taking and Boundaries" in flat(scenario.phases[pid].script[language])


def test_the_teaching_carries_the_courses_facts_on_positive_risk(scenario):
    teaching = scenario.phases["positive-risk"]
    script = flat(teaching.script["en"])
    # SRN "Empowerment" and "Responsibility" (document 003); WHO section 6 (document 004).
    for fact in ['SRN value "Empowerment"', "moving beyond our comfort zone", "driving seat",
                 'Being with rather than doing for (SRN value "Responsibility")', "learn from mistakes",
                 "Peer support is person-driven", "balance, and at boundaries", "threats to safety, WHO category 8"]:
        assert fact in script, fact
    shown = teaching.group_text["en"]
    assert "driving seat" in shown and "Being with, not doing for" in shown
    assert "Risk and responsibility" in shown
    assert len(teaching.questions) == 3 and teaching.votes == []


def test_the_group_chooses_the_protagonist_and_the_roles_fit_the_smallest_group(scenario):
    roles = {r.id: (r.count, r.chosen_by) for r in scenario.roles}
    assert roles == {"protagonist": (1, "group"), "worried-person": (1, "deal"),
                     "peer-supporter": (1, "deal"), "observer": ("rest", "deal")}
    assert scenario.group_size.min == 4  # protagonist, the one who worries, peer supporter, one observer
    assert scenario.deal_in == "choosing", "roles are dealt after the safety notes, warm-up and teaching"
    for role in scenario.roles:
        assert role.brief and role.brief_visible_to == "holder"
    brief = flat(scenario.role("peer-supporter").brief["en"])
    assert "Being with rather than doing for: the choice is theirs" in brief


def test_the_situations_are_drawn_when_the_protagonist_is_chosen(scenario):
    deck = scenario.deck("risks")
    assert deck.deal_to == "nobody" and deck.visible_to == "everyone"
    assert [c.id for c in deck.cards] == ["back-to-work", "own-flat", "travel-alone", "tell-colleagues", "train-as-peer"]
    for card in deck.cards:  # each is a choice and names who worries about it
        assert "worries" in card.text["en"], card.id
    assert scenario.phases["choosing"].draw == "risks"
    assert "a small choice of their own" in flat(scenario.phases["choosing"].script["en"])


def test_the_empty_chair_scene_offers_the_empty_chair_and_role_reversal(scenario):
    scene = scenario.phases["empty-chair"]
    assert scene.kind in ACTION_KINDS and scene.techniques[0] == "empty-chair" and "role-reversal" in scene.techniques
    assert scene.timer.resume, "a time-out or role reversal does not eat the scene's time"
    routes = {t.trigger: t.to for t in scene.transitions}
    assert routes == {"time-out": "time-out", "role-reversal": "role-reversal", "end-scene": "de-roling"}
    for language in LANGUAGES:  # the script names the buttons by their labels
        for t in scene.transitions:
            assert t.label[language] in flat(scene.script[language]), (language, t.trigger)
    reversal, back = scenario.phases["role-reversal"], scenario.phases["own-roles"]
    assert reversal.swap_roles == back.swap_roles == ("protagonist", "worried-person")
    assert reversal.next == "own-roles" and back.next == "empty-chair"
    for language in LANGUAGES:
        for phase in (reversal, back):
            assert "{role:protagonist}" in phase.script[language] and "{role:worried-person}" in phase.script[language]
    peer = scenario.phases["peer-support"]
    assert peer.kind == "enactment" and peer.next == "de-roling" and peer.timer.resume
    assert {t.trigger: t.to for t in peer.transitions} == {"time-out": "time-out"}
    assert not any(p.record for p in scenario.phases.values()), "the protagonist may bring their own choice: no filming"


def test_observers_watch_the_peer_supporter_and_the_debrief_sorts_responsibility(scenario):
    checklist = scenario.checklist("risk-support")
    assert checklist.for_role == "observer"
    assert [i.id for i in checklist.items] == ["listens-first", "their-choice", "strengths", "what-could-happen",
                                               "options-when-asked", "own-limits", "hope"]
    competencies = {c.id for c in scenario.competencies}
    assert competencies == {"self-determination", "provides-support", "recovery-planning", "clear-role"}
    assert {i.competency for i in checklist.items} == competencies
    peer = scenario.phases["peer-support"]
    assert peer.checklists == ["risk-support"] and peer.events == ["it-is-on-you"]
    event = scenario.event("it-is-on-you")
    assert event.brief_for == "worried-person"
    assert "risk and responsibility" in flat(event.script["en"])
    debrief = scenario.phases["debrief"]
    assert debrief.checklists == ["risk-support"] and debrief.collection == "responsibilities"
    collection = scenario.collection("responsibilities")
    assert [c.id for c in collection.categories] == ["person", "peer-supporter", "others"]
    for language in LANGUAGES:  # the screen lists the three parts by the collection's own names
        for category in collection.categories:
            assert category.name[language].lower() in debrief.group_text[language].lower(), (language, category.id)
    assert len(debrief.questions) == 5


def test_sharing_speaks_from_experience_and_nothing_is_voted_on(scenario):
    sharing = scenario.phases["sharing"]
    assert sharing.votes == [] and sharing.ratings == [] and sharing.collection is None and sharing.form is None
    assert sharing.questions and sharing.checklists == []
    assert "No advice, no analysis, no judging the protagonist" in flat(sharing.script["en"])
    assert scenario.votes == [] and not any(p.votes or p.ratings for p in scenario.phases.values())


def test_safety_notes_one_stop_signal_quality_sheet_and_support_lines(scenario):
    for language in LANGUAGES:
        notes = " ".join(note[language] for note in scenario.content_notes)
        assert SUICIDE[language].casefold() in notes.casefold()
        assert TIME_OUT[language].casefold() in scenario.opt_out[language].casefold()
    # Wherever the time-out is named (titles and button labels aside), the signal is the word or a T.
    names = {id(p.title) for p in scenario.phases.values()} | {
        id(t.label) for p in scenario.phases.values() for t in p.transitions if t.label}
    texts = [scenario.opt_out] + [t for p in scenario.phases.values() for t in (p.script, p.group_text) if t] + [
        r.brief for r in scenario.roles if r.brief]
    mentions = 0
    for text in texts:
        if id(text) in names:
            continue
        for language in LANGUAGES:
            if TIME_OUT[language].casefold() in text[language].casefold():
                mentions += 1
                assert re.search(r"\bT\b", text[language]), (language, text[language][:80])
    assert mentions >= 7 * len(LANGUAGES)
    assert [p.form for p in scenario.phases.values() if p.form] == ["quality-control"]
    assert scenario.phases["quality-check"].next == "closing"
    assert scenario.phases["closing"].show_resources, "risk can touch on suicide: show the support lines"


def walk(session, until):
    for _ in range(40):
        if session.phase == until:
            return
        try:
            session.fire("next")
        except GuardWarning:
            session.fire("next")
    raise AssertionError(f"never reached {until}")


def test_time_out_returns_to_the_scene_it_came_from_and_de_roling_lists_the_reversed_roles(scenario, tmp_path, clock):
    s = Session.start(scenario, PEOPLE[:4], root=tmp_path, seed=2, clock=clock)
    try:
        walk(s, "choosing")
        assert len(s.drawn["risks"]) == 1 and not any(r == "protagonist" for r in s.roles.values())
        s.assign("Ana", "protagonist")
        s.fire("next")
        worried = next(n for n, r in s.roles.items() if r == "worried-person")
        s.use_technique("empty-chair", ["Ana"])
        s.fire("role-reversal")
        assert s.roles["Ana"] == "worried-person" and s.roles[worried] == "protagonist"
        s.fire("next")
        assert s.phase == "own-roles" and s.roles["Ana"] == "protagonist"
        s.fire("next")
        s.fire("time-out")
        s.fire("next")
        assert s.phase == "empty-chair", "back to the chair work, not on to the peer supporter"
        s.fire("next")
        s.fire("time-out")
        s.fire("next")
        assert s.phase == "peer-support"
        s.fire("next")
        assert s.phase == "de-roling"
        leaving = {p.participant: {r.key for r in p.roles} for p in roles_to_leave(s)}
        assert leaving["Ana"] >= {"protagonist", "worried-person"} and leaving[worried] >= {"protagonist", "worried-person"}
        walk(s, "closing")
        s.fire("next")
        assert s.ended == "final"
    finally:
        s.close()


def test_plays_to_the_end_in_bulgarian_by_the_command_line(scenario, tmp_path):
    commands = ["next"] * 3 + [
        'assign "Participant 1" protagonist', "next", 'technique empty-chair "Participant 1"',
        "role-reversal", "next", "next", "time-out", "next", "next",
        "inject it-is-on-you", 'tick risk-support their-choice by "Participant 4"', "next",
        "next", "next", 'add responsibilities "Plan B"', "tag responsibilities 1 person", "next", "next", "next"]
    result = run_cli("play", ID, "--participants", "6", "--language", "bg", "--seed", "1", "--out", str(tmp_path),
                     stdin="\n".join(commands) + "\n")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["data"]["language"] == "bg"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == ["welcome", "risk-line", "positive-risk", "choosing", "empty-chair", "role-reversal", "own-roles",
                       "empty-chair", "time-out", "empty-chair", "peer-support", "de-roling", "sharing", "debrief",
                       "quality-check", "closing"]
    kinds = [e["type"] for e in events]
    for kind in ("card_drawn", "role_assigned", "technique_used", "event_injected", "tick", "entry_tagged"):
        assert kind in kinds, kind
    assert sum(e["type"] == "roles_swapped" for e in events) == 2
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"
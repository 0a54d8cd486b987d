"""Issue 13, missing exercise 3: "Using your own experience on purpose", true to the course in six languages.

Every course fact the exercise relies on is read from the loaded scenario (never a copy of its text
here): competency category 3 and what it asks (inspire hope, when to share and when to listen, no
unsolicited advice, many roads to recovery), the four questions and the vote built on them, the
moment cards (the course's own housing-search example among them), the phase order and kinds, the
observers' checklist, the stop signal, a sharing where people choose what they tell and nobody
votes, and that nothing is filmed. Then it is played in process and once from the command line.
"""

from __future__ import annotations

import re

import pytest

from roleplay.core.deroling import roles_to_leave
from roleplay.core.engine import Session
from tests.exercise_support import (
    LANGUAGES,
    PEOPLE,
    SOURCE_LABEL,
    assert_valid_built_in,
    english,
    flat_lower as flat,
    glossary_term,
    load_built_in,
    play_events,
)

ID = "own-experience-on-purpose"

# The phases of one round and of the whole default route (two moments: the players swap in between).
BEFORE = [("welcome", "warm-up"), ("on-purpose", "teaching"), ("set-the-scene", "assignment")]
ROUND = [("moment", "briefing"), ("scene", "enactment")]
AFTER = [
    ("de-roling", "de-roling"),
    ("sharing", "sharing"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]
ROUTE = BEFORE + ROUND + [("switch", "assignment")] + ROUND + AFTER


@pytest.fixture(scope="module")
def scenario():
    return load_built_in(ID)


# -- The file itself --------------------------------------------------------------------------


def test_is_a_valid_built_in_in_the_six_course_languages_without_a_warning(scenario):
    assert_valid_built_in(scenario, ID)


def test_every_script_says_which_course_document_and_section_it_follows(scenario):
    label = SOURCE_LABEL
    documents = ("support other people like me", "providing individualized peer support", "peer2peer", "who", "oms", "сзо")
    for phase_id, phase in scenario.phases.items():
        for language in LANGUAGES:
            _, found, source = flat(phase.script[language]).rpartition(label[language].lower())
            assert found and any(d in source for d in documents), (phase_id, language)


def test_phase_kinds_the_two_round_loop_and_the_time_out_detour(scenario):
    assert [(p, scenario.phases[p].kind) for p, _ in BEFORE + ROUND + AFTER] == BEFORE + ROUND + AFTER
    assert scenario.start == "welcome" and scenario.deal_phase == "set-the-scene"
    scene, time_out, switch = (scenario.phases[p] for p in ("scene", "time-out", "switch"))
    # After the first moment the players swap and a new card is drawn; after the second, de-roling.
    loop = [t for t in scene.transitions if t.trigger == "next"]
    assert [(t.to, t.when.visits_below.phase, t.when.visits_below.count) for t in loop] == [("switch", "moment", 2)]
    assert scene.next == "de-roling" and switch.next == "moment"
    assert tuple(switch.swap_roles) == ("peer-supporter", "person-supported")
    # The card is drawn on entering `moment`, not the scene, so a time-out never draws a new one.
    assert scenario.phases["moment"].draw == "moments" and not scene.draw
    assert {(t.trigger, t.to) for t in scene.transitions if t.trigger != "next"} == {
        ("time-out", "time-out"),
        ("end-scene", "de-roling"),
    }
    assert time_out.next == "scene" and [(t.trigger, t.to) for t in time_out.transitions] == [("end-scene", "de-roling")]
    assert scene.timer.resume, "a time-out does not eat the scene's time"


# -- The course's facts -----------------------------------------------------------------------


def test_the_teaching_follows_competency_category_3_and_the_session_on_using_experience(scenario):
    script = english(scenario.phases["on-purpose"].script)
    for fact in (
        "intentional sharing",  # Peer2Peer session "Using Your Experiences Effectively"
        "sharing lived experiences of recovery",  # WHO category 3
        "to inspire hope",
        "recognise when to share and when to listen",
        "without giving unsolicited advice",  # WHO section 6, objective 1
        "experts in our own experience",  # SRN value "Experience"
        "many roads to recovery",
        "not our diagnosis or treatment history",  # WHO section 10
        "signs of drifting out of the peer role",  # peer drift: unease about one's own story
    ):
        assert fact in script, fact
    assert "Using Your Experiences Effectively" in script and "category 3" in script
    category = next(c for c in scenario.competencies if c.id == "share-experience")
    assert english(category.name) == "Shares lived experiences of recovery"
    assert "when to share and when to listen" in english(category.description)


def test_the_four_questions_are_on_the_screen_and_are_the_votes_options(scenario):
    screen = scenario.phases["on-purpose"].group_text["en"].splitlines()
    assert screen[1:5] == ["For whom?", "Why?", "When?", "How much?"]
    assert screen[5] == "Then hand the conversation back."
    vote = scenario.vote("hardest-question")
    assert [o.id for o in vote.options] == ["for-whom", "why", "when", "how-much"]
    for line, option in zip(screen[1:5], vote.options):
        assert english(option.label).startswith(line.rstrip("?").split()[0]), (line, english(option.label))
    for language in LANGUAGES:
        assert len(scenario.phases["on-purpose"].group_text[language].splitlines()) == 6, language


def test_the_moment_cards_and_the_course_point_each_one_tests(scenario):
    deck = scenario.deck("moments")
    assert deck.deal_to == "nobody" and deck.visible_to == "everyone"
    assert [c.id for c in deck.cards] == ["never-better", "what-should-i-do", "flat-hunting", "personal-questions", "so-like-mine"]
    for card in deck.cards:
        for language in LANGUAGES:
            assert card.text[language].strip() and card.trainer_note[language].strip(), (card.id, language)
    notes = {c.id: english(c.trainer_note) for c in deck.cards}
    assert "housing search" in notes["flat-hunting"] and "Good use and misuse of peer supporters" in notes["flat-hunting"]
    assert "unsolicited advice" in notes["what-should-i-do"]
    assert "not their diagnosis or treatment history" in notes["personal-questions"]
    assert "When to share and when to listen" in notes["so-like-mine"]
    assert "Conveying hope" in notes["never-better"]
    # The cards are the exercise's own; the script says so.
    assert "written for this exercise" in english(scenario.phases["moment"].script)


def test_roles_observers_checklist_and_events(scenario):
    assert {r.id: r.count for r in scenario.roles} == {"peer-supporter": 1, "person-supported": 1, "observer": "rest"}
    checklist = scenario.checklist("sharing-on-purpose")
    assert checklist.for_role == "observer"
    assert [i.id for i in checklist.items] == [
        "listened-first", "fitted", "short-then-back", "hope", "own-way", "no-advice", "kept-private",
    ]
    assert {i.competency for i in checklist.items} == {c.id for c in scenario.competencies}
    assert scenario.phases["scene"].checklists == ["sharing-on-purpose"] == scenario.phases["debrief"].checklists
    assert {e.brief_for for e in scenario.events} == {"person-supported"} and scenario.phases["scene"].events == "all"
    assert {"soliloquy", "doubling", "role-reversal"} <= set(scenario.phases["scene"].techniques)


def test_people_choose_what_they_share_and_nothing_is_filmed(scenario):
    assert "You choose what you share, and how much" in english(scenario.opt_out)
    assert "invented story" in english(scenario.opt_out)
    brief = english(next(r for r in scenario.roles if r.id == "peer-supporter").brief)
    assert "or play an invented story" in brief and "Keeping something private is fine" in brief
    assert not any(p.record for p in scenario.phases.values())
    assert "Nothing is filmed" in english(scenario.content_notes[1])


def test_the_stop_signal_is_the_t_sign_everywhere_it_is_named(scenario):
    signal = 'say "time-out" or make a T with your hands'
    for where in (scenario.opt_out, scenario.phases["welcome"].group_text, scenario.phases["scene"].group_text):
        assert signal in english(where)
    for phase_id, phase in scenario.phases.items():
        assert "raise your hand" not in english(phase.script).lower(), phase_id
    for language in LANGUAGES[1:]:
        term = glossary_term(language, "time-out")
        for where in (scenario.opt_out, scenario.phases["scene"].group_text):
            assert term.lower() in where[language].lower() and re.search(r"\bT\b", where[language]), language


def test_the_sharing_has_no_vote_the_vote_is_in_the_debrief_and_the_day_closes_safely(scenario):
    sharing = scenario.phases["sharing"]
    assert sharing.kind == "sharing" and not sharing.votes and not sharing.ratings and not sharing.form
    assert "You choose what you share and how much" in english(sharing.script)
    assert "No advice, no analysis" in english(sharing.script)
    voting = {p: phase.votes for p, phase in scenario.phases.items() if phase.votes}
    assert voting == {"debrief": ["hardest-question"]}
    assert len(scenario.phases["debrief"].questions) >= 4 and len(scenario.phases["on-purpose"].questions) >= 3
    assert {p: phase.form for p, phase in scenario.phases.items() if phase.form} == {"quality-check": "quality-control"}
    closing = scenario.phases["closing"]
    assert closing.final and closing.show_resources


# -- Played ------------------------------------------------------------------------------------


def test_two_moments_the_players_swap_and_both_step_out_of_both_roles(scenario, tmp_path, clock):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=3, clock=clock)
    try:
        for _ in range(2):
            s.fire("next")
        assert s.phase == "set-the-scene"
        supporter, person = s.holders("peer-supporter"), s.holders("person-supported")
        assert len(supporter) == 1 and len(person) == 1 and len(s.holders("observer")) == 4
        s.fire("next")
        assert s.phase == "moment" and len(s.drawn["moments"]) == 1
        s.fire("next")
        s.tick("sharing-on-purpose", "listened-first")
        s.inject("tell-me-everything")
        assert s.brief_receivers("tell-me-everything") == person
        s.use_technique("soliloquy", supporter)
        clock.advance(60)
        s.fire("time-out")
        clock.advance(100)
        s.fire("next")
        assert s.phase == "scene" and s.timer_remaining() == 180 and len(s.drawn["moments"]) == 1
        s.fire("next")
        assert s.phase == "switch"
        assert s.holders("peer-supporter") == person and s.holders("person-supported") == supporter
        s.fire("next")
        first, second = s.drawn["moments"]
        assert s.phase == "moment" and first != second
        s.fire("next")
        s.fire("next")
        assert s.phase == "de-roling"
        leaving = {p.participant: {r.key for r in p.roles} for p in roles_to_leave(s)}
        for name in supporter + person:
            assert {"peer-supporter", "person-supported"} <= leaving[name], name
        while s.phase != "debrief":
            s.fire("next")
        s.vote("hardest-question", "how-much", 3)
        while not s.ended:
            s.fire("next")
        assert s.ended == "final"
    finally:
        s.close()


def test_plays_end_to_end_in_romanian_from_the_command_line(tmp_path):
    commands = ["next"] * 4 + [
        "tick sharing-on-purpose short-then-back",
        "inject just-tell-me",
        "time-out",
        "next",
        "next",  # to the swap
        "next",  # the second moment
        "next",
        "end-scene",
    ]
    commands += ["next"] * 2 + ["vote hardest-question when 2"] + ["next"] * 3
    events = play_events(ID, "ro", commands, tmp_path)
    assert events[0]["data"]["language"] == "ro"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    first = [p for p, _ in BEFORE + ROUND]
    assert entered == first + ["time-out", "scene", "switch", "moment", "scene"] + [p for p, _ in AFTER]
    kinds = [e["type"] for e in events]
    assert kinds.count("card_drawn") == 2 and kinds.count("roles_swapped") == 1
    assert kinds.count("event_injected") == 1 and kinds.count("tick") == 1 and kinds.count("vote_cast") == 1
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"

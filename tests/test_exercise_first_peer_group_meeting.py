"""Issue 13, missing exercise 2: "The first peer-support group meeting", true to the course in six languages.

The course ("Support other people like me", "Establishing a peer support system" and "How to run a
meeting") names three meeting roles (a meeting leader who is not in charge, the participants, the
observers), four questions the observers report on, and the steps of a meeting. Every fact is read
from the loaded scenario (never a copy of its text here): the roles, the four questions on the
observers' checklist and in the debrief, the meeting steps, the vote's options, the phase order and
kinds, a sharing without judging, the stop signal. Then it is played end to end in Romanian.
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
    assert_time_out_detour,
    assert_valid_built_in,
    english,
    flat_lower as flat,
    glossary_term,
    load_built_in,
    main_line,
    play_events,
)

ID = "first-peer-group-meeting"

# The default route through the exercise: (phase, kind).
ORDER = [
    ("welcome", "warm-up"),
    ("roles-of-a-meeting", "teaching"),
    ("set-the-meeting", "assignment"),
    ("meeting", "enactment"),
    ("de-roling", "de-roling"),
    ("sharing", "sharing"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]

# The observers' four questions, in the course's order: item id -> words its English must hold.
FOUR_QUESTIONS = {
    "atmosphere": ("atmosphere",),
    "interaction": ("interact",),
    "working-together": ("work together", "enjoy"),
    "productive": ("productive",),
}

# "How to run a meeting", in the course's order, plus the leader's duties from "Roles".
MEETING_STEPS = [
    "welcome",
    "on-time-agenda",
    "icebreaker",
    "check-in",
    "business-early",
    "on-topic",
    "summarised",
    "not-in-charge",
    "no-pressure",
    "closing-notice",
]


@pytest.fixture(scope="module")
def scenario():
    return load_built_in(ID)


# -- The file itself --------------------------------------------------------------------------


def test_is_a_valid_built_in_in_the_six_course_languages_without_a_warning(scenario):
    assert_valid_built_in(scenario, ID)


def test_phase_order_and_kinds(scenario):
    assert [(pid, scenario.phases[pid].kind) for pid in main_line(scenario)] == ORDER
    assert scenario.deal_phase == "set-the-meeting", "roles are dealt after the group rules and the teaching"
    # The time-out is a detour from the meeting: back to it, or straight on to stepping out of the roles.
    assert_time_out_detour(scenario, "meeting")


def test_every_script_says_which_course_document_and_section_it_follows(scenario):
    label = SOURCE_LABEL
    # Document titles and section names stay in English, as the documents are.
    meeting_sections = ("establishing a peer support system", "how to run a meeting")
    for phase_id, phase in scenario.phases.items():
        for language in LANGUAGES:
            _, found, source = flat(phase.script[language]).rpartition(label[language].lower())
            assert found and ("support other people like me" in source or "peer2peer" in source), (phase_id, language)
    # The parts that teach, set up, play and discuss the meeting name the two sections they follow.
    for phase_id in ("roles-of-a-meeting", "set-the-meeting", "meeting", "debrief", "closing"):
        for language in LANGUAGES:
            source = flat(scenario.phases[phase_id].script[language]).rpartition(label[language].lower())[2]
            assert all(section in source for section in meeting_sections), (phase_id, language)


# -- The course's facts -----------------------------------------------------------------------


def test_the_three_meeting_roles_and_the_leader_is_not_in_charge(scenario):
    roles = {r.id: r.count for r in scenario.roles}
    assert roles == {"meeting-leader": 1, "observer": 2, "member": "rest"}
    leader = scenario.role("meeting-leader")
    assert "Is not in charge" in english(leader.description)
    brief = english(leader.brief)
    for duty in ("Open the meeting", "agree the agenda", "on topic", "sum up", "Let the group decide", "Announce the end"):
        assert duty in brief, duty
    member = scenario.role("member")
    for duty in ("join in the discussion", "practise", "give feedback when you are asked", "ask for feedback on a goal"):
        assert duty in english(member.brief), duty
    teaching = english(scenario.phases["roles-of-a-meeting"].script)
    assert "The leader is not in charge" in teaching and "rotate" in teaching
    assert "share leadership roles and tasks from the start" in teaching  # "Establishing a peer support system"
    assert "self-help groups nearby" in teaching and '"sister group"' in teaching


def test_the_observers_answer_the_courses_four_questions(scenario):
    checklist = scenario.checklist("four-questions")
    assert checklist.for_role == "observer"
    assert [item.id for item in checklist.items] == list(FOUR_QUESTIONS)
    for item in checklist.items:
        for words in FOUR_QUESTIONS[item.id]:
            assert words in item.text["en"].lower(), (item.id, words)
        assert set(item.text) == set(LANGUAGES)
    # The observers' brief and the teaching name the same four, and the debrief asks them first, in order.
    observer = scenario.role("observer")
    said = " ".join(english(t).lower() for t in (observer.brief, scenario.phases["roles-of-a-meeting"].script))
    for words in FOUR_QUESTIONS.values():
        assert all(w in said for w in words), words
    debrief = scenario.phases["debrief"]
    asked = [english(q).lower() for q in debrief.questions[:4]]
    assert all(q.startswith("observers:") for q in asked)
    for question, (item_id, words) in zip(asked, FOUR_QUESTIONS.items(), strict=True):
        assert all(w in question for w in words), item_id
    assert "recommend" in asked[3], "observers give recommendations (the course's 'Roles')"
    # In each language the screen lists four questions, the same number as the checklist.
    for language in LANGUAGES:
        lines = [line for line in debrief.group_text[language].splitlines() if line.strip().endswith("?")]
        assert len(lines) == 4, language


def test_the_observers_second_checklist_follows_how_to_run_a_meeting(scenario):
    steps = scenario.checklist("meeting-steps")
    assert steps.for_role == "observer" and [item.id for item in steps.items] == MEETING_STEPS
    texts = {item.id: item.text["en"].lower() for item in steps.items}
    assert "latecomers too" in texts["welcome"] and "agenda" in texts["on-time-agenda"]
    assert "each person had the chance to speak" in texts["check-in"]
    assert "a few minutes ahead" in texts["closing-notice"] and "pushed to open up" in texts["no-pressure"]
    for phase_id in ("meeting", "debrief"):
        assert scenario.phases[phase_id].checklists == ["four-questions", "meeting-steps"], phase_id


def test_the_member_cards_and_events_each_test_a_step_of_the_meeting(scenario):
    deck = scenario.decks[0]
    assert deck.id == "member-cards" and deck.deal_to == "member" and deck.visible_to == "holder"
    assert len(deck.cards) == 6, "enough for the members of a group of up to nine without repeats"
    for card in deck.cards:
        assert "Written for this exercise" in english(card.trainer_note), card.id
    assert {e.id: e.brief_for for e in scenario.events} == {"off-topic": "member", "you-decide": "member"}
    you_decide = scenario.event("you-decide")
    assert "not in charge" in english(you_decide.script)
    meeting = scenario.phases["meeting"]
    assert meeting.kind == "enactment" and meeting.events == "all"
    assert "Never use it to make a quiet member open up" in english(meeting.script)


def test_the_vote_is_on_the_steps_of_a_meeting_and_only_in_the_debrief(scenario):
    assert [v.id for v in scenario.votes] == ["practise-most"]
    vote = scenario.votes[0]
    assert [o.id for o in vote.options] == [
        "welcome-on-time",
        "check-in",
        "icebreakers",
        "business-early",
        "on-topic-summary",
        "closing-notice",
    ]
    for option in vote.options:
        assert set(option.label) == set(LANGUAGES)
    with_votes = {phase_id: p.votes for phase_id, p in scenario.phases.items() if p.votes}
    assert with_votes == {"debrief": ["practise-most"]}
    assert "not on anyone's performance" in english(scenario.phases["debrief"].script)


def test_the_sharing_does_not_judge_and_the_day_closes_with_the_sheet_and_the_support_lines(scenario):
    sharing = scenario.phases["sharing"]
    assert sharing.kind == "sharing" and not sharing.votes and not sharing.ratings and not sharing.form
    assert not sharing.checklists
    assert "No advice, no analysis" in english(sharing.script)
    for phase_id in ("roles-of-a-meeting", "debrief"):
        assert len(scenario.phases[phase_id].questions) >= 4, phase_id
    forms = {phase_id: p.form for phase_id, p in scenario.phases.items() if p.form}
    assert forms == {"quality-check": "quality-control"}
    closing = scenario.phases["closing"]
    assert closing.final and closing.show_resources
    assert "Announce the end a couple of minutes ahead" in english(closing.script)


def test_the_stop_signal_is_the_t_sign_everywhere_it_is_named(scenario):
    signal = 'say "time-out" or make a T with your hands'
    for where in (scenario.opt_out, scenario.phases["welcome"].group_text, scenario.phases["meeting"].group_text):
        assert signal in english(where)
    for phase_id, phase in scenario.phases.items():
        for text in (phase.script, phase.group_text):
            assert "raise your hand" not in english(text).lower(), phase_id
    for language in LANGUAGES[1:]:
        term = glossary_term(language, "time-out")
        for where in (scenario.opt_out, scenario.phases["meeting"].group_text):
            assert term.lower() in where[language].lower() and re.search(r"\bT\b", where[language]), language


# -- Played ------------------------------------------------------------------------------------


def test_a_session_deals_the_meeting_roles_and_cards_and_steps_everyone_out(scenario, tmp_path, clock):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=3, clock=clock)
    try:
        s.fire("next")
        assert s.phase == "roles-of-a-meeting" and not s.roles.get("Ana"), "no roles before the meeting is set up"
        s.fire("next")
        leader, observers, members = s.holders("meeting-leader"), s.holders("observer"), s.holders("member")
        assert len(leader) == 1 and len(observers) == 2 and len(members) == 3
        assert sorted(s.cards["member-cards"]) == sorted(members), "each member, and only members, hold a card"
        assert len(set(s.cards["member-cards"].values())) == 3
        s.fire("next")
        s.inject("you-decide")
        assert s.brief_receivers("you-decide")[0] in members
        s.tick("four-questions", "atmosphere")
        clock.advance(300)
        s.fire("time-out")
        clock.advance(120)
        s.fire("next")
        assert s.phase == "meeting" and s.timer_remaining() == 900
        s.fire("next")
        assert s.phase == "de-roling"
        assert set(leader) <= {p.participant for p in roles_to_leave(s)}
        while not s.ended:
            s.fire("next")
        assert s.ended == "final"
    finally:
        s.close()


def test_plays_end_to_end_in_romanian_from_the_command_line(tmp_path):
    commands = ["next", "next", "next", "inject off-topic", "tick four-questions interaction", "time-out", "next"]
    commands += ["next", "next", "next", "vote practise-most check-in", "next", "next", "next"]
    events = play_events(ID, "ro", commands, tmp_path)
    assert events[0]["data"]["language"] == "ro"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == [p for p, _ in ORDER[:4]] + ["time-out", "meeting"] + [p for p, _ in ORDER[4:]]
    dealt = next(e["data"] for e in events if e["type"] == "roles_dealt")
    assert sorted(dealt["roles"].values()).count("observer") == 2
    assert set(dealt["cards"]["member-cards"]) == {n for n, r in dealt["roles"].items() if r == "member"}
    kinds = [e["type"] for e in events]
    assert kinds.count("event_injected") == 1 and kinds.count("tick") == 1 and kinds.count("vote_cast") == 1
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"

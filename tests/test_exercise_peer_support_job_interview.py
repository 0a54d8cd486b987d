"""Issue 13, missing exercise 8: "A peer-support job interview", true to the course in all six languages.

The exercise follows the WHO QualityRights guidance "Providing individualized peer support in mental
health and related areas" (document 004), section 10 "Interviewing and hiring peer supporters": the
goal of the interview (how the candidate's lived experience is relevant to supporting others), no
questions about diagnosis, treatment history or distress, potential rather than demonstrated
experience, a peer on the panel, the six sample questions, no shortcuts, the values. Every fact is
read from the loaded scenario (never a copy of its text here). Then it is played end to end.
"""

from __future__ import annotations

import re

import pytest

from roleplay.core.deroling import roles_to_leave
from roleplay.core.engine import CommandError, GuardWarning, Session
from tests.exercise_support import (
    LANGUAGES,
    PEOPLE,
    SOURCE_LABEL,
    assert_time_out_detour,
    assert_valid_built_in,
    english,
    flat,
    glossary_term,
    load_built_in,
    play_events,
    route,
)

ID = "peer-support-job-interview"

# The default route through the exercise: (phase, kind).
ORDER = [
    ("welcome", "warm-up"),
    ("what-the-course-says", "teaching"),
    ("question-bank", "collection"),
    ("set-the-scene", "assignment"),
    ("interview", "enactment"),
    ("de-roling", "de-roling"),
    ("sharing", "sharing"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]

# Section 10's six sample questions, in the course's order: words each English option carries.
SAMPLE_QUESTIONS = {
    "inspired": ["want to apply"],
    "strengths": ["strengths", "skills", "lived experience", "support"],
    "learned": ["own experience of distress and recovery", "taught you", "this work"],
    "why-peers": ["support from peers", "helps"],
    "without-hope": ["lost hope"],
    "similar-before": ["similar to peer support", "before"],
}


@pytest.fixture(scope="module")
def scenario():
    return load_built_in(ID)


# -- The file itself --------------------------------------------------------------------------


def test_is_a_valid_built_in_in_the_six_course_languages_without_a_warning(scenario):
    assert_valid_built_in(scenario, ID)


def test_phase_order_and_kinds(scenario):
    assert route(scenario) == ORDER
    assert set(scenario.phases) == {p for p, _ in ORDER} | {"time-out"}
    assert scenario.deal_phase == "set-the-scene", "roles are dealt after the briefing and the question bank"
    # The time-out is a detour from the interview: back into it, or straight on to de-roling.
    assert_time_out_detour(scenario, "interview")


def test_every_script_says_which_course_document_and_section_it_follows(scenario):
    label = SOURCE_LABEL
    # Document titles and section names stay in English, as the documents are; the WHO guidance may be
    # named short, in the language of the script.
    documents = ("support other people like me", "providing individualized peer support", "peer2peer", "who guidance",
                 "guía de la oms", "who-leitfaden", "ghidul oms", "ръководството на сзо", "who-richtlijn")
    for phase_id, phase in scenario.phases.items():
        for language in LANGUAGES:
            _, found, source = flat(phase.script[language]).lower().rpartition(label[language].lower())
            assert found and any(d in source for d in documents), (phase_id, language)
    # Section 10 is named wherever the interview itself is taught, built, played and discussed.
    for phase_id in ("what-the-course-says", "question-bank", "set-the-scene", "interview", "debrief", "closing"):
        for language in LANGUAGES:
            source = flat(scenario.phases[phase_id].script[language]).split(label[language])[-1]
            assert "10" in re.findall(r"\d+", source), (phase_id, language)


# -- The course's facts -----------------------------------------------------------------------


def test_the_teaching_part_gives_section_10s_points(scenario):
    teaching = scenario.phases["what-the-course-says"]
    screen, script = english(teaching.group_text), english(teaching.script)
    assert "lived experience help others" in screen  # the goal of the interview
    assert "Not about diagnosis, treatment history or distress." in screen
    assert "The candidate may share; nobody has to." in screen
    assert "Look for potential, not only a track record: the role is new." in screen
    assert "A peer sits on the panel." in screen
    assert "equality, mutuality, empathy, recovery" in screen  # the values the hire upholds
    assert "the law of the country applies" in script
    assert "process of recovery" in script and "fulfilling life" in script
    assert "potential rather than demonstrated experience" in script
    assert "Training comes first" in script and "being new does not make anyone less helpful" in script
    assert "not moving someone already on staff into the peer role, not lowering the bar" in script
    assert len(teaching.questions) >= 3
    # Every language puts the same six points on the screen.
    for language in LANGUAGES:
        points = [line for line in teaching.group_text[language].splitlines() if line.startswith("- ")]
        assert len(points) == 6, language


def test_the_vote_offers_the_courses_six_sample_questions_in_its_order(scenario):
    assert [v.id for v in scenario.votes] == ["best-question"], "one vote, on questions, never on a person"
    vote = scenario.votes[0]
    assert [o.id for o in vote.options] == list(SAMPLE_QUESTIONS)
    for option in vote.options:
        label = option.label["en"]
        for words in SAMPLE_QUESTIONS[option.id]:
            assert words in label, (option.id, words)
        assert set(option.label) == set(LANGUAGES) and all(text.strip() for text in option.label.values())
    voted_in = [pid for pid, p in scenario.phases.items() if p.votes]
    assert voted_in == ["debrief"] and scenario.phases["debrief"].votes == ["best-question"]
    assert "only one asks about the past" in english(scenario.phases["debrief"].script)


def test_the_question_bank_sorts_by_the_courses_aims_and_leaves_health_out(scenario):
    bank = scenario.phases["question-bank"]
    collection = scenario.collection(bank.collection)
    names = {c.id: english(c.name) for c in collection.categories}
    assert list(names) == ["potential", "experience-on-purpose", "values", "track-record", "leave-out"]
    assert "diagnosis, treatment or distress" in names["leave-out"] and "leave out" in names["leave-out"]
    assert "not the measure" in names["track-record"]  # a track record may be asked about, but is not the measure
    script = english(bank.script)
    assert "rewritten" in script and "sample questions" in script
    # The screen lists exactly the kinds the entries are tagged with, in every language.
    for language in LANGUAGES:
        on_screen = [line.split(". ", 1)[1].strip() for line in bank.group_text[language].splitlines() if re.match(r"\d\. ", line)]
        assert on_screen == [c.name[language].strip() for c in collection.categories], language
    [guarded] = bank.transitions
    assert guarded.trigger == "next" and guarded.to == "set-the-scene" and guarded.guard.all_tagged == "question-bank"


# -- The scene, its observers and the safety around it ---------------------------------------


def test_the_panel_has_a_peer_the_candidate_an_invented_story_and_observers_two_checklists(scenario):
    roles = {r.id: r.count for r in scenario.roles}
    assert roles == {"team-manager": 1, "peer-on-panel": 1, "candidate": 1, "observer": "rest"}
    assert scenario.group_size.min >= 4  # a panel of two, a candidate and at least one observer
    for language in LANGUAGES[1:]:  # the peer on the panel is named with each glossary's term
        term = glossary_term(language, "peer supporter").split(":")[0].lower()
        assert term in scenario.role("peer-on-panel").name[language].lower(), language
    candidate = scenario.role("candidate")
    assert candidate.brief_visible_to == "holder"
    assert "invented story, not your own" in english(candidate.brief)
    assert "never need to name a diagnosis" in english(candidate.brief)
    assert "look for potential rather than a track record" in english(scenario.role("team-manager").brief)
    interview = scenario.phases["interview"]
    assert interview.checklists == ["looking-for-potential", "pulled-away"] == scenario.phases["debrief"].checklists
    assert all(scenario.checklist(c).for_role == "observer" for c in interview.checklists)
    looked = {i.id for i in scenario.checklist("looking-for-potential").items}
    assert {"could-bring", "relevance", "candidate-chooses", "on-purpose", "peer-voice"} <= looked
    pulled = [i.id for i in scenario.checklist("pulled-away").items]
    assert pulled == ["health-question", "track-record-only", "fragile", "shortcut", "pressure-to-share"]
    on_purpose = next(i for i in scenario.checklist("looking-for-potential").items if i.id == "on-purpose")
    assert on_purpose.competency == "share-experience"
    assert {e.id: e.brief_for for e in scenario.events} == {
        "coping-worry": "team-manager",
        "no-track-record": "candidate",
        "more-than-planned": "candidate",
        "shortcut": "team-manager",
    }
    assert interview.events == "all"
    assert {"role-reversal", "doubling", "soliloquy"} <= set(interview.techniques)


def test_the_stop_signal_is_the_t_sign_everywhere_it_is_named(scenario):
    signal = 'say "time-out" or make a T with your hands'
    for where in (scenario.opt_out, scenario.phases["welcome"].group_text, scenario.phases["interview"].group_text):
        assert signal in english(where)
    for phase_id, phase in scenario.phases.items():
        for text in (phase.script, phase.group_text):
            assert "raise your hand" not in english(text).lower(), phase_id
    for language in LANGUAGES[1:]:
        term = glossary_term(language, "time-out")
        for where in (scenario.opt_out, scenario.phases["interview"].group_text):
            assert term.lower() in where[language].lower() and re.search(r"\bT\b", where[language]), language


def test_nobody_has_to_tell_their_story_and_the_day_closes_with_the_sheet_and_the_support_lines(scenario):
    assert "Nobody has to tell their own story or name a diagnosis" in english(scenario.opt_out)
    assert any("asked about their diagnosis at an interview" in english(note) for note in scenario.content_notes)
    sharing = scenario.phases["sharing"]
    assert sharing.kind == "sharing" and not sharing.votes and not sharing.ratings and not sharing.form
    assert not sharing.collection and sharing.questions
    assert "No advice, no analysis" in english(sharing.script)
    for phase_id in ("what-the-course-says", "debrief"):
        assert len(scenario.phases[phase_id].questions) >= 3, phase_id
    forms = {phase_id: p.form for phase_id, p in scenario.phases.items() if p.form}
    assert forms == {"quality-check": "quality-control"}
    closing = scenario.phases["closing"]
    assert closing.final and closing.show_resources


# -- Played ------------------------------------------------------------------------------------


def test_a_session_builds_the_bank_plays_the_interview_and_votes_only_in_the_debrief(scenario, tmp_path, clock):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=5, clock=clock)
    try:
        s.fire("next")
        s.fire("next")
        assert s.phase == "question-bank" and not s.roles.get("Ana"), "no roles before the scene is set"
        s.add_entry("question-bank", "What made you want to apply?")
        s.add_entry("question-bank", "What is your diagnosis?")
        with pytest.raises(GuardWarning):
            s.fire("next")  # not tagged yet: the trainer is warned, not trapped
        s.tag_entry("question-bank", 1, "potential")
        s.tag_entry("question-bank", 2, "leave-out")
        s.fire("next")
        assert s.phase == "set-the-scene"
        manager, candidate = s.holders("team-manager"), s.holders("candidate")
        assert len(manager) == len(candidate) == len(s.holders("peer-on-panel")) == 1
        assert len(s.holders("observer")) == 3
        s.fire("next")
        assert s.phase == "interview"
        s.inject("no-track-record")
        assert s.brief_receivers("no-track-record") == candidate
        s.tick("looking-for-potential", "could-bring")
        s.tick("pulled-away", "health-question")
        s.use_technique("doubling", candidate + s.holders("observer")[:1])
        clock.advance(180)
        s.fire("time-out")
        clock.advance(200)
        s.fire("next")
        assert s.phase == "interview" and s.timer_remaining() == 420  # the time-out kept the interview's time
        s.fire("next")
        assert s.phase == "de-roling"
        assert set(manager + candidate) <= {p.participant for p in roles_to_leave(s)}
        s.fire("next")
        assert s.phase == "sharing"
        with pytest.raises(CommandError):
            s.vote("best-question", "learned")  # nobody votes in the sharing
        s.fire("next")
        s.vote("best-question", "strengths", 4)
        assert dict(s.votes["best-question"]) == {"strengths": 4}
        while not s.ended:
            s.fire("next")
        assert s.ended == "final"
    finally:
        s.close()


def test_plays_end_to_end_in_romanian_from_the_command_line(tmp_path):
    commands = ["next"] * 2 + [
        "add question-bank Ce te-a făcut să candidezi?",
        "tag question-bank 1 potential",
        "next",
        "next",
        "inject coping-worry",
        "tick pulled-away health-question",
        "time-out",
        "next",
        "next",
        "next",
        "next",
        "vote best-question learned 3",
    ] + ["next"] * 3
    events = play_events(ID, "ro", commands, tmp_path)
    assert events[0]["data"]["language"] == "ro"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == [p for p, _ in ORDER[:5]] + ["time-out", "interview"] + [p for p, _ in ORDER[5:]]
    kinds = [e["type"] for e in events]
    assert kinds.count("entry_added") == 1 and kinds.count("entry_tagged") == 1
    assert kinds.count("event_injected") == 1 and kinds.count("tick") == 1
    assert [(e["data"]["option"], e["data"]["count"]) for e in events if e["type"] == "vote_cast"] == [("learned", 3)]
    dealt = next(e for e in events if e["type"] == "roles_dealt")
    assert sorted(dealt["data"]["roles"].values()).count("observer") == 3
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"

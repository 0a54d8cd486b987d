"""Issue 13, missing exercise 5: "Values sort", true to the course in all six languages.

Every course fact the exercise relies on is read from the loaded scenario (never a copy of its texts
here): the three lists on the cards (the SRN Peer Values Framework's six values, WHO QualityRights'
four values of individualized peer support, the course's five principles of good peer support), the
two sorts and their categories, the vote (about the lists, never a person) and where it sits, the
phase order and kinds, the observers' tools, the stop signal, a sharing without judging, and the
source named at the end of every script. Then it is played end to end once, in Romanian.
"""

from __future__ import annotations

import re

import pytest

from tests.exercise_support import (
    LANGUAGES,
    assert_time_out_detour,
    assert_valid_built_in,
    english,
    flat_lower as flat,
    glossary_term,
    load_built_in,
    play_events,
    route,
)

ID = "values-sort"

# The course's three lists, as the documents name them (the facts this exercise stands on).
SRN = ["Hope", "Experience", "Authenticity", "Responsibility", "Mutuality", "Empowerment"]
WHO = ["Mutuality and equality", "Self-determination and empowerment", "Empathy", "Recovery"]
COURSE = ["Recovery in first place", "Inclusion", "Participation", "Authenticity", "Leadership"]

# The default route through the exercise: (phase, kind).
ORDER = [
    ("welcome", "warm-up"),
    ("three-lists", "teaching"),
    ("sort-families", "collection"),
    ("where-they-meet", "teaching"),
    ("set-the-scene", "briefing"),
    ("scene", "enactment"),
    ("de-roling", "de-roling"),
    ("sharing", "sharing"),
    ("values-at-stake", "collection"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]


@pytest.fixture(scope="module")
def scenario():
    return load_built_in(ID)


def label(card, language: str) -> str:
    """A card's value without the list it comes from: "Hope (SRN)" -> "Hope"."""
    return re.sub(r"\s*\([^)]*\)$", "", card.text[language]).strip()


# -- The file itself --------------------------------------------------------------------------


def test_is_a_valid_built_in_in_the_six_course_languages_without_a_warning(scenario):
    assert_valid_built_in(scenario, ID)


def test_phase_order_and_kinds(scenario):
    assert route(scenario) == ORDER
    assert scenario.deal_phase == "three-lists", "the cards are dealt after the safety briefing, for the first sort"
    assert_time_out_detour(scenario, "scene")


def test_every_script_says_which_course_document_and_section_it_follows(scenario):
    label_ = {
        "en": "Course source:",
        "es": "Fuente en el curso:",
        "de": "Kursgrundlage:",
        "ro": "Sursa din curs:",
        "bg": "Източник в курса:",
        "nl": "Bron in de cursus:",
    }
    documents = ("support other people like me", "providing individualized peer support", "peer2peer")
    for phase_id, phase in scenario.phases.items():
        for language in LANGUAGES:
            _, found, source = flat(phase.script[language]).rpartition(label_[language].lower())
            assert found and any(d in source for d in documents), (phase_id, language)
    # The three lists each point at their own document and section.
    teaching = english(scenario.phases["three-lists"].script)
    assert '"Introduction to the six values"' in teaching  # SRN Peer Values Framework, Peer2Peer materials
    assert 'section 3 "Individualized peer support values"' in teaching  # WHO QualityRights
    assert '"What does good peer support look like?"' in teaching  # "Support other people like me"


# -- The course's three lists on the cards ------------------------------------------------------


def test_the_cards_are_the_three_lists_of_the_course_and_nothing_else(scenario):
    deck = next(d for d in scenario.decks if d.id == "value-cards")
    assert deck.deal_to == "everyone" and deck.visible_to == "everyone", "each holds a card all can read"
    by_list = {prefix: [c for c in deck.cards if c.id.startswith(prefix + "-")] for prefix in ("srn", "who", "course")}
    assert sum(len(cards) for cards in by_list.values()) == len(deck.cards) == 15
    assert [label(c, "en") for c in by_list["srn"]] == SRN
    assert [label(c, "en") for c in by_list["who"]] == WHO
    assert [label(c, "en") for c in by_list["course"]] == COURSE
    for prefix, source in (("srn", "(SRN)"), ("who", "(WHO)"), ("course", "(course)")):
        assert all(c.text["en"].endswith(source) and c.trainer_note for c in by_list[prefix]), prefix


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_teaching_screen_names_every_card_in_each_language(scenario, language):
    deck = next(d for d in scenario.decks if d.id == "value-cards")
    screen = flat(scenario.phases["three-lists"].group_text[language])
    missing = [card.id for card in deck.cards if flat(label(card, language)) not in screen]
    assert not missing, f"{language}: the screen leaves out {missing}"


def test_authenticity_is_on_two_lists_with_two_meanings_and_the_script_says_so(scenario):
    deck = next(d for d in scenario.decks if d.id == "value-cards")
    notes = {c.id: english(c.trainer_note) for c in deck.cards}
    assert "true to yourself" in notes["srn-authenticity"].lower()
    assert "run by peers" in notes["course-authenticity"]
    assert "two meanings" in english(scenario.phases["three-lists"].script)


# -- The two sorts, the scene and the vote -----------------------------------------------------


def test_the_first_sort_is_into_families_tagged_by_how_many_lists_they_join(scenario):
    phase = scenario.phases["sort-families"]
    families = scenario.collection(phase.collection)
    assert [c.id for c in families.categories] == ["all-three", "two-lists", "one-list"]
    assert not families.ratings, "the first sort ranks nothing"
    assert [t.guard.all_tagged for t in phase.transitions] == ["value-families"]  # a soft check, never a trap
    assert "There is no right answer." in english(phase.group_text)


def test_the_second_sort_weighs_the_values_at_stake_in_the_scene_by_list(scenario):
    at_stake = scenario.collection(scenario.phases["values-at-stake"].collection)
    assert [c.id for c in at_stake.categories] == ["srn", "who", "course"]
    assert [(r.id, r.min, r.max) for r in at_stake.ratings] == [("weight", 1, 5)]
    assert "not about how well anyone played" in english(scenario.phases["values-at-stake"].script)


def test_the_situations_are_drawn_for_the_scene_and_each_names_its_course_section(scenario):
    deck = next(d for d in scenario.decks if d.id == "situations")
    assert deck.deal_to == "nobody" and scenario.phases["set-the-scene"].draw == "situations"
    assert [c.id for c in deck.cards] == ["lost-hope", "flat-viewing", "medication-question", "new-in-group"]
    for card in deck.cards:
        note = english(card.trainer_note)
        assert "section" in note or "Support other people like me" in note, card.id
        assert "Lena" in english(card.text)


def test_the_only_vote_is_about_the_lists_and_sits_in_the_debrief(scenario):
    assert [v.id for v in scenario.votes] == ["most-help"]
    options = [o.id for o in scenario.votes[0].options]
    assert options == ["srn", "who", "course", "together"]
    voted_in = [phase_id for phase_id, phase in scenario.phases.items() if phase.votes]
    assert voted_in == ["debrief"]
    assert "not about anyone who played" in english(scenario.phases["debrief"].script)
    sharing = scenario.phases["sharing"]
    assert sharing.kind == "sharing" and not sharing.votes and not sharing.ratings and not sharing.form
    assert "No advice, no judging, no analysis" in english(sharing.script)


def test_the_scene_has_two_players_and_observers_with_a_checklist(scenario):
    assert {r.id: r.count for r in scenario.roles} == {"peer-supporter": 1, "lena": 1, "observer": "rest"}
    scene = scenario.phases["scene"]
    assert scene.kind == "enactment" and scene.checklists == ["values-in-action"] == scenario.phases["debrief"].checklists
    checklist = scenario.checklist("values-in-action")
    assert checklist.for_role == "observer" and len(checklist.items) >= 6
    assert {item.competency for item in checklist.items} == {c.id for c in scenario.competencies}
    assert {"soliloquy", "doubling", "role-reversal"} <= set(scene.techniques)
    assert not any(p.record for p in scenario.phases.values()), "nothing is filmed in this exercise"


def test_the_stop_signal_is_the_t_sign_everywhere_it_is_named(scenario):
    signal = 'say "time-out" or make a T with your hands'
    for where in (scenario.opt_out, scenario.phases["welcome"].group_text, scenario.phases["scene"].group_text):
        assert signal in english(where)
    for role in scenario.roles[:2]:
        assert signal in english(role.brief), role.id
    for phase_id, phase in scenario.phases.items():
        assert "raise your hand" not in english(phase.script).lower(), phase_id
    for language in LANGUAGES[1:]:
        term = glossary_term(language, "time-out")
        for where in (scenario.opt_out, scenario.phases["scene"].group_text):
            assert term.lower() in where[language].lower() and re.search(r"\bT\b", where[language]), language


def test_the_day_closes_with_the_sheet_and_the_support_lines(scenario):
    forms = {phase_id: p.form for phase_id, p in scenario.phases.items() if p.form}
    assert forms == {"quality-check": "quality-control"}
    assert not scenario.forms, "the built-in sheet, not a copy of it"
    closing = scenario.phases["closing"]
    assert closing.final and closing.show_resources


# -- Played ------------------------------------------------------------------------------------


def test_plays_end_to_end_in_romanian_from_the_command_line(tmp_path):
    commands = ["next", "next", "add value-families Puterea și alegerea", "tag value-families 1 all-three"]
    commands += ["next", "next", "next", "tick values-in-action hope", "time-out", "next", "next", "next", "next"]
    commands += ["add values-at-stake Speranță (SRN)", "tag values-at-stake 1 srn", "rate weight 4 1", "next"]
    commands += ["vote most-help together", "next", "next", "next"]
    events = play_events(ID, "ro", commands, tmp_path)
    assert events[0]["data"]["language"] == "ro"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == [p for p, _ in ORDER[:6]] + ["time-out", "scene"] + [p for p, _ in ORDER[6:]]
    dealt = next(e["data"] for e in events if e["type"] == "roles_dealt")
    assert len(set(dealt["cards"]["value-cards"].values())) == 6, "six people, six different cards"
    assert sorted(dealt["roles"].values()).count("observer") == 4
    kinds = [e["type"] for e in events]
    assert kinds.count("entry_added") == 2 and kinds.count("entry_tagged") == 2 and kinds.count("entry_rated") == 1
    assert kinds.count("card_drawn") == 1 and kinds.count("tick") == 1 and kinds.count("vote_cast") == 1
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"

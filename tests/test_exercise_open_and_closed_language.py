"""Issue 13, missing exercise 1: "Open and closed language", true to the course in all six languages.

Every course fact the exercise relies on is read from the loaded scenario (never a copy of its text
here): the course's examples (Jeannie by her diagnosis, George "non-compliant", Luis's "auditory
hallucinations"; the words "service user" and "client"), the closed descriptions the groups rewrite,
the phase order and kinds, the observers' tools, the stop signal, a sharing without judging, and in
each language the glossary's own wording of the course's examples. Then it is played end to end.
"""

from __future__ import annotations

import re

import pytest

from roleplay.core.deroling import roles_to_leave
from roleplay.core.engine import GuardWarning, Session
from roleplay.core.report import build_report
from tests.exercise_support import (
    GLOSSARIES,
    LANGUAGES,
    PEOPLE,
    SOURCE_LABEL,
    assert_time_out_detour,
    assert_valid_built_in,
    english,
    flat_lower as flat,
    load_built_in,
    play_events,
    route,
)

ID = "open-and-closed-language"

# The default route through the exercise: (phase, kind).
ORDER = [
    ("welcome", "warm-up"),
    ("closed-and-open", "teaching"),
    ("rewriting", "collection"),
    ("compare", "debrief"),
    ("set-the-scene", "assignment"),
    ("scene", "enactment"),
    ("de-roling", "de-roling"),
    ("sharing", "sharing"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]


@pytest.fixture(scope="module")
def scenario():
    return load_built_in(ID)


def every_text(scenario, language: str) -> str:
    """All of the scenario's texts in one language, joined (for "does the scenario say X")."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("en"), str) and language in value:
                found.append(value[language])
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(scenario.model_dump())
    return flat("\n".join(found))


def glossary_row(language: str, concept: str) -> tuple[str, str]:
    """(term, note) of the glossary row whose English starts with `concept`."""
    for line in (GLOSSARIES / f"{language}.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and cells[0].lower().startswith(concept):
            return cells[1], cells[2]
    raise AssertionError(f"{language}: the glossary has no row for {concept!r}")


def quoted(note: str) -> list[str]:
    """The phrases in quotation marks of a glossary note: «…», „…“, „…”, “…”."""
    return [phrase.strip() for phrase in re.findall(r"[«„“]([^«»„“”]+)[»“”]", note)]


# -- The file itself --------------------------------------------------------------------------


def test_is_a_valid_built_in_in_the_six_course_languages_without_a_warning(scenario):
    assert_valid_built_in(scenario, ID)


def test_phase_order_and_kinds(scenario):
    assert route(scenario) == ORDER
    assert scenario.deal_phase == "set-the-scene", "roles are dealt after the safety briefing and the group work"
    # The time-out is a detour from the scene: back to the scene, or straight on to de-roling.
    assert_time_out_detour(scenario, "scene")


def test_every_script_says_which_course_document_and_section_it_follows(scenario):
    label = SOURCE_LABEL
    # Document titles and section names stay in English, as the documents are.
    documents = ("support other people like me", "providing individualized peer support", "language", "peer2peer")
    for phase_id, phase in scenario.phases.items():
        for language in LANGUAGES:
            _, found, source = flat(phase.script[language]).rpartition(label[language].lower())
            assert found and any(d in source for d in documents), (phase_id, language)


# -- The course's facts -----------------------------------------------------------------------


def test_the_teaching_part_gives_jeannie_and_the_service_words(scenario):
    teaching = scenario.phases["closed-and-open"]
    screen, script = english(teaching.group_text), english(teaching.script)
    assert 'Closed: "Jeannie is schizophrenic."' in screen
    assert 'Open: "Jeannie has been given a diagnosis of schizophrenia."' in screen
    for word in ("service user", "consumer", "client"):
        assert f'"{word}"' in script.lower(), word
    assert "no agreed list of good and bad words" in script  # the course's own caveat
    assert "decide the words others use about them" in script  # the preliminary note on language


def test_the_groups_rewrite_the_course_examples_first_then_the_service_words(scenario):
    collection = scenario.collection(scenario.phases["rewriting"].collection)
    categories = {c.id: english(c.name) for c in collection.categories}
    assert list(categories)[:4] == ["george-non-compliant", "luis-hallucinations", "service-user", "clients"]
    assert "George is non-compliant with his medication" in categories["george-non-compliant"]
    assert "Luis is experiencing auditory hallucinations" in categories["luis-hallucinations"]
    assert "service user" in categories["service-user"] and "clients" in categories["clients"]
    assert len(categories) == 7
    # The practice sentences that are not the course's own are said to be written for the exercise.
    assert "5 to 7 are practice sentences written for this exercise" in english(scenario.phases["rewriting"].script)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_screen_lists_exactly_the_descriptions_the_entries_are_tagged_with(scenario, language):
    rewriting = scenario.phases["rewriting"]
    on_screen = [line.strip() for line in rewriting.group_text[language].splitlines() if re.match(r"\s*\d\. ", line)]
    names = [c.name[language].strip() for c in scenario.collection(rewriting.collection).categories]
    assert on_screen == names


def test_the_course_open_versions_come_only_in_the_comparison(scenario):
    compare = english(scenario.phases["compare"].script)
    assert '"George doesn\'t want to take his medication."' in compare
    assert '"Luis is hearing voices."' in compare
    assert "after the group's, not before" in compare
    early = " ".join(
        english(scenario.phases[p].group_text) + english(scenario.phases[p].script) for p in ("closed-and-open", "rewriting")
    )
    assert "hearing voices" not in early and "doesn't want to take" not in early
    # And how each version feels is asked of the group, about themselves.
    assert any("If this were said about you" in english(q) for q in scenario.phases["compare"].questions)


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_each_language_uses_its_glossary_wording_of_the_course_examples(scenario, language):
    _, note = glossary_row(language, "open / closed language")
    examples = quoted(note)
    assert len(examples) == 6, examples  # Jeannie, George and Luis, closed and open
    said = every_text(scenario, language)
    for example in examples:
        assert flat(example) in said, f"{language}: {example!r} is not used"
    service_user, _ = glossary_row(language, "service user")
    assert flat(service_user) in said, f"{language}: the glossary's word for 'service user' is not discussed"
    # The open versions of George and Luis are kept for the comparison here too.
    george_open, luis_open = flat(examples[3]), flat(examples[5])
    rewriting = scenario.phases["rewriting"]
    early = flat(rewriting.script[language] + rewriting.group_text[language])
    assert george_open not in early and luis_open not in early


# -- The scene, its observers and the safety around it ---------------------------------------


def test_the_scene_has_two_players_observers_with_checklists_and_events_for_the_staff_member(scenario):
    roles = {r.id: r.count for r in scenario.roles}
    assert roles == {"staff-member": 1, "peer-supporter": 1, "observer": "rest"}
    scene = scenario.phases["scene"]
    assert scene.kind == "enactment" and scene.events == "all"
    assert scene.checklists == ["closed-words", "opening-up"] == scenario.phases["debrief"].checklists
    assert all(scenario.checklist(c).for_role == "observer" for c in scene.checklists)
    linked = {item.competency for item in scenario.checklist("opening-up").items}
    assert linked == {c.id for c in scenario.competencies} == {"communication", "collaboration", "advocacy"}
    assert {e.brief_for for e in scenario.events} == {"staff-member"}
    assert {"empty-chair", "role-reversal", "soliloquy"} <= set(scene.techniques)
    assert "George" in english(scene.script) and "empty chair" in english(scenario.phases["set-the-scene"].script)


def test_the_stop_signal_is_the_t_sign_everywhere_it_is_named(scenario):
    signal = 'say "time-out" or make a T with your hands'
    for where in (scenario.opt_out, scenario.phases["welcome"].group_text, scenario.phases["scene"].group_text):
        assert signal in english(where)
    for phase_id, phase in scenario.phases.items():
        for text in (phase.script, phase.group_text):
            assert "raise your hand" not in english(text).lower(), phase_id
    for language in LANGUAGES[1:]:
        term, _ = glossary_row(language, "time-out")
        for where in (scenario.opt_out, scenario.phases["scene"].group_text):
            assert term.lower() in where[language].lower() and re.search(r"\bT\b", where[language]), language


def test_the_sharing_does_not_judge_and_the_day_closes_with_the_sheet_and_the_support_lines(scenario):
    sharing = scenario.phases["sharing"]
    assert sharing.kind == "sharing" and not sharing.votes and not sharing.ratings and not sharing.form
    assert not scenario.votes, "nobody is voted on"
    assert "No advice, no analysis" in english(sharing.script)
    for phase_id in ("closed-and-open", "compare", "debrief"):
        assert len(scenario.phases[phase_id].questions) >= 3, phase_id
    forms = {phase_id: p.form for phase_id, p in scenario.phases.items() if p.form}
    assert forms == {"quality-check": "quality-control"}
    closing = scenario.phases["closing"]
    assert closing.final and closing.show_resources


# -- Played ------------------------------------------------------------------------------------


def test_a_session_collects_tags_marks_and_steps_everyone_out_of_their_roles(scenario, tmp_path, clock):
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=5, clock=clock)
    try:
        for _ in range(2):
            s.fire("next")
        assert s.phase == "rewriting" and not s.roles.get("Ana"), "no roles before the scene is set"
        categories = [c.id for c in scenario.collection("open-rewrites").categories]
        versions = [
            "George doesn't want his tablets",
            "Luis hears voices at night",
            "Maria asked for you",
            "I'm seeing Ana and Ben",
        ]
        for text in versions:
            s.add_entry("open-rewrites", text)
        with pytest.raises(GuardWarning):
            s.fire("next")  # not tagged yet: the trainer is warned, not trapped
        for number, category in enumerate(categories[:4], start=1):
            s.tag_entry("open-rewrites", number, category)
        s.fire("next")
        assert s.phase == "compare"
        tally = dict(build_report(s)["collections"][0]["tally"])
        assert sum(tally.values()) == 4 and len(tally) == 7 and list(tally.values())[:4] == [1, 1, 1, 1]
        s.fire("next")
        assert s.phase == "set-the-scene"
        staff, supporter = s.holders("staff-member"), s.holders("peer-supporter")
        assert len(staff) == 1 and len(supporter) == 1 and len(s.holders("observer")) == 4
        s.fire("next")
        assert s.phase == "scene"
        s.inject("hallucinating")
        assert s.brief_receivers("hallucinating") == staff
        s.tick("closed-words", "interpretation")
        s.tick("opening-up", "own-words")
        s.use_technique("empty-chair", staff)
        clock.advance(120)
        s.fire("time-out")
        clock.advance(200)
        s.fire("next")
        assert s.phase == "scene" and s.timer_remaining() == 240  # the time-out kept the scene's time
        s.fire("next")
        assert s.phase == "de-roling"
        stepping_out = {p.participant for p in roles_to_leave(s)}
        assert set(staff + supporter) <= stepping_out
        while not s.ended:
            s.fire("next")
        assert s.ended == "final"
    finally:
        s.close()


def test_plays_end_to_end_in_german_from_the_command_line(tmp_path):
    commands = ["next"] * 2
    versions = {
        "george-non-compliant": "George will seine Tabletten nicht, weil sie ihn müde machen",
        "luis-hallucinations": "Luis hört Stimmen",
        "service-user": "Maria aus Zimmer 4 fragt nach dir",
        "clients": "Heute Nachmittag treffe ich Ana und Ben",
    }
    for number, (category, text) in enumerate(versions.items(), start=1):
        commands += [f"add open-rewrites {text}", f"tag open-rewrites {number} {category}"]
    commands += ["next", "next", "next", "inject only-words", "tick closed-words verdict", "time-out", "next"]
    commands += ["next"] * 8
    events = play_events(ID, "de", commands, tmp_path)
    assert events[0]["data"]["language"] == "de"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == [p for p, _ in ORDER[:6]] + ["time-out", "scene"] + [p for p, _ in ORDER[6:]]
    kinds = [e["type"] for e in events]
    assert kinds.count("entry_added") == 4 and kinds.count("entry_tagged") == 4
    assert kinds.count("event_injected") == 1 and kinds.count("tick") == 1
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"

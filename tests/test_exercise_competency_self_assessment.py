"""Issue 13, missing exercise 4: the competency self-assessment, true to the course in six languages.

The twelve categories are WHO QualityRights' ("Providing individualized peer support in mental health
and related areas", section 8 and Annex 1); the four levels and what each means are those of "Support
other people like me" ("LEVELS OF USE" and its Basic / Intermediate / Advanced / Leader tables). Every
fact is read from the loaded scenario, never from a copy of its texts here. One run by the command
line, in Bulgarian, checks that the answers are logged under each trainee's name and that a course's
growth table reads them back with the level names of the session's language.
"""

from __future__ import annotations

import json
import re

import pytest

from roleplay.core import course as courses
from roleplay.core.growth import course_growth
from roleplay.core.loader import load_scenario
from tests.exercise_support import flat, LANGUAGES, main_line
from tests.conftest import SCENARIOS, run_cli

ID = "competency-self-assessment"
FORM = "competency-self-assessment"

# The twelve WHO categories in the course's order: question id -> words of the category's name that its
# English question ("I engage peers in ...") and the teaching screen's line ("Engages peers in ...") carry.
CATEGORIES = {
    "engage": "peers in collaborative and caring relationships",
    "support": "support",
    "share-experience": "lived experience of recovery",
    "personalise": "peer support",
    "recovery-planning": "recovery planning",
    "resources": "resources, services and supports",
    "health-wellness": "health, wellness and recovery",
    "crises": "manage crises",
    "communication": "communication",
    "collaboration": "collaboration and teamwork",
    "leadership-advocacy": "leadership and advocacy",
    "growth": "growth and development",
}
LEVELS = ["Basic", "Intermediate", "Advanced", "Leader"]
ORDER = [
    ("welcome", "warm-up"),
    ("twelve-categories", "teaching"),
    ("four-levels", "teaching"),
    ("self-rating", "reflection"),
    ("pair-talk", "sharing"),
    ("debrief", "debrief"),
    ("quality-check", "quality-check"),
    ("closing", "closing"),
]
# Each language's glossary terms (docs/glossary/*.md) for the time-out and the quality-control sheet.
TIME_OUT = {"en": "time-out", "es": "tiempo muerto", "de": "Auszeit", "ro": "time-out", "bg": "тайм-аут", "nl": "time-out"}
QUALITY_SHEET = {"en": "quality-control sheet", "es": "hoja de control de calidad", "de": "Qualitätsbogen",
                 "ro": "fișa de control al calității", "bg": "за контрол на качеството", "nl": "kwaliteitsformulier"}
# The course documents a script may name as its source.
DOCUMENTS = ("Support other people like me", "Providing individualized peer support", "Peer2Peer")


@pytest.fixture(scope="module")
def scenario():
    result = load_scenario(SCENARIOS / f"{ID}.yaml")
    assert result.ok and result.problems == [], result.problems  # valid, and not one warning
    return result.scenario


def form(scenario):
    return next(f for f in scenario.forms if f.id == FORM)


def test_one_rating_per_who_category_in_the_courses_order_in_the_first_person(scenario):
    questions = form(scenario).questions
    assert [q.id for q in questions] == list(CATEGORIES)
    for q in questions:
        assert q.answer == "rating" and (q.min, q.max) == (1, 4)
        assert q.text["en"].startswith("I ") and CATEGORIES[q.id] in q.text["en"], q.text["en"]
        assert set(q.text) == set(LANGUAGES) and all(q.text.values())
        assert len(q.text["en"]) <= 80, "short enough for a phone"


def test_the_levels_are_basic_to_leader_in_six_languages_and_the_same_for_every_category(scenario):
    questions = form(scenario).questions
    for q in questions:
        assert [level["en"] for level in q.levels] == LEVELS
        assert q.levels == questions[0].levels
    for language in LANGUAGES:
        names = [level[language] for level in questions[0].levels]
        assert all(names) and len(set(names)) == 4, (language, names)


def test_the_answers_keep_their_names_and_the_quality_sheet_stays_anonymous(scenario):
    assert form(scenario).anonymous is False
    used = [(pid, scenario.phases[pid].form) for pid in main_line(scenario) if scenario.phases[pid].form]
    assert used == [("self-rating", FORM), ("quality-check", "quality-control")]
    for language in LANGUAGES:  # the form itself says a category may be left out and who sees the answers
        assert form(scenario).intro[language]
    assert "Leave out any category" in form(scenario).intro["en"] and "Only you and the trainer" in form(scenario).intro["en"]


def test_phase_order_and_kinds(scenario):
    order = main_line(scenario)
    assert [(pid, scenario.phases[pid].kind) for pid in order] == ORDER
    assert set(order) == set(scenario.phases), "every phase is on the main line"
    for pid in order:
        phase = scenario.phases[pid]
        assert phase.script and set(phase.script) == set(LANGUAGES)
        assert phase.group_text and set(phase.group_text) == set(LANGUAGES)
        assert phase.timer or phase.kind in ("quality-check", "closing"), pid
    assert scenario.phases["closing"].final


def test_the_teaching_shows_the_twelve_categories_and_the_four_levels(scenario):
    categories = scenario.phases["twelve-categories"]
    for language in LANGUAGES:
        numbered = [line for line in categories.group_text[language].splitlines() if re.match(r"\d+\. ", line)]
        assert [int(line.split(".")[0]) for line in numbered] == list(range(1, 13)), language
    numbered = [line for line in categories.group_text["en"].splitlines() if re.match(r"\d+\. ", line)]
    for line, (qid, words) in zip(numbered, CATEGORIES.items(), strict=True):
        assert words in line.lower(), (qid, line)
    script = flat(categories.script["en"])
    assert "section 8" in script and "Annex 1" in script
    levels = scenario.phases["four-levels"]
    for language in LANGUAGES:
        names = [level[language] for level in form(scenario).questions[0].levels]
        lines = levels.group_text[language].splitlines()
        assert [line.split(":")[0] for line in lines[1:5]] == names, language  # one line per level, in order
        assert "LEVELS OF USE" in levels.script[language]
    said = flat(levels.script["en"])
    for point in ("experience and role", "Everyone starts at Basic", "that is expected", "not an exam",
                  "never marked", "Not everyone needs to reach the same level", "leave out any category"):
        assert point in said, point
    # the four steps of the course's tables: describe it, do it with people, support staff, the organisation
    for step in ("explain it", "with the people you support", "help other staff", "organisation"):
        assert step in said, step


def test_the_self_rating_says_it_is_not_the_quality_sheet_and_nobody_rates_anyone_else(scenario):
    rating = scenario.phases["self-rating"]
    for language in LANGUAGES:
        assert QUALITY_SHEET[language].casefold() in rating.script[language].casefold(), language
    said = flat(rating.script["en"])
    assert "not the quality-control sheet" in said and "press o" in said
    assert "Never rate anyone yourself, and nobody rates anyone else" in said
    assert "never suggest a level" in said


def test_the_pairs_share_without_a_vote_or_advice(scenario):
    pairs = scenario.phases["pair-talk"]
    assert pairs.votes == [] and pairs.ratings == [] and pairs.collection is None and pairs.form is None
    assert scenario.votes == [] and scenario.checklists == [], "nothing in this exercise judges anyone"
    assert pairs.show_groups and scenario.grouping and scenario.grouping.size == 2 and scenario.deal_in == "pair-talk"
    assert pairs.questions and pairs.timer
    said = flat(pairs.script["en"])
    assert "own experience" in said and "no advice" in said and "Nobody needs to say their level" in said
    assert [r.count for r in scenario.roles] == ["rest"], "everyone is a trainee; no scene, no observers"


def test_the_debrief_talks_about_rating_never_about_anyones_answers(scenario):
    debrief = scenario.phases["debrief"]
    assert len(debrief.questions) >= 3 and debrief.timer
    said = flat(debrief.script["en"])
    assert "never about anyone's answers" in said and "nobody says their levels" in said
    assert "supervision or mentoring" in said


def test_the_closing_plans_the_next_self_assessments_and_the_private_growth_talk(scenario):
    closing = scenario.phases["closing"]
    for language in LANGUAGES:
        assert "roleplay course growth" in closing.script[language] and "--trainee" in closing.script[language]
    said = flat(closing.script["en"])
    assert "in the middle of the course and at the end" in said and "one to one" in said
    assert "never show them to the group" in said
    assert not closing.show_resources, "no hard topic: the support lines are not needed here"


def test_safety_notes_stop_signal_and_sources(scenario):
    assert scenario.languages == LANGUAGES and scenario.content_notes and scenario.opt_out
    for language in LANGUAGES:
        opt_out = scenario.opt_out[language]
        assert TIME_OUT[language].casefold() in opt_out.casefold() and re.search(r"\bT\b", opt_out), language
        welcome = scenario.phases["welcome"].script[language]
        assert TIME_OUT[language].casefold() in welcome.casefold() and re.search(r"\bT\b", welcome), language
    assert "leave out any category" in scenario.opt_out["en"]
    for pid, phase in scenario.phases.items():
        for language in LANGUAGES:
            last = phase.script[language].strip().split("\n\n")[-1]
            assert any(document in last for document in DOCUMENTS), (pid, language, last[:80])


def test_plays_in_bulgarian_keeps_answers_under_names_and_growth_reads_them(scenario, tmp_path):
    people = [f"Participant {n}" for n in range(1, 7)]  # the names `--participants 6` gives
    course = courses.create(tmp_path, "Spring", people, "spring")
    commands = ["next"] * 3 + [
        'answer-for "Participant 1" engage 1',
        'answer-for "Participant 1" crises 2',
        'answer-for "Participant 1" engage 2',  # a trainee may change an answer: the last one counts
        'answer-for "Participant 2" growth 4',
    ] + ["next"] * 5
    result = run_cli("play", ID, "--participants", "6", "--language", "bg", "--seed", "1", "--course", "spring",
                     stdin="\n".join(commands) + "\n", env={"ROLEPLAY_RECORDINGS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["data"]["language"] == "bg" and events[0]["data"]["course"] == "spring"
    entered = [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]
    assert entered == main_line(scenario)
    answers = [(e["data"]["by"], e["data"]["question"], e["data"]["value"]) for e in events if e["type"] == "form_answered"]
    assert answers == [("Participant 1", "engage", 1), ("Participant 1", "crises", 2), ("Participant 1", "engage", 2),
                       ("Participant 2", "growth", 4)]
    assert all(e["data"]["form"] == FORM for e in events if e["type"] == "form_answered")
    dealt = next(e for e in events if e["type"] == "roles_dealt")
    assert events.index(dealt) > next(i for i, e in enumerate(events) if e.get("data", {}).get("phase") == "pair-talk"), \
        "the pairs are made when the pair talk starts"
    assert sorted(len(group) for group in dealt["data"]["groups"]) == [2, 2, 2]
    assert events[-1]["type"] == "session_ended" and events[-1]["data"]["reason"] == "final"

    growth = course_growth(tmp_path, course, language="bg")
    assert len(growth.sessions) == 1
    levels = form(scenario).questions[0].levels
    first = {row.question: [(a.value, a.level) for a in row.answers] for row in growth.trainees["Participant 1"]}
    assert first == {"engage": [(2, levels[1]["bg"])], "crises": [(2, levels[1]["bg"])]}
    second = {row.question: [(a.value, a.level) for a in row.answers] for row in growth.trainees["Participant 2"]}
    assert second == {"growth": [(4, levels[3]["bg"])]}
    assert growth.trainees["Participant 3"] == [], "a trainee who left every category out has no rows"
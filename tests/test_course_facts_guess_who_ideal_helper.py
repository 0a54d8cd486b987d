"""Guess-who and ideal-helper say what the course says (issue 13, "Distorted").

Both exercises follow "Support other people like me" (course document 002): guess-who its part
"What is most important about good peer support?" (the exercise "Guess who you are!", its debrief
question and the nine behaviours of supportive communication, the first being to listen *rather
than* advise), ideal-helper its part "Peer Support Competences" (the six clusters, each with what
it is for and its skills) and the closure of "The ideal helper" (homework: think with the six
clusters and the three core concepts; circles of helpers). Each card is worn so that its holder
cannot read it and everyone else can (on the forehead or the back). Every fact is read from the
loaded scenario, in all six course languages, never from a copy of its text.
"""

from __future__ import annotations

import re

import pytest

from roleplay.core.loader import load_scenario
from tests.conftest import SCENARIOS

LANGUAGES = ["en", "es", "de", "ro", "bg", "nl"]
SOURCE = "Support other people like me"


@pytest.fixture(scope="module")
def guess_who():
    result = load_scenario(SCENARIOS / "guess-who.yaml")
    assert result.ok and result.problems == [], result.problems
    return result.scenario


@pytest.fixture(scope="module")
def ideal_helper():
    result = load_scenario(SCENARIOS / "ideal-helper.yaml")
    assert result.ok and result.problems == [], result.problems
    return result.scenario


def flat(text: str) -> str:
    """A text as one casefolded line (scripts are wrapped in the file and reflowed on screen)."""
    return " ".join(text.split()).casefold()


# --- guess-who: listen rather than advise -------------------------------------------------------

# "Instead of" in each language, and the comparison ("more than") the old wording made of it.
INSTEAD = {"en": "rather than", "es": "en vez de", "de": "statt", "ro": "în loc", "bg": "вместо", "nl": "in plaats van"}
COMPARISON = {"en": "more than", "es": "más que", "de": "mehr", "ro": "mai mult", "bg": "повече", "nl": "meer"}
LISTEN = {"en": "listen", "es": "escuch", "de": "hör", "ro": "ascult", "bg": "слуш", "nl": "luister"}


def test_guess_who_teaches_listening_in_place_of_advice_not_more_than_advice(guess_who):
    phase = guess_who.phases["supportive-communication"]
    for language in LANGUAGES:
        bullets = [line for line in phase.group_text[language].splitlines() if line.lstrip().startswith("- ")]
        assert len(bullets) == 9, (language, bullets)  # the course's nine behaviours
        first = flat(bullets[0])
        assert LISTEN[language] in first and INSTEAD[language] in first, (language, first)
        assert COMPARISON[language] not in first, (language, first)
        assert INSTEAD[language] in flat(phase.script[language]), language


# --- guess-who: where each card goes ------------------------------------------------------------

FOREHEAD = {"en": "forehead", "es": "frente", "de": "stirn", "ro": "frunte", "bg": "чело", "nl": "voorhoofd"}
BACK = {"en": "back", "es": "espalda", "de": "rücken", "ro": "spate", "bg": "гърб", "nl": "rug"}
READ = {"en": "read", "es": "leer", "de": "lesen", "ro": "citi", "bg": "прочет", "nl": "lezen"}


def test_every_card_instruction_says_the_card_sits_where_its_holder_cannot_read_it(guess_who):
    role = guess_who.roles[0]
    phase = guess_who.phases["put-on-cards"]
    for language in LANGUAGES:
        for where, text in (("role", role.description), ("script", phase.script), ("group text", phase.group_text)):
            said = flat(text[language])
            for word in (FOREHEAD, BACK, READ):
                assert word[language] in said, (where, language, word[language])
    # The trainer places the cards (or another member of the group), never the holder.
    assert "on yourself" not in flat(phase.script["en"])
    assert "never the person who will wear the card" in flat(phase.script["en"])
    # The app deals the same way: the card is shown to everyone but its holder.
    deck = guess_who.decks[0]
    assert deck.id == "identities" and deck.visible_to == "others" and deck.deal_to == "everyone"


# --- guess-who: one time-out signal -------------------------------------------------------------

TIME_OUT = {"en": "time-out", "es": "tiempo muerto", "de": "auszeit", "ro": "time-out", "bg": "тайм-аут", "nl": "time-out"}
OLD_STOP = {"en": '"stop"', "es": "«stop»", "de": "„stopp“", "ro": "„stop”", "bg": "„стоп“", "nl": "“stop”"}


def test_guess_who_gives_the_one_time_out_signal_of_every_scenario(guess_who):
    welcome = guess_who.phases["welcome"]
    for language in LANGUAGES:
        for text in (welcome.script, welcome.group_text):
            said = flat(text[language])
            assert TIME_OUT[language] in said and re.search(r"\bT\b", text[language]), language
            assert OLD_STOP[language] not in said, language


# --- ideal-helper: the six clusters in full -----------------------------------------------------

# What the course gives each cluster ("Peer Support Competences", first to sixth cluster), as the
# English description words it.
CLUSTERS = {
    "caring-relationships": ["lasting relationships", "first contact", "feelings behind it",
                             "every stage of their recovery", "genuine acceptance and respect",
                             "understanding of the person's experiences and feelings"],
    "provides-support": ["supportive communication", "validates", "roles in the community",
                         "hope about their own recovery", "celebrates their efforts and achievements",
                         "concrete help with tasks and goals"],
    "shares-lived-experience": ["no other kind of help", "own recovery story", "only with their permission",
                                "inspires and supports", "health, wellness and recovery",
                                "when to share and when to listen", "recovery practices", "confidentiality"],
    "personalises-support": ["own personal values", "beliefs of the person and of their family",
                             "unique in each person's recovery", "preferences and needs"],
    "recovery-planning": ["set goals", "suggests strategies", "ways of deciding when they choose services and supports",
                          "member of their own treatment and recovery team", "reliable information and options"],
    "links-to-resources": ["up-to-date knowledge of community resources and services", "explore, choose and use",
                           "health services and supports",
                           "goes with them to community activities and appointments when asked",
                           "joins community activities with them when asked"],
}
# One part of each cluster the old, cut-down wording left out, as each language says it.
RESTORED = {
    "caring-relationships": {"en": "recovery", "es": "recuperación", "de": "recovery", "ro": "recuper",
                             "bg": "възстановяван", "nl": "herstel"},
    "provides-support": {"en": "community", "es": "comunidad", "de": "gemeinschaft", "ro": "comunitat",
                         "bg": "общност", "nl": "samenleving"},
    "shares-lived-experience": {"en": "permission", "es": "permiso", "de": "erlaubnis", "ro": "permisiun",
                                "bg": "разрешение", "nl": "toestemming"},
    "personalises-support": {"en": "family", "es": "familia", "de": "angehörig", "ro": "famili", "bg": "семейств",
                             "nl": "familie"},
    "recovery-planning": {"en": "team", "es": "equipo", "de": "team", "ro": "echip", "bg": "екип", "nl": "team"},
    "links-to-resources": {"en": "health", "es": "salud", "de": "gesundheit", "ro": "sănătat", "bg": "здрав",
                           "nl": "gezondheid"},
}


def test_each_cluster_description_carries_the_courses_full_meaning(ideal_helper):
    categories = ideal_helper.collection("helper-qualities").categories
    assert [c.id for c in categories] == list(CLUSTERS)  # the course's six, in its order
    for category in categories:
        english = flat(category.description["en"])
        for fact in CLUSTERS[category.id]:
            assert fact.casefold() in english, (category.id, fact)
        for language in LANGUAGES:
            assert RESTORED[category.id][language] in flat(category.description[language]), (category.id, language)


def test_the_clusters_on_the_room_screen_carry_the_restored_parts(ideal_helper):
    categories = ideal_helper.collection("helper-qualities").categories
    sorting = ideal_helper.phases["sorting"]
    for language in LANGUAGES:
        lines = sorting.group_text[language].splitlines()
        starts = [lines.index(c.name[language]) for c in categories] + [len(lines)]
        for category, start, end in zip(categories, starts, starts[1:]):
            block = lines[start + 1:end]
            assert sum(line.lstrip().startswith("- ") for line in block) >= 2, (category.id, language)
            assert RESTORED[category.id][language] in flat("\n".join(block)), (category.id, language)


# --- ideal-helper: the homework thinks with the six clusters ------------------------------------

SIX_CLUSTERS = {"en": "six clusters", "es": "seis bloques", "de": "sechs kompetenzbereich", "ro": "șase domenii",
                "bg": "шестте групи", "nl": "zes clusters"}
CORE = {"en": ["acceptance", "genuineness", "empathy"], "es": ["aceptación", "autenticidad", "empatía"],
        "de": ["akzeptanz", "echtheit", "empathie"], "ro": ["acceptare", "autenticitate", "empatie"],
        "bg": ["приемане", "автентичност", "емпатия"], "nl": ["acceptatie", "echtheid", "empathie"]}


def test_the_homework_names_and_uses_all_six_clusters_and_the_three_core_concepts(ideal_helper):
    categories = ideal_helper.collection("helper-qualities").categories
    homework = ideal_helper.phases["homework"]
    for language in LANGUAGES:
        screen = homework.group_text[language].splitlines()
        for category in categories:
            assert category.name[language] in screen, (language, category.name[language])
        script = flat(homework.script[language])
        assert SIX_CLUSTERS[language] in script, language
        for concept in CORE[language]:
            assert concept in script and concept in flat(homework.group_text[language]), (language, concept)
    # Still private: the course says the circles are not shared.
    assert "private" in flat(homework.group_text["en"]) and "not have to share" in flat(homework.group_text["en"])
    assert "support others" in flat(homework.script["en"])


# --- trainer notes: what the course asks, and where -----------------------------------------------

@pytest.mark.parametrize(("scenario_id", "phase_id", "section"), [
    ("guess-who", "put-on-cards", "what is most important about good peer support?"),
    ("guess-who", "supportive-communication", "what is most important about good peer support?"),
    ("ideal-helper", "sorting", "peer support competences"),
    ("ideal-helper", "homework", "circles of helpers"),
])
def test_each_corrected_phase_names_its_course_document_and_section(scenario_id, phase_id, section):
    scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml").scenario
    for language in LANGUAGES:
        script = flat(scenario.phases[phase_id].script[language])
        assert SOURCE.casefold() in script and "002" in script and section in script, (phase_id, language)

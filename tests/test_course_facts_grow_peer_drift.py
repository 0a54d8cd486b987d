"""GROW coaching and peer drift, held to the course (issue 13, "Distorted" and "Against the course's values").

GROW follows the table of the exercise "Communicating supportively" in "Support other people like me"
(course document 002): every Goal, Reality, Options and Will question, and an idea storm of all the
options, large or small, realistic or bizarre, without censoring (so no number of ideas to reach).
Peer drift follows "Providing individualized peer support in mental health and related areas" (WHO
QualityRights): section 11 "Mentoring and supervision" (the mentored volunteer whose ideas are heard and
put into practice), section 12 "Good use and misuse of peer supporters" (the phones row: a peer-to-peer
support line is peer work) and "Peer drift"; and the course's values (acceptance, no judging): the
sharing has no vote, and the group votes on situations and pulls in the debrief, never on a person.
Every fact is read from the loaded scenario, not from a copy of its text.
"""

from __future__ import annotations

import re

import pytest

from roleplay.core.engine import CommandError, GuardWarning, Session
from roleplay.core.loader import load_scenario
from tests.conftest import SCENARIOS

LANGUAGES = ["en", "es", "de", "ro", "bg", "nl"]
PEOPLE = ["Ana", "Ben", "Cleo", "Dan", "Eva", "Femi"]


def loaded(scenario_id: str):
    result = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    assert result.ok, result.problems
    return result


@pytest.fixture(scope="module")
def grow():
    return loaded("grow-coaching").scenario


@pytest.fixture(scope="module")
def drift():
    return loaded("peer-drift").scenario


def flat(text: str) -> str:
    """A wrapped script as one line."""
    return " ".join(text.split())


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def in_order(text: str, words: list[str]) -> bool:
    """Every one of `words` occurs in `text` (case-insensitive), each after the one before."""
    at = 0
    for word in words:
        found = text.lower().find(word.lower(), at)
        if found < 0:
            return False
        at = found + len(word)
    return True


# --- GROW: the course's table -------------------------------------------------------------------

# For each stage, words that name each of the table's questions, in the table's order (English screen).
GROW_TABLE = {
    "goal": ["issue", "outcomes", "by when"],
    "reality": ["led to", "in your control", "so far", "obstacles", "resources", "realistically come from",
                "really the issue", "root"],
    "options": ["in what ways could you approach", "every option", "large or small", "realistic", "what else",
                "ideal scenario", "other ideas", "1-10", "appeal", "impact", "appeals to you most",
                "most positive impact"],
    "will": ["which of your options", "fully meet your goal", "measure", "start", "finish", "obstacles",
             "support", "how will you get it", "from 1 to 10", "keeps it from being a 10", "closer"],
}
# How many questions the room sees per stage (the table's questions; two short ones may share a line).
QUESTIONS = {"goal": 3, "reality": 8, "options": 8, "will": 10}


@pytest.mark.parametrize("stage", list(GROW_TABLE))
def test_each_grow_stage_asks_the_course_questions_in_the_course_order(grow, stage):
    screen = grow.phases[stage].group_text
    assert in_order(screen["en"], GROW_TABLE[stage]), screen["en"]
    english = lines(screen["en"])
    for language in LANGUAGES:
        assert len(lines(screen[language])) == len(english), language  # one line per line, in every language
        assert screen[language].count("?") == screen["en"].count("?"), language
    # Every question of the table is on the screen: its question marks, plus the lines that ask as an
    # instruction (Options: "List every option", "Score each idea").
    asked = screen["en"].count("?") + sum(1 for line in english[1:] if "?" not in line)
    assert asked == QUESTIONS[stage], english


def test_the_will_stage_asks_what_keeps_commitment_from_10_and_how_to_bring_it_closer(grow):
    will = grow.phases["will"]
    for text in (will.group_text["en"], flat(will.script["en"])):
        assert "keeps it from being a 10" in text and "closer" in text
        assert "one point" not in text and "by one" not in text  # the old, altered question
    debrief = " ".join(q["en"] for q in grow.phases["debrief"].questions)
    assert "from being a 10" in debrief and "one point" not in debrief
    # The old "raise it by one point" wording is gone in every language.
    old = {"es": "un punto", "de": "einen Punkt", "ro": "un punct", "bg": "една точка", "nl": "één punt"}
    for language, words in old.items():
        texts = [will.group_text[language], will.script[language]] + [q[language] for q in grow.phases["debrief"].questions]
        assert not any(words in text for text in texts), language
    assert [r.id for r in will.ratings] == ["commitment"] and (will.ratings[0].min, will.ratings[0].max) == (1, 10)


# The words each language uses to say that the list of options has no limit.
NO_LIMIT = {"en": "no limit", "es": "límite", "de": "Obergrenze", "ro": "limită", "bg": "ограничение", "nl": "limiet"}
# The old cap, in each language: it must not come back.
OLD_CAP = {"en": "four to six", "es": "entre cuatro y seis", "de": "vier bis sechs", "ro": "patru-șase",
           "bg": "четири до шест", "nl": "vier tot zes"}


def test_options_are_an_idea_storm_of_all_options_with_no_cap(grow):
    options = grow.phases["options"]
    collection = grow.collection(options.collection)
    for language in LANGUAGES:
        for text in (options.group_text[language], options.script[language], collection.prompt[language]):
            assert NO_LIMIT[language].lower() in text.lower(), (language, text)
            assert OLD_CAP[language] not in text, language
    english = options.group_text["en"].lower()
    assert "large or small" in english and "realistic" in english and "wild" not in english
    assert "nothing is crossed out" in flat(options.script["en"])
    # Nothing in the structure counts the ideas: no route or check waits for a number of entries.
    for phase in grow.phases.values():
        for route in phase.transitions:
            for condition in (route.when, route.guard):
                assert condition is None or condition.entries_at_least is None
    assert [(r.id, r.min, r.max) for r in collection.ratings] == [("appeal", 1, 10), ("impact", 1, 10)]


def test_the_options_list_takes_every_idea_the_coachee_has(tmp_path, clock):
    s = Session.start(loaded("grow-coaching").scenario, PEOPLE, root=tmp_path, seed=7, clock=clock)
    while s.phase != "options":
        try:
            s.fire("next")
        except GuardWarning:
            s.fire("next", force=True)
    assert "no limit" in s.text(s.current.group_text).lower()  # what the room reads
    assert "no limit" in s.text(s.scenario.collection("options").prompt).lower()
    ideas = [f"idea {n}" for n in range(1, 16)]  # far more than any old cap
    for idea in ideas:
        s.add_entry("options", idea)
    s.fire("next")  # no warning about the number of ideas
    assert s.phase == "will" and [e.text for e in s.entries["options"]] == ideas
    s.close()


def test_grow_trainer_notes_name_the_course_table(grow):
    for stage in ("options", "will"):
        for language in LANGUAGES:
            script = flat(grow.phases[stage].script[language])
            assert "Support other people like me" in script and "Communicating supportively" in script, (stage, language)
            assert "GROW" in script, (stage, language)


# --- Peer drift: the course's values -----------------------------------------------------------


def test_the_sharing_has_no_vote_and_says_why(drift):
    sharing = [phase for phase in drift.phases.values() if phase.kind == "sharing"]
    assert sharing
    for phase in sharing:
        assert phase.votes == [] and phase.ratings == []
        assert "no vote here" in flat(phase.script["en"]) and "without advice or judgement" in flat(phase.script["en"])
    assert loaded("peer-drift").problems == []  # so the loader's warning about a judging vote is gone too


def test_the_group_votes_on_situations_and_pulls_in_the_debrief_never_on_a_person(drift):
    assert "stayed-peer" not in [v.id for v in drift.votes]
    for vote in drift.votes:
        question = vote.question["en"].lower()
        assert "did the" not in question and "stay in the peer role" not in question, question
        assert set(vote.question) == set(LANGUAGES)
        for option in vote.options:
            assert set(option.label) == set(LANGUAGES) and all(option.label.values())
    pull = drift.vote("strongest-pull")
    assert "pull" in pull.question["en"] and "strongest" in pull.question["en"]
    assert {"busy-work", "mixed-loyalties", "power-imbalance"} <= {o.id for o in pull.options}  # the course's traps
    could = drift.vote("peer-could-do")
    assert "what could a peer supporter do" in could.question["en"]
    where = {vid: [pid for pid, p in drift.phases.items() if vid in p.votes] for vid in ("strongest-pull", "peer-could-do")}
    assert where == {"strongest-pull": ["debrief"], "peer-could-do": ["debrief"]}
    assert drift.phases["debrief"].kind == "debrief"
    note = flat(drift.phases["debrief"].script["en"])
    assert 'no vote on whether a player "stayed peer"' in note and "judge" in note and "acceptance" in note
    # What the room reads about the exercise says the same.
    assert "vote" not in drift.role("observer").description["en"]
    assert "votes on whether" not in flat(drift.summary["en"]) and "never on a person" in flat(drift.summary["en"])


def test_votes_are_refused_in_the_sharing_and_taken_in_the_debrief(tmp_path, clock):
    s = Session.start(loaded("peer-drift").scenario, PEOPLE, root=tmp_path, seed=3, clock=clock)
    while s.phase != "sharing":
        s.fire("next")
    with pytest.raises(CommandError, match="not open"):
        s.vote("strongest-pull", "busy-work")
    while s.phase != "debrief":
        s.fire("next")
    s.vote("strongest-pull", "mixed-loyalties", 3)
    s.vote("peer-could-do", "ask-the-person", 2)
    assert s.votes["strongest-pull"]["mixed-loyalties"] == 3 and s.votes["peer-could-do"]["ask-the-person"] == 2
    s.close()


# The peer support line in each language (the glossary's support-line and peer-support words).
PEER_LINE = {"en": r"peer(-to-peer)? support line", "es": r"línea de apoyo mutuo", "de": r"Peer-Telefon",
             "ro": r"lini[ae] de sprijin de la egal la egal", "bg": r"линия(та)? за подкрепа от равни",
             "nl": r"lijn voor ervaringsdeskundige steun"}


def test_phone_duty_shows_both_sides_of_the_phones_row_with_the_peer_support_line(drift):
    card = next(c for c in drift.deck("situations").cards if c.id == "phone-duty")
    note = flat(card.trainer_note["en"])
    assert "consistent: helping out around the office now and then, and answering a peer-to-peer support line" in note
    assert "not consistent: routinely answering" in note and "judging crises over the phone" in note
    assert "section 12" in note and "Good use and misuse of peer supporters" in note
    for language in LANGUAGES:
        for text in (card.text[language], card.trainer_note[language]):
            assert re.search(PEER_LINE[language], flat(text)), (language, text)


# The mentoring example's key line (the mentee's ideas are heard and put into practice), in each language.
MENTORING = {"en": "not only heard but put into practice",
             "es": "no solo se escuchan, sino que se llevan a la práctica",
             "de": "nicht nur gehört, sondern auch umgesetzt",
             "ro": "nu sunt doar ascultate, ci și puse în practică",
             "bg": "не само се изслушват, но и се прилагат",
             "nl": "niet alleen gehoord maar ook uitgevoerd"}


def test_the_debrief_keeps_the_mentoring_examples_key_line(drift):
    debrief = drift.phases["debrief"]
    for language in LANGUAGES:
        assert MENTORING[language] in flat(debrief.script[language]), language
    english = flat(debrief.script["en"])
    assert "without pressure" in english and "ideally from someone who has worked in a peer role" in english
    assert "further along the same path" not in english  # the old line, which the course does not say
    assert "section 11" in english and "Mentoring and supervision" in english


# The time-out word of each language's glossary (docs/glossary/*.md); the signal is that word or a T.
TIME_OUT = {"en": "time-out", "es": "tiempo muerto", "de": "Auszeit", "ro": "time-out", "bg": "тайм-аут", "nl": "time-out"}


def test_peer_drift_tells_everyone_the_one_time_out_signal(drift, grow):
    assert 'say "time-out" or make a T with your hands' in drift.opt_out["en"]
    for language in LANGUAGES:
        assert TIME_OUT[language].lower() in drift.opt_out[language].lower(), language
    for scenario in (drift, grow):  # never the other signal
        assert "raise your hand" not in scenario.model_dump_json().lower()

"""The quality-control sheet follows the course's stated aims for it (issue 13), in every language it has."""

from __future__ import annotations

from roleplay.core.standard_forms import QUALITY_CONTROL


def english(text) -> str:
    return text["en"].lower()


def test_the_four_ratings_ask_about_what_the_course_asks_of_a_session():
    ratings = {q.id: english(q.text) for q in QUALITY_CONTROL.questions if q.answer == "rating"}
    assert list(ratings) == ["respected", "stigma", "safety", "time"]
    assert "respected" in ratings["respected"]
    assert "stigmatising" in ratings["stigma"]
    assert "safe to share" in ratings["safety"]
    assert "time for questions" in ratings["time"] and "rushed" in ratings["time"]
    assert all((q.min, q.max) == (1, 5) for q in QUALITY_CONTROL.questions if q.answer == "rating")


def test_the_free_text_is_for_what_could_not_be_said_and_points_to_the_complaint_route():
    free = [q for q in QUALITY_CONTROL.questions if q.answer == "text"]
    assert [q.id for q in free] == ["comments"]
    text = english(free[0].text)
    assert "could not say in the room" in text and "complaint procedure" in text and "anonymously" in text


def test_the_intro_says_it_is_anonymous_and_why_it_exists():
    intro = english(QUALITY_CONTROL.intro)
    assert "anonymous" in intro and "does not ask for your name" in intro
    assert "without having to challenge anyone" in intro


def test_the_ids_the_loader_checks_are_the_standard_forms_ids():
    from roleplay.core.standard_forms import STANDARD_FORM_IDS, standard_forms

    assert STANDARD_FORM_IDS == set(standard_forms())

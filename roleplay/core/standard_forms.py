"""Forms every scenario can use without declaring them.

The quality-control sheet closes every session in the course: four 1-5 ratings on the course's
aims for how a session should feel (respected, free of stigma, safe to share, not rushed) and a free
text for what could not be said in the room, with a pointer to the complaint procedure.

Its texts are language maps, like a scenario's, so a session shows the sheet in its own language.
The English is marked for the program's catalogue (N_), so translators translate the sheet where
they translate everything else: each map holds the English, a language written here by hand, and
every course language (roleplay.core.i18n.COURSE_LANGUAGES) whose catalogue translates it (the
catalogue wins). tests/test_catalogues.py fails for a language that has a catalogue but not the
whole sheet. A language without one falls back as a scenario's texts do (to the scenario's
fallback language, English in the built-in exercises).
"""

from __future__ import annotations

import functools
from typing import Any

from roleplay.core.i18n import COURSE_LANGUAGES, SOURCE_LANGUAGE, N_, Translations, translations_for
from roleplay.core.model import Form, Scenario

# The ids are known without building the forms: the loader checks them in every file it reads, while the
# forms' texts read every course language's catalogue (a tenth of a `roleplay validate`), only needed
# when a session or a report shows the sheet.
STANDARD_FORM_IDS = frozenset({"quality-control"})


def sheet_text(english: str, **by_hand: str) -> dict[str, str]:
    """A language map of one text: the English, `by_hand` (language code -> text), then each course language's catalogue."""
    text = {SOURCE_LANGUAGE: str.__str__(english), **by_hand}
    for code in COURSE_LANGUAGES:
        translated = translations_for(code).gettext(english)
        if code != SOURCE_LANGUAGE and translated != english:
            text[code] = translated
    return text


def standard_forms() -> dict[str, Form]:
    """Every standard form by id, built when first asked for with the catalogues in use (and again only
    if those change: `forget_catalogues`, a test's own catalogue)."""
    return _built(tuple(translations_for(code) for code in COURSE_LANGUAGES))


@functools.lru_cache(maxsize=2)
def _built(catalogues: tuple[Translations, ...]) -> dict[str, Form]:
    quality_control = _quality_control()
    return {quality_control.id: quality_control}


def __getattr__(name: str) -> Any:  # QUALITY_CONTROL and STANDARD_FORMS, built when first read
    if name == "STANDARD_FORMS":
        return standard_forms()
    if name == "QUALITY_CONTROL":
        return standard_forms()["quality-control"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _quality_control() -> Form:
    return Form.model_validate(
        {
            "id": "quality-control",
            "title": sheet_text(N_("Quality-control sheet")),
            # The course gives the sheet's purpose, not its text: to let participants raise what they perceived
            # without having to challenge anyone directly, next to an anonymous complaint route; and it asks
            # trainers to show no stigmatisation, to make people feel respected and safe to share, and not to
            # rush. Each question asks about one of those aims (docs/trainer-guide.md, "The quality-control sheet").
            "intro": sheet_text(
                N_(
                    "This sheet is anonymous: it does not ask for your name, and on a phone your answers are kept "
                    "without who gave them. It is a way to say what you noticed today without having to challenge "
                    "anyone face to face. Rate each sentence from 1 (not at all) to 5 (completely)."
                ),
            ),
            "questions": [
                {"id": "respected", "text": sheet_text(N_("I felt respected, by the trainers and by the group."))},
                {
                    "id": "stigma",
                    "text": sheet_text(N_("No one was spoken about or treated in a stigmatising way.")),
                },
                {"id": "safety", "text": sheet_text(N_("I felt safe to share what I wanted to share."))},
                {"id": "time", "text": sheet_text(N_("There was enough time for questions; nothing felt rushed."))},
                {
                    "id": "comments",
                    "answer": "text",
                    "text": sheet_text(
                        N_(
                            "Is there anything you could not say in the room? Write it here. For a complaint, you can "
                            "also use your organisation's complaint procedure, anonymously if you wish; the trainer "
                            "can tell you how."
                        ),
                    ),
                },
            ],
        }
    )


def find_form(scenario: Scenario, form_id: str) -> Form:
    """A form declared in the scenario, else a standard one."""
    for form in scenario.forms:
        if form.id == form_id:
            return form
    return standard_forms()[form_id]

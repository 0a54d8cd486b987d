"""Forms every scenario can use without declaring them.

The quality-control sheet closes every session in the course: a few 1-5
ratings and free text, kept in the session log.
"""

from __future__ import annotations

from roleplay.core.model import Form, Scenario

QUALITY_CONTROL = Form.model_validate(
    {
        "id": "quality-control",
        "title": {"en": "Quality-control sheet", "es": "Hoja de control de calidad"},
        "intro": {
            "en": "A few quick answers help us improve the next session. Answers are anonymous unless you add a name.",
            "es": "Unas respuestas rápidas nos ayudan a mejorar la próxima sesión. Son anónimas salvo que añadas tu nombre.",
        },
        "questions": [
            {
                "id": "safety",
                "text": {"en": "I felt safe taking part.", "es": "Me sentí seguro/a al participar."},
            },
            {
                "id": "usefulness",
                "text": {
                    "en": "The exercise was useful for my work as a peer supporter.",
                    "es": "El ejercicio fue útil para mi trabajo como apoyo entre iguales.",
                },
            },
            {
                "id": "voice",
                "text": {"en": "Everyone had room to speak.", "es": "Todas las personas tuvieron espacio para hablar."},
            },
            {
                "id": "pace",
                "text": {
                    "en": "There was enough time for discussion.",
                    "es": "Hubo tiempo suficiente para el diálogo.",
                },
            },
            {
                "id": "comments",
                "answer": "text",
                "text": {
                    "en": "What would you change? (anything else you want to say)",
                    "es": "¿Qué cambiarías? (cualquier otra cosa que quieras decir)",
                },
            },
        ],
    }
)

STANDARD_FORMS = {QUALITY_CONTROL.id: QUALITY_CONTROL}


def find_form(scenario: Scenario, form_id: str) -> Form:
    """A form declared in the scenario, else a standard one."""
    for form in scenario.forms:
        if form.id == form_id:
            return form
    return STANDARD_FORMS[form_id]

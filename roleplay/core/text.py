"""Text in several languages: a plain string or a map of language code to string."""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from roleplay.core.i18n import _

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _check_text(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("empty_text", _("text is empty"))
        return value
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError("empty_text", _("text has no languages"))
        for code, text in value.items():
            if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
                raise PydanticCustomError(
                    "language_code",
                    _("'{code}' is not a language code (use two letters such as en, es)"),
                    {"code": str(code)},
                )
            if not isinstance(text, str) or not text.strip():
                raise PydanticCustomError(
                    "empty_text", _("text for language '{code}' is empty or not a string"), {"code": code}
                )
        return value
    raise PydanticCustomError(
        "text_type", _("expected text or a map of language code to text, got {kind}"), {"kind": type_name(value)}
    )


def type_name(value: Any) -> str:
    if value is None:
        return _("nothing (null)")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__


_TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "description": "language code to text, e.g. {en: Hello, es: Hola}",
            "patternProperties": {LANGUAGE_CODE.pattern: {"type": "string", "minLength": 1}},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ]
}

LocalText = Annotated[Union[str, dict[str, str]], BeforeValidator(_check_text), WithJsonSchema(_TEXT_SCHEMA)]


def localize(text: str | dict[str, str] | None, language: str, fallback: str = "en") -> str:
    """The text in `language`, else the fallback language, else any language given."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if language in text:
        return text[language]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()))

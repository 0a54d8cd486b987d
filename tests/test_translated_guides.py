"""The trainer's guide, read during a session, is in each course language and keeps the English one's shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.core.i18n import COURSE_LANGUAGES, SOURCE_LANGUAGE

DOCS = Path(__file__).resolve().parent.parent / "docs"
ENGLISH = DOCS / "trainer-guide.md"


def headings(text: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in text.splitlines() if re.match(r"#{1,6} ", line)]


def commands(text: str) -> list[str]:
    """The command lines a trainer types (code spans starting with `roleplay`), in one line each."""
    return sorted(" ".join(span.split()) for span in re.findall(r"`(roleplay [^`]+)`", text))


@pytest.mark.parametrize("language", [code for code in COURSE_LANGUAGES if code != SOURCE_LANGUAGE])
def test_the_trainer_guide_is_translated_with_the_same_sections_and_commands(language):
    english = ENGLISH.read_text(encoding="utf-8")
    path = DOCS / language / "trainer-guide.md"
    assert path.is_file(), f"docs/{language}/trainer-guide.md is missing"
    translated = path.read_text(encoding="utf-8")
    assert headings(translated) == headings(english)  # the same sections in the same order
    assert commands(translated) == commands(english)  # commands are typed as they are, in every language
    assert "docs/trainer-guide.md" in translated  # says the English guide is the reference

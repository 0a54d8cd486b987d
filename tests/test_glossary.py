"""Scenarios use each language's glossary (docs/glossary/<lang>.md): one term per concept.

The glossary's table is machine-readable (`| en | <lang> | note |`). For the concepts a trainer
names most (the peer supporter, time-out, de-roling, the protagonist, the observer, role reversal),
every scenario text whose English names the concept must use the glossary's term in that language
(any inflected form: the term's stem is matched). A glossary may also list words to avoid in a
section "## Avoid" as `| <lang> word | why |`; none of them may appear in that language's texts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.core.loader import load_scenario
from tests.conftest import SCENARIOS

GLOSSARIES = Path(__file__).resolve().parent.parent / "docs" / "glossary"

# English concept (the table's first `en` alternative) -> how the English texts name it.
CHECKED = {
    "peer supporter": r"\bpeer supporters?\b|\bpeer support workers?\b",
    "time-out": r"\btime[- ]?outs?\b",
    "de-roling": r"\bde-?rol(?:ing|e|ed|es)\b",
    "protagonist": r"\bprotagonists?\b",
    "observer": r"\bobservers?\b",
    "role reversal": r"\brole reversals?\b",
}


def glossary(language: str) -> tuple[dict[str, str], list[str]]:
    """(English concept -> term, words to avoid) from docs/glossary/<language>.md."""
    terms: dict[str, str] = {}
    avoid: list[str] = []
    section = ""
    for line in (GLOSSARIES / f"{language}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if section.startswith("avoid"):
            if cells[0] and cells[0].lower() not in (language, "avoid", "word"):
                avoid.append(cells[0].strip("*`"))
        elif len(cells) >= 2 and cells[0] != "en":
            concept = cells[0].split(" / ")[0].strip().lower()
            terms[concept] = cells[1]
    return terms, avoid


def stem(term: str) -> str:
    """The part of a glossary term every inflected form keeps: its longest word, minus a short ending."""
    first = term.split(" / ")[0].replace(":innen", "").replace(":in", "")
    word = max(re.findall(r"\w[\w-]*", first), key=len).lower()
    return word if len(word) <= 5 else word[: max(5, len(word) - 2)]


def texts(scenario, language: str):
    """Every (English, translated) pair of texts of the scenario."""
    seen = set()

    def walk(value):
        if isinstance(value, dict):
            if "en" in value and isinstance(value.get("en"), str):
                if language in value and id(value) not in seen:
                    seen.add(id(value))
                    yield value["en"], value[language]
                return
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    yield from walk(scenario.model_dump())


def cases():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for language in load_scenario(path).scenario.languages:
            if language != "en" and (GLOSSARIES / f"{language}.md").is_file():
                yield pytest.param(path, language, id=f"{path.stem}-{language}")


@pytest.mark.parametrize("path, language", list(cases()))
def test_scenarios_use_the_glossary_terms(path, language):
    terms, avoid = glossary(language)
    scenario = load_scenario(path).scenario
    misses = []
    for english, translated in texts(scenario, language):
        for concept, pattern in CHECKED.items():
            if concept in terms and re.search(pattern, english, re.I) and stem(terms[concept]) not in translated.lower():
                misses.append(f"{concept!r} -> {terms[concept]!r} missing in: {translated[:90]!r}")
        for word in avoid:
            if re.search(rf"\b{re.escape(word)}", translated, re.I):
                misses.append(f"avoided word {word!r} in: {translated[:90]!r}")
    assert not misses, "\n".join(misses)


def test_every_course_language_but_english_has_a_glossary_with_the_checked_concepts():
    languages = {p.stem for p in GLOSSARIES.glob("*.md")}
    assert languages, "no glossary in docs/glossary"
    for language in languages:
        terms, _ = glossary(language)
        missing = [concept for concept in CHECKED if concept not in terms]
        assert not missing, f"{language}: the glossary lacks {missing}"


def test_the_stem_matches_inflected_forms_and_the_check_catches_a_wrong_term():
    assert stem("Genesungsbegleiter:in") in "die genesungsbegleitung"
    assert stem("Beobachter:in") in "die beobachter:innen"
    assert stem("Auszeit") not in "eine pause"

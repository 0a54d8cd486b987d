"""Loading: every kind of broken file gives one precise problem; valid files load."""

from __future__ import annotations

import pytest

from roleplay.core.loader import load_scenario, load_scenario_bytes
from tests.conftest import DATA

INVALID = DATA / "invalid"

# file -> (line, column, severity, part of the message); one file per kind of error.
EXPECTED = {
    "alias-bomb.yaml": (1, 35, "error", "alias bomb"),
    "bad-duration.yaml": (4, 11, "error", "duration: 'ten minutes' is not a duration: write it like 90s, 5m, 5 min, 1h30m"),
    "bad-fallback.yaml": (7, 20, "error", "fallback language 'es' is not in languages"),
    "bad-id.yaml": (1, 5, "error", "'Broken Scenario' is not a valid id"),
    "bad-kind.yaml": (14, 11, "error", "kind: 'warmup' is not allowed here; did you mean 'warm-up'?"),
    "bad-language-code.yaml": (2, 9, "error", "title: 'english' is not a language code; use the language code 'en'"),
    "binary.yaml": (2, 1, "error", "binary file"),
    "comments-only.yaml": (1, 1, "error", "file is empty"),
    "duplicate-id.yaml": (11, 9, "error", "role id 'player' is used twice"),
    "duplicate-key.yaml": (16, 5, "error", "duplicate key 'title' (first given on line 15)"),
    "empty.yaml": (1, 1, "error", "file is empty"),
    "final-with-route.yaml": (22, 5, "error", "a final phase cannot lead anywhere"),
    "guard-unknown-deck.yaml": (20, 30, "error", "no deck 'identities'"),
    "latin1.yaml": (21, 16, "error", "not valid UTF-8 (byte 0xf3)"),
    "merge-key.yaml": (19, 5, "error", "merge keys ('<<') are not supported"),
    "missing-key.yaml": (1, 1, "error", "missing required key 'start'"),
    "missing-translation.yaml": (15, 12, "error", "missing translation: es"),
    "no-default-route.yaml": (13, 3, "error", "phase 'one' has no default route for 'next'"),
    "no-way-out.yaml": (13, 3, "error", "from phase 'one' no final phase can be reached"),
    "not-a-mapping.yaml": (1, 1, "error", "must be a mapping"),
    "python-tag.yaml": (3, 10, "error", "tag !!python/object/apply:os.system is not allowed"),
    "reserved-trigger.yaml": (18, 19, "error", "'pause' is a reserved word: 'pause' is a command of play"),
    "syntax.yaml": (5, 13, "error", "the mapping opened with '{' here is not closed: add '}' at its end"),
    "tabs.yaml": (14, 1, "error", "tab character used for indentation"),
    "timer-target.yaml": (17, 38, "error", "no phase 'nowhere' (known phases: one, two)"),
    "too-deep.yaml": (2, 50, "error", "nesting is too deep"),
    "too-many-roles.yaml": (8, 3, "error", "the roles need 3 participants but the smallest group (2) has only 2"),
    "two-documents.yaml": (24, 1, "error", "only one YAML document per file"),
    "unknown-checklist.yaml": (17, 18, "error", "no checklist 'listening'"),
    "unknown-key.yaml": (16, 5, "error", "unknown key 'scirpt'; did you mean 'script'?"),
    "unknown-target.yaml": (17, 11, "error", "no phase 'three' (known phases: one, two)"),
    "unreachable.yaml": (23, 3, "error", "phase 'orphan' can never be reached from 'one'"),
    "untranslated-text.yaml": (9, 11, "error", "text is not translated: give it for each of en, es"),
    "utf16.yaml": (1, 1, "error", "encoded as UTF-16"),
    "wrong-type.yaml": (10, 12, "error", "count must be a whole number, 'each'"),
}


def test_every_invalid_file_has_an_expectation():
    from tests.test_authoring_errors import KINDS

    assert not set(EXPECTED) & set(KINDS)
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted([*EXPECTED, *KINDS])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_reports_where_and_what(name):
    line, column, severity, message = EXPECTED[name]
    result = load_scenario(INVALID / name)
    assert not result.ok
    first = result.problems[0]
    assert (first.line, first.column, first.severity) == (line, column, severity), str(first)
    assert message in first.message
    assert str(first).startswith(f"{INVALID / name}:{line}:{column}: {severity}: ")


def test_problems_are_all_reported_at_once():
    text = (INVALID / "unknown-key.yaml").read_text().replace("duration: 10m", "duration: soon").replace("id: broken", "id: Broken")
    problems = load_scenario_bytes(text.encode(), "x.yaml").problems
    assert [(p.line, p.column) for p in problems] == [(1, 5), (4, 11), (16, 5)]


def test_a_wrong_target_is_reported_with_type_errors_in_the_same_run():
    text = (INVALID / "unknown-key.yaml").read_text().replace("duration: 10m", "duration: soon").replace("    next: two", "    next: tow")
    problems = load_scenario_bytes(text.encode(), "x.yaml").problems
    assert [(p.line, p.column, p.message.split(";")[0]) for p in problems] == [
        (4, 11, "duration: 'soon' is not a duration: write it like 90s, 5m, 5 min, 1h30m, 1:30 (minutes:seconds) or 1:30:00 (hours:minutes:seconds)"),
        (16, 5, "unknown key 'scirpt'"),
        (17, 11, "no phase 'tow'"),
    ]
    assert problems[-1].message == "no phase 'tow'; did you mean 'two'? (known phases: one, two)"


def test_too_large_file_is_refused_before_parsing():
    result = load_scenario_bytes(b"a: " + b"x" * (1024 * 1024 + 1), "big.yaml")
    assert "too large" in result.problems[0].message


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in load_scenario(tmp_path / "nope.yaml").problems[0].message
    assert "is a folder" in load_scenario(tmp_path).problems[0].message


def test_valid_branching_scenario_loads_without_problems():
    result = load_scenario(DATA / "valid" / "branching.yaml")
    assert result.ok and result.problems == []
    assert result.scenario.phases["scene"].timer.duration == 300


def test_timestamps_stay_text_and_numbers_are_numbers():
    text = (INVALID / "unknown-key.yaml").read_text().replace("scirpt", "script").replace("summary: A scenario with one mistake.", "summary: 2024-01-01")
    result = load_scenario_bytes(text.encode(), "t.yaml")
    assert result.ok, result.problems
    assert result.scenario.summary == "2024-01-01"


def test_warnings_do_not_make_a_file_invalid():
    text = (INVALID / "unknown-key.yaml").read_text().replace("    scirpt: Say hello.\n", "")
    result = load_scenario_bytes(text.encode(), "w.yaml")
    assert result.ok
    assert [(p.severity, p.line) for p in result.problems] == [("warning", 13)]
    assert "has no trainer script" in result.problems[0].message


def test_a_file_read_again_is_the_same_reading_in_its_own_list_until_its_bytes_path_or_language_change():
    from roleplay.core.i18n import in_language

    raw = (INVALID / "bad-id.yaml").read_bytes()
    first = load_scenario_bytes(raw, "bad-id.yaml")
    again = load_scenario_bytes(raw, "bad-id.yaml")
    assert again.problems == first.problems and again.problems is not first.problems
    again.problems.clear()  # a caller's own list: the next reading still has every problem
    assert load_scenario_bytes(raw, "bad-id.yaml").problems == first.problems

    assert load_scenario_bytes(raw, "elsewhere.yaml").problems[0].path == "elsewhere.yaml"
    edited = raw.replace(b"Broken Scenario", b"Broken Scenario Two")
    assert "'Broken Scenario Two' is not a valid id" in str(load_scenario_bytes(edited, "bad-id.yaml").problems[0])
    with in_language("es"):
        spanish = load_scenario_bytes(raw, "bad-id.yaml").problems
    assert spanish[0].message != first.problems[0].message  # the messages of the language in use

    valid = (DATA / "valid" / "branching.yaml").read_bytes()
    assert load_scenario_bytes(valid, "b.yaml").scenario is load_scenario_bytes(valid, "b.yaml").scenario  # frozen, shared

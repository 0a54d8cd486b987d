"""What the built-in exercises' own tests share (tests/test_exercise_*.py): reading texts and glossaries.

Each exercise's tests pin its course facts by reading the loaded scenario; these helpers only flatten
texts, find a glossary's term and follow the main line of phases. The checks every built-in passes
(six languages, no warning, the diagram in docs/scenarios/ current) are in tests/test_scenarios.py.
"""

from __future__ import annotations

from roleplay.core.loader import load_scenario
from tests.conftest import ROOT, SCENARIOS

LANGUAGES = ["en", "es", "de", "ro", "bg", "nl"]
PEOPLE = ["Ana", "Ben", "Cleo", "Dan", "Eva", "Femi"]
GLOSSARIES = ROOT / "docs" / "glossary"


def flat(text: str) -> str:
    """One space between words: line breaks in the YAML do not matter."""
    return " ".join(text.split())


def flat_lower(text: str) -> str:
    return flat(text).lower()


def english(text) -> str:
    return flat(text["en"])


def glossary_term(language: str, concept: str) -> str:
    """The term of the glossary row whose English starts with `concept`."""
    for line in (GLOSSARIES / f"{language}.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and cells[0].lower().startswith(concept):
            return cells[1]
    raise AssertionError(f"{language}: the glossary has no row for {concept!r}")


def load_built_in(scenario_id: str):
    """A built-in scenario, loaded without a problem (each exercise's tests share one per module)."""
    result = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    assert result.ok, result.problems
    return result.scenario


def main_line(scenario) -> list[str]:
    """The phases in the order `next` takes them, from the start to the final phase."""
    order, pid = [], scenario.start
    while pid is not None:
        order.append(pid)
        pid = scenario.phases[pid].next
    return order


def assert_valid_built_in(scenario, scenario_id: str) -> None:
    """No problem at all, the six languages, content notes and opt-out, a script and a timer in every phase."""
    assert load_scenario(SCENARIOS / f"{scenario_id}.yaml").problems == []
    assert scenario.id == scenario_id and scenario.languages == LANGUAGES
    assert scenario.content_notes and scenario.opt_out
    for phase in scenario.phases.values():
        assert phase.script and phase.timer, "every phase has a trainer script and a timer"
        for language in LANGUAGES:
            assert phase.script[language].strip() and phase.title[language].strip()


def route(scenario) -> list[tuple[str, str]]:
    """(phase id, kind) from the start, each phase left by `next` (its `next:`, else its first `next` route)."""
    found, phase_id = [], scenario.start
    while phase_id:
        phase = scenario.phases[phase_id]
        found.append((phase_id, phase.kind))
        nexts = [t.to for t in phase.transitions if t.trigger == "next"]
        phase_id = phase.next or (nexts[0] if nexts else None)
    return found


def assert_time_out_detour(scenario, scene_id: str) -> None:
    """The time-out is a detour from the scene: back to it, or straight on to de-roling, without eating its time."""
    scene, time_out = scenario.phases[scene_id], scenario.phases["time-out"]
    assert [(t.trigger, t.to) for t in scene.transitions] == [("time-out", "time-out")]
    assert time_out.kind == "time-out" and time_out.next == scene_id
    assert [(t.trigger, t.to) for t in time_out.transitions] == [("end-scene", "de-roling")]
    assert scene.timer.resume, "a time-out does not eat the scene's time"


# How each script's last line names the course document and section it follows, in each language.
SOURCE_LABEL = {
    "en": "Course source:",
    "es": "Fuente en el curso:",
    "de": "Kursgrundlage:",
    "ro": "Sursa din curs:",
    "bg": "Източник в курса:",
    "nl": "Bron in de cursus:",
}


def play_events(scenario_id: str, language: str, commands: list[str], out, *extra: str) -> list[dict]:
    """`roleplay play SCENARIO --participants 6 --language L --seed 1` by subprocess; its events, once it ended well."""
    from tests.conftest import run_cli

    result = run_cli("play", scenario_id, "--participants", "6", "--language", language, "--seed", "1",
                     "--out", str(out), *extra, stdin="\n".join(commands) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    import json

    return [json.loads(line) for line in result.stdout.splitlines()]

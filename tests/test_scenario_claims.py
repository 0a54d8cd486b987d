"""Built-in scripts say only what is true in every session, and point only at what the app shows."""

from __future__ import annotations

import re

import pytest

from roleplay.core.loader import load_scenario
from tests.conftest import SCENARIOS

# The words for filming and for a condition in each course language (en, es, de, ro, bg, nl).
RECORDING = re.compile(
    r"\b(record\w*|film\w*|grab\w*|v[ií]deo\w*|camera|cámara|aufn\w*|aufgezeichnet\w*|kamera"
    r"|înregistr\w*|camer\w*|запис\w*|сним\w*|камер\w*|видео\w*|opn\w*|opgenomen)\b",
    re.I,
)
CONDITION = re.compile(
    r"\b(if|only|whether|can|may|si|solo|puede|pueden|nur|wenn|falls|ob|kann|können|dacă|doar|numai|poate|pot"
    r"|ако|само|дали|може|могат|als|alleen|indien|kan|kunnen|mag|mogen)\b",
    re.I,
)


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?»\"])\s+", " ".join(text.split()))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_scripts_of_filmed_phases_never_claim_the_camera_is_running(path):
    """Whether a session is filmed is decided at set-up (and by consent): a filmed phase's texts say "if"."""
    scenario = load_scenario(path).scenario
    for pid, phase in scenario.phases.items():
        if not phase.record:
            continue
        for language in scenario.languages:
            for text in (phase.script, phase.group_text):
                if not text:
                    continue
                for sentence in sentences(text[language]):
                    if RECORDING.search(sentence):
                        assert CONDITION.search(sentence), (pid, language, sentence)


def test_the_claim_check_would_catch_the_old_wording():
    assert not CONDITION.search("10 to 12 minutes. Recording is on.".split(". ")[1])
    assert RECORDING.search("Se está grabando.") and not CONDITION.search("Se está grabando.")


def test_ideal_helper_shows_the_cluster_descriptions_where_the_script_points_at_them():
    scenario = load_scenario(SCENARIOS / "ideal-helper.yaml").scenario
    collection = scenario.collection("helper-qualities")
    for language in scenario.languages:
        group = scenario.phases["sorting"].group_text[language].splitlines()
        for category in collection.categories:
            at = group.index(category.name[language])
            assert group[at + 1].strip().startswith("- ") and len(group[at + 1]) > 20
    pooling = scenario.phases["pooling"]
    assert pooling.collection == "helper-qualities" and pooling.tagging is False  # the clusters come later
    assert scenario.phases["sorting"].tagging is True


def test_no_command_tags_an_entry_where_the_phase_does_not_sort_yet(tmp_path):
    import pytest

    from roleplay.core import commands as c
    from roleplay.core.clock import FakeClock
    from roleplay.core.engine import CommandError, Session

    scenario = load_scenario(SCENARIOS / "ideal-helper.yaml").scenario
    s = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=tmp_path, seed=1, clock=FakeClock())
    while s.phase != "pooling":
        s.fire("next", force=True)
    s.execute(c.AddEntry(collection="helper-qualities", text="patient"))
    category = scenario.collection("helper-qualities").categories[0].id
    with pytest.raises(CommandError, match="not tagged in 'pooling'"):
        s.execute(c.TagEntry(collection="helper-qualities", entry=1, category=category))
    assert c.TagEntry not in c.allowed_commands(s)
    while s.phase != "sorting":
        s.fire("next", force=True)
    s.execute(c.TagEntry(collection="helper-qualities", entry=1, category=category))
    assert s.entries["helper-qualities"][0].category == category

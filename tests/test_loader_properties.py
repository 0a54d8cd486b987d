"""Property tests: whatever bytes an author saves, the loader answers with problems, never a traceback."""

from __future__ import annotations

import copy
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.core.loader import load_scenario_bytes
from tests.conftest import DATA

VALID = (DATA / "valid" / "branching.yaml").read_bytes()
LINES = VALID.decode().splitlines(keepends=True)
VALID_DATA = yaml.safe_load(VALID)


# The models' own wording (pydantic) and the stand-ins used to check the rest never reach an author.
MODEL_WORDS = re.compile(r"Input should|Field required|Extra inputs|should have (at most|at least)|after validation|stand-in")


def _check(raw: bytes) -> None:
    result = load_scenario_bytes(raw, "fuzz.yaml")
    lines = raw.count(b"\n") + 1
    for problem in result.problems:
        assert problem.severity in ("error", "warning")
        assert 1 <= problem.line <= lines + 1
        assert problem.column >= 1
        assert problem.message
        assert not MODEL_WORDS.search(problem.message), str(problem)
    if result.scenario is None:
        assert any(p.severity == "error" for p in result.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(raw):
    _check(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@` \t\nab01?,")), max_size=200))
def test_random_yaml_punctuation(text):
    _check(text.encode())


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_valid_scenario(data):
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "swap", "garble", "truncate"]))
        if action == "delete":
            lines.pop(i)
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "garble":
            pos = data.draw(st.integers(0, max(0, len(lines[i]) - 1)))
            char = data.draw(st.sampled_from(list(":-[]{}&*!|>\t'\"x0 ")))
            lines[i] = lines[i][:pos] + char + lines[i][pos + 1 :]
        elif action == "truncate":
            lines = lines[: i + 1]
        if not lines:
            lines = ["\n"]
    _check("".join(lines).encode())


@settings(max_examples=100, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
))
def test_random_structures_in_place_of_a_phase(value):
    doc = copy.deepcopy(VALID_DATA)  # parsed once: the pure-Python parse cost more than the check
    doc["phases"]["scene"] = value
    _check(yaml.safe_dump(doc).encode())

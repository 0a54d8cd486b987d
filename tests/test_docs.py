"""Docs, schema and template agree with the code."""

from __future__ import annotations

import json
import re

from roleplay.core.loader import load_scenario_text
from roleplay.core.model import Scenario
from roleplay.core.template import render_template
from roleplay.schema_export import SCHEMA_PATH, schema_text
from tests.conftest import ROOT

FORMAT_DOC = (ROOT / "docs" / "scenario-format.md").read_text()


def test_published_schema_is_current():
    assert SCHEMA_PATH.read_text() == schema_text(), "run `make schema`"
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["additionalProperties"] is False
    assert {"id", "title", "roles", "phases", "start"} <= set(schema["required"])


def test_the_documented_example_is_valid():
    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT_DOC, re.S)
    example = max(blocks, key=len)
    result = load_scenario_text(example, "docs/scenario-format.md")
    assert result.ok and result.problems == []


def _field_names(model, seen=None):
    from pydantic import BaseModel

    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    import typing

    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            ann = stack.pop()
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                names |= _field_names(ann, seen)
            stack.extend(typing.get_args(ann))
    return names


def test_every_key_of_the_format_is_documented():
    missing = sorted(name for name in _field_names(Scenario) if f"`{name}`" not in FORMAT_DOC and f"{name}:" not in FORMAT_DOC)
    assert missing == []


def test_the_template_validates_without_warnings():
    result = load_scenario_text(render_template("from-template"), "template.yaml")
    assert result.ok and result.problems == []


def test_readme_quickstart():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()

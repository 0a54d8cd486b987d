"""The commented template `roleplay new` writes."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = Path(__file__).with_name("template.yaml")
SCHEMA_URL = "https://roleplay.invalid/scenario.schema.json"


def render_template(scenario_id: str, schema_path: str = "../roleplay/schema/scenario.schema.json") -> str:
    text = TEMPLATE.read_text(encoding="utf-8").replace("__ID__", scenario_id)
    return text.replace(SCHEMA_URL, schema_path)

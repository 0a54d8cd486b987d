"""Writes roleplay/schema/scenario.schema.json from the models (`make schema`).

A test fails when the committed file differs, so editors always autocomplete
what the loader accepts.
"""

from __future__ import annotations

import json
from pathlib import Path

from roleplay.core.model import Scenario

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "scenario.schema.json"


def schema_text() -> str:
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "roleplay scenario"
    schema["description"] = "A psychodrama role-play exercise for roleplay; see docs/scenario-format.md."
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()

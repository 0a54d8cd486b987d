"""The commented template `roleplay new` writes."""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATE = Path(__file__).with_name("template.yaml")
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "scenario.schema.json"
SCHEMA_URL = "https://roleplay.invalid/scenario.schema.json"


def render_template(scenario_id: str, folder: Path | None = None) -> str:
    """The template for `scenario_id`; its schema line points at this installation's schema, relative to `folder`."""
    text = TEMPLATE.read_text(encoding="utf-8").replace("__ID__", scenario_id)
    schema = SCHEMA_FILE.as_posix()
    if folder is not None:
        try:
            schema = Path(os.path.relpath(SCHEMA_FILE, Path(folder).resolve())).as_posix()
        except ValueError:  # another drive on Windows: keep the absolute path
            pass
    return text.replace(SCHEMA_URL, schema)

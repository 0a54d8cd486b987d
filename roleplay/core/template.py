"""The commented template `roleplay new` writes, and the schema editors read beside it.

The template's first line names the JSON Schema for editors (the YAML language server).
A path into the installed package breaks when the project or the virtual environment
moves, and a web address needs a network. So `roleplay new` puts a copy of the schema
next to the new scenario (`scenario.schema.json`) and the line names it relatively:
it stays valid wherever the folder goes, offline, on any machine.
"""

from __future__ import annotations

import json
from pathlib import Path

TEMPLATE = Path(__file__).with_name("template.yaml")
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "scenario.schema.json"
SCHEMA_NAME = "scenario.schema.json"  # written beside the scenarios, referred to relatively
SCHEMA_TITLE = "roleplay scenario"  # how a copy the program wrote is recognised


def render_template(scenario_id: str) -> str:
    """The template for `scenario_id`; its schema line names `scenario.schema.json` in the same folder."""
    return TEMPLATE.read_text(encoding="utf-8").replace("__ID__", scenario_id)


def write_schema(folder: Path) -> bool:
    """Put the current schema beside the scenarios in `folder`; True when the file was written.

    A file of that name the author made themselves is left alone; a copy this program wrote
    earlier is brought up to date (editors then know the keys of this version).
    """
    target = Path(folder) / SCHEMA_NAME
    current = SCHEMA_FILE.read_text(encoding="utf-8")
    if target.exists():
        try:
            old = target.read_text(encoding="utf-8")
            ours = json.loads(old).get("title") == SCHEMA_TITLE
        except (OSError, ValueError, AttributeError):
            return False
        if not ours or old == current:
            return False
    target.write_text(current, encoding="utf-8")
    return True

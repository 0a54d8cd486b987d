"""Writes docs/scenarios/<id>.md, the state diagram of each built-in scenario, and scenarios/summaries.json,
what a first `roleplay list` shows of them (`make docs`).

A test fails when a committed diagram or summary is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from roleplay.core.graph import mermaid
from roleplay.core.library import builtin_dir, scenario_files
from roleplay.core.library_cache import SHIPPED_NAME, content_hash, row
from roleplay.core.loader import load_scenario
from roleplay.core.text import localize

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs" / "scenarios"


def diagram_doc(path: Path) -> tuple[str, str]:
    result = load_scenario(path)
    if not result.ok or result.scenario is None:
        raise SystemExit("\n".join(map(str, result.problems)))
    s = result.scenario
    title = localize(s.title, s.fallback, s.fallback)
    text = (
        f"# {title} (`{s.id}`)\n\n"
        f"{localize(s.summary, s.fallback, s.fallback).strip()}\n\n"
        f"State diagram generated from `scenarios/{path.name}` by `make docs`; do not edit by hand.\n\n"
        f"```mermaid\n{mermaid(s)}```\n"
    )
    return s.id, text


def shipped_summaries(folder: Path) -> str:
    """scenarios/summaries.json: what `roleplay list` and the library show of each built-in scenario on a
    first run, before any is loaded (core/library_cache.py), with a hash of the file each row is about."""
    rows = {}
    for path in scenario_files(folder):
        result = load_scenario(path)
        if not result.ok:
            raise SystemExit("\n".join(map(str, result.problems)))
        rows[path.name] = {"blake2b": content_hash(path.read_bytes()), "row": row(result, path, "built-in")}
    return json.dumps(rows, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    for path in scenario_files(builtin_dir()):
        scenario_id, text = diagram_doc(path)
        (DOCS_DIR / f"{scenario_id}.md").write_text(text, encoding="utf-8")
        print(f"wrote docs/scenarios/{scenario_id}.md")
    (builtin_dir() / SHIPPED_NAME).write_text(shipped_summaries(builtin_dir()), encoding="utf-8")
    print(f"wrote scenarios/{SHIPPED_NAME}")


if __name__ == "__main__":
    main()

"""Writes docs/scenarios/<id>.md, the state diagram of each built-in scenario (`make docs`).

A test fails when a committed diagram is stale.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.core.graph import mermaid
from roleplay.core.library import builtin_dir, scenario_files
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


def main() -> None:
    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    for path in scenario_files(builtin_dir()):
        scenario_id, text = diagram_doc(path)
        (DOCS_DIR / f"{scenario_id}.md").write_text(text, encoding="utf-8")
        print(f"wrote docs/scenarios/{scenario_id}.md")


if __name__ == "__main__":
    main()

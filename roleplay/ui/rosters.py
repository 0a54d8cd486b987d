"""Saved rosters (lists of participant names) in the user's config folder, as JSON.

Plain Python: no Textual here, so tests and the CLI can use it.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.ui.config_files import config_dir, read_json, write_json_atomic

FILE_NAME = "rosters.json"


def rosters_path() -> Path:
    return config_dir() / FILE_NAME


def load_rosters(path: Path | None = None) -> dict[str, list[str]]:
    """Name -> participants. A missing or damaged file gives no rosters (never an exception)."""
    path = path or rosters_path()
    data = read_json(path)
    rosters = data.get("rosters", {}) if isinstance(data, dict) else {}
    return {
        str(name): [str(p) for p in people if str(p).strip()]
        for name, people in rosters.items()
        if isinstance(people, list)
    }


def save_roster(name: str, participants: list[str], path: Path | None = None) -> Path:
    """Add or replace one roster; written atomically so a crash never leaves half a file."""
    path = path or rosters_path()
    rosters = load_rosters(path)
    rosters[name.strip()] = [p.strip() for p in participants if p.strip()]
    save_roster_all(rosters, path)
    return path


def delete_roster(name: str, path: Path | None = None) -> None:
    path = path or rosters_path()
    rosters = load_rosters(path)
    if rosters.pop(name, None) is not None:
        save_roster_all(rosters, path)


def save_roster_all(rosters: dict[str, list[str]], path: Path) -> None:
    write_json_atomic(path, {"version": 1, "rosters": rosters})

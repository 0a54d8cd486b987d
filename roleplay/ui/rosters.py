"""Saved rosters (lists of participant names) in the user's config folder, as JSON.

`$ROLEPLAY_CONFIG` (a folder) wins, else `$XDG_CONFIG_HOME/roleplay`, else
`~/.config/roleplay`. Plain Python: no Textual here, so tests and the CLI can use it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

FILE_NAME = "rosters.json"


def config_dir() -> Path:
    env = os.environ.get("ROLEPLAY_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "roleplay"


def rosters_path() -> Path:
    return config_dir() / FILE_NAME


def load_rosters(path: Path | None = None) -> dict[str, list[str]]:
    """Name -> participants. A missing or damaged file gives no rosters (never an exception)."""
    path = path or rosters_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
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
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": 1, "rosters": rosters}, ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rosters-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def delete_roster(name: str, path: Path | None = None) -> None:
    path = path or rosters_path()
    rosters = load_rosters(path)
    if rosters.pop(name, None) is not None:
        save_roster_all(rosters, path)


def save_roster_all(rosters: dict[str, list[str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "rosters": rosters}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def parse_participants(text: str) -> list[str]:
    """'Ana, Ben, Cleo' -> names; '5' -> Participant 1..5 (same rule as the CLI)."""
    text = text.strip()
    if text.isdigit():
        return [f"Participant {i}" for i in range(1, int(text) + 1)]
    return [name.strip() for name in text.replace("\n", ",").split(",") if name.strip()]

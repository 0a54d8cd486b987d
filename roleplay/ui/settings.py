"""The trainer's remembered choices (the support-resources country), as JSON beside the rosters.

Plain Python: no Textual here. A missing or damaged file gives no settings, never an exception.
"""

from __future__ import annotations

import threading
from pathlib import Path

from roleplay.ui.config_files import config_dir, read_json, write_json_atomic

FILE_NAME = "settings.json"
# The app saves from workers and from the UI thread: read-modify-write under one lock, or one save
# can overwrite another's choice.
_SAVING = threading.Lock()


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def load_settings(path: Path | None = None) -> dict[str, str]:
    path = path or settings_path()
    data = read_json(path)
    values = data.get("settings", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in values.items() if isinstance(v, (str, int))} if isinstance(values, dict) else {}


def save_setting(name: str, value: str, path: Path | None = None) -> Path:
    """Remember one choice; written atomically."""
    path = path or settings_path()
    with _SAVING:
        values = load_settings(path)
        values[name] = value
        write_json_atomic(path, {"version": 1, "settings": values})
    return path


def saved_country() -> str | None:
    return load_settings().get("country") or None


def saved_projected() -> bool:
    """Whether this screen is shown to the group; on unless the trainer said otherwise (the safe side)."""
    return load_settings().get("projected", "yes") != "no"


PRE_SESSION = "pre_session_checklist"  # "off", or the day (YYYY-MM-DD) the trainer last said ready


def pre_session_due(today: str) -> bool:
    """Whether the pre-session checklist (core/pre_session.py) should be shown before a session set up `today`."""
    return load_settings().get(PRE_SESSION, "") not in ("off", today)

"""The trainer's remembered choices (the support-resources country), as JSON beside the rosters.

Plain Python: no Textual here. A missing or damaged file gives no settings, never an exception.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from roleplay.ui.rosters import config_dir

FILE_NAME = "settings.json"


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def load_settings(path: Path | None = None) -> dict[str, str]:
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    values = data.get("settings", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in values.items() if isinstance(v, (str, int))} if isinstance(values, dict) else {}


def save_setting(name: str, value: str, path: Path | None = None) -> Path:
    """Remember one choice; written atomically."""
    path = path or settings_path()
    values = load_settings(path)
    values[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"version": 1, "settings": values}, ensure_ascii=False, indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def saved_country() -> str | None:
    return load_settings().get("country") or None

"""The trainer's own files (rosters, remembered choices) in the user's config folder.

Where that folder is comes from roleplay.core.settings (`$ROLEPLAY_CONFIG`,
else the platform's config folder). Rosters hold people's names, so the
folder is made 0700 and files are 0600. Plain Python: no Textual here.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def config_dir() -> Path:
    from roleplay.core.settings import config_dir as configured

    return configured()


def read_json(path: Path) -> Any:
    """The file's data, or None when it is missing or damaged (never an exception)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json_atomic(path: Path, data: Any) -> Path:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    from roleplay.core.settings import private_dir

    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

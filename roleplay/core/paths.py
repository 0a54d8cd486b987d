"""Default places on disk."""

from __future__ import annotations

import os
from pathlib import Path


def recordings_root() -> Path:
    """Where session folders go: $ROLEPLAY_RECORDINGS, ./recordings in a checkout, else the user's data folder."""
    env = os.environ.get("ROLEPLAY_RECORDINGS")
    if env:
        return Path(env)
    here = Path("recordings")
    if here.is_dir():
        return here
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "roleplay" / "recordings"

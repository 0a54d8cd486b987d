"""Deleting sessions: one on request, or all older than a retention period.

Only folders holding a `session.jsonl` are ever deleted, so a mistyped path
cannot remove anything else. A session's age is taken from its first logged
event (when it started), or from the log file's time if the log is unreadable.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from roleplay.core.log import LOG_NAME, LogError, read_log

_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([hdw])\s*$", re.IGNORECASE)


class RetentionError(Exception):
    """A bad period or a folder that is not a session; the message says which."""


def default_sessions_root() -> Path:
    """The same folder new sessions go to (see roleplay.core.paths)."""
    from roleplay.core.paths import recordings_root

    return recordings_root()


def parse_period(text: str) -> float:
    """`12h`, `30d`, `2w` -> seconds."""
    match = _PERIOD.match(str(text))
    if not match:
        raise RetentionError(f"cannot read the period {text!r}: write a number and h, d or w, like 30d")
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise RetentionError(f"the period {text!r} must be longer than zero")
    return seconds


def is_session(folder: Path) -> bool:
    folder = Path(folder)
    return folder.is_dir() and not folder.is_symlink() and (folder / LOG_NAME).is_file()


def delete_session(folder: Path) -> int:
    """Remove a session folder and everything in it; returns the bytes freed."""
    folder = Path(folder)
    if folder.is_symlink():
        raise RetentionError(f"{folder} is a link, not a session folder; nothing was deleted")
    if not folder.exists():
        raise RetentionError(f"there is no session at {folder}")
    if not is_session(folder):
        raise RetentionError(f"{folder} is not a session folder (it has no {LOG_NAME}); nothing was deleted")
    size = _size(folder)
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise RetentionError(f"could not delete all of {folder}: {exc.strerror or exc}") from None
    return size


def session_started(folder: Path) -> float:
    """Wall time the session started."""
    try:
        events = read_log(folder)
        if events:
            return events[0].wall
    except LogError:
        pass
    return (Path(folder) / LOG_NAME).stat().st_mtime


@dataclass(frozen=True)
class PruneResult:
    deleted: list[Path]
    kept: list[Path]
    skipped: list[Path]  # folders that are not sessions: never touched
    freed: int


def prune(root: Path, older_than: float, now: float | None = None, dry_run: bool = False) -> PruneResult:
    """Delete the sessions under `root` that started more than `older_than` seconds ago."""
    root = Path(root)
    if not root.is_dir():
        raise RetentionError(f"there is no sessions folder at {root}")
    now = time.time() if now is None else now
    deleted, kept, skipped, freed = [], [], [], 0
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        if not is_session(folder):
            skipped.append(folder)
        elif now - session_started(folder) > older_than:
            freed += _size(folder) if dry_run else delete_session(folder)
            deleted.append(folder)
        else:
            kept.append(folder)
    return PruneResult(deleted, kept, skipped, freed)


def _size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            pass
    return total

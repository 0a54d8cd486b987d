"""Deleting sessions: one on request, or all older than a retention period.

Only folders holding a `session.jsonl` are ever deleted, so a mistyped path
cannot remove anything else. A session that a running program holds open
(its log is locked) is never deleted: it is skipped and named. A session's
age is taken from its first logged event (when it started), or from the log
file's time if the log is unreadable. Periods under a day need `force`, so a
typo such as `30h` for `30d` cannot wipe a day's work.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from roleplay.core.folder import SessionFolder
from roleplay.core.i18n import _
from roleplay.core.log import LOG_NAME, LogError, is_live, read_log

_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([hdw])\s*$", re.IGNORECASE)


class RetentionError(Exception):
    """A bad period or a folder that is not a session; the message says which."""


def default_sessions_root() -> Path:
    """The same folder new sessions go to (see roleplay.core.settings)."""
    from roleplay.core.settings import recordings_root

    return recordings_root()


DAY = 86400.0


def parse_period(text: str, force: bool = False) -> float:
    """`12h`, `30d`, `2w` -> seconds. Under a day only with `force`."""
    match = _PERIOD.match(str(text))
    if not match:
        raise RetentionError(_("cannot read the period {text!r}: write a number and h, d or w, like 30d").format(text=text))
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise RetentionError(_("the period {text!r} must be longer than zero").format(text=text))
    if seconds < DAY and not force:
        raise RetentionError(
            _("the period {text!r} is shorter than a day, so it would delete today's sessions; give --force if that is what you want").format(text=text)
        )
    return seconds


class SessionInUse(RetentionError):
    """The session is open in a running program; nothing was deleted."""


def is_session(folder: Path) -> bool:
    return SessionFolder(Path(folder)).is_session()


def delete_session(folder: Path) -> int:
    """Remove a session folder and everything in it; returns the bytes freed."""
    folder = Path(folder)
    if folder.is_symlink():
        raise RetentionError(_("{folder} is a link, not a session folder; nothing was deleted").format(folder=folder))
    if not folder.exists():
        raise RetentionError(_("there is no session at {folder}").format(folder=folder))
    if not is_session(folder):
        raise RetentionError(_("{folder} is not a session folder (it has no {log_name}); nothing was deleted").format(folder=folder, log_name=LOG_NAME))
    if is_live(folder):
        raise SessionInUse(_("{folder} is open in a running roleplay (app, play or record); close it first. Nothing was deleted").format(folder=folder))
    size = _size(folder)
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise RetentionError(_("could not delete all of {folder}: {strerror}").format(folder=folder, strerror=exc.strerror or exc)) from None
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
    in_use: list[Path] = field(default_factory=list)  # old enough, but open in a running program: kept


def prune(root: Path, older_than: float, now: float | None = None, dry_run: bool = False) -> PruneResult:
    """Delete the sessions under `root` that started more than `older_than` seconds ago."""
    root = Path(root)
    if not root.is_dir():
        raise RetentionError(_("there is no sessions folder at {root}").format(root=root))
    now = time.time() if now is None else now
    deleted: list[Path] = []
    kept: list[Path] = []
    skipped: list[Path] = []
    in_use: list[Path] = []
    freed = 0
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        if not is_session(folder):
            skipped.append(folder)
        elif now - session_started(folder) <= older_than:
            kept.append(folder)
        elif is_live(folder):
            in_use.append(folder)
        elif dry_run:
            freed += _size(folder)
            deleted.append(folder)
        else:
            try:
                freed += delete_session(folder)
            except SessionInUse:  # opened between the check and the deletion
                in_use.append(folder)
                continue
            deleted.append(folder)
    return PruneResult(deleted, kept, skipped, freed, in_use)


def _size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            pass
    return total

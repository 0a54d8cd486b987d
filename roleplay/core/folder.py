"""A session folder and every file in it: the one place that knows their names.

Everything written about people is private: folders the program creates are
0700 and files 0600, whatever the umask. A folder the program did not create
keeps its mode (`record --out /tmp` must not lock everyone else out of /tmp).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from roleplay.core.clock import Clock
from roleplay.core.i18n import _

FOLDER_MODE = 0o700
FILE_MODE = 0o600

LOG_NAME = "session.jsonl"
TORN_NAME = LOG_NAME + ".torn"
LOG_KEY_NAME = "key.age"  # the sealed log's key, wrapped by the passphrase
LOG_RECIPIENT_NAME = "recipient.txt"  # its public half: writing needs no passphrase
VIDEO_DIR = "video"
VIDEO_INDEX_NAME = "index.jsonl"
VIDEO_KEY_NAME = "key.age"


class FolderError(Exception):
    """A session folder cannot be made or used; the message says where and why."""


@dataclass(frozen=True)
class SessionFolder:
    """The paths of one session's folder. Making the object touches nothing on disk."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def log(self) -> Path:
        return self.path / LOG_NAME

    @property
    def torn(self) -> Path:
        """Where a last line cut by a crash is kept when the log is repaired."""
        return self.path / TORN_NAME

    @property
    def log_key(self) -> Path:
        return self.path / LOG_KEY_NAME

    @property
    def log_recipient(self) -> Path:
        return self.path / LOG_RECIPIENT_NAME

    @property
    def video(self) -> Path:
        return self.path / VIDEO_DIR

    @property
    def video_index(self) -> Path:
        return self.video / VIDEO_INDEX_NAME

    @property
    def video_key(self) -> Path:
        return self.video / VIDEO_KEY_NAME

    @property
    def sealed(self) -> bool:
        """The log is encrypted (it has a recipient to seal lines to)."""
        return self.log_recipient.is_file()

    def is_session(self) -> bool:
        return self.path.is_dir() and not self.path.is_symlink() and self.log.is_file() and not self.log.is_symlink()

    @classmethod
    def create(cls, root: Path, scenario_id: str, clock: Clock | None = None) -> "SessionFolder":
        """`root/<YYYYmmdd-HHMMSS>-<scenario-id>`, with a suffix if that exists already."""
        clock = clock or Clock()
        stamp = datetime.fromtimestamp(clock.wall()).strftime("%Y%m%d-%H%M%S")
        safe_id = re.sub(r"[^a-z0-9-]", "-", scenario_id.lower())[:64] or "session"
        root = Path(root)
        try:
            make_private_dir(root)
            for n in range(1, 1000):
                folder = root / (f"{stamp}-{safe_id}" if n == 1 else f"{stamp}-{safe_id}-{n}")
                try:
                    folder.mkdir(mode=FOLDER_MODE)
                except FileExistsError:
                    continue
                os.chmod(folder, FOLDER_MODE)  # the umask may have taken bits away
                return cls(folder)
        except OSError as exc:
            raise FolderError(_("cannot create a session folder under {root}: {strerror}").format(root=root, strerror=exc.strerror or exc)) from None
        raise FolderError(_("cannot create a session folder under {root}: too many sessions this second").format(root=root))


def make_private_dir(path: Path) -> None:
    """Create a folder and any missing parents, each 0700. Folders that exist keep their mode."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists() and not probe.is_symlink():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise NotADirectoryError(_("{probe} is not a folder").format(probe=probe))
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by someone else meanwhile: theirs, so its mode is theirs
        os.chmod(folder, FOLDER_MODE)


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 made exact (the umask may take bits away), never through a symlink."""
    fd = os.open(path, flags | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        if flags & os.O_CREAT:
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def write_private_bytes(path: Path, data: bytes) -> None:
    """Replace a file with `data`, readable only by its owner, atomically (temp file and rename)."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = open_private(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def write_private_text(path: Path, text: str) -> None:
    """Write a file only its owner can read (reports and other files from a session)."""
    write_private_bytes(path, text.encode("utf-8"))

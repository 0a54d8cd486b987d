"""Private, crash-safe files: 0600, written whole to a temporary name, fsync'd, renamed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from roleplay.core.log import FILE_MODE

# The open() used for writes; tests swap it to simulate a full disk.
Opener = Callable[[Path], int]


def open_private(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away; make it exact
    return fd


def write_private(path: Path, data: bytes, opener: Opener = open_private) -> None:
    """Write `data` so that `path` either holds all of it or does not exist."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.unlink()  # left by a crash
    except FileNotFoundError:
        pass
    fd = opener(tmp)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def append_line(path: Path, line: str) -> None:
    """Append one line and fsync it, creating the file 0600 if needed."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        data = line.encode("utf-8")
        while data:
            data = data[os.write(fd, data):]
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

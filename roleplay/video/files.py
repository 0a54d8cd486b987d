"""Private, crash-safe files: 0600 in 0700 folders, written whole to a temporary name, fsync'd, renamed.

Everything the video code writes is about people, so every file is 0600 and
every folder it creates 0700, whatever the umask; a folder it did not create
keeps its mode. Nothing is ever written or read through a symlink, and reads
are bounded: a recording folder is data, and data may have been tampered with.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Callable

from roleplay.core.i18n import _

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

# The open() used for writes; tests swap it to simulate a full disk.
Opener = Callable[[Path], int]


class UnsafeFile(OSError):
    """A file that is a link, not a regular file, or far too large to be ours."""


def open_private(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away; make it exact
    except OSError:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes, opener: Opener = open_private) -> None:
    """Write `data` so that `path` either holds all of it or does not exist."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.unlink()  # left by a crash (a link is removed, never followed)
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
    """Append one line and fsync it, creating the file 0600 if needed.

    All or nothing: a write that fails half-way (a full disk, a file-size limit)
    is cut back to the size before it, and the error is raised; a last line cut
    by an earlier crash is cut off before anything is appended after it. So
    the file only ever holds complete lines.
    """
    data = line.encode("utf-8")
    if not data.endswith(b"\n") or b"\n" in data[:-1]:
        raise ValueError("append_line takes exactly one line ending in a newline")
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW, FILE_MODE)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(_("{path} is not a regular file").format(path=path))
        if stat.S_IMODE(info.st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
        size = _cut_torn_tail(fd, info.st_size)
        written = 0
        try:
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        except OSError:
            try:
                os.ftruncate(fd, size)  # take back whatever part of the line reached the file
                os.fsync(fd)
            except OSError:
                pass  # readers ignore a last line without its newline; the next append cuts it
            raise
    finally:
        os.close(fd)


def _cut_torn_tail(fd: int, size: int) -> int:
    """Cut a last line without its newline (a crash mid-append); return the size after."""
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    raw = read_fd(fd, size, 0)
    cut = raw.rfind(b"\n") + 1
    os.ftruncate(fd, cut)
    os.fsync(fd)
    return cut


def read_fd(fd: int, size: int, offset: int = 0) -> bytes:
    parts, done = [], 0
    while done < size:
        chunk = os.pread(fd, size - done, offset + done)
        if not chunk:
            break
        parts.append(chunk)
        done += len(chunk)
    return b"".join(parts)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file that is not a link, at most `limit` of them, or UnsafeFile.

    Never blocks on a FIFO and never reads a device: a tampered folder cannot
    make a reader wait forever or fill the memory.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(_("{path} is not a regular file").format(path=path))
        if info.st_size > limit:
            raise UnsafeFile(_("{path} is {size} bytes, more than a file of this kind can be ({limit})").format(path=path, size=info.st_size, limit=limit))
        return read_fd(fd, info.st_size)
    finally:
        os.close(fd)


def make_private_dir(path: Path) -> bool:
    """Create `path` and any missing parents, each 0700; True if `path` was created.

    A folder that exists already keeps its mode: it may not be ours. A link
    where a folder should be is refused.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if path.is_symlink():
        raise NotADirectoryError(_("{path} is a link, not a folder").format(path=path))
    if os.path.lexists(probe) and not probe.is_dir():
        raise NotADirectoryError(_("{probe} is not a folder").format(probe=probe))
    created = False
    for folder in reversed(missing):
        try:
            os.mkdir(folder, FOLDER_MODE)
        except FileExistsError:
            if folder.is_symlink() or not folder.is_dir():
                raise NotADirectoryError(_("{folder} is not a folder").format(folder=folder)) from None
            continue  # made by someone else meanwhile: theirs, so its mode is theirs
        _chmod_dir(folder, FOLDER_MODE)
        created = folder == path
    return created


def _chmod_dir(folder: Path, mode: int) -> None:
    """chmod a folder just made, through a descriptor that cannot be a link."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def remove_tree(folder: Path, last: tuple[str, ...] = ()) -> tuple[int, int]:
    """Remove `folder` and what it holds without following any link; return (files, bytes).

    A link (to a file or a folder, inside or as `folder` itself) is removed as
    a link; what it points to is never touched. The entries named in `last`
    go last, in that order (an index outlives the files it lists, so a removal
    cut short leaves nothing unlisted).
    """
    folder = Path(folder)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return 0, 0
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(folder)
        return 1, 0 if stat.S_ISLNK(info.st_mode) else info.st_size
    files = size = 0
    order = {name: i for i, name in enumerate(last, 1)}
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: (order.get(e.name, 0), e.name))
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            count, freed = _tree_size(Path(entry.path))
            shutil.rmtree(entry.path)  # removes links inside as links
        else:
            count, freed = 1, 0 if entry.is_symlink() else entry.stat(follow_symlinks=False).st_size
            os.unlink(entry.path)
        files += count
        size += freed
    os.rmdir(folder)
    return files, size


def _tree_size(folder: Path) -> tuple[int, int]:
    files = size = 0
    for root, dirs, names in os.walk(folder, followlinks=False):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            files += 1
            try:
                info = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                size += info.st_size
    return files, size


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

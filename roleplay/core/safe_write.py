"""Writing a file the user named (`report -o`, `clip -o`, `cards -o`) without harm.

- The file is written under a fresh temporary name in the target's folder,
  created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, 0600 whatever the umask),
  fsync'd, then moved into place at once: nobody ever sees half a file, and a
  link planted where the temporary file goes cannot redirect the write.
- The target itself is replaced, never followed: a symlink named as the output
  is swapped for the new file, its target is left alone.
- An existing file is overwritten only with `force` (the CLI's `--force`);
  without it the error names the file. Even with `force`, nothing inside a
  session folder is ever overwritten, and nothing new is put there except a
  report or a clip (a `.md`, `.html`, `.mp4` or `.mkv` beside the log): a
  mistyped `-o` must not replace or inject a session's log, index or key.

Only the standard library: core never imports textual, cv2 or av.
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from roleplay.core.folder import LOG_NAME, VIDEO_DIR, VIDEO_INDEX_NAME
from roleplay.core.i18n import _

FILE_MODE = 0o600
# What marks a session folder: its log, or a recording's index.
SESSION_MARKERS = (LOG_NAME, f"{VIDEO_DIR}/{VIDEO_INDEX_NAME}")
# The only new files that may go into a session folder (directly beside its log).
OUTPUT_SUFFIXES = (".md", ".html", ".mp4", ".mkv")


class WriteError(Exception):
    """The file cannot be written; the message names it and says why."""


class WriteRefused(WriteError):
    """Writing there is not allowed (it exists, or it is inside a session folder)."""


def session_folder_holding(folder: Path, protected_dirs: Iterable[Path] = ()) -> Path | None:
    """The session folder that `folder` (resolved) is, or is inside of; None if it is in none."""
    folder = Path(os.path.realpath(folder))
    protected = [Path(os.path.realpath(p)) for p in protected_dirs]
    for candidate in (folder, *folder.parents):
        if candidate in protected:
            return candidate
        if any(os.path.lexists(candidate / marker) for marker in SESSION_MARKERS):
            return candidate
    return None


def check_target(path: Path, *, force: bool = False, protected_dirs: Iterable[Path] = ()) -> Path:
    """Raise WriteRefused/WriteError unless `path` may be written; return it with its folder resolved.

    Called before the (possibly long) work of making the file, and again just
    before it is moved into place.
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        raise WriteRefused(_("{path} is not a file name").format(path=path))
    parent = path.parent
    try:
        real_parent = Path(os.path.realpath(parent, strict=True))
    except OSError:
        raise WriteError(_("cannot write {path}: there is no folder {parent}").format(path=path, parent=parent)) from None
    if not real_parent.is_dir():
        raise WriteError(_("cannot write {path}: {parent} is not a folder").format(path=path, parent=parent))
    target = real_parent / path.name
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(_("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(_("cannot write {path}: it is a folder").format(path=path))
    session = session_folder_holding(real_parent, protected_dirs)
    if session is not None:
        if info is not None:
            raise WriteRefused(_("{path} is inside the session folder {session}: files there are never overwritten; choose another name").format(path=path, session=session))
        if real_parent != session or target.suffix.lower() not in OUTPUT_SUFFIXES:
            raise WriteRefused(_("{path} is inside the session folder {session}: only a report or a clip ({output_suffixes}) may be added there, beside the log").format(path=path, session=session, output_suffixes=', '.join(OUTPUT_SUFFIXES)))
    if info is not None and not force:
        raise WriteRefused(_("{path} exists already; give --force to overwrite it").format(path=path))
    return target


@contextmanager
def new_file(path: Path, *, force: bool = False, protected_dirs: Iterable[Path] = ()) -> Iterator[BinaryIO]:
    """A binary file to write into; on leaving the block without an error it becomes `path`.

    On an error the temporary file is removed and `path` is untouched. OSErrors
    (from this function or from the block) become WriteError naming `path`.
    """
    protected_dirs = list(protected_dirs)
    target = check_target(path, force=force, protected_dirs=protected_dirs)
    temp, fd = _create_temp(target, path)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        target = check_target(path, force=force, protected_dirs=protected_dirs)
        _move_into_place(temp, target, path, replace=force and session_folder_holding(target.parent, protected_dirs) is None)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise WriteError(_("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
    finally:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        except OSError:
            pass


def write_new_file(path: Path, data: bytes, *, force: bool = False, protected_dirs: Iterable[Path] = ()) -> Path:
    """Write `data` to `path` under the rules above; returns `path`."""
    with new_file(path, force=force, protected_dirs=protected_dirs) as handle:
        handle.write(data)
    return Path(path)


def _create_temp(target: Path, shown: Path) -> tuple[Path, int]:
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.part")
        try:
            fd = os.open(temp, flags, FILE_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteError(_("cannot write {shown}: {strerror}").format(shown=shown, strerror=exc.strerror or exc)) from None
        try:
            os.fchmod(fd, FILE_MODE)  # the umask may have taken bits away: make it exact
        except OSError:
            os.close(fd)
            os.unlink(temp)
            raise
        return temp, fd
    raise WriteError(_("cannot write {shown}: no free temporary name in {parent}").format(shown=shown, parent=target.parent))


def _move_into_place(temp: Path, target: Path, shown: Path, replace: bool) -> None:
    if replace:
        os.replace(temp, target)  # a symlink at `target` is replaced, not followed
        return
    # Never replace: link(2) fails if anything (even a dangling link) has the name meanwhile.
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise WriteRefused(_("{shown} exists already; give --force to overwrite it").format(shown=shown)) from None
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, never through a link).
        if os.path.lexists(target):
            raise WriteRefused(_("{shown} exists already; give --force to overwrite it").format(shown=shown)) from None
        os.rename(temp, target)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

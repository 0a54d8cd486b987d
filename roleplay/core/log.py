"""The append-only session log: `session.jsonl`, one event per line.

`SessionLog` is the only writer. Each line is flushed and fsync'd before
`append` returns, so a crash loses at most the event being written; a write
that fails half-way (disk full, file-size limit) is cut back to the last
complete line before the error is raised, so the log never holds a broken
line in its middle. While a `SessionLog` is open it holds an exclusive lock
on the file: a second writer (another window, `prune`, `delete`) sees the
session is live and leaves it alone.

Lines are split on "\\n" only: names and notes may hold any Unicode text,
including U+2028 and U+0085, which `str.splitlines` would treat as breaks.

With a passphrase the log is sealed: each line's event is encrypted (see
`roleplay.core.sealing`) and only `seq` stays readable.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from roleplay.core.clock import Clock
from roleplay.core.events import LOG_FORMAT, EventBody, EventDataError, SessionStarted, make_body, parse_body
from roleplay.core.folder import (
    FILE_MODE,
    FOLDER_MODE,
    LOG_NAME,
    FolderError,
    SessionFolder,
    make_private_dir,
    open_private,
    write_private_bytes,
    write_private_text,
)
from roleplay.core.i18n import _

try:  # Unix: a live session's log is locked; elsewhere the lock is skipped
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from roleplay.core.sealing import Opener, Sealer

__all__ = [
    "FILE_MODE", "FOLDER_MODE", "LOG_NAME", "DamagedLog", "LockedLog", "LogError", "LogEvent", "SessionLog",
    "is_live", "make_private_dir", "new_session_folder", "read_log", "write_private_text",
]


@dataclass(frozen=True)
class LogEvent:
    """One line of the log: where it stands, when it was written, and the typed event."""

    seq: int
    wall: float
    mono: float
    body: EventBody

    @property
    def type(self) -> str:
        return str(self.body.type)  # type: ignore[attr-defined]

    @property
    def data(self) -> dict[str, Any]:
        """The event's `data` object as it is written to disk (for tests and tools; code reads `body`)."""
        return self.body.payload()

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "wall": self.wall, "mono": self.mono, "type": self.type, "data": self.body.payload()}


class LogError(Exception):
    """The session log cannot be written or read; the message says where and why."""


class DamagedLog(LogError):
    """A line in the middle of the log cannot be read. `events` holds the ones before it."""

    def __init__(self, message: str, line: int, reason: str, events: list[LogEvent]):
        super().__init__(message)
        self.line = line
        self.reason = reason
        self.events = events


class LockedLog(LogError):
    """The log is sealed and no passphrase (or a wrong one) was given."""


class NewerLog(LogError):
    """The log was written by a newer version of the program."""


def new_session_folder(root: Path, scenario_id: str, clock: Clock | None = None) -> Path:
    """A new private session folder under `root` (see `SessionFolder.create`)."""
    try:
        return SessionFolder.create(root, scenario_id, clock).path
    except FolderError as exc:
        raise LogError(str(exc)) from None


def _encode(event: LogEvent, sealer: "Sealer | None") -> bytes:
    text = json.dumps(event.as_dict(), ensure_ascii=False, separators=(",", ":"))
    if sealer is not None:
        sealed = base64.b64encode(sealer.seal(text.encode("utf-8"))).decode("ascii")
        text = json.dumps({"seq": event.seq, "sealed": sealed}, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


class SessionLog:
    """Appends events to `folder/session.jsonl`.

    Safe to share between threads (the UI, the recorder and the room all
    append): one lock keeps `seq` and the order of lines in step.
    """

    def __init__(self, folder: Path, clock: Clock | None = None, sealer: "Sealer | None" = None):
        self.folder = Path(folder)
        self.paths = SessionFolder(self.folder)
        self.path = self.paths.log
        self.clock = clock or Clock()
        self.sealer = sealer
        self._lock = threading.Lock()
        self._fd = -1
        if sealer is None and self.paths.sealed:
            from roleplay.core.sealing import sealer_for

            self.sealer = sealer_for(self.paths)
        try:
            fd = open_private(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        except OSError as exc:
            raise LogError(_("cannot open the session log {path}: {strerror}").format(path=self.path, strerror=exc.strerror or exc)) from None
        try:
            _lock_exclusive(fd, self.path)
            self._seq = _repair_tail(fd, self.paths)
            self._size = os.fstat(fd).st_size
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    @property
    def last_seq(self) -> int:
        return self._seq

    def append(self, body: EventBody | str, data: dict[str, Any] | None = None) -> LogEvent:
        """Write one event and return it once it is on disk. Raises LogError (nothing half-written stays)."""
        if isinstance(body, str):
            try:
                body = make_body(body, data)
            except EventDataError as exc:
                raise ValueError(_("cannot log this event: {exc}").format(exc=exc)) from None
        with self._lock:
            if self._fd < 0:
                raise LogError(_("the session log {path} is closed").format(path=self.path))
            event = LogEvent(self._seq + 1, self.clock.wall(), self.clock.monotonic(), body)
            line = _encode(event, self.sealer)
            try:
                written = 0
                while written < len(line):
                    written += os.write(self._fd, line[written:])
                os.fsync(self._fd)
            except OSError as exc:
                self._cut_back()
                raise LogError(
                    _("cannot write to the session log {path}: {strerror}. The last step was not saved; everything before it is safe.").format(path=self.path, strerror=exc.strerror or exc)
                ) from None
            self._seq += 1
            self._size += len(line)
            return event

    def _cut_back(self) -> None:
        """Remove whatever part of a failed line reached the file."""
        try:
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)
        except OSError:
            pass  # the reader ignores a cut last line; the next open repairs it

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)  # closing releases the lock
                self._fd = -1

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def __enter__(self) -> "SessionLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lock_exclusive(fd: int, path: Path) -> None:
    if fcntl is None:  # pragma: no cover
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise LogError(
            _("the session in {parent} is open in another roleplay window or command; close it there first").format(parent=path.parent)
        ) from None


def is_live(folder: Path) -> bool:
    """Whether a running program holds the session open (its log is locked)."""
    if fcntl is None:  # pragma: no cover
        return False
    try:
        fd = os.open(SessionFolder(Path(folder)).log, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _repair_tail(fd: int, paths: SessionFolder) -> int:
    """Cut a partial last line left by a crash (keeping a copy) and return the last seq."""
    size = os.fstat(fd).st_size
    raw = os.pread(fd, size, 0) if size else b""
    if raw and not raw.endswith(b"\n"):
        cut = raw.rfind(b"\n") + 1
        write_private_bytes(paths.torn, _read_or_empty(paths.torn) + raw[cut:] + b"\n")
        os.ftruncate(fd, cut)
        os.fsync(fd)
        raw = raw[:cut]
    last = 0
    for number, line in enumerate(raw.split(b"\n")[:-1], 1):
        if not line.strip():
            continue
        try:
            last = int(json.loads(line)["seq"])
        except (ValueError, KeyError, TypeError):
            raise LogError(_("{log}:{number}: this line is damaged, so the session cannot be continued").format(log=paths.log, number=number)) from None
    return last


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _parse_line(raw: bytes, opener: "Opener | None", where: str) -> LogEvent:
    """One complete line as a typed event; raises ValueError with the reason."""
    obj = json.loads(raw.decode("utf-8"))
    if not isinstance(obj, dict):
        raise ValueError(_("the line is not a JSON object"))
    if "sealed" in obj:
        if opener is None:
            raise _Locked()
        obj = json.loads(opener.open(base64.b64decode(obj["sealed"], validate=True), where).decode("utf-8"))
        if not isinstance(obj, dict):
            raise ValueError(_("the sealed line is not a JSON object"))
    for key in ("seq", "wall", "mono", "type", "data"):
        if key not in obj:
            raise ValueError(_("the line has no '{key}'").format(key=key))
    if not isinstance(obj["type"], str):
        raise ValueError(_("'type' is not text"))
    body = parse_body(obj["type"], obj["data"])
    return LogEvent(int(obj["seq"]), float(obj["wall"]), float(obj["mono"]), body)


class _Locked(Exception):
    pass


def iter_lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for every complete line; a last line without "\\n" was cut by a crash and is left out."""
    lines = raw.split(b"\n")
    lines.pop()  # after the last "\n": empty, or a line cut by a crash
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line


def read_log(folder_or_file: Path, opener: "Opener | None" = None) -> list[LogEvent]:
    """All complete events of a session log, typed. A cut last line is ignored.

    Raises `DamagedLog` (with the line and the events before it) for a broken
    line, `LockedLog` for a sealed log without its key, `NewerLog` for a log
    from a newer version, `LogError` when the file cannot be read.
    """
    path = Path(folder_or_file)
    if path.is_dir():
        path = SessionFolder(path).log
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LogError(_("no session log at {path}").format(path=path)) from None
    except OSError as exc:
        raise LogError(_("cannot read the session log {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
    events: list[LogEvent] = []
    for number, line in iter_lines(raw):
        where = f"{path}:{number}"
        try:
            event = _parse_line(line, opener, where)
        except _Locked:
            raise LockedLog(_("{parent} is encrypted: give its passphrase to open it").format(parent=path.parent)) from None
        except LogError:
            raise
        except EventDataError as exc:
            if events and isinstance(events[0].body, SessionStarted) and events[0].body.format > LOG_FORMAT:
                raise _newer(path, events[0].body.format) from None
            raise DamagedLog(f"{where}: {exc}", number, str(exc), events) from None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            reason = _("not valid JSON") if isinstance(exc, json.JSONDecodeError) else str(exc) or type(exc).__name__
            raise DamagedLog(_("{where}: this line is damaged ({reason})").format(where=where, reason=reason), number, reason, events) from None
        if not events:
            if not isinstance(event.body, SessionStarted):
                raise DamagedLog(_("{where}: a session log starts with session_started, not {type}").format(where=where, type=event.type),
                                 number, _("does not start with session_started"), events)
            if event.body.format > LOG_FORMAT:
                raise _newer(path, event.body.format)
        events.append(event)
    return events


def _newer(path: Path, found: int) -> NewerLog:
    return NewerLog(
        _("{parent} was written by a newer version of roleplay (log format {found}; this version reads up to {log_format}): update roleplay to open it").format(parent=path.parent, found=found, log_format=LOG_FORMAT)
    )

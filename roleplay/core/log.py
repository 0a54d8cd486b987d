"""The append-only session log: `session.jsonl`, one JSON object per event.

Every event is flushed and fsync'd before `append` returns, so a crash loses
at most the event being written. Reading tolerates a last line cut by a crash.
Reports, replay and crash recovery read only this file.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from roleplay.core.clock import Clock

LOG_NAME = "session.jsonl"
FOLDER_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class LogEvent:
    seq: int
    wall: float
    mono: float
    type: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "wall": self.wall, "mono": self.mono, "type": self.type, "data": self.data}


class LogError(Exception):
    """The session log cannot be written or read; the message says where and why."""


def make_private_dir(path: Path) -> None:
    """Create a folder (and parents) readable only by its owner."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(path, FOLDER_MODE)


def write_private_text(path: Path, text: str) -> None:
    """Write a file only its owner can read (reports and other files from a session)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            fd = -1
            handle.write(text)
    finally:
        if fd >= 0:
            os.close(fd)


def new_session_folder(root: Path, scenario_id: str, clock: Clock | None = None) -> Path:
    """`root/<YYYYmmdd-HHMMSS>-<scenario-id>`, with a suffix if that exists already."""
    clock = clock or Clock()
    stamp = datetime.fromtimestamp(clock.wall()).strftime("%Y%m%d-%H%M%S")
    safe_id = re.sub(r"[^a-z0-9-]", "-", scenario_id.lower())[:64] or "session"
    try:
        make_private_dir(root)
        for n in range(1, 1000):
            folder = root / (f"{stamp}-{safe_id}" if n == 1 else f"{stamp}-{safe_id}-{n}")
            try:
                folder.mkdir(mode=FOLDER_MODE)
            except FileExistsError:
                continue
            os.chmod(folder, FOLDER_MODE)
            return folder
    except OSError as exc:
        raise LogError(f"cannot create a session folder under {root}: {exc.strerror or exc}") from None
    raise LogError(f"cannot create a session folder under {root}: too many sessions this second")


class SessionLog:
    """Appends events to `folder/session.jsonl`.

    Safe to share between threads (the UI and the recorder both append): one
    lock keeps `seq` and the order of lines in step.
    """

    def __init__(self, folder: Path, clock: Clock | None = None):
        self.folder = Path(folder)
        self.path = self.folder / LOG_NAME
        self.clock = clock or Clock()
        self._seq = 0
        self._lock = threading.Lock()
        if self.path.exists():
            self._seq = _repair_tail(self.path)
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise LogError(f"cannot open the session log {self.path}: {exc.strerror or exc}") from None

    def append(self, type_: str, data: dict[str, Any] | None = None) -> LogEvent:
        with self._lock:
            if self._fd < 0:
                raise LogError(f"the session log {self.path} is closed")
            event = LogEvent(self._seq + 1, self.clock.wall(), self.clock.monotonic(), type_, data or {})
            line = (json.dumps(event.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            try:
                written = 0
                while written < len(line):
                    written += os.write(self._fd, line[written:])
                os.fsync(self._fd)
            except OSError as exc:
                raise LogError(f"cannot write to the session log {self.path}: {exc.strerror or exc}") from None
            self._seq += 1
            return event

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

    def __enter__(self) -> "SessionLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _repair_tail(path: Path) -> int:
    """Cut a partial last line left by a crash (keeping a copy) and return the last seq."""
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        cut = raw.rfind(b"\n") + 1
        (path.parent / (LOG_NAME + ".torn")).write_bytes(raw[cut:])
        with open(path, "r+b") as handle:
            handle.truncate(cut)
            handle.flush()
            os.fsync(handle.fileno())
        raw = raw[:cut]
    last = 0
    for event in _parse_lines(raw.decode("utf-8", "replace").splitlines()):
        last = event.seq
    return last


def _parse_lines(lines: list[str]) -> Iterator[LogEvent]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            yield LogEvent(int(obj["seq"]), float(obj["wall"]), float(obj["mono"]), str(obj["type"]), dict(obj["data"]))
        except (ValueError, KeyError, TypeError):
            if number == len(lines):
                return  # a last line cut by a crash
            raise LogError(f"session log line {number} is damaged") from None


def read_log(folder_or_file: Path) -> list[LogEvent]:
    """All complete events of a session log. A cut last line is ignored."""
    path = Path(folder_or_file)
    if path.is_dir():
        path = path / LOG_NAME
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        raise LogError(f"no session log at {path}") from None
    except OSError as exc:
        raise LogError(f"cannot read the session log {path}: {exc.strerror or exc}") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return list(_parse_lines(lines))

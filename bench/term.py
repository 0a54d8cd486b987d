"""What a person at a terminal sees: run a full-screen program in a pseudo-terminal and time its output.

The clock stops where a terminal emulator would have the result: when the program's output contains the
awaited texts and then goes quiet (no byte for `quiet` seconds; that window is not counted), or, for a key,
when the redraw it caused has arrived. Escape sequences are stripped before looking for texts.
Adapted from the course's shared measuring tool (term_latency.py), which is not shipped with the project.
Its 60 ms quiet window is too short here: the library draws the moved highlight first and the preview about
60 ms later, so a 60 ms window stopped the clock between the two frames. 200 ms covers both.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Iterable, Mapping

KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "tab": b"\t", "enter": b"\r", "esc": b"\x1b", "space": b" ",
        "ctrl+s": b"\x13"}
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]")


def plain(data: bytes) -> str:
    """Output bytes without escape sequences: the text that reached the screen, in the order it was written."""
    return ANSI.sub(b"", data).decode("utf-8", "replace")


class Term:
    """One program in a pseudo-terminal of cols x rows, started at once; `close()` ends it."""

    def __init__(self, command: list[str], cols: int = 120, rows: int = 40, quiet: float = 0.2,
                 env: Mapping[str, str] | None = None, cwd: str | None = None) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the program
            try:
                if cwd:
                    os.chdir(cwd)
                environ = {**(env if env is not None else os.environ), "TERM": "xterm-256color",
                           "COLUMNS": str(cols), "LINES": str(rows)}
                os.execvpe(command[0], command, environ)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = bytearray()  # everything read since the last key
        self.last: float | None = None  # when the latest byte arrived

    def read_until_quiet(self, limit: float) -> tuple[bytes, float | None, float | None]:
        """Read until no byte arrives for `quiet` s once something came (or `limit` s pass).

        Returns the bytes, the time of the first and of the last byte (None when nothing came)."""
        data = bytearray()
        first = last = None
        end = time.perf_counter() + limit
        while True:
            now = time.perf_counter()
            wait = min(self.quiet, end - now) if data else end - now
            if wait <= 0:
                break
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                if data:
                    break
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the program has ended
                break
            if not chunk:
                break
            last = time.perf_counter()
            first = first if first is not None else last
            data += chunk
        self.output += data
        self.last = last if last is not None else self.last
        return bytes(data), first, last

    def wait_for(self, texts: Iterable[str], timeout: float = 30.0) -> float:
        """Seconds from start until every text has been written and the output went quiet; TimeoutError if not."""
        wanted = list(texts)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.last is not None and all(t in plain(bytes(self.output)) for t in wanted):
                if not self.read_until_quiet(self.quiet)[0]:  # and nothing more came: the screen is settled
                    return self.last - self.started
                continue
            data, _, _ = self.read_until_quiet(deadline - time.perf_counter())
            if not data and not self.alive():
                break
        missing = [t for t in wanted if t not in plain(bytes(self.output))]
        raise TimeoutError(f"not on screen after {timeout:.0f} s: {missing}; last output: {plain(bytes(self.output))[-400:]!r}")

    def settle(self, limit: float = 2.0) -> None:
        """Let pending output drain (up to `limit` s), so the next key starts on a quiet terminal."""
        end = time.perf_counter() + limit
        while self.read_until_quiet(self.quiet * 2)[0] and time.perf_counter() < end:
            pass

    def key(self, key: str, limit: float = 5.0, tick: float = 0.0) -> float | None:
        """Seconds from writing the key until its redraw has arrived; None when the program wrote nothing.

        `tick`: the program redraws by itself every `tick` s (a running countdown). The key is then sent
        just after such a redraw, so the next one cannot fall inside the key's measurement."""
        self.settle()
        if tick:
            self.read_until_quiet(tick * 1.5)
        self.output.clear()
        sent = time.perf_counter()
        os.write(self.fd, KEYS.get(key, key.encode()))
        _, _, last = self.read_until_quiet(limit)
        return None if last is None else last - sent

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            # Keep reading, so a program writing its last frame is not blocked on a full pty.
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    os.read(self.fd, 65536)
                except OSError:
                    pass
            try:
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    break
            except ChildProcessError:
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)

    def __enter__(self) -> Term:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

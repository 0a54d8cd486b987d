"""Faults: a session killed at any point, or a write that fails at any event, loses nothing acknowledged.

"Acknowledged" means the command returned: its events are on disk. After the
fault the folder must still be listed with its true state, give a report and
resume; the next command must be logged after the last complete line.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys

import pytest

from roleplay.core import log as log_module
from roleplay.core.clock import FakeClock
from roleplay.core.command_line import run_command
from roleplay.core.engine import CommandError, GuardWarning, Session
from roleplay.core.log import LogError, read_log
from roleplay.core.report import to_markdown
from roleplay.pages.report import report_html as to_html
from roleplay.core.sessions import FolderState, read_info

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]
SCRIPT = [
    "note first", "next", "guess Ana right", "guess Ben wrong nurse", "mark key moment", "pause", "resume",
    "force next", "add ideas Call a friend", "tag ideas 1 small", "rate commitment 7", "note second ☃ \u2028 line",
    "timeout", "vote stayed-peer no", "answer safety 5", "next", "note last",
]
RUNS = int(os.environ.get("ROLEPLAY_FAULT_RUNS", "40"))


def _play(session: Session, commands: list[str], on_ack=None) -> None:
    for command in commands:
        try:
            run_command(session, command)
        except (CommandError, GuardWarning):
            pass
        if on_ack is not None:
            on_ack(len(session.events))


def _check_readable(folder, acknowledged: int) -> None:
    events = read_log(folder)
    assert len(events) >= acknowledged
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    info = read_info(folder)
    assert info.state in (FolderState.CUT_OFF, FolderState.ENDED), info.describe()
    rebuilt = Session.replay(folder)
    to_markdown(rebuilt)
    to_html(rebuilt)
    resumed = Session.replay(folder, resume=True)
    if not resumed.ended:
        resumed.note("after the fault")
    resumed.close()
    again = read_log(folder)
    assert len(again) >= len(events)
    assert again[: len(events)] == events  # nothing before the fault changed


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_at_random_points_never_loses_an_acknowledged_event(branching, tmp_path):
    rng = random.Random(2026)
    for run in range(RUNS):
        root = tmp_path / f"run{run}"
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child plays and reports each acknowledged event count
            try:
                os.close(read_end)
                session = Session.start(branching, PEOPLE, root=root, seed=3)
                os.write(write_end, f"{len(session.events)}\n".encode())
                _play(session, SCRIPT * 3, lambda n, fd=write_end: os.write(fd, f"{n}\n".encode()))
            finally:
                os._exit(0)
        os.close(write_end)
        stop_after = rng.randrange(1, len(SCRIPT) * 3)
        acknowledged, buffer, lines = 0, b"", 0
        with os.fdopen(read_end, "rb") as pipe:
            while lines < stop_after:
                chunk = pipe.read1(4096) if hasattr(pipe, "read1") else pipe.read(1)
                if not chunk:
                    break
                buffer += chunk
                *complete, buffer = buffer.split(b"\n")
                for line in complete:
                    acknowledged, lines = int(line), lines + 1
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        folders = list(root.iterdir()) if root.exists() else []
        if not folders:
            continue  # killed before the folder existed
        _check_readable(folders[0], acknowledged)


class _FailingWrites:
    """Makes the n-th write to a session log fail half-way, as a full disk would."""

    def __init__(self, fail_at: int, partial: bool, code: int):
        self.count = 0
        self.fail_at = fail_at
        self.partial = partial
        self.code = code
        self.real = os.write

    def __call__(self, fd: int, data: bytes) -> int:
        self.count += 1
        if self.count == self.fail_at:
            if self.partial:
                self.real(fd, data[: max(1, len(data) // 2)])
            raise OSError(self.code, os.strerror(self.code))
        return self.real(fd, data)


def test_a_write_failure_at_any_event_keeps_the_log_whole(branching, tmp_path, monkeypatch):
    rng = random.Random(7)
    for run in range(RUNS * 2):
        clock = FakeClock()
        failing = _FailingWrites(rng.randrange(1, 40), partial=rng.random() < 0.8,
                                 code=rng.choice([errno.ENOSPC, errno.EFBIG, errno.EIO]))
        monkeypatch.setattr(log_module.os, "write", failing)
        acknowledged = 0
        session = None
        try:
            session = Session.start(branching, PEOPLE, root=tmp_path / f"run{run}", seed=3, clock=clock)
            acknowledged = len(session.events)
            for command in SCRIPT * 2:
                clock.advance(5)
                try:
                    run_command(session, command)
                except (CommandError, GuardWarning):
                    pass
                acknowledged = len(session.events)
        except LogError as exc:
            assert "was not saved; everything before it is safe" in str(exc)
            if session is not None:  # a command's earlier events may be on disk: the session applied them
                acknowledged = len(session.events)
        finally:
            monkeypatch.setattr(log_module.os, "write", failing.real)
        folders = list((tmp_path / f"run{run}").iterdir()) if (tmp_path / f"run{run}").exists() else []
        if not folders or not read_log(folders[0]):
            continue  # the very first write failed: an empty log, nothing was acknowledged
        if session is not None:
            session.close()
            # The live session and the log agree on what happened.
            assert len(read_log(folders[0])) == acknowledged
        # (when the start itself was cut off, resuming finishes it)
        _check_readable(folders[0], acknowledged)


def test_a_file_size_limit_mid_write_leaves_no_broken_line(branching, tmp_path):
    """A real failing write (RLIMIT_FSIZE in a child process): the log is cut back and says why."""
    code = f"""
import resource, signal, sys
from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.core.log import LogError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
scenario = load_scenario({str(_branching_path())!r}).scenario
s = Session.start(scenario, ["Ana", "Ben"], root={str(tmp_path)!r}, seed=1, clock=FakeClock())
size = s.log.path.stat().st_size
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 100, size + 100))
s.note("short")
try:
    s.note("x" * 5000)
except LogError as exc:
    print("ERROR", exc)
try:
    s.note("y" * 5000)
except LogError as exc:
    print("ERROR", exc)
print("EVENTS", len(s.events))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("ERROR cannot write to the session log") == 2, out.stdout
    acknowledged = int(out.stdout.split("EVENTS")[1])
    folder = next(tmp_path.iterdir())
    raw = (folder / "session.jsonl").read_bytes()
    assert raw.endswith(b"\n") and b"xxxx" not in raw and b"yyyy" not in raw
    assert len(read_log(folder)) == acknowledged
    _check_readable(folder, acknowledged)
    assert read_log(folder)[-1].body.text == "after the fault"  # appended after the last whole line


def _branching_path():
    from tests.conftest import DATA

    return DATA / "valid" / "branching.yaml"

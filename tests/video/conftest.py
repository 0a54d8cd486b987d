"""Shared helpers for the video tests: sessions with consent, and waiting by polling."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from roleplay.core.clock import Clock
from roleplay.core.log import SessionLog, new_session_folder, read_log

REPO = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout: float = 20.0, what: str = "condition"):
    """Poll until `condition()` is true; fail (not hang) after a generous deadline.

    Only for what nothing announces (files another process writes, a clock
    passing a time); a recorder's threads are waited for with `wait_status`.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def wait_status(recorder, predicate, what: str = "condition", timeout: float = 20.0):
    """Wait until `predicate(status)` holds, woken by each status change of the recorder's threads."""
    if not recorder.wait_until(predicate, timeout):
        pytest.fail(f"timed out waiting for {what} (status: {recorder.status()})")
    return recorder.status()


def event_types(folder: Path) -> list[str]:
    return [e.type for e in read_log(folder)]


def run_cli(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """tests/conftest.py's run_cli, with `env` the whole environment (None: this process's)."""
    from tests.conftest import run_cli as run
    from tests.conftest import whole_environment

    return run(*args, cwd=REPO, env=None if env is None else whole_environment(env), timeout=timeout)


@pytest.fixture
def make_session(tmp_path):
    """A session folder and open log, with consent given by everyone unless told otherwise."""
    logs = []

    def make(participants=("Ada", "Ben"), consent=True):
        clock = Clock()
        folder = new_session_folder(tmp_path / "sessions", "test", clock)
        log = SessionLog(folder, clock)
        logs.append(log)
        log.append("session_started", {"scenario": "test", "participants": list(participants)})
        if consent:
            for name in participants:
                log.append("consent", {"participant": name, "given": True})
        return folder, log

    yield make
    for log in logs:
        log.close()

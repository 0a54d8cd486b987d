"""Passphrases on the command line: from --passphrase-file, $ROLEPLAY_PASSPHRASE or a hidden prompt.

Every command that may meet a sealed session takes one the same way (roleplay/cli/secrets.py). Each
use of a passphrase costs about a second of scrypt, so the runs here are few and the slow ones marked.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest

from tests.conftest import DATA, ROOT, run_cli, whole_environment
from tests.conftest import PASSPHRASE as PASS

BRANCHING = str(DATA / "valid" / "branching.yaml")
PEOPLE = "Anastasia,Benedikt,Cleopatra,Dan"
FIRST = "next\nforce next\nnote Benedikt seemed tired\nmark first doubt\n"  # warm-up -> guessing -> scene
REST = "reverse\nnext\ntimeout\nnext\nanswer safety 5\nnext\nnext\n"  # scene ... end


def _env(**extra: str) -> dict:
    """This process's environment without a passphrase in it, changed by `extra`."""
    values = {k: v for k, v in os.environ.items() if k != "ROLEPLAY_PASSPHRASE"}
    values.update(extra)
    return values


def run(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m roleplay ARGS` with standard input from a pipe and no controlling terminal (no /dev/tty:
    run_cli's commands have none), in `env` (else `_env()`)."""
    return run_cli(*args, stdin=stdin, env=whole_environment(env or _env()))


def _secret_file(path, text: str, mode: int = 0o600):
    path.write_text(text)
    os.chmod(path, mode)
    return path


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _play(out, *extra: str, stdin: str = FIRST, env: dict | None = None) -> subprocess.CompletedProcess:
    return run("play", BRANCHING, "--participants", PEOPLE, "--seed", "3", "--out", str(out), *extra,
               stdin=stdin, env=env)


@pytest.mark.slow
def test_play_encrypt_then_resume_and_report_with_a_passphrase_file(tmp_path):
    secret = _secret_file(tmp_path / "pass.txt", PASS + "\n")
    out = tmp_path / "recordings"
    first = _play(out, "--encrypt", "--passphrase-file", str(secret))
    assert first.returncode == 3, first.stderr
    assert "warning" not in first.stderr  # a 0600 file is fine
    folder = next(out.iterdir())
    assert (folder / "recipient.txt").is_file() and (folder / "key.age").is_file()
    raw = _all_bytes(folder)
    for text in ("Anastasia", "Benedikt", "seemed tired", "first doubt"):
        assert text.encode() not in raw, text

    # Without a passphrase and without a terminal to ask on: say how to give one.
    locked = run("play", "--resume", str(folder), stdin=REST)
    assert locked.returncode == 1 and "Traceback" not in locked.stderr
    assert "encrypted" in locked.stderr
    assert "--passphrase-file" in locked.stderr and "ROLEPLAY_PASSPHRASE" in locked.stderr

    # The file may end without a newline; one readable by others works but is warned about.
    shared = _secret_file(tmp_path / "shared.txt", PASS, mode=0o644)
    second = run("play", "--resume", str(folder), "--passphrase-file", str(shared), stdin=REST)
    assert second.returncode == 0, second.stderr
    assert "warning" in second.stderr and "readable by" in second.stderr
    printed = [json.loads(line) for line in second.stdout.splitlines()]
    assert printed[0]["type"] == "session_resumed" and printed[-1]["type"] == "session_ended"
    assert b"Cleopatra" not in _all_bytes(folder)  # the resumed part is sealed too

    report = run("report", str(folder), "--passphrase-file", str(secret))
    assert report.returncode == 0, report.stderr
    assert "Benedikt seemed tired" in report.stdout and "Anastasia" in report.stdout

    wrong = run("report", str(folder), "--passphrase-file",
                str(_secret_file(tmp_path / "wrong.txt", "not the passphrase at all\n")))
    assert wrong.returncode == 1 and wrong.stdout == ""
    assert wrong.stderr.startswith("roleplay: error: ") and "wrong passphrase" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_a_short_passphrase_is_refused_before_any_folder_is_made(tmp_path):
    out = tmp_path / "recordings"
    result = _play(out, "--encrypt", "--passphrase-file", str(_secret_file(tmp_path / "short.txt", "short\n")))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("roleplay: error: ") and "at least 12 characters" in result.stderr
    result = _play(out, "--encrypt", env=_env(ROLEPLAY_PASSPHRASE="eleven char"))
    assert result.returncode == 1 and "at least 12 characters" in result.stderr
    result = run("record", "--source", "synthetic", "--seconds", "1", "--out", str(out), "--consent-all",
                 "--encrypt", env=_env(ROLEPLAY_PASSPHRASE="short"))
    assert result.returncode == 1 and "at least 12 characters" in result.stderr
    assert not out.exists()


def test_a_passphrase_file_that_is_missing_or_empty_is_a_clear_error(tmp_path):
    out = tmp_path / "recordings"
    result = _play(out, "--encrypt", "--passphrase-file", str(tmp_path / "nowhere.txt"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nowhere.txt" in result.stderr and "cannot read" in result.stderr
    result = _play(out, "--encrypt", "--passphrase-file", str(_secret_file(tmp_path / "empty.txt", "\n")))
    assert result.returncode == 1 and "empty.txt" in result.stderr and "empty" in result.stderr
    assert not out.exists()


def test_without_a_passphrase_and_without_a_terminal_the_error_says_how_to_give_one(tmp_path):
    out = tmp_path / "recordings"
    result = _play(out, "--encrypt")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("roleplay: error: ")
    assert "--passphrase-file" in result.stderr and "ROLEPLAY_PASSPHRASE" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_replay_list_marks_of_a_sealed_session_lists_its_marks_with_the_passphrase(branching, tmp_path):
    from roleplay.core.command_line import run_command
    from roleplay.core.engine import Session

    session = Session.start(branching, ["Anastasia", "Benedikt"], root=tmp_path, seed=1, passphrase=PASS)
    run_command(session, "mark first doubt")
    run_command(session, "note Benedikt seemed tired")
    session.close()
    secret = _secret_file(tmp_path / "pass.txt", PASS + "\n")
    result = run("replay", str(session.folder), "--list-marks", "--passphrase-file", str(secret))
    assert result.returncode == 0, result.stderr
    assert "marker: first doubt" in result.stdout and "note: Benedikt seemed tired" in result.stdout
    assert "notice" not in result.stderr


class Terminal:
    """The far side of a pty: waits for text the child writes, and keeps all of it."""

    def __init__(self, fd: int, timeout: float = 60):
        self.fd = fd
        self.deadline = time.monotonic() + timeout
        self.seen = b""
        self._unread = b""

    def _read(self, wait: float) -> bytes:
        if not select.select([self.fd], [], [], wait)[0]:
            return b""
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        self.seen += chunk
        return chunk

    def expect(self, wanted: bytes) -> None:
        """Wait until `wanted` has been written; what follows it is kept for the next call."""
        while wanted not in self._unread:
            left = self.deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"no {wanted!r} on the terminal; seen {self.seen!r}")
            chunk = self._read(left)
            if not chunk and select.select([self.fd], [], [], 0)[0]:
                pytest.fail(f"the terminal closed before {wanted!r}; seen {self.seen!r}")
            self._unread += chunk
        self._unread = self._unread[self._unread.index(wanted) + len(wanted):]

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\n")

    def drain(self) -> None:
        while self._read(0.2):
            pass


@pytest.mark.slow
def test_the_hidden_prompt_asks_twice_on_the_terminal_while_stdin_carries_the_commands(tmp_path):
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()

    def take_terminal() -> None:  # in the child, after setsid: the pty becomes its controlling terminal
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    out = tmp_path / "recordings"
    child = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "play", BRANCHING, "--participants", PEOPLE, "--seed", "3",
         "--out", str(out), "--encrypt"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, env=_env(),
        start_new_session=True, preexec_fn=take_terminal, pass_fds=(slave,),
    )
    os.close(slave)
    try:
        child.stdin.write(FIRST.encode())  # the commands wait in the pipe while the prompt reads the terminal
        child.stdin.close()
        child.stdin = None  # all written: communicate() below only reads
        terminal = Terminal(master)
        terminal.expect(b"New passphrase")
        terminal.type("tiny secret")  # 11 characters: refused, and asked again
        terminal.expect(b"12 characters")
        terminal.expect(b"New passphrase")
        terminal.type(PASS)
        terminal.expect(b"again: ")
        terminal.type(PASS)
        stdout, _ = child.communicate(timeout=60)
        terminal.drain()
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
    seen = terminal.seen
    assert child.returncode == 3, seen.decode(errors="replace")
    assert PASS.encode() not in seen and b"tiny secret" not in seen  # never echoed
    events = [json.loads(line) for line in stdout.decode().splitlines()]
    assert any(e["type"] == "marker" for e in events)
    folder = next(out.iterdir())
    assert (folder / "recipient.txt").is_file() and b"Benedikt" not in _all_bytes(folder)

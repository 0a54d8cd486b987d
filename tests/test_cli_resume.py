"""`roleplay play --resume SESSION`: a cut-off session goes on from the command line, in the same log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from tests.conftest import DATA, ROOT, run_cli

BRANCHING = str(DATA / "valid" / "branching.yaml")
FIRST = "next\nforce next\nnote a first note\n"  # warm-up -> guessing -> scene
REST = "reverse\nnext\ntimeout\nnext\nanswer safety 5\nnext\nnext\n"  # scene ... end


def _start(tmp_path, script: str):
    return run_cli("play", BRANCHING, "--participants", "Ana,Ben,Cleo,Dan", "--seed", "3", "--out", str(tmp_path), stdin=script)


def _logged(folder):
    return [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]


def _phases(events):
    return [e["data"]["phase"] for e in events if e["type"] == "phase_entered"]


def test_resume_goes_on_where_input_ended_and_the_log_holds_both_parts(tmp_path):
    first = _start(tmp_path, FIRST)
    assert first.returncode == 3 and "roleplay play --resume" in first.stderr
    folder = next(tmp_path.iterdir())
    before = _logged(folder)

    second = run_cli("play", "--resume", str(folder), stdin=REST)
    assert second.returncode == 0, second.stderr
    printed = [json.loads(line) for line in second.stdout.splitlines()]
    assert printed[0]["type"] == "session_resumed" and printed[-1]["type"] == "session_ended"
    assert "resumed in phase 'scene'" in second.stderr

    logged = _logged(folder)
    assert logged[: len(before)] == before  # the first part untouched
    assert logged[len(before):] == printed  # the second part, as printed
    assert [e["seq"] for e in logged] == list(range(1, len(logged) + 1))
    assert _phases(logged) == ["warm-up", "guessing", "scene", "reversal", "scene", "discuss", "closing", "end"]
    assert any(e["type"] == "note" and e["data"]["text"] == "a first note" for e in logged)
    assert list(tmp_path.iterdir()) == [folder]  # no new folder

    again = run_cli("play", "--resume", str(folder), stdin="next\n")
    assert again.returncode == 1 and "has ended" in again.stderr and "Traceback" not in again.stderr
    assert _logged(folder) == logged  # nothing written to an ended session


def test_resume_after_the_process_is_killed(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "play", BRANCHING, "--participants", "Ana,Ben,Cleo,Dan", "--seed", "3",
         "--out", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    try:
        seen = []
        for line in FIRST.splitlines():
            process.stdin.write(line + "\n")
            process.stdin.flush()
        while not any(e["type"] == "note" for e in seen):  # each event is printed once it is on disk
            seen.append(json.loads(process.stdout.readline()))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout, process.stderr):
            try:
                stream.close()
            except BrokenPipeError:
                pass
    folder = next(tmp_path.iterdir())
    assert _logged(folder) == seen

    resumed = run_cli("play", "--resume", folder.name, "--out", str(tmp_path), stdin=REST)
    assert resumed.returncode == 0, resumed.stderr
    logged = _logged(folder)
    assert logged[: len(seen)] == seen and logged[len(seen)]["type"] == "session_resumed"
    assert logged[-1]["type"] == "session_ended" and _phases(logged)[-1] == "end"


def test_resume_finds_the_session_by_prefix_or_last_and_its_input_may_end_again(tmp_path):
    _start(tmp_path, "next\n")
    folder = next(tmp_path.iterdir())
    by_prefix = run_cli("play", "--resume", folder.name[:12], "--out", str(tmp_path), stdin="force next\n")
    assert by_prefix.returncode == 3, by_prefix.stderr
    by_last = run_cli("play", "--resume", "last", "--out", str(tmp_path), stdin="")
    assert by_last.returncode == 3
    assert [e["type"] for e in _logged(folder)].count("session_resumed") == 2
    assert _phases(_logged(folder)) == ["warm-up", "guessing", "scene"]


def test_resume_refuses_what_it_cannot_resume(tmp_path):
    conflicting = run_cli("play", BRANCHING, "--resume", "last", "--out", str(tmp_path))
    assert conflicting.returncode == 2
    assert "roleplay: error: play: --resume goes on with the session as it was logged: drop SCENARIO" in conflicting.stderr
    assert run_cli("play", "--resume", "x", "--participants", "3", "--out", str(tmp_path)).returncode == 2
    missing = run_cli("play", "--resume", "nope", "--out", str(tmp_path))
    assert missing.returncode == 1 and "roleplay: error: no session 'nope'" in missing.stderr
    not_a_session = tmp_path / "folder"
    not_a_session.mkdir()
    refused = run_cli("play", "--resume", str(not_a_session))
    assert refused.returncode == 1 and "is not a session folder" in refused.stderr
    damaged = tmp_path / "20260101-000000-damaged"
    damaged.mkdir()
    (damaged / "session.jsonl").write_text('{"seq": 1, "type": "nonsense"}\n')
    unreadable = run_cli("play", "--resume", str(damaged))
    assert unreadable.returncode == 1 and "roleplay: error: cannot resume" in unreadable.stderr
    for result in (conflicting, missing, refused, unreadable):
        assert "Traceback" not in result.stderr

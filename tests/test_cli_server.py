"""The suite's warm start for `roleplay` subprocesses (tests/cli_server.py) gives what a fresh one gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import DATA, SCENARIOS, _servers, run_cli

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the warm start is used on Linux only")

BRANCHING = str(DATA / "valid" / "branching.yaml")


def both(*args: str, **kwargs) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    return run_cli(*args, **kwargs), run_cli(*args, fresh=True, **kwargs)


@pytest.mark.parametrize("args", [
    ("list",),
    ("--help",),
    ("play", "--participants", "Ana"),  # a usage error: exit 2
    ("validate", str(DATA / "invalid" / "bad-id.yaml")),  # bad input: exit 1
    ("graph", str(SCENARIOS / "guess-who.yaml")),
])
def test_a_warm_command_prints_and_ends_as_a_fresh_one(args):
    warm, fresh = both(*args)
    assert (warm.returncode, warm.stdout, warm.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert _servers and _servers[0] is not None and _servers[0].process.poll() is None, "the server was used"


def test_a_warm_command_reads_its_input_and_writes_where_it_runs(tmp_path):
    script = "next\nforce next\nnote Ben\u2028seemed tired\nnext\n" + "next\n" * 20
    outputs = []
    for fresh in (False, True):
        out = tmp_path / ("fresh" if fresh else "warm")
        out.mkdir()
        done = run_cli("play", BRANCHING, "--participants", "Ana,Ben,Cleo", "--seed", "3", "--out", "here",
                       stdin=script, cwd=out, fresh=fresh)
        assert done.returncode == 0, done.stderr
        (folder,) = (out / "here").iterdir()
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
        events = [json.loads(line) for line in done.stdout.splitlines()]
        outputs.append([(e["type"], e["data"]) for e in events])  # not their times
    assert outputs[0] == outputs[1]


def test_the_environment_and_umask_reach_a_warm_command(tmp_path):
    old = os.umask(0o002)
    try:
        warm, fresh = (run_cli("new", name, "--dir", str(tmp_path), fresh=name == "fresh") for name in ("warm", "fresh"))
    finally:
        os.umask(old)
    assert (warm.returncode, fresh.returncode) == (0, 0), warm.stderr + fresh.stderr
    assert warm.stdout.replace("warm", "fresh") == fresh.stdout
    assert (tmp_path / "warm.yaml").stat().st_mode == (tmp_path / "fresh.yaml").stat().st_mode
    german, english = run_cli("--help", env={"ROLEPLAY_LANGUAGE": "de"}), run_cli("--help")
    assert german.stdout != english.stdout  # read while importing: that command started afresh


def test_a_command_past_its_timeout_is_stopped(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):  # a minute of recording in real time
        run_cli("record", "--source", "synthetic:32x24@15", "--audio", "none", "--seconds", "60", "--consent-all",
                "--out", str(tmp_path / "take"), timeout=0.5)
    again = run_cli("list")  # the server waited for the stopped child and serves the next command
    assert again.returncode == 0


@pytest.mark.parametrize(("preimports", "why"), [
    (("cv2",), "threads after importing cv2"),  # OpenCV starts threads as it loads: a fork would lose them
    (("no_such_module_here",), "ModuleNotFoundError"),
])
def test_a_server_that_cannot_fork_safely_says_why_and_is_not_used(preimports, why):
    from tests.cli_server import Client

    with pytest.raises(RuntimeError, match=why):
        Client.start(dict(os.environ), cwd=DATA, preimports=preimports)


def test_without_a_server_every_command_starts_afresh_and_the_run_says_so(monkeypatch):
    from tests import cli_server

    def refuse(*args, **kwargs):
        raise RuntimeError("tests/cli_server.py: 3 threads after importing something")

    monkeypatch.setattr(cli_server.Client, "start", classmethod(refuse))
    saved = list(_servers)
    _servers.clear()
    try:
        with pytest.warns(RuntimeWarning, match="every command starts a fresh interpreter"):
            done = run_cli("list")
        assert done.returncode == 0 and "guess-who" in done.stdout
        assert _servers == [None]
    finally:
        _servers[:] = saved

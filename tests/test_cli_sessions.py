"""One way to read a SESSION argument, used by report, replay, clip, delete and play --resume."""

from __future__ import annotations

import os

import pytest

from roleplay.cli.errors import CliError
from roleplay.cli.session_arg import resolve_session
from tests.conftest import DATA, run_cli

BRANCHING = str(DATA / "valid" / "branching.yaml")


def _session(root, name, *, video=False, mtime=None):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "session.jsonl").write_text("")
    if video:
        (folder / "video").mkdir()
        (folder / "video" / "index.jsonl").write_text("")
    if mtime is not None:
        os.utime(folder, (mtime, mtime))
    return folder


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "recordings"
    _session(root, "20260101-100000-guess-who", video=True, mtime=1_000)
    _session(root, "20260101-110000-guess-who", mtime=2_000)
    _session(root, "20260102-090000-peer-drift", mtime=3_000)
    (root / "notes").mkdir()  # not a session
    return root


def test_a_path_a_name_a_prefix_and_last(root, tmp_path, monkeypatch):
    folder = root / "20260102-090000-peer-drift"
    assert resolve_session(str(folder), root) == folder
    assert resolve_session("20260102-090000-peer-drift", root) == folder
    assert resolve_session("20260102", root) == folder
    assert resolve_session("last", root) == folder
    assert resolve_session(None, root) == folder
    assert resolve_session("", root) == folder
    assert resolve_session("last", root, video=True) == root / "20260101-100000-guess-who"
    monkeypatch.chdir(root)
    assert resolve_session("20260102-090000-peer-drift", tmp_path / "elsewhere") == folder.relative_to(root)
    monkeypatch.setenv("ROLEPLAY_RECORDINGS", str(root))
    assert resolve_session("20260101-11") == root / "20260101-110000-guess-who"  # the default root from settings


def test_ambiguous_missing_and_wrong_say_what_there_is(root, tmp_path):
    with pytest.raises(CliError, match=r"'20260101' matches 2 sessions under .*: 20260101-110000-guess-who, "
                                       r"20260101-100000-guess-who; give more of the name"):
        resolve_session("20260101", root)
    with pytest.raises(CliError, match=r"no session 'zzz': .*newest first: 20260102-090000-peer-drift, "
                                       r"20260101-110000-guess-who, 20260101-100000-guess-who"):
        resolve_session("zzz", root)
    with pytest.raises(CliError, match="notes is not a session folder"):
        resolve_session("notes", root)
    with pytest.raises(CliError, match="no such session folder"):
        resolve_session(str(tmp_path / "nope"), root)
    with pytest.raises(CliError, match="give a SESSION"):
        resolve_session("last", root, newest=False)
    with pytest.raises(CliError, match="no session with video under"):
        resolve_session(None, tmp_path / "empty", video=True)
    with pytest.raises(CliError, match="there are no sessions there"):
        resolve_session("x", tmp_path / "empty")


def test_every_session_command_reads_session_the_same_way(tmp_path):
    run_cli("play", BRANCHING, "--participants", "3", "--seed", "1", "--out", str(tmp_path), stdin="next\n")
    folder = next(tmp_path.iterdir())
    _session(tmp_path, folder.name[:9] + "999999-other")  # shares the date prefix
    prefix = folder.name[:15]
    report = run_cli("report", prefix, "--root", str(tmp_path))
    assert report.returncode == 0 and report.stdout.startswith("# Branching test")
    assert run_cli("report", "last", "--root", str(tmp_path)).returncode == 1  # the newest holds no session yet
    ambiguous = {}
    for command in (("report",), ("delete", "--yes"), ("clip", "--from", "0", "--to", "1", "-o", str(tmp_path / "c.mp4")),
                    ("replay", "--list-marks"), ("play", "--out", str(tmp_path), "--resume")):
        extra = () if command[0] == "play" else ("--root", str(tmp_path))
        result = run_cli(*command, folder.name[:9], *extra)
        ambiguous[command[0]] = result.returncode, result.stderr
    for command, (code, stderr) in ambiguous.items():
        assert code == 1 and f"'{folder.name[:9]}' matches 2 sessions" in stderr, command
    marks = run_cli("replay", prefix, "--list-marks", "--root", str(tmp_path))
    assert marks.returncode == 0 and marks.stdout.startswith(folder.name)
    deleted = run_cli("delete", prefix, "--yes", "--root", str(tmp_path))
    assert deleted.returncode == 0, deleted.stderr
    assert not folder.exists()
    assert run_cli("delete", "last", "--yes", "--root", str(tmp_path)).returncode == 1  # never "the newest" for delete

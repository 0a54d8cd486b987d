"""The command line (run as a subprocess, as users run it) and session retention."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from roleplay.core.clock import FakeClock
from roleplay.core.log import SessionLog, new_session_folder, read_log
from roleplay.core.retention import RetentionError, delete_session, parse_period, prune

from conftest import run_cli


def make_old_session(root: Path, days_ago: float, now: float) -> Path:
    clock = FakeClock(wall=now - days_ago * 86400)
    folder = new_session_folder(root, f"s{days_ago:g}", clock)
    with SessionLog(folder, clock) as log:
        log.append("session_started", {"scenario": "x", "participants": []})
    (folder / "video").mkdir()
    (folder / "video" / "seg-000001.mkv").write_bytes(b"x" * 100)
    return folder


def test_parse_period():
    assert parse_period("30d") == 30 * 86400
    assert parse_period("36h") == 36 * 3600
    assert parse_period("12h", force=True) == 12 * 3600
    with pytest.raises(RetentionError, match="shorter than a day.*--force"):
        parse_period("12h")
    assert parse_period("2w") == 14 * 86400
    for bad in ("30", "d", "-3d", "3m", "0d", ""):
        with pytest.raises(RetentionError, match="period"):
            parse_period(bad)


def test_delete_removes_a_session_and_refuses_anything_else(tmp_path):
    session = make_old_session(tmp_path, 1, 1_800_000_000.0)
    delete_session(session)
    assert not session.exists()
    other = tmp_path / "photos"
    other.mkdir()
    (other / "keep.jpg").write_bytes(b"1")
    with pytest.raises(RetentionError, match="not a session folder"):
        delete_session(other)
    assert (other / "keep.jpg").exists()
    with pytest.raises(RetentionError, match="no session"):
        delete_session(tmp_path / "missing")


def test_prune_deletes_only_sessions_older_than_the_period(tmp_path):
    now = 1_800_000_000.0
    old = make_old_session(tmp_path, 40, now)
    recent = make_old_session(tmp_path, 3, now)
    stranger = tmp_path / "not-a-session"
    stranger.mkdir()
    result = prune(tmp_path, parse_period("30d"), now=now)
    assert result.deleted == [old] and result.kept == [recent] and result.skipped == [stranger]
    assert not old.exists() and recent.exists() and stranger.exists()
    assert result.freed > 100


def test_cli_delete_and_prune(tmp_path):
    now = __import__("time").time()
    old = make_old_session(tmp_path, 40, now)
    recent = make_old_session(tmp_path, 1, now)
    result = run_cli("prune", "--older-than", "30d", "--root", str(tmp_path), "--dry-run")
    assert result.returncode == 0 and "would delete" in result.stdout and old.exists()
    result = run_cli("prune", "--older-than", "30d", "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert not old.exists() and recent.exists()

    refused = run_cli("delete", str(recent))  # no --yes and no terminal: ask for --yes
    assert refused.returncode == 1 and "--yes" in refused.stderr and recent.exists()
    result = run_cli("delete", str(recent), "--yes")
    assert result.returncode == 0 and not recent.exists()
    result = run_cli("delete", str(tmp_path), "--yes")
    assert result.returncode == 1 and "not a session folder" in result.stderr and "Traceback" not in result.stderr
    assert tmp_path.exists()


def test_cli_record_headless_with_consent_stated(tmp_path):
    result = run_cli("record", "--source", "synthetic:64x48@15", "--audio", "none", "--seconds", "1",
                     "--out", str(tmp_path), "--consent-all")
    assert result.returncode == 0, result.stderr
    folder = Path(re.search(r"session folder: (.+)", result.stdout).group(1))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    events = read_log(folder)
    assert events[0].data == {"format": 2, "scenario": "record-check", "participants": [], "headless": True}
    assert events[1].type == "consent_all" and events[1].data["given_outside_app"] is True
    stopped = [e.data for e in events if e.type == "recording_stopped"][-1]
    assert stopped["reason"] == "duration" and stopped["frames"] >= 10
    assert re.search(rf"recorded: {stopped['frames']} frames", result.stdout)


def test_cli_record_refuses_without_consent(tmp_path):
    result = run_cli("record", "--source", "synthetic:64x48@15", "--seconds", "1", "--out", str(tmp_path))
    assert result.returncode == 1 and "--consent-all" in result.stderr and "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_cli_record_with_the_default_microphone_falls_back_to_picture_only(tmp_path):
    # This machine has no microphone; on one with a microphone the notice is simply absent.
    result = run_cli("record", "--source", "synthetic:64x48@15", "--seconds", "1", "--out", str(tmp_path),
                     "--consent-all")
    assert result.returncode == 0, result.stderr
    folder = Path(re.search(r"session folder: (.+)", result.stdout).group(1))
    started = next(e.data for e in read_log(folder) if e.type == "recording_started")
    if started["audio"] == "unavailable":
        assert "No microphone" in result.stdout
        assert any(e.type == "audio_unavailable" for e in read_log(folder))
    assert "ALSA" not in result.stderr


def test_cli_camera_check_on_a_synthetic_source():
    result = run_cli("camera", "check", "--source", "synthetic:320x240@20", "--seconds", "1")
    assert result.returncode == 0, result.stderr
    assert "resolution: 320x240" in result.stdout
    fps = float(re.search(r"frame rate: ([\d.]+) fps", result.stdout).group(1))
    assert 15 <= fps <= 21


@pytest.mark.parametrize("source, message", [
    ("7", "no camera at index 7"),
    ("/no/such/video.mkv", "no video file at /no/such/video.mkv"),
    ("synthetic:10x", "cannot read source"),
])
def test_cli_camera_check_explains_a_missing_source(source, message):
    result = run_cli("camera", "check", "--source", source, "--seconds", "0.2")
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_help():
    for command in (["camera", "check"], ["record"], ["delete"], ["prune"]):
        result = run_cli(*command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout

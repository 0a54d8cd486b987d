"""`roleplay replay` by subprocess: marks, one frame as text, finding sessions, passphrases, no display."""

from __future__ import annotations

import os
import re


from roleplay.video.player import Player

from conftest import run_cli
from test_replay import _made, record_session, recorded  # noqa: F401 - the module's recording, made once
from tests.conftest import PASSPHRASE

CELL = re.compile(r"\x1b\[38;2;\d+;\d+;\d+;48;2;\d+;\d+;\d+m\u2580")


def env(**extra):
    values = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "ROLEPLAY_PASSPHRASE")}
    values.update(extra)
    return values


def test_list_marks_prints_the_timeline(recorded):
    result = run_cli("replay", str(recorded), "--list-marks", env=env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "8 marks" in lines[0] or "marks" in lines[0]
    assert any("marker: first doubt" in line for line in lines)
    assert any("time-out: check-in" in line for line in lines)
    assert any("note: between takes" in line and "(off camera)" in line for line in lines)
    assert any("event: The phone rings" in line for line in lines)


def test_dump_at_prints_the_frame_shown_at_a_mark_fitted_to_the_cells(recorded):
    player = Player(recorded)
    at = player.timeline.resolve("first doubt")
    expected = player.frame_at(at)
    result = run_cli("replay", str(recorded), "--dump-at", "first doubt", "--size", "40x12", env=env())
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.startswith(f"frame {expected.index} at {expected.at:.3f} s")
    # 160x120 in 40x12 cells: 40 columns by 30 pixel rows (15 cell rows would not fit; 12 do, at 32x24).
    assert len(rows) == 12 and all(len(CELL.findall(row)) == 32 for row in rows)


def test_without_a_session_the_newest_with_video_is_replayed(recorded, tmp_path):
    newer_without_video = recorded.parent / "29991231-000000-talk-only"
    newer_without_video.mkdir(exist_ok=True)
    (newer_without_video / "session.jsonl").write_text("")
    result = run_cli("replay", "--list-marks", env=env(ROLEPLAY_RECORDINGS=str(recorded.parent)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(recorded.name)
    result = run_cli("replay", recorded.name, "--list-marks", env=env(ROLEPLAY_RECORDINGS=str(recorded.parent)))
    assert result.returncode == 0 and result.stdout.startswith(recorded.name)

    result = run_cli("replay", "--list-marks", env=env(ROLEPLAY_RECORDINGS=str(tmp_path / "empty")))
    assert result.returncode == 1 and "no session with video" in result.stderr
    result = run_cli("replay", "nowhere", "--list-marks", env=env(ROLEPLAY_RECORDINGS=str(tmp_path)))
    assert result.returncode == 1 and "no session 'nowhere'" in result.stderr


def test_window_without_a_display_and_replay_without_a_terminal_say_so(recorded):
    result = run_cli("replay", str(recorded), "--window", "--no-sound", env=env())
    assert result.returncode == 1 and "needs a display" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("replay", str(recorded), "--no-sound", env=env())
    assert result.returncode == 1 and "needs a terminal" in result.stderr


def test_encrypted_replay_takes_the_passphrase_from_the_environment(tmp_path):
    folder = _made.get("encrypted") or record_session(tmp_path, passphrase=PASSPHRASE, takes=(1.5,))
    result = run_cli("replay", str(folder), "--dump-at", "0.5", "--size", "20x8",
                     env=env(ROLEPLAY_PASSPHRASE=PASSPHRASE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("frame ") and CELL.search(result.stdout)

    result = run_cli("replay", str(folder), "--dump-at", "0.5", env=env(ROLEPLAY_PASSPHRASE="open barley"))
    assert result.returncode == 1 and "wrong passphrase" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("replay", str(folder), "--dump-at", "0.5", env=env())
    assert result.returncode == 1 and "encrypted" in result.stderr and "ROLEPLAY_PASSPHRASE" in result.stderr

"""`clip -o` and `report -o` (issue 10, findings 9 and 11): exclusive temporary files, atomic
renames, never through a link, never over a session's own files, other files only with --force."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.video.clip import ClipError, export_clip
from roleplay.video.player import Player

from conftest import REPO, run_cli
from test_replay import recorded  # noqa: F401 - the module's recording, made once

BRANCHING = str(REPO / "tests" / "data" / "valid" / "branching.yaml")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def clip(session: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("clip", str(session), "--from", "0.5", "--to", "1.5", "-o", str(out), *extra)


@pytest.fixture
def session_copy(recorded, tmp_path) -> Path:  # noqa: F811 - the fixture imported above
    import shutil

    copy = tmp_path / "sessions" / recorded.name
    shutil.copytree(recorded, copy, symlinks=True)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- clip -----------------------------------------------------------------------------------------


def test_clip_does_not_overwrite_without_force(recorded, tmp_path):
    out = tmp_path / "moment.mp4"
    out.write_bytes(b"yesterday's clip")
    result = clip(recorded, out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("roleplay: error: clip:")
    assert str(out) in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"yesterday's clip"
    assert os.listdir(tmp_path) == ["moment.mp4"]  # no temporary file left behind

    result = clip(recorded, out, "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[4:8] == b"ftyp" and mode(out) == 0o600
    assert os.listdir(tmp_path) == ["moment.mp4"]


def test_clip_never_overwrites_a_file_in_a_session_folder(session_copy):
    before = snapshot(session_copy)
    for target in (session_copy / "video" / "seg-000001.mkv", session_copy / "video" / "new.mkv"):
        result = clip(session_copy, target, "--force")
        assert result.returncode == 1 and "session folder" in result.stderr, result.stderr
    assert snapshot(session_copy) == before
    # A new clip beside the log is fine (and 0600).
    result = clip(session_copy, session_copy / "moment.mkv")
    assert result.returncode == 0, result.stderr
    assert mode(session_copy / "moment.mkv") == 0o600


def test_clip_replaces_a_link_at_the_target_and_never_writes_through_it(session_copy, tmp_path):
    log = session_copy / "session.jsonl"
    before = log.read_bytes()
    out = tmp_path / "moment.mp4"
    out.symlink_to(log)
    result = clip(session_copy, out)
    assert result.returncode == 1 and "exists already" in result.stderr
    result = clip(session_copy, out, "--force")
    assert result.returncode == 0, result.stderr
    assert log.read_bytes() == before
    assert not out.is_symlink() and mode(out) == 0o600


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(recorded, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / ".moment.mp4.part").symlink_to(victim)  # where the clip used to write first
    result = clip(recorded, tmp_path / "moment.mp4")
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "precious"
    assert sorted(os.listdir(tmp_path)) == [".moment.mp4.part", "moment.mp4", "victim.txt"]


def test_a_clip_is_private_whatever_the_umask(recorded, tmp_path):
    player = Player(recorded)
    old = os.umask(0o277)  # a plain os.open(..., 0o600) would make it 0400
    try:
        result = export_clip(player, 0.5, 1.5, tmp_path / "moment.mkv")
    finally:
        os.umask(old)
    assert mode(result.path) == 0o600
    with pytest.raises(ClipError, match="exists already"):
        export_clip(player, 0.5, 1.5, tmp_path / "moment.mkv")
    assert export_clip(player, 0.5, 1.0, tmp_path / "moment.mkv", force=True).frames > 0


# -- report ---------------------------------------------------------------------------------------


@pytest.fixture
def played(tmp_path) -> Path:
    result = subprocess.run([sys.executable, "-m", "roleplay", "play", BRANCHING, "--participants", "Ana,Ben,Cleo",
                             "--seed", "1", "--out", str(tmp_path / "sessions")],
                            input="next\nmark key moment\n", cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 3), result.stderr
    (folder,) = (tmp_path / "sessions").iterdir()
    return folder


def report(session: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("report", str(session), "-o", str(out), *extra)


def test_report_never_overwrites_the_session_log(played):
    log = played / "session.jsonl"
    before = log.read_bytes()
    result = report(played, log, "--force")
    assert result.returncode == 1 and "session folder" in result.stderr and "Traceback" not in result.stderr
    assert log.read_bytes() == before


def test_report_through_a_link_to_the_log_replaces_the_link_only(played, tmp_path):
    log = played / "session.jsonl"
    before = log.read_bytes()
    out = tmp_path / "report.md"
    out.symlink_to(log)
    result = report(played, out)
    assert result.returncode == 1 and "exists already" in result.stderr and str(out) in result.stderr
    assert log.read_bytes() == before and out.is_symlink()
    result = report(played, out, "--force")
    assert result.returncode == 0, result.stderr
    assert log.read_bytes() == before
    assert not out.is_symlink() and "key moment" in out.read_text() and mode(out) == 0o600


def test_report_overwrites_another_file_only_with_force(played, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("last week's")
    result = run_cli("report", str(played), "--format", "html", "-o", str(out))
    assert result.returncode == 1 and "--force" in result.stderr
    assert out.read_text() == "last week's"
    result = run_cli("report", str(played), "--format", "html", "-o", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("<!doctype html>") and mode(out) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["report.html", "sessions"]


# -- the shared helper ----------------------------------------------------------------------------


def test_the_temporary_file_is_exclusive_private_and_gone_on_failure(tmp_path):
    from roleplay.core.safe_write import WriteError, WriteRefused, new_file, write_new_file

    target = tmp_path / "out.md"
    old = os.umask(0o277)
    try:
        with pytest.raises(RuntimeError):
            with new_file(target) as handle:
                handle.write(b"half")
                (temp,) = [p for p in tmp_path.iterdir()]
                assert temp.name.startswith(".out.md.") and temp.name.endswith(".part")
                assert mode(temp) == 0o600
                raise RuntimeError("the work failed half-way")
        assert list(tmp_path.iterdir()) == []
        write_new_file(target, b"whole")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"whole" and mode(target) == 0o600
    with pytest.raises(WriteRefused, match="exists already; give --force"):
        write_new_file(target, b"again")
    with pytest.raises(WriteError, match="no folder"):
        write_new_file(tmp_path / "missing" / "out.md", b"x")
    with pytest.raises(WriteRefused, match="is a folder"):
        write_new_file(tmp_path, b"x", force=True)
    # A folder named as protected is a session folder even without a log in it.
    (tmp_path / "rec").mkdir()
    with pytest.raises(WriteRefused, match="session folder"):
        write_new_file(tmp_path / "rec" / "index.jsonl", b"x", protected_dirs=[tmp_path / "rec"])

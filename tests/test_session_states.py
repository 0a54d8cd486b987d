"""Every session folder is listed with its true state; live sessions are never deleted."""

from __future__ import annotations

import json
import os
import stat

import pytest

from roleplay.core import events as ev
from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.log import LOG_NAME, LogError, SessionLog, is_live, new_session_folder
from roleplay.core.retention import RetentionError, SessionInUse, delete_session, parse_period, prune
from roleplay.core.sessions import FolderState, list_sessions, read_info
from tests.conftest import run_cli

PEOPLE = ["Ana", "Ben", "Cleo"]


def _session(branching, root, **kwargs):
    s = Session.start(branching, PEOPLE, root=root, seed=1, clock=FakeClock(), **kwargs)
    s.note("hello")
    return s


def test_a_damaged_log_is_listed_with_its_line_and_reason(branching, tmp_path):
    s = _session(branching, tmp_path)
    s.note("a second line to damage")  # roles are dealt later (in the assignment phase): the log is short
    s.close()
    path = s.folder / LOG_NAME
    lines = path.read_text().split("\n")
    lines[2] = lines[2][:20] + lines[3]  # a half line from an old version, glued to the next one
    del lines[3]
    path.write_text("\n".join(lines))
    [info] = list_sessions(tmp_path)
    assert info.state is FolderState.DAMAGED
    assert info.describe().startswith("damaged: line 3: not valid JSON")
    assert info.participants == PEOPLE and info.title == "Branching test"  # read from the lines before it
    listed = run_cli("sessions", "--root", str(tmp_path))
    assert listed.returncode == 0 and s.folder.name in listed.stdout and "damaged: line 3" in listed.stdout
    report = run_cli("report", str(s.folder))
    assert report.returncode == 1 and "Traceback" not in report.stderr and "session.jsonl:3" in report.stderr


def test_a_recording_only_folder_says_what_it_holds_and_report_explains(tmp_path):
    clock = FakeClock()
    folder = new_session_folder(tmp_path, "record-check", clock)
    with SessionLog(folder, clock) as log:
        log.append(ev.SessionStarted(scenario="record-check", headless=True))
        log.append(ev.ConsentAll(given_outside_app=True))
    (folder / "video").mkdir(mode=0o700)
    (folder / "video" / "index.jsonl").write_text(
        json.dumps({"file": "take1-00001.mkv", "start": 10.0, "end": 11.5, "take": 1, "frames": 45}) + "\n"
    )
    [info] = list_sessions(tmp_path)
    assert info.state is FolderState.RECORDING
    assert info.describe() == "recording only: 1 video segment(s), 0:01 min"
    report = run_cli("report", str(folder))
    assert report.returncode == 1 and "Traceback" not in report.stderr and "roleplay record" in report.stderr
    assert "None" not in run_cli("sessions", "--root", str(tmp_path)).stdout


def test_a_live_session_is_listed_as_running_and_never_deleted(branching, tmp_path):
    s = _session(branching, tmp_path)
    assert is_live(s.folder)
    assert read_info(s.folder).state is FolderState.RUNNING
    with pytest.raises(SessionInUse, match="open in a running roleplay"):
        delete_session(s.folder)
    result = prune(tmp_path, parse_period("1d"), now=2_000_000_000.0)
    assert result.deleted == [] and result.in_use == [s.folder] and s.folder.exists()
    deleted = run_cli("delete", str(s.folder), "--yes")
    assert deleted.returncode == 1 and "open in a running roleplay" in deleted.stderr and s.folder.exists()
    with pytest.raises(LogError, match="open in another roleplay"):
        Session.replay(s.folder, resume=True)  # a second writer is refused too
    s.close()
    assert not is_live(s.folder)
    assert read_info(s.folder).state is FolderState.CUT_OFF
    assert prune(tmp_path, parse_period("1d"), now=2_000_000_000.0).deleted == [s.folder]


def test_prune_needs_force_for_periods_under_a_day(branching, tmp_path):
    s = _session(branching, tmp_path)
    s.close()
    with pytest.raises(RetentionError, match="shorter than a day"):
        parse_period("23h")
    refused = run_cli("prune", "--older-than", "1h", "--root", str(tmp_path))
    assert refused.returncode == 1 and "--force" in refused.stderr and s.folder.exists()
    forced = run_cli("prune", "--older-than", "1h", "--root", str(tmp_path), "--force", "--dry-run")
    assert forced.returncode == 0 and "would delete" in forced.stdout


def test_a_log_from_a_newer_version_is_listed_as_such(branching, tmp_path):
    s = _session(branching, tmp_path)
    s.close()
    path = s.folder / LOG_NAME
    lines = path.read_text().split("\n")
    first = json.loads(lines[0])
    first["data"]["format"] = 7
    lines[0] = json.dumps(first)
    path.write_text("\n".join(lines))
    [info] = list_sessions(tmp_path)
    assert info.state is FolderState.NEWER and "update roleplay" in info.describe()


def test_the_torn_copy_of_a_cut_line_is_private(branching, tmp_path):
    s = _session(branching, tmp_path)
    s.close()
    with open(s.folder / LOG_NAME, "ab") as handle:
        handle.write(b'{"seq": 9, "wa')
    old = os.umask(0o022)
    try:
        Session.replay(s.folder, resume=True).close()
    finally:
        os.umask(old)
    torn = s.folder / (LOG_NAME + ".torn")
    assert stat.S_IMODE(torn.stat().st_mode) == 0o600


def test_the_trainers_config_folder_is_private(tmp_path, monkeypatch):
    from roleplay.ui.config_files import config_dir, write_json_atomic

    monkeypatch.setenv("ROLEPLAY_CONFIG", str(tmp_path / "cfg" / "roleplay"))
    old = os.umask(0o022)
    try:
        path = write_json_atomic(config_dir() / "rosters.json", {"Tuesday": ["Ana", "Ben"]})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "cfg").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

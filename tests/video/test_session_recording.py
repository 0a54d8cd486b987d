"""Recording follows the session: record phases, consent first, withdrawal stops it."""

from __future__ import annotations

import time

from roleplay.core.engine import Session
from roleplay.core.log import read_log
from roleplay.core.loader import load_scenario
from roleplay.video.segments import read_index
from roleplay.video.session_recording import SessionRecording
from tests.conftest import DATA


def _wait(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _session(tmp_path):
    scenario = load_scenario(DATA / "valid" / "branching.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, recording=True)
    recording = SessionRecording(session, source="synthetic:96x64@15", audio="synthetic")
    return session, recording


def test_a_record_phase_waits_for_everyones_consent_then_records_until_left(tmp_path):
    session, recording = _session(tmp_path)
    session.fire("next")
    session.fire("next", force=True)  # into 'scene', which asks for recording
    assert session.phase == "scene"
    assert not recording.state().status.active
    assert "no consent yet from Ana, Ben, Cleo" in recording.state().notice
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    assert _wait(lambda: recording.state().status.recording)
    assert recording.state().indicator == "● REC"
    assert _wait(lambda: len(read_index(session.folder)) >= 1)
    session.fire("next")  # 'discuss' does not record
    assert _wait(lambda: not recording.state().status.active)
    types = [e.type for e in read_log(session.folder)]
    assert types.index("recording_started") > max(i for i, t in enumerate(types) if t == "consent")
    assert "recording_stopped" in types
    recording.close()
    session.close()


def test_withdrawn_consent_stops_recording_and_offers_deletion(tmp_path):
    session, recording = _session(tmp_path)
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    assert recording.toggle()  # the manual switch works in any phase
    assert _wait(lambda: len(read_index(session.folder)) >= 1)
    recording.withdraw("Ben")
    assert _wait(lambda: not recording.state().status.active)
    assert _wait(lambda: recording.state().status.offer_deletion)
    assert "Ben withdrew consent" in recording.state().notice
    recording.delete_recording()
    assert _wait(lambda: read_index(session.folder) == [])
    assert "recording_deleted" in [e.type for e in read_log(session.folder)]
    session.close()

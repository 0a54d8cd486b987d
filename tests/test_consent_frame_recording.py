"""The live recorder follows the frame's rules: it films while the people outside the frame are out of it,
stops at once when someone in the scene steps out of the frame, and starts again when they consent.

No fixed sleeps: the recorder announces each status change (`Recorder.wait_until`)."""

from __future__ import annotations

import pytest

from roleplay.core import commands as c
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.core.log import read_log
from roleplay.video.session_recording import SessionRecording
from tests.conftest import DATA

pytestmark = [pytest.mark.video]

TIMEOUT = 30.0


def wait(recorder, predicate, what):
    assert recorder.wait_until(predicate, TIMEOUT), f"timed out waiting for {what} (status: {recorder.status()})"


def test_recording_runs_with_someone_outside_the_frame_and_stops_when_an_actor_steps_out(tmp_path):
    scenario = load_scenario(DATA / "valid" / "branching.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, recording=True,
                            outside_frame=["Cleo"])
    for name in ("Ana", "Ben"):
        session.consent(name, True)
    recording = SessionRecording(session, source="synthetic:64x48@15", audio="none")
    recorder = recording.recorder
    try:
        session.fire("next")
        session.fire("next", force=True)  # into 'scene', which records
        assert session.roles["Cleo"] == "observer"  # dealt outside the frame
        wait(recorder, lambda s: s.recording, "recording with Cleo outside the frame")
        actor = next(p for p in ("Ana", "Ben") if session.roles[p] in ("speaker", "listener"))
        session.execute(c.ObserveOutsideFrame(participant=actor))  # steps out mid-scene: never filmed again
        wait(recorder, lambda s: not s.active, "the recorder to stop")
        status = recorder.status()
        assert not status.offer_deletion  # stepping out is no withdrawal of what was filmed with consent
        assert f"{actor} observes outside the frame but is in it here" in recording.state().notice
        session.execute(c.SetConsent(participant=actor, given=True))  # consents again and steps back in
        wait(recorder, lambda s: s.recording, "recording to start again")
    finally:
        assert recording.close()
        session.close()
    stopped = [e.data["reason"] for e in read_log(session.folder) if e.type == "recording_stopped"]
    assert "outside_frame" in stopped

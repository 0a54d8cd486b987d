"""Recording follows the session: record phases, consent first, withdrawal stops it.

Nothing here sleeps to wait for a thread: the recorder announces each status
change (`wait_status`), and a deletion or withdrawal running in the background
is waited for through its Future or `SessionRecording.wait`/`close`.
"""

from __future__ import annotations

import threading

from roleplay.core.engine import Session
from roleplay.core.log import read_log
from roleplay.core.loader import load_scenario
from roleplay.video.recorder import Recorder
from roleplay.video.segments import read_index
from roleplay.video.session_recording import SessionRecording
from tests.conftest import DATA

from conftest import wait_status

TIMEOUT = 30.0


def _session(tmp_path, recorder_factory=Recorder):
    scenario = load_scenario(DATA / "valid" / "branching.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, recording=True)
    recording = SessionRecording(session, source="synthetic:96x64@15", audio="synthetic",
                                 recorder_factory=recorder_factory)
    return session, recording


def test_a_record_phase_waits_for_everyones_consent_then_records_until_left(tmp_path):
    session, recording = _session(tmp_path)
    recorder = recording.recorder
    session.fire("next")
    session.fire("next", force=True)  # into 'scene', which asks for recording
    assert session.phase == "scene"
    assert not recording.state().status.active
    assert "no consent yet from Ana, Ben, Cleo" in recording.state().notice
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    wait_status(recorder, lambda s: s.recording, "recording")
    assert recording.state().indicator == "● REC"
    wait_status(recorder, lambda s: s.segments >= 1, "a first segment")
    assert len(read_index(session.folder)) >= 1
    session.fire("next")  # 'discuss' does not record
    wait_status(recorder, lambda s: not s.active, "the recorder to stop")
    types = [e.type for e in read_log(session.folder)]
    assert types.index("recording_started") > max(i for i, t in enumerate(types) if t == "consent")
    assert "recording_stopped" in types
    assert recording.close()
    session.close()


def test_withdrawn_consent_stops_recording_and_offers_deletion(tmp_path):
    session, recording = _session(tmp_path)
    recorder = recording.recorder
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    assert recording.toggle()  # the manual switch works in any phase
    wait_status(recorder, lambda s: s.segments >= 1, "a first segment")
    recording.withdraw("Ben")
    assert recording.wait(TIMEOUT), "the withdrawal did not finish"
    status = recording.state().status
    assert not status.active and status.offer_deletion
    assert "Ben withdrew consent" in recording.state().notice
    files, size = recording.delete_recording().result(timeout=TIMEOUT)
    # Done means done: the files are gone and the deletion is in the log.
    assert files >= 1 and size > 0
    assert read_index(session.folder) == [] and not (session.folder / "video").exists()
    deleted = [e.as_dict()["data"] for e in read_log(session.folder) if e.type == "recording_deleted"]
    assert deleted == [{"files": files, "bytes": size}]
    assert recording.close()
    session.close()


class SlowDeletion(Recorder):
    """A recorder whose deletion cannot finish before the test lets it."""

    entered = threading.Event()
    release = threading.Event()

    def delete_recording(self):
        self.entered.set()
        assert self.release.wait(TIMEOUT)
        return super().delete_recording()


def test_closing_waits_for_a_deletion_in_progress(tmp_path):
    SlowDeletion.entered.clear()
    SlowDeletion.release.clear()
    session, recording = _session(tmp_path, recorder_factory=SlowDeletion)
    recorder = recording.recorder
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    assert recording.toggle()
    wait_status(recorder, lambda s: s.segments >= 1, "a first segment")
    recording.withdraw("Ben")
    future = recording.delete_recording()  # the trainer said Delete, then quits at once
    assert SlowDeletion.entered.wait(TIMEOUT)
    # The deletion goes on after quitting has begun; quitting must wait for it.
    threading.Timer(0.3, SlowDeletion.release.set).start()
    finished = recording.close()
    assert not (session.folder / "video").exists()
    assert "recording_deleted" in [e.type for e in read_log(session.folder)]
    assert finished and future.done() and future.exception() is None
    session.close()

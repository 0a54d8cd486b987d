"""The recorder end to end with synthetic sources: read-back, sync, privacy, consent and faults."""

from __future__ import annotations

import errno
import stat
import threading

import numpy as np
import pytest

from roleplay.core.log import read_log
from roleplay.video.audio import AudioSource, AudioUnavailable, SyntheticTone, beep_onsets
from roleplay.video.consent import ConsentMissing
from roleplay.video.files import open_private
from roleplay.video.reader import Recording
from roleplay.video.recorder import Recorder
from roleplay.video.segments import read_index
from roleplay.video.sources import FlakySource, SyntheticSource, has_sync_mark

from conftest import event_types, wait_status

FPS = 15


def record_until(recorder: Recorder, condition, what: str) -> None:
    recorder.start()
    try:
        wait_status(recorder, lambda _: condition(), what)  # re-checked at each status change
    finally:
        recorder.stop()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """About 3.5 s of 160x120 at 15 fps with the synthetic tone, recorded once for several tests."""
    from roleplay.core.clock import Clock
    from roleplay.core.log import SessionLog, new_session_folder

    clock = Clock()
    folder = new_session_folder(tmp_path_factory.mktemp("rec"), "test", clock)
    log = SessionLog(folder, clock)
    log.append("session_started", {"scenario": "test", "participants": ["Ada"]})
    log.append("consent", {"participant": "Ada", "given": True})
    recorder = Recorder(folder, log, SyntheticSource(160, 120, FPS, clock), audio=SyntheticTone(clock), clock=clock)
    record_until(recorder, lambda: recorder.status().seconds >= 3.0, "3 s on disk")
    log.close()
    return folder, recorder


def test_frames_read_back_match_the_index_in_count_and_time(recorded):
    folder, recorder = recorded
    entries = read_index(folder)
    frames = list(Recording(folder).frames())
    assert len(entries) >= 2
    assert len(frames) == sum(e.frames for e in entries) == recorder.status().frames
    for entry in entries:
        times = [f.time for f in frames if f.segment == entry.segment]
        assert len(times) == entry.frames
        assert times[0] == pytest.approx(entry.first_frame, abs=0.001)
        assert times[-1] == pytest.approx(entry.last_frame, abs=0.001)
        assert entry.start <= times[0] and times[-1] <= entry.end
    times = np.array([f.time for f in frames])
    gaps = np.diff(times)
    assert (gaps > 0).all()
    assert np.median(gaps) == pytest.approx(1 / FPS, abs=0.005)
    # Segments follow each other without overlap, on the session log's clock.
    started = next(e for e in read_log(folder) if e.type == "recording_started")
    assert entries[0].start >= started.mono - 0.5
    for a, b in zip(entries, entries[1:]):
        assert a.end <= b.start + 1e-6


def test_sound_is_recorded_and_in_sync_with_the_picture(recorded):
    folder, _ = recorded
    recording = Recording(folder)
    sound = list(recording.sound())
    assert sound, "no sound in the segments"
    heard = sum(len(s.samples) for s in sound) / sound[0].rate
    seen = sum(e.end - e.start for e in recording.segments)
    # Sound starts a chunk after the first frame and may end a frame before the last.
    assert heard == pytest.approx(seen, abs=2 / FPS + 0.05)
    for entry in recording.segments[1:-1]:  # a whole segment has all its sound
        assert entry.audio_samples == round((entry.end - entry.start) * sound[0].rate)
    samples = np.concatenate([s.samples for s in sound])
    onsets = beep_onsets(samples, sound[0].time)
    heard_until = sound[-1].time + len(sound[-1].samples) / sound[-1].rate
    marks = [f.time for f in recording.frames() if has_sync_mark(f.image) and f.time < heard_until - 0.15]
    # A loaded machine may skip the frame due at a whole second; that second then has no mark.
    assert marks and len(onsets) >= 2
    for mark in marks:
        nearest = min(onsets, key=lambda t: abs(t - mark))
        # The mark is on the first frame at or after the beep's whole second.
        assert abs(mark - nearest) <= 1 / FPS + 0.03, (mark, nearest)


def test_session_folder_and_files_are_private(recorded):
    folder, _ = recorded
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "video").stat().st_mode) == 0o700
    files = list((folder / "video").iterdir())
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_logs_start_and_stop_with_figures(recorded):
    folder, recorder = recorded
    events = {e.type: e.data for e in read_log(folder)}
    assert events["recording_started"]["audio"] == "on"
    assert events["recording_started"]["width"] == 160
    assert events["recording_stopped"]["reason"] == "manual"
    assert events["recording_stopped"]["frames"] == recorder.status().frames


def test_no_frame_is_captured_before_everyone_consents(make_session):
    folder, log = make_session(participants=("Ada", "Ben"), consent=False)
    log.append("consent", {"participant": "Ada", "given": True})
    source = SyntheticSource(64, 48, FPS)
    recorder = Recorder(folder, log, source, audio="none")
    with pytest.raises(ConsentMissing, match="Ben"):
        recorder.start()
    assert source._background is None  # never opened
    assert not (folder / "video").exists()
    assert "recording_started" not in event_types(folder)

    log.append("consent", {"participant": "Ben", "given": True})
    log.append("consent", {"participant": "Ada", "given": False})  # and Ada changes her mind
    with pytest.raises(ConsentMissing, match="Ada"):
        recorder.start()


def test_withdrawing_consent_stops_at_once_and_offers_deletion(make_session):
    folder, log = make_session()
    recorder = Recorder(folder, log, "synthetic:64x48@15", audio="none", segment_seconds=0.5)
    recorder.start()
    wait_status(recorder, lambda s: s.segments >= 1, what="a first segment")
    log.append("consent", {"participant": "Ben", "given": False})
    recorder.consent_withdrawn("Ben")
    status = recorder.status()
    assert not status.active and status.offer_deletion
    stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"]
    assert stopped[-1]["reason"] == "consent_withdrawn"
    with pytest.raises(ConsentMissing, match="Ben"):
        recorder.start()

    files, size = recorder.delete_recording()
    assert files >= 1 and size > 0
    assert not (folder / "video").exists()
    assert read_log(folder)[-1].type == "recording_deleted"
    assert not recorder.status().offer_deletion


class NoMicrophone(AudioSource):
    def start(self, sink):
        raise AudioUnavailable("no microphone could be opened: test")


def test_without_a_microphone_picture_is_recorded_with_a_notice(make_session):
    folder, log = make_session()
    recorder = Recorder(folder, log, "synthetic:64x48@15", audio=NoMicrophone())
    record_until(recorder, lambda: recorder.status().segments >= 1, "a segment")
    status = recorder.status()
    assert status.audio == "unavailable" and "No microphone" in status.notice
    events = read_log(folder)
    assert [e.data["reason"] for e in events if e.type == "audio_unavailable"] == ["no microphone could be opened: test"]
    recording = Recording(folder)
    assert recording.frame_count > 0 and list(recording.sound()) == []


def test_a_camera_lost_mid_way_is_logged_and_recording_resumes(make_session):
    folder, log = make_session()
    source = FlakySource(SyntheticSource(64, 48, FPS), lose_after=10, fail_reopens=2)
    # Three waits of 0.25 s while the camera is away: a pause far longer than any a busy machine
    # causes by starving the capture thread, so the longest gap is the camera's.
    recorder = Recorder(folder, log, source, audio="none", reconnect_seconds=0.25, segment_seconds=0.5)
    record_until(recorder, lambda: "camera_resumed" in event_types(folder) and recorder.status().frames > 12,
                 "the camera to come back and frames after it")
    types = event_types(folder)
    assert types.index("recording_started") < types.index("camera_lost") < types.index("camera_resumed")
    assert recorder.status().state == "stopped" and recorder.status().error is None
    assert source.reopen_attempts == 3  # two failures, then back
    lost = next(e for e in read_log(folder) if e.type == "camera_lost")
    times = [f.time for f in Recording(folder).frames()]
    assert len(times) == recorder.status().frames
    gaps = np.diff(times)
    # The longest pause in the picture is after the 10th frame, while the camera was away.
    assert int(np.argmax(gaps)) == 9 and gaps[9] >= 0.5
    assert times[9] <= lost.mono + 0.001 < times[10]


def test_a_full_disk_stops_recording_and_keeps_what_was_written(make_session):
    folder, log = make_session()
    writes = []

    def opener(path):
        if len(writes) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        writes.append(path)
        return open_private(path)

    recorder = Recorder(folder, log, "synthetic:64x48@15", audio="synthetic", segment_seconds=0.5, opener=opener)
    recorder.start()
    wait_status(recorder, lambda s: not s.active, what="the recorder to give up")
    status = recorder.status()
    assert status.state == "failed" and "disk is full" in status.error and status.segments == 2
    stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"][-1]
    assert stopped["reason"] == "disk_full" and stopped["segments"] == 2
    recording = Recording(folder)
    assert len(list(recording.frames())) == recording.frame_count > 0
    assert sorted(p.name for p in (folder / "video").iterdir()) == [
        "index.jsonl", "seg-000001.mkv", "seg-000002.mkv"]  # no half-written file
    log.append("note", {"text": "the session goes on", "phase": "scene"})
    assert read_log(folder)[-1].type == "note"


def test_frames_are_dropped_and_counted_when_the_writer_falls_behind(make_session):
    folder, log = make_session()
    release = threading.Event()
    recorder = None

    def slow_opener(path):
        release.wait(20)  # the disk stalls until frames have been dropped
        return open_private(path)

    recorder = Recorder(folder, log, "synthetic:64x48@30", audio="none", segment_seconds=0.3, queue_seconds=0.1,
                        opener=slow_opener)
    recorder.start()
    wait_status(recorder, lambda s: s.dropped >= 3, what="dropped frames")
    release.set()
    recorder.stop()
    status = recorder.status()
    dropped = [e.data for e in read_log(folder) if e.type == "frames_dropped"]
    assert dropped and dropped[-1]["total"] == status.dropped == sum(d["count"] for d in dropped)
    stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"][-1]
    assert stopped["dropped"] == status.dropped
    assert Recording(folder).frame_count == status.frames > 0


def test_a_second_take_adds_segments_to_the_same_index(make_session):
    folder, log = make_session()
    recorder = Recorder(folder, log, "synthetic:64x48@15", audio="none", segment_seconds=0.5)
    record_until(recorder, lambda: recorder.status().segments >= 1, "take 1")
    first = recorder.status().segments
    record_until(recorder, lambda: recorder.status().segments > first, "take 2")
    entries = read_index(folder)
    assert {e.take for e in entries} == {1, 2}
    assert [e.segment for e in entries] == list(range(1, len(entries) + 1))
    assert Recording(folder).frame_count == recorder.status().frames

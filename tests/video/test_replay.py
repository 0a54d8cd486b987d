"""Replay: the timeline from the log, seeking by index, dropping late frames, reflections, faults, the screen."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from roleplay.core.clock import Clock, FakeClock
from roleplay.core.log import SessionLog, new_session_folder, read_log
from roleplay.video.audio import SyntheticTone
from roleplay.video.player import Playback, PlaybackStats, Player, run_playback
from roleplay.video.reader import Recording
from roleplay.video.recorder import Recorder
from roleplay.video.segments import read_index
from roleplay.video.sources import SyntheticSource
from roleplay.video.timeline import add_reflection, load_timeline, parse_time

from conftest import wait_for, wait_status
from tests.conftest import PASSPHRASE

FPS = 15
WIDTH, HEIGHT = 160, 120
FRAME = 1 / FPS
SCENARIO = {
    "phases": {"scene": {"title": "The scene"}, "sharing": {"title": {"en": "Sharing"}}},
    "events": [{"id": "phone-rings", "title": "The phone rings"}],
}
_made: dict[str, Path] = {}


def record_session(root: Path, passphrase: str | None = None, takes=(3.0, 1.5)) -> Path:
    """Takes of 160x120@15 with the synthetic tone, and the log events a session leaves around them."""
    clock = Clock()
    folder = new_session_folder(root, "test", clock)
    log = SessionLog(folder, clock)
    lock = threading.Lock()  # the recorder writes to the same log from its threads

    def append(type_, data):
        with lock:
            log.append(type_, data)

    append("session_started", {"scenario": "test", "participants": ["Ada"], "language": "en",
                                   "scenario_data": SCENARIO})
    append("consent", {"participant": "Ada", "given": True})
    recorder = Recorder(folder, log, SyntheticSource(WIDTH, HEIGHT, FPS, clock), audio=SyntheticTone(clock),
                        clock=clock, passphrase=passphrase, log_lock=lock)
    seconds = 0.0
    for take, length in enumerate(takes):
        recorder.start()
        wait_status(recorder, lambda s: s.recording, what="recording")
        if take == 0:
            append("phase_entered", {"phase": "scene", "from": None, "trigger": None})
            wait_status(recorder, lambda s: s.seconds >= 1.5, what="a first segment")
            append("marker", {"label": "first doubt", "phase": "scene"})
            wait_status(recorder, lambda s: s.seconds >= 2.0, what="more video")
            append("paused", {"phase": "scene", "reason": "check-in"})
            wait_status(recorder, lambda s: s.seconds >= 2.5, what="more video")
            append("resumed", {"phase": "scene"})
        else:
            append("event_injected", {"event": "phone-rings", "phase": "scene"})
        seconds += length
        wait_status(recorder, lambda s, target=seconds: s.seconds >= target, what=f"{seconds} s on disk")
        recorder.stop()
        if take == 0:  # between takes: after the last segment's end
            wait_for(lambda: clock.monotonic() > read_index(folder)[-1].end + 0.01, what="the take's end")
            append("note", {"text": "between takes", "phase": "scene"})
    append("phase_entered", {"phase": "sharing", "from": "scene", "trigger": "next"})
    log.close()
    return folder


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """Two takes (about 3 s and 1.5 s), recorded once for the module; tests that change it copy it."""
    if "plain" not in _made:
        _made["plain"] = record_session(tmp_path_factory.mktemp("replay"))
    return _made["plain"]


@pytest.fixture
def copy(recorded, tmp_path):
    def make() -> Path:
        target = tmp_path / recorded.name
        shutil.copytree(recorded, target)
        return target
    return make


def pattern_shift(image: np.ndarray) -> int:
    """How far the synthetic gradient is rolled: 4 pixels per frame number, so it shows which frame this is."""
    blue = image[40:80, :, 0].astype(np.float32).mean(axis=0)
    steps = np.diff(blue)
    return int(np.argmin(steps)) + 1 if steps.min() < -100 else 0  # no visible wrap: shift 0


# -- the timeline ------------------------------------------------------------------


def test_timeline_lays_takes_end_to_end_and_places_log_events(recorded):
    entries = read_index(recorded)
    timeline = load_timeline(recorded)
    assert {e.take for e in entries} == {1, 2}
    assert timeline.duration == pytest.approx(sum(e.end - e.start for e in entries))
    events = {e.type: e for e in read_log(recorded)}
    marks = {m.kind: m for m in timeline.marks}
    assert set(marks) == {"phase", "marker", "pause", "resume", "note", "event", "take"}

    marker = marks["marker"]
    first = entries[0]
    assert marker.on_camera and marker.names == ("first doubt",)
    assert marker.at == pytest.approx(events["marker"].mono - first.start, abs=1e-6)  # take 1 starts at 0
    # The note was written while nothing was filmed: it lands where take 2 starts, off camera.
    take2 = next(e for e in entries if e.take == 2)
    take2_at = sum(e.end - e.start for e in entries if e.take == 1)
    assert marks["take"].at == pytest.approx(take2_at)
    assert marks["note"].at == pytest.approx(take2_at) and not marks["note"].on_camera
    assert timeline.to_recording(take2.start + 0.5) == (pytest.approx(take2_at + 0.5), True)
    assert timeline.to_session(take2_at + 0.5) == pytest.approx(take2.start + 0.5)
    # Phase titles and event ids come from the scenario copy in the log.
    assert {n for m in timeline.marks if m.kind == "phase" for n in m.names} == {"scene", "The scene", "sharing",
                                                                                "Sharing"}
    assert timeline.resolve("the scene") == timeline.resolve("scene")
    assert timeline.resolve("phone-rings") == marks["event"].at
    assert timeline.resolve("00:02.5") == 2.5 and parse_time("1:02:03") == 3723


# -- seeking ------------------------------------------------------------------------


def test_the_frame_shown_at_a_time_carries_that_time(recorded):
    player = Player(recorded)
    everything = list(player.frames_from(0.0))
    reference = list(Recording(recorded).frames())
    assert len(everything) == len(reference) == player.frame_count
    assert [f.index for f in everything] == list(range(len(everything)))
    take_of = {e.segment: e.take for e in player.entries}
    take_first = {}  # each take's synthetic source starts its frame numbers again
    for frame in everything:
        take_first.setdefault(take_of[frame.segment], frame)
    for t in (0.0, 0.52, 1.37, 2.0, player.duration / 2, 3.3, player.duration - 0.01):
        frame = player.frame_at(t)
        expected = max((f for f in everything if f.at <= t + 1e-6), key=lambda f: f.at)
        assert frame.index == expected.index, t
        # t lies in this frame's time on screen: not before the frame, and before the next one (one frame's
        # time apart, or more where a loaded machine made the camera skip frames, as a real one would). The
        # last frame stays until the recording ends, later than one frame if the camera skipped its last ones.
        following = everything[frame.index + 1] if frame.index + 1 < len(everything) else None
        shown_for = following.at - frame.at if following is not None else max(FRAME, player.duration - frame.at)
        assert frame.at <= t + 1e-6 and t - frame.at < shown_for + 0.01
        assert np.array_equal(frame.image, reference[frame.index].image)
        # The picture itself says which frame it is: the pattern moves 4 px per frame.
        first = take_first[take_of[frame.segment]]
        frames_on = round((frame.time - first.time) * FPS)
        assert pattern_shift(frame.image) == (pattern_shift(first.image) + frames_on * 4) % WIDTH, t


def test_seeks_and_marker_jumps_land_within_one_frame(recorded):
    player = Player(recorded)
    timeline = player.timeline
    times = [f.at for f in player.frames_from(0.0)]
    at, visited = -1.0, []
    while (mark := timeline.next_mark(at)) is not None:
        visited.append(mark)
        frame = player.frame_at(mark.at)
        # The last frame stays until the recording ends (a mark may sit at its very end).
        following = times[frame.index + 1] if frame.index + 1 < len(times) else max(frame.at + FRAME, player.duration)
        shown_for = max(following - frame.at, FRAME)  # longer where the camera skipped frames under load
        assert 0 <= mark.at - frame.at < shown_for + 0.01 or frame.at == pytest.approx(mark.at, abs=FRAME)
        at = mark.at
    stops = []  # marks closer together than 50 ms are one stop
    for when in sorted(m.at for m in timeline.marks):
        if not stops or when > stops[-1] + 0.05:
            stops.append(when)
    assert [m.at for m in visited] == stops and len(stops) >= 5
    back = timeline.previous_mark(visited[-1].at)
    assert back is not None and back.at < visited[-1].at
    playback = Playback(player.duration, clock=FakeClock().monotonic)
    playback.seek(2.0)
    playback.step(5)
    assert playback.position() == player.duration  # clamped at the end
    playback.step(-100)
    assert playback.position() == 0.0


class SteppedPlayback(Playback):
    """Playback on a fake clock: waiting moves time on instead of sleeping."""

    def __init__(self, duration, clock: FakeClock, stop: threading.Event):
        super().__init__(duration, clock=clock.monotonic)
        self.fake, self.stop = clock, stop

    def wait(self, timeout: float) -> None:
        if not self.playing:
            self.stop.set()  # reached the end
        self.fake.advance(max(timeout, 0.001))


def test_a_slow_screen_gets_fewer_frames_never_late_ones(recorded):
    player = Player(recorded)
    clock, stop = FakeClock(), threading.Event()
    playback = SteppedPlayback(player.duration, clock, stop)
    playback.play()
    shown = []

    def slow_show(frame):  # drawing takes as long as three frames
        shown.append((frame.at, playback.position()))
        clock.advance(3 * FRAME)

    stats = run_playback(player, playback, slow_show, stop, PlaybackStats())
    assert stats.dropped > player.frame_count / 2
    assert stats.shown == len(shown) < player.frame_count / 2
    assert [a for a, _ in shown] == sorted(a for a, _ in shown)
    # No backlog: each shown frame is (nearly) the current one. Counted in frames of the recording, not
    # seconds: where the camera skipped frames under load, the current frame is older than one period.
    times = [f.at for f in player.frames_from(0.0)]
    passed_over = [sum(at < t <= now + 1e-9 for t in times) for at, now in shown[1:]]
    assert max(passed_over) <= 2, passed_over


def test_playback_at_full_speed_shows_every_frame_in_order(recorded):
    player = Player(recorded)
    clock, stop = FakeClock(), threading.Event()
    playback = SteppedPlayback(player.duration, clock, stop)
    playback.set_speed(2.0)
    playback.play()
    shown = []
    stats = run_playback(player, playback, lambda f: shown.append(f.index), stop)
    assert shown == list(range(player.frame_count)) and stats.dropped == 0


# -- reflections ----------------------------------------------------------------------


def test_reflections_are_written_to_the_log_and_read_back(copy):
    folder = copy()
    log_path = folder / "session.jsonl"
    last_seq = read_log(folder)[-1].seq
    with open(log_path, "ab") as handle:  # a torn last line, as a crash leaves it
        handle.write(b'{"seq": 99, "wall": 1')
    timeline = load_timeline(folder)
    mark = add_reflection(folder, timeline, "Ben", "her voice changes here", 2.25)
    assert mark in timeline.marks
    event = read_log(folder)[-1]
    assert event.type == "reflection" and event.seq == last_seq + 1
    assert event.data["by"] == "Ben" and event.data["text"] == "her voice changes here"
    assert event.data["at"] == 2.25
    assert event.data["mono"] == pytest.approx(timeline.to_session(2.25), abs=1e-5)
    again = load_timeline(folder)
    read_back = [m for m in again.marks if m.kind == "reflection"]
    assert [(m.at, m.by, m.text) for m in read_back] == [(2.25, "Ben", "her voice changes here")]
    with pytest.raises(ValueError, match="text"):
        add_reflection(folder, timeline, "Ben", "  ", 1.0)


# -- faults ---------------------------------------------------------------------------


def test_missing_and_damaged_segments_are_skipped_with_a_notice(copy):
    folder = copy()
    entries = read_index(folder)
    missing, damaged = entries[1], entries[-2]
    (folder / "video" / missing.file).unlink()
    data = bytearray((folder / "video" / damaged.file).read_bytes())
    data[: len(data)] = bytes(len(data))  # zeros: not Matroska at all
    (folder / "video" / damaged.file).write_bytes(bytes(data))
    player = Player(folder)
    frames = list(player.frames_from(0.0))
    kept = {e.segment for e in entries} - {missing.segment, damaged.segment}
    assert {f.segment for f in frames} == kept
    assert len(frames) == sum(e.frames for e in entries if e.segment in kept)
    assert any(missing.file in n for n in player.notices) and any(damaged.file in n for n in player.notices)
    # Seeking into the missing stretch goes on with the next good segment.
    inside = player.timeline.spans[1].at + 0.2
    assert player.frame_at(inside).segment == entries[2].segment
    assert player.sound(inside, 4800).shape == (4800,)


def test_a_segment_cut_by_a_crash_plays_up_to_the_cut(copy):
    folder = copy()
    entries = read_index(folder)
    first = entries[0]
    path = folder / "video" / first.file
    path.write_bytes(path.read_bytes()[: first.bytes * 2 // 3])
    player = Player(folder)
    frames = [f for f in player.frames_from(0.0) if f.segment == first.segment]
    assert 0 < len(frames) < first.frames
    assert any(first.file in n and "cut short" in n or "damaged" in n for n in player.notices)
    assert len(list(player.frames_from(0.0))) > len(frames)  # and goes on with the next segment


def test_a_session_without_video_shows_its_timeline(tmp_path):
    clock = FakeClock()
    folder = new_session_folder(tmp_path, "test", clock)
    with SessionLog(folder, clock) as log:
        log.append("session_started", {"scenario": "test", "participants": ["Ada"], "scenario_data": SCENARIO})
        log.append("phase_entered", {"phase": "scene"})
        clock.advance(30)
        log.append("note", {"text": "Ada chose to watch", "phase": "scene"})
        clock.advance(30)
        log.append("marker", {"label": "turning point", "phase": "scene"})
    player = Player(folder)
    timeline = player.timeline
    assert not timeline.has_video and timeline.duration == 60
    assert [(m.kind, m.at) for m in timeline.marks] == [("phase", 0), ("note", 30), ("marker", 60)]
    assert player.frame_at(10) is None and list(player.frames_from(0)) == []

    from roleplay.ui.replay_app import ReplayApp

    async def watch():
        app = ReplayApp(player, sound=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert not screen.query("#replay-video")
            assert "no video" in str(screen.query_one("#replay-empty").render())
            assert "Ada chose to watch" in str(screen.query_one("#replay-marks").render())
            await pilot.press("right_square_bracket")
            assert screen.playback.position() == 30
            await pilot.press("q")

    asyncio.run(watch())


# -- the screen -----------------------------------------------------------------------------


def test_replay_screen_keys_move_the_picture_and_save_reflections(copy):
    folder = copy()
    player = Player(folder)
    marker = next(m for m in player.timeline.marks if m.kind == "marker")

    from roleplay.ui.replay_app import ReplayApp

    moment = {}

    async def watch():
        app = ReplayApp(player, sound=True, name=None)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen

            async def until(condition, what):
                for _ in range(500):
                    if condition():
                        return
                    await pilot.pause(0.02)
                pytest.fail(f"timed out waiting for {what}")

            await until(lambda: screen.query("#replay-video") and screen.query_one("#replay-video").frame,
                        "the first frame")
            view = screen.query_one("#replay-video")
            assert view.frame.index == 0
            assert any("sound" in n for n in screen.notices)  # no sound card here: silent, with a notice
            while screen.playback.position() < marker.at - 0.01:
                await pilot.press("right_square_bracket")
            assert screen.playback.position() == pytest.approx(marker.at)
            expected = player.frame_at(marker.at).index
            await until(lambda: view.frame.index == expected, "the marker's frame")
            cells = view.render_line(view.size.height // 2)
            assert "\u2580" in cells.text and view.size.width == cells.cell_length

            await pilot.press("right")
            assert screen.playback.position() == pytest.approx(min(marker.at + 5, player.duration))
            await pilot.press("left", "3")
            assert screen.playback.speed == 2.0
            await pilot.press("minus", "minus")
            assert screen.playback.speed == 0.5
            await pilot.press("m")
            assert screen.playback.muted

            moment["at"] = screen.playback.position()
            await pilot.press("r", *"Cleo", "enter", *"I froze here", "enter")
            await until(lambda: any(m.kind == "reflection" for m in screen.player.timeline.marks), "the reflection")
            await pilot.press("space")
            assert screen.playback.playing
            await pilot.press("q")

    asyncio.run(watch())
    event = read_log(folder)[-1]
    assert event.type == "reflection" and event.data["by"] == "Cleo" and event.data["text"] == "I froze here"
    assert event.data["at"] == pytest.approx(moment["at"], abs=0.001)
    assert [m.text for m in load_timeline(folder).marks if m.kind == "reflection"] == ["I froze here"]


def test_encrypted_session_replays_with_its_passphrase(tmp_path):
    from roleplay.video.reader import ReadError

    folder = record_session(tmp_path, passphrase=PASSPHRASE, takes=(1.5,))
    assert all(e.encrypted for e in read_index(folder))
    player = Player(folder, PASSPHRASE)
    frames = list(player.frames_from(0.0))
    assert len(frames) == player.frame_count > 0 and not player.notices
    assert np.abs(player.sound(0.0, 48000)).max() > 0.1
    # A wrong passphrase is checked through the command line (each try costs seconds of scrypt).
    with pytest.raises(ReadError, match="encrypted"):
        Player(folder)
    _made["encrypted"] = folder  # the command-line tests reuse it

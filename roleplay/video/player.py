"""Decoding a recording for replay: seek by index, frames on the recording timeline, sound.

Seeking finds the segment holding time t in the index and decodes from that
segment's start (every segment starts with a keyframe), converting only the
frame that is shown at t. So a seek costs at most one segment's decoding,
however long the recording.

A segment that is missing, cannot be decrypted or is damaged is skipped with a
notice; one cut short by a crash plays up to the cut.

`Playback` is where replay is now (position, paused, speed); `run_playback`
is the loop a worker thread runs: it hands each frame to `show` when its time
comes, and drops the frames it is already too late for rather than showing
them late.
"""

from __future__ import annotations

import io
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import av
import numpy as np

from roleplay.core.i18n import _
from roleplay.video.reader import ReadError, Recording
from roleplay.video.segments import RATE, SegmentEntry
from roleplay.video.timeline import Span, Timeline, load_timeline

SPEEDS = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class VideoFrame:
    at: float  # recording seconds
    time: float  # session clock
    index: int  # frame number in the whole recording, counting from 0
    segment: int
    image: np.ndarray  # BGR


class Player:
    """A session's recording, ready to seek in. Raises ReadError for a wrong or missing passphrase."""

    def __init__(self, folder: Path, passphrase: str | None = None, timeline: Timeline | None = None,
                 on_notice: Callable[[str], None] | None = None):
        self.folder = Path(folder)
        self.timeline = timeline or load_timeline(self.folder, passphrase)
        self.notices: list[str] = list(self.timeline.notices)
        self.on_notice = on_notice
        self.recording: Recording | None = None
        self.entries: list[SegmentEntry] = []
        if self.timeline.has_video:
            self.recording = Recording(self.folder, passphrase)
            self.entries = self.recording.segments
        self._first_index = np.cumsum([0] + [e.frames for e in self.entries]).tolist()
        self._bad: set[int] = set()
        self._sound_cache: OrderedDict[int, tuple[float, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()  # sound is read from the audio thread as well

    @property
    def duration(self) -> float:
        return self.timeline.duration

    @property
    def frame_count(self) -> int:
        return self._first_index[-1]

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)
            if self.on_notice:
                self.on_notice(message)

    # -- picture ------------------------------------------------------------------

    def frames_from(self, at: float) -> Iterator[VideoFrame]:
        """Frames from the one shown at `at` (the last one not after it) to the end."""
        spans = self.timeline.spans
        if not spans:
            return
        first = self.timeline.span_index(at)
        for i in range(first, len(spans)):
            yield from self._segment_frames(i, at if i == first else None)

    def frame_at(self, at: float) -> VideoFrame | None:
        return next(self.frames_from(at), None)

    def _segment_frames(self, i: int, at: float | None) -> Iterator[VideoFrame]:
        """Decode span i; with `at`, skip (without converting) the frames before the one shown at `at`."""
        span, entry = self.timeline.spans[i], self.entries[i]
        container = self._open(entry)
        if container is None:
            return
        held = None  # the last frame not after `at`, not yet converted
        number = self._first_index[i]
        try:
            if not container.streams.video:
                return
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                when = span.at + float(frame.time)  # a segment's time zero is its start
                if at is not None:
                    if when <= at + 1e-6:
                        held = (frame, when, number)
                        number += 1
                        continue
                    at = None  # the first frame after `at`: the held one is shown first
                    if held is not None:
                        yield self._convert(*held, span, entry)
                yield self._convert(frame, when, number, span, entry)
                number += 1
            if held is not None and at is not None:
                yield self._convert(*held, span, entry)
            decoded = number - self._first_index[i]
            if decoded < entry.frames:  # the file ends early: cut by a crash or a full disk
                self.notice(_("segment {file} ends after {decoded} of its {frames} frames (cut short); replay goes on after it").format(file=entry.file, decoded=decoded, frames=entry.frames))
        except av.FFmpegError as exc:
            # A segment cut by a crash or damaged: keep what decoded, say so, go on.
            if held is not None and at is not None:
                yield self._convert(*held, span, entry)
            self._mark_bad(entry, _("segment {file} is damaged after {frames} frames ({exc}); the rest of it is skipped").format(
                                      file=entry.file, frames=number - self._first_index[i], exc=_reason(exc)))
        finally:
            container.close()

    @staticmethod
    def _convert(frame, when: float, number: int, span: Span, entry: SegmentEntry) -> VideoFrame:
        return VideoFrame(when, span.start + (when - span.at), number, entry.segment, frame.to_ndarray(format="bgr24"))

    def _open(self, entry: SegmentEntry):
        if entry.segment in self._bad:
            return None
        try:
            data = self.recording.segment_data(entry)
            return av.open(io.BytesIO(data), "r", format="matroska")
        except ReadError as exc:
            self._mark_bad(entry, _("{exc}; skipped").format(exc=exc))
        except av.FFmpegError as exc:
            self._mark_bad(entry, _("segment {file} cannot be opened ({exc}); skipped").format(file=entry.file, exc=_reason(exc)))
        return None

    def _mark_bad(self, entry: SegmentEntry, message: str) -> None:
        self._bad.add(entry.segment)
        self.notice(message)

    # -- sound --------------------------------------------------------------------

    def sound(self, at: float, count: int) -> np.ndarray:
        """`count` float32 mono samples at RATE from recording time `at`; silence where there is none."""
        out = np.zeros(count, np.float32)
        spans = self.timeline.spans
        if not spans or count <= 0:
            return out
        end = at + count / RATE
        i = self.timeline.span_index(at)
        while i < len(spans) and spans[i].at < end:
            span = spans[i]
            start, samples = self._segment_sound(i)
            offset = round((start - at) * RATE)  # where the segment's sound starts in `out`
            lo, hi = max(0, offset), min(count, offset + len(samples))
            if hi > lo:
                out[lo:hi] = samples[lo - offset : hi - offset]
            if span.at + span.length >= end:
                break
            i += 1
        return out

    def _segment_sound(self, i: int) -> tuple[float, np.ndarray]:
        """(recording time of the first sample, samples) of span i, cached for the audio thread."""
        with self._lock:
            if i in self._sound_cache:
                self._sound_cache.move_to_end(i)
                return self._sound_cache[i]
        span, entry = self.timeline.spans[i], self.entries[i]
        result: tuple[float, np.ndarray] = (span.at, np.zeros(0, np.float32))
        container = None if not entry.audio_samples else self._open(entry)
        if container is not None:
            parts, first = [], None
            try:
                if container.streams.audio:
                    for frame in container.decode(audio=0):
                        if first is None:
                            first = float(frame.time)
                        samples = frame.to_ndarray()
                        if samples.dtype == np.int16:
                            samples = samples.astype(np.float32) / 32768
                        parts.append(samples.reshape(-1).astype(np.float32))
            except av.FFmpegError as exc:
                self.notice(_("the sound of segment {file} is damaged ({exc}); partly silent").format(file=entry.file, exc=_reason(exc)))
            finally:
                container.close()
            if parts:
                result = (span.at + first, np.concatenate(parts))
        with self._lock:
            self._sound_cache[i] = result
            while len(self._sound_cache) > 4:
                self._sound_cache.popitem(last=False)
        return result


class Playback:
    """Position on the recording timeline, running or paused, at a speed. Thread-safe.

    Every seek or speed change bumps `generation`, telling the decoding loop to
    start again from the new position.
    """

    def __init__(self, duration: float, clock: Callable[[], float] = time.monotonic):
        self.duration = duration
        self.clock = clock
        self._cond = threading.Condition()
        self._base = 0.0  # position when `_since` was taken
        self._since = clock()
        self.playing = False
        self.speed = 1.0
        self.muted = False
        self.generation = 0

    def position(self) -> float:
        with self._cond:
            return self._position()

    def _position(self) -> float:
        if not self.playing:
            return self._base
        return min(self.duration, self._base + (self.clock() - self._since) * self.speed)

    def _change(self, position: float | None = None, playing: bool | None = None, speed: float | None = None,
                restart: bool = False) -> None:
        with self._cond:
            self._base = self._position() if position is None else min(max(0.0, position), self.duration)
            self._since = self.clock()
            if playing is not None:
                self.playing = playing
            if speed is not None:
                self.speed = speed
            if restart:
                self.generation += 1
            self._cond.notify_all()

    def play(self) -> None:
        if self._position() >= self.duration:
            self._change(position=0.0, playing=True, restart=True)
        else:
            self._change(playing=True)

    def pause(self) -> None:
        self._change(playing=False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def seek(self, at: float) -> None:
        self._change(position=at, restart=True)

    def step(self, seconds: float) -> None:
        self.seek(self.position() + seconds)

    def set_speed(self, speed: float) -> None:
        self._change(speed=speed)

    def faster(self, steps: int) -> float:
        index = min(max(0, SPEEDS.index(self.speed) + steps if self.speed in SPEEDS else 1), len(SPEEDS) - 1)
        self.set_speed(SPEEDS[index])
        return self.speed

    def toggle_mute(self) -> bool:
        with self._cond:
            self.muted = not self.muted
            return self.muted

    def wait(self, timeout: float) -> None:
        """Sleep until `timeout` passes or something changes (seek, pause, play, speed)."""
        with self._cond:
            self._cond.wait(timeout)

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()


@dataclass
class PlaybackStats:
    shown: int = 0
    dropped: int = 0
    max_late: float = 0.0  # how far behind its time a shown frame was, in recording seconds


def run_playback(player: Player, playback: Playback, show: Callable[[VideoFrame], None],
                 stop: threading.Event, stats: PlaybackStats | None = None) -> PlaybackStats:
    """Decode and hand frames to `show` in time until `stop` is set; returns what was shown and dropped.

    A frame is dropped when the next one is already due: falling behind never
    builds a queue of stale pictures, the picture jumps to the present instead.
    """
    stats = stats or PlaybackStats()
    while not stop.is_set():
        generation = playback.generation
        start = playback.position()
        frames = player.frames_from(start)
        current = next(frames, None)
        if current is None:
            playback.wait(0.5)  # nothing to show (no video, or only bad segments): wait for a seek
            continue
        show(current)
        stats.shown += 1
        upcoming = next(frames, None)
        while not stop.is_set() and playback.generation == generation:
            if upcoming is None:
                if playback.playing and playback.position() >= playback.duration:
                    playback.pause()
                playback.wait(0.5)
                continue
            now = playback.position()
            if not playback.playing or now < upcoming.at:
                wait = 0.5 if not playback.playing else (upcoming.at - now) / max(playback.speed, 0.1)
                playback.wait(min(wait, 0.5))
                continue
            following = next(frames, None)
            if following is not None and playback.position() >= following.at:
                stats.dropped += 1  # already late for this one: its successor is due
                upcoming = following
                continue
            show(upcoming)
            stats.shown += 1
            stats.max_late = max(stats.max_late, playback.position() - upcoming.at)
            upcoming = following
    return stats


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)

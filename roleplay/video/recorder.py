"""The recorder: a capture thread, a bounded hand-over, and a writer thread.

The caller's thread (the UI) only starts, stops and reads `status()`; opening
the camera, unlocking the key, encoding and writing happen on the recorder's
threads. Events go to the session log under one lock:

- `recording_started` {reason, take, source, width, height, fps, audio, encrypted, segment_seconds}
- `audio_unavailable` {reason}           picture only; `status().notice` says so
- `camera_lost` {source, reason}          the session goes on; retried every `reconnect_seconds`
- `camera_resumed` {source, after_seconds}
- `source_ended` {source}                 a file source reached its end
- `frames_dropped` {count, total}         the writer fell behind (logged once per segment at most)
- `recording_stopped` {reason, take, frames, dropped, segments, seconds, error?}
  reason: manual | phase | duration | consent_withdrawn | source_ended | disk_full | write_error | source_error
- `recording_deleted` {files, bytes}
"""

from __future__ import annotations

import errno
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from roleplay.core.clock import Clock
from roleplay.core.i18n import _
from roleplay.core import events as ev
from roleplay.core.log import LogError, LogEvent, SessionLog
from roleplay.video.audio import AudioChunk, AudioSource, AudioUnavailable, open_audio
from roleplay.video.consent import ConsentMissing, check_consent
from roleplay.video.crypto import CryptoError
from roleplay.video.files import Opener, open_private
from roleplay.video.segments import SegmentEncoder, SegmentStore, read_index, remove_recording, split_chunk
from roleplay.video.sources import Source, SourceEnded, SourceError, SourceLost, open_source

__all__ = ["Recorder", "RecorderStatus", "ConsentMissing"]

_STOP = object()
_FLUSH = object()  # close the segment in progress (camera lost)
MAX_QUEUE_BYTES = 96 * 1024 * 1024
AUDIO_WAIT_SECONDS = 0.5  # how long a segment waits for late sound before closing
# OpenCV's own thread pool, set when recording starts. Its work here (one BGR ->
# I420 conversion and a camera read per frame) takes well under a millisecond;
# waking a pool worker for each cost more CPU than it saved (about 1 CPU-s per
# recorded minute at 640x480@30), and x264's threads use the other cores anyway.
OPENCV_THREADS = 1


@dataclass(frozen=True)
class RecorderStatus:
    state: str  # idle | starting | recording | camera_lost | stopping | stopped | failed
    active: bool  # the recorder is on: show the recording indicator
    recording: bool  # frames are being captured right now
    audio: str  # on | off | unavailable
    notice: str | None  # something to show while recording goes on (no microphone, camera lost)
    error: str | None  # why recording stopped without being asked to (disk full, no camera)
    frames: int  # frames written to disk, all takes
    dropped: int  # frames dropped because the writer fell behind, all takes
    segments: int
    seconds: float  # recorded time on disk
    encrypted: bool
    offer_deletion: bool  # consent was withdrawn and there is something to delete
    folder: Path


class Recorder:
    def __init__(
        self,
        folder: Path,
        log: SessionLog,
        source: str | Source,
        *,
        audio: str | AudioSource | None = "default",
        passphrase: str | None = None,
        clock: Clock | None = None,
        segment_seconds: float = 1.5,
        log_lock: threading.Lock | None = None,
        opener: Opener = open_private,
        reconnect_seconds: float = 0.5,
        session_events: Callable[[], list[LogEvent]] | None = None,
        queue_seconds: float = 2.0,
    ):
        self.folder = Path(folder)
        self.log = log
        self.clock = clock or log.clock or Clock()
        self.source = open_source(source, self.clock) if isinstance(source, str) else source
        self.audio_source = open_audio(audio, self.clock) if isinstance(audio, str) else audio
        self.passphrase = passphrase
        self.segment_seconds = segment_seconds
        self.log_lock = log_lock or threading.Lock()
        self.opener = opener
        self.reconnect_seconds = reconnect_seconds
        self.session_events = session_events  # a live session's own events, for the consent check
        self.queue_seconds = queue_seconds
        # Every status change is announced: `wait_until` waits on it instead of polling.
        self._status_lock = threading.Condition(threading.RLock())
        entries = read_index(self.folder)
        self._status = RecorderStatus(
            state="idle", active=False, recording=False, audio="off", notice=None, error=None,
            frames=sum(e.frames for e in entries), dropped=0, segments=len(entries),
            seconds=sum(e.end - e.start for e in entries), encrypted=passphrase is not None,
            offer_deletion=False, folder=self.folder)
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._discard = False
        self._stop_reason = "manual"
        self._error: str | None = None
        self._queue: queue.Queue = queue.Queue()
        self._slots = threading.Semaphore(1)
        self._audio_on = False
        self._audio_paused = False
        self._audio_end: float | None = None
        self._dropped_take = 0
        self._dropped_logged = 0

    # -- for the caller -------------------------------------------------

    def status(self) -> RecorderStatus:
        with self._status_lock:
            return self._status

    def wait_until(self, predicate: Callable[[RecorderStatus], bool], timeout: float | None = None) -> bool:
        """Wait until `predicate(status)` holds, re-checked at every status change; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._status_lock:
            while not predicate(self._status):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._status_lock.wait(remaining)
            return True

    def log_event(self, event: ev.EventBody) -> None:
        """Append to the session log (the one writer); a full disk must not kill a recording thread."""
        with self.log_lock:
            try:
                self.log.append(event)
            except LogError:
                pass

    def start(self, reason: str = "manual") -> None:
        """Begin recording; returns at once. Raises `ConsentMissing` without consent."""
        if self._threads and any(t.is_alive() for t in self._threads):
            return
        check_consent(self.folder, self.session_events() if self.session_events else None)
        self._stop.clear()
        self._discard = False
        self._stop_reason = "manual"
        self._error = None
        self._audio_on = self._audio_paused = False
        self._audio_end = None
        self._dropped_take = self._dropped_logged = 0
        self._queue = queue.Queue()
        self._set(state="starting", active=True, recording=False, error=None, notice=None, offer_deletion=False)
        capture = threading.Thread(target=self._guard, args=(self._capture, reason), name="video-capture", daemon=True)
        self._threads = [capture]
        capture.start()

    def stop(self, reason: str = "manual", wait: bool = True) -> None:
        """Stop recording; the segment in progress is finished and written."""
        if self._stop.is_set() and not wait:
            return
        if not self._stop.is_set():
            self._stop_reason = reason
            self._stop.set()
            if self.status().active:
                self._set(state="stopping")
        if wait:
            self.wait()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the threads to end; True if they did."""
        for _look in range(2):  # the capture thread starts the writer: look again
            for thread in list(self._threads):
                thread.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    def consent_withdrawn(self, participant: str) -> None:
        """Stop at once and throw away whatever is not yet on disk; offer deletion of the rest."""
        self._discard = True
        self.stop(reason="consent_withdrawn", wait=True)
        self._set(offer_deletion=bool(read_index(self.folder)))

    def delete_recording(self) -> tuple[int, int]:
        """Remove every segment of this session (after `stop`); returns (files, bytes).

        When it returns, the files are gone and `recording_deleted` is in the log,
        in that order. Links are removed as links, never followed. An OSError
        (the files could not all be removed) is raised, with `status().error` saying so.
        """
        self.stop(wait=True)
        try:
            files, size = remove_recording(self.folder)
        except OSError as exc:
            self._set(error=_("The recording in {folder} could not be deleted completely: {strerror}. Delete the session folder by hand.").format(folder=self.folder, strerror=exc.strerror or exc))
            raise
        self.log_event(ev.RecordingDeleted(files=files, bytes=size))
        self._set(offer_deletion=False, frames=0, segments=0, seconds=0.0)
        return files, size

    # -- threads --------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        with self._status_lock:
            self._status = replace(self._status, **changes)
            self._status_lock.notify_all()

    def _guard(self, target, *args) -> None:
        try:
            target(*args)
        except Exception as exc:  # noqa: BLE001 - a thread must never die silently
            self._fail("write_error", _("Recording stopped by an internal error: {kind}: {exc}").format(kind=type(exc).__name__, exc=exc))
            self._queue.put(_STOP)
            self.log_event(ev.RecordingStopped(reason="write_error", error=self._error))
            self._set(state="failed", active=False, recording=False)

    def _fail(self, reason: str, message: str) -> None:
        if self._error is None:
            self._error = message
            self._stop_reason = reason
        self._discard = True
        self._stop.set()
        self._set(error=message)

    def _capture(self, reason: str) -> None:
        cv2.setNumThreads(OPENCV_THREADS)
        store = SegmentStore(self.folder, self.passphrase, self.opener)
        try:
            store.prepare()
            info = self.source.open()
        except (SourceError, CryptoError, OSError, LogError) as exc:
            message = str(exc) if not isinstance(exc, OSError) else _("cannot prepare {folder}: {strerror}").format(folder=store.folder, strerror=exc.strerror or exc)
            self.log_event(ev.RecordingStopped(reason="source_error", take=store.take, frames=0, dropped=0,
                                                 segments=0, seconds=0.0, error=message))
            self._set(state="failed", active=False, recording=False, error=message)
            return
        frame_bytes = max(1, info.width * info.height * 3)
        self._slots = threading.Semaphore(max(4, min(int(self.queue_seconds * info.fps), MAX_QUEUE_BYTES // frame_bytes)))
        audio_state = "off"
        if self.audio_source is not None:
            try:
                self.audio_source.start(self._on_audio)
                audio_state = "on"
                self._audio_on = True
            except AudioUnavailable as exc:
                audio_state = "unavailable"
                self.log_event(ev.AudioUnavailable(reason=str(exc)))
                self._set(notice=_("No microphone: recording picture only ({exc})").format(exc=exc))
        self.log_event(ev.RecordingStarted(
            reason=reason, take=store.take, source=self.source.description, width=info.width,
            height=info.height, fps=info.fps, audio=audio_state, encrypted=store.encrypted,
            segment_seconds=self.segment_seconds))
        self._set(state="recording", recording=True, audio=audio_state)
        writer = threading.Thread(target=self._guard, args=(self._write, store, info.fps), name="video-writer",
                                  daemon=True)
        self._threads.append(writer)
        writer.start()
        try:
            self._capture_loop()
        finally:
            if self.audio_source is not None and self._audio_on:
                self.audio_source.stop()
            self.source.close()
            self._queue.put(_STOP)  # after the last sound chunk: nothing is left behind

    def _capture_loop(self) -> None:
        while not self._stop.is_set():
            try:
                image, stamp = self.source.read()
            except SourceEnded:
                self.log_event(ev.SourceEnded(source=self.source.description))
                self._stop_reason = "source_ended"
                return
            except SourceLost as exc:
                if not self._wait_for_camera(str(exc)):
                    return
                continue
            if self._slots.acquire(blocking=False):
                self._queue.put((stamp, image))
            else:
                self._dropped_take += 1
                self._set(dropped=self.status().dropped + 1)

    def _wait_for_camera(self, reason: str) -> bool:
        lost_at = self.clock.monotonic()
        self.log_event(ev.CameraLost(source=self.source.description, reason=reason))
        self._audio_paused = True
        self._queue.put(_FLUSH)
        self._set(state="camera_lost", recording=False,
                  notice=_("Camera lost ({reason}); recording resumes when it is back").format(reason=reason))
        self.source.close()
        while not self._stop.wait(self.reconnect_seconds):
            try:
                self.source.open()
            except SourceError:
                continue
            self.log_event(ev.CameraResumed(source=self.source.description,
                                             after_seconds=round(self.clock.monotonic() - lost_at, 3)))
            self._audio_paused = False
            self._set(state="recording", recording=True,
                      notice=None if self.status().audio != "unavailable" else self.status().notice)
            return True
        return False

    def _on_audio(self, chunk: AudioChunk) -> None:
        # Sound handed over while stopping is kept: the capture thread stops the
        # source (which hands over its last part chunk) before it queues _STOP.
        if not self._audio_paused and not self._discard:
            self._queue.put(chunk)

    def _write(self, store: SegmentStore, fps: float) -> None:
        writer = _SegmentWriter(self, store, fps)
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            if isinstance(item, tuple):
                self._slots.release()
            if self._discard:
                writer.abandon()
                continue
            try:
                if item is _FLUSH:
                    writer.close_segment()
                elif isinstance(item, AudioChunk):
                    writer.add_audio(item)
                else:
                    writer.add_video(*item)
            except OSError as exc:
                self._disk_failed(exc, store)
                writer.abandon()
        if self._discard:
            writer.abandon()
        else:
            try:
                writer.close_segment(final=True)
            except OSError as exc:
                self._disk_failed(exc, store)
        self._log_drops()
        take_entries = [e for e in read_index(self.folder) if e.take == store.take]
        self.log_event(ev.RecordingStopped(
            reason=self._stop_reason, take=store.take, frames=sum(e.frames for e in take_entries),
            dropped=self._dropped_take, segments=len(take_entries),
            seconds=round(sum(e.end - e.start for e in take_entries), 3),
            **({"error": self._error} if self._error else {})))
        self._set(state="failed" if self._error else "stopped", active=False, recording=False)

    def _disk_failed(self, exc: OSError, store: SegmentStore) -> None:
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        what = _("the disk is full") if full else _("a write failed ({strerror})").format(strerror=exc.strerror or exc)
        kept = self.status().segments
        self._fail("disk_full" if full else "write_error",
                   _("Recording stopped: {what} in {folder}. The session goes on; the {kept} segments already saved are kept.").format(what=what, folder=store.folder, kept=kept))

    def _segment_written(self, entry) -> None:
        status = self.status()
        self._set(frames=status.frames + entry.frames, segments=status.segments + 1,
                  seconds=status.seconds + (entry.end - entry.start))
        self._log_drops()

    def _log_drops(self) -> None:
        if self._dropped_take > self._dropped_logged:
            new = self._dropped_take - self._dropped_logged
            self._dropped_logged = self._dropped_take
            self.log_event(ev.FramesDropped(count=new, total=self._dropped_take))


class _SegmentWriter:
    """The writer thread's state: the segment being encoded, frames held back
    while late sound catches up with a segment boundary, and sound not yet placed."""

    def __init__(self, recorder: Recorder, store: SegmentStore, fps: float):
        self.rec = recorder
        self.store = store
        self.fps = fps or 30.0
        self.length = recorder.segment_seconds
        self.wall_offset = recorder.clock.wall() - recorder.clock.monotonic()
        self.segment: SegmentEncoder | None = None
        self.held: list[tuple[float, np.ndarray]] = []
        self.sound: deque[AudioChunk] = deque()

    @property
    def boundary(self) -> float:
        return self.segment.start + self.length

    def add_video(self, stamp: float, image: np.ndarray) -> None:
        if self.segment is not None and image.shape[:2] != (self.segment.height, self.segment.width):
            self.close_segment()  # the camera came back at another size
        if self.segment is None:
            self._open(stamp, image)
        if self.held or stamp >= self.boundary:
            self.held.append((stamp, image))
        else:
            self.segment.add_video(stamp, image)
        self._maybe_rotate()

    def add_audio(self, chunk: AudioChunk) -> None:
        self.sound.append(chunk)
        self.rec._audio_end = chunk.end
        if self.segment is None:
            while self.sound and self.sound[-1].end - self.sound[0].start > 2 * self.length:
                self.sound.popleft()
            return
        self._place_sound(self.boundary)
        self._maybe_rotate()

    def _open(self, start: float, image: np.ndarray) -> None:
        height, width = image.shape[:2]
        self.segment = SegmentEncoder(start, width, height, self.fps, audio=self.rec._audio_on)
        self._place_sound(self.boundary)

    def _place_sound(self, end: float) -> None:
        while self.sound and self.sound[0].start < end:
            pts, samples, rest = split_chunk(self.sound[0], self.segment.start, end)
            self.segment.add_audio(pts, samples)
            if rest is not None:
                self.sound[0] = rest
                break
            self.sound.popleft()

    def _maybe_rotate(self) -> None:
        if not self.held:
            return
        boundary = self.boundary
        sound_waits = self.rec._audio_on and not self.rec._audio_paused
        late = self.held[-1][0] - boundary
        if sound_waits and (self.rec._audio_end or 0) < boundary and late < AUDIO_WAIT_SECONDS:
            return
        self._place_sound(boundary)
        self._write(boundary)
        held, self.held = self.held, []
        first = held[0][0]
        self._open(boundary if first - boundary < self.length else first, held[0][1])
        for stamp, image in held:
            self.add_video(stamp, image)

    def close_segment(self, final: bool = False) -> None:
        if self.segment is None:
            return
        if self.held:
            held, self.held = self.held, []
            self._place_sound(self.boundary)
            self._write(self.boundary)
            self._open(held[0][0], held[0][1])
            for stamp, image in held:
                self.segment.add_video(stamp, image)
        segment = self.segment
        end = segment.start
        if segment.last_frame is not None:
            end = segment.last_frame + 1 / self.fps
        if final and self.rec._audio_on:
            self._place_sound(self.boundary)
            end = max(end, min(self.rec._audio_end or end, self.boundary))
        self._write(min(end, self.boundary))

    def _write(self, end: float) -> None:
        segment, self.segment = self.segment, None
        if segment.frames == 0:
            segment.abandon()
            return
        data = segment.finish()
        entry = self.store.write(segment, data, end, self.wall_offset)
        self.rec._segment_written(entry)

    def abandon(self) -> None:
        if self.segment is not None:
            self.segment.abandon()
            self.segment = None
        self.held = []
        self.sound.clear()

"""Short Matroska segments (H.264 + Opus) and their index, `video/index.jsonl`.

A segment is encoded into memory and written whole (encrypted first if asked),
so a killed recorder leaves only complete files: it loses the segment in
progress, never an earlier one. Timestamps are the real capture times, kept
per frame: a camera that delivers fewer frames than asked replays at true speed.

Each index line: segment number, file, take (which start/stop of the recorder),
start/end on the session clock (the `mono` of session.jsonl) and `start_wall`,
first/last frame times, frame count, audio sample count, size and whether the
file is encrypted. A segment file's time zero is its `start`.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from roleplay.core import folder as folder_names
from roleplay.core.i18n import _
from roleplay.video import crypto
from roleplay.video.audio import RATE, AudioChunk
from roleplay.video.files import (
    Opener, UnsafeFile, append_line, make_private_dir, open_private, read_regular, remove_tree, write_private)

VIDEO_DIR = folder_names.VIDEO_DIR
INDEX_NAME = folder_names.VIDEO_INDEX_NAME
VIDEO_TIME_BASE = Fraction(1, 1000)  # Matroska keeps milliseconds anyway
AUDIO_TIME_BASE = Fraction(1, RATE)
OPUS_FRAME = 960  # 20 ms, what libopus takes
# Same settings as the ffmpeg baseline in bench/video_bench.py.
X264_OPTIONS = {"preset": "veryfast", "crf": "28"}
OPUS_BIT_RATE = 48_000
# x264's own threads, as the ffmpeg command line sets them by default (threads
# "auto", frame threading). PyAV's default thread type is SLICE, which makes
# x264 use sliced threads: more CPU per frame when frames come one at a time.
X264_THREAD_TYPE = "FRAME"
X264_THREADS = 0  # auto
# Far above any real file of these kinds: a tampered folder cannot make a reader fill the memory.
MAX_INDEX_BYTES = 64 * 1024 * 1024  # about 200,000 segments, 80 hours
MAX_SEGMENT_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class SegmentEntry:
    segment: int
    file: str
    take: int
    start: float
    end: float
    start_wall: float
    first_frame: float | None
    last_frame: float | None
    frames: int
    audio_samples: int
    width: int
    height: int
    bytes: int
    encrypted: bool

    @classmethod
    def from_dict(cls, data: dict) -> "SegmentEntry":
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


class SegmentEncoder:
    """One segment being encoded in memory; its time zero is `start`."""

    def __init__(self, start: float, width: int, height: int, fps: float, audio: bool):
        self.start = start
        self.width, self.height = width, height
        self._buffer = io.BytesIO()
        self._container = av.open(self._buffer, "w", format="matroska")
        self._video = self._container.add_stream(
            "libx264", rate=max(1, round(fps)), time_base=VIDEO_TIME_BASE, options=dict(X264_OPTIONS))
        self._video.width, self._video.height = width, height
        self._video.pix_fmt = "yuv420p"
        self._video.codec_context.thread_type = X264_THREAD_TYPE
        self._video.codec_context.thread_count = X264_THREADS
        # OpenCV's BGR -> I420 is BT.601 limited range like swscale's default, and
        # about 5x cheaper than the conversion av would do inside encode();
        # I420 needs an even size, so odd sizes keep av's conversion.
        self._to_i420 = width % 2 == 0 and height % 2 == 0
        self._audio = None
        if audio:
            self._audio = self._container.add_stream("libopus", rate=RATE, layout="mono", time_base=AUDIO_TIME_BASE)
            self._audio.bit_rate = OPUS_BIT_RATE
        self.frames = 0
        self.first_frame: float | None = None
        self.last_frame: float | None = None
        self._last_pts = -1
        self.audio_samples = 0
        self._audio_started = False
        self._pending = np.zeros(0, np.int16)
        self._pending_pts = 0

    def add_video(self, stamp: float, image: np.ndarray) -> None:
        # Millisecond pts from the capture time; two frames in one ms stay in order.
        pts = max(round((stamp - self.start) * 1000), self._last_pts + 1)
        if self._to_i420:
            frame = av.VideoFrame.from_numpy_buffer(cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420), format="yuv420p")
        else:
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts, frame.time_base = pts, VIDEO_TIME_BASE
        self._container.mux(self._video.encode(frame))
        self._last_pts = pts
        self.frames += 1
        if self.first_frame is None:
            self.first_frame = stamp
        self.last_frame = stamp

    def add_audio(self, pts: int, samples: np.ndarray) -> None:
        """Samples whose first one is `pts` samples after `start`."""
        if self._audio is None or not len(samples):
            return
        if self._audio_started:
            expected = self._pending_pts + len(self._pending)
            if abs(pts - expected) <= 2:
                pts = expected  # float rounding between chunks, not a gap
            if pts < expected:  # overlap: keep what we have
                samples, pts = samples[expected - pts :], expected
            elif pts > expected:  # a gap: silence keeps later sound at its time
                samples, pts = np.concatenate([np.zeros(pts - expected, np.int16), samples]), expected
        else:
            if pts < 0:
                samples, pts = samples[-pts:], 0
            self._pending_pts = pts
            self._audio_started = True
        if not len(samples):
            return
        self.audio_samples += len(samples)
        self._pending = np.concatenate([self._pending, samples])
        self._encode_pending()

    def _encode_pending(self, pad: bool = False) -> None:
        if pad and len(self._pending) % OPUS_FRAME:
            extra = OPUS_FRAME - len(self._pending) % OPUS_FRAME
            self._pending = np.concatenate([self._pending, np.zeros(extra, np.int16)])
        whole = len(self._pending) // OPUS_FRAME * OPUS_FRAME
        for offset in range(0, whole, OPUS_FRAME):
            block = self._pending[offset : offset + OPUS_FRAME]
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = RATE
            frame.pts, frame.time_base = self._pending_pts + offset, AUDIO_TIME_BASE
            self._container.mux(self._audio.encode(frame))
        self._pending_pts += whole
        self._pending = self._pending[whole:]

    def finish(self) -> bytes:
        if self._audio is not None and len(self._pending):
            self._encode_pending(pad=True)
        self._container.mux(self._video.encode(None))
        if self._audio is not None:
            self._container.mux(self._audio.encode(None))
        self._container.close()
        return self._buffer.getvalue()

    def abandon(self) -> None:
        try:
            self._container.close()
        except Exception:  # noqa: BLE001 - throwing away half a segment
            pass


class SegmentStore:
    """Writes finished segments into `folder/video/` and lists them in the index."""

    def __init__(self, session_folder: Path, passphrase: str | None = None, opener: Opener = open_private):
        self.folder = Path(session_folder) / VIDEO_DIR
        self.index_path = self.folder / INDEX_NAME
        self.passphrase = passphrase
        self.opener = opener
        self._recipient = None
        existing = read_index(session_folder)
        self.next_segment = max((e.segment for e in existing), default=0) + 1
        self.take = max((e.take for e in existing), default=0) + 1

    def prepare(self) -> None:
        """Create `video/` and, when encrypting, unlock or make the key (about 1 s of CPU)."""
        make_private_dir(self.folder)
        if self.passphrase is not None:
            self._recipient = crypto.unlock_or_create(self.folder, self.passphrase).to_public()

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    def write(self, encoder: SegmentEncoder, data: bytes, end: float, wall_offset: float) -> SegmentEntry:
        name = f"seg-{self.next_segment:06d}.mkv"
        if self._recipient is not None:
            data = crypto.encrypt(data, self._recipient)
            name += ".age"
        path = self.folder / name
        write_private(path, data, self.opener)
        entry = SegmentEntry(
            segment=self.next_segment, file=name, take=self.take, start=encoder.start, end=end,
            start_wall=encoder.start + wall_offset, first_frame=encoder.first_frame, last_frame=encoder.last_frame,
            frames=encoder.frames, audio_samples=encoder.audio_samples, width=encoder.width, height=encoder.height,
            bytes=len(data), encrypted=self._recipient is not None)
        try:
            # All or nothing: a failed append is cut back to the last complete line.
            append_line(self.index_path, json.dumps(asdict(entry), separators=(",", ":")) + "\n")
        except OSError:
            path.unlink(missing_ok=True)  # not listed, so not kept: the next segment takes its number
            raise
        self.next_segment += 1
        return entry


def read_index(session_folder: Path) -> list[SegmentEntry]:
    """Index entries in order; a last line cut by a crash is ignored.

    Raises ValueError naming the line for a damaged line, or for a segment
    file outside the recording folder (an absolute path, `..`, or a link
    that leads out of it). Lines are split on "\\n" only.
    """
    folder = Path(session_folder) / VIDEO_DIR
    path = folder / INDEX_NAME
    try:
        _check_video_dir(folder)
        raw = read_regular(path, MAX_INDEX_BYTES)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ValueError(_("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
    lines = raw.split(b"\n")
    real_folder = os.path.realpath(folder)
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = SegmentEntry.from_dict(json.loads(line.decode("utf-8", "replace")))
        except (ValueError, KeyError, TypeError):
            if number >= len(lines) - 1:
                break  # cut by a crash
            raise ValueError(_("{path} line {number} is damaged").format(path=path, number=number)) from None
        reason = outside_reason(folder, entry.file, real_folder)
        if reason is not None:
            raise ValueError(_("{path} line {number}: the segment file {file!r} is not inside the recording folder ({reason})").format(path=path, number=number, file=entry.file, reason=reason))
        entries.append(entry)
    return entries


def _check_video_dir(folder: Path) -> None:
    if folder.is_symlink():
        raise UnsafeFile(_("{folder} is a link, not the recording folder").format(folder=folder))


def outside_reason(video_folder: Path, name: object, real_folder: str | None = None) -> str | None:
    """Why the segment file `name` is not inside `video_folder`, or None if it is.
    (`real_folder`: the folder's realpath, when the caller has it already.)"""
    if not isinstance(name, str) or not name.strip():
        return _("it names no file")
    if "\x00" in name or "\\" in name:
        return _("it is not a plain file name")
    parts = name.split("/")
    if name.startswith("/"):
        return _("it is an absolute path")
    if ".." in parts:
        return _("it climbs out with '..'")
    real_folder = real_folder or os.path.realpath(video_folder)
    path = os.path.join(real_folder, name)
    if len(parts) == 1 and name != "." and not os.path.islink(path):
        return None  # a plain name that is not a link: the usual case, one lstat
    real = os.path.realpath(path)
    if os.path.commonpath([real_folder, real]) != real_folder or real == real_folder:
        return _("it leads to {real}, through a link").format(real=real)
    return None


def read_segment(session_folder: Path, entry: SegmentEntry) -> bytes:
    """A segment file's bytes, only from inside the recording folder, never a link out of it,
    a device or a pipe. Raises OSError (UnsafeFile for a file that is not ours)."""
    folder = Path(session_folder) / VIDEO_DIR
    _check_video_dir(folder)
    reason = outside_reason(folder, entry.file)
    if reason is not None:
        raise UnsafeFile(_("the segment file {file!r} is not inside the recording folder ({reason})").format(file=entry.file, reason=reason))
    return read_regular(Path(os.path.realpath(folder / entry.file)), MAX_SEGMENT_BYTES)


def split_chunk(chunk: AudioChunk, start: float, end: float) -> tuple[int, np.ndarray, AudioChunk | None]:
    """Position (in samples after `start`) and samples of `chunk` before `end`,
    and what is left from `end` on."""
    pts = round((chunk.start - start) * RATE)
    keep = max(0, min(len(chunk.samples), round((end - chunk.start) * RATE)))
    rest = None
    if keep < len(chunk.samples):
        rest = AudioChunk(chunk.start + keep / RATE, chunk.samples[keep:])
    return pts, chunk.samples[:keep], rest


def total_bytes(entries: list[SegmentEntry]) -> int:
    return sum(e.bytes for e in entries)


def segment_path(session_folder: Path, entry: SegmentEntry) -> Path:
    return Path(session_folder) / VIDEO_DIR / entry.file


def remove_recording(session_folder: Path) -> tuple[int, int]:
    """Delete every segment, the key and the index; return (files, bytes).

    No link is followed: a link (the `video` folder itself, or a file in it)
    is removed as a link, and what it points to is left alone. The key goes
    first (what might be left of an encrypted recording is unreadable at once),
    the index last (a removal cut short leaves no file unlisted).
    """
    folder = Path(session_folder) / VIDEO_DIR
    if folder.is_symlink():
        folder.unlink()  # the link goes; the folder it points to is not this recording
        return 1, 0
    if not folder.is_dir():
        return 0, 0
    files = size = 0
    key = crypto.key_path(folder)
    if os.path.lexists(key):
        size += 0 if key.is_symlink() or not key.is_file() else key.stat().st_size
        key.unlink()
        files += 1
    removed, freed = remove_tree(folder, last=(INDEX_NAME,))
    return files + removed, size + freed

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

from roleplay.core.log import make_private_dir
from roleplay.video import crypto
from roleplay.video.audio import RATE, AudioChunk
from roleplay.video.files import Opener, append_line, open_private, write_private

VIDEO_DIR = "video"
INDEX_NAME = "index.jsonl"
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
        write_private(self.folder / name, data, self.opener)
        entry = SegmentEntry(
            segment=self.next_segment, file=name, take=self.take, start=encoder.start, end=end,
            start_wall=encoder.start + wall_offset, first_frame=encoder.first_frame, last_frame=encoder.last_frame,
            frames=encoder.frames, audio_samples=encoder.audio_samples, width=encoder.width, height=encoder.height,
            bytes=len(data), encrypted=self._recipient is not None)
        append_line(self.index_path, json.dumps(asdict(entry), separators=(",", ":")) + "\n")
        self.next_segment += 1
        return entry


def read_index(session_folder: Path) -> list[SegmentEntry]:
    """Index entries in order; a last line cut by a crash is ignored."""
    path = Path(session_folder) / VIDEO_DIR / INDEX_NAME
    try:
        lines = path.read_text("utf-8", "replace").split("\n")
    except FileNotFoundError:
        return []
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entries.append(SegmentEntry.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            if number >= len(lines) - 1:
                break  # cut by a crash
            raise ValueError(f"{path} line {number} is damaged") from None
    return entries


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
    """Delete every segment, the index and the key; return (files, bytes)."""
    folder = Path(session_folder) / VIDEO_DIR
    files = size = 0
    if not folder.is_dir():
        return 0, 0
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            size += path.stat().st_size
            path.unlink()
            files += 1
    try:
        os.rmdir(folder)
    except OSError:
        pass
    return files, size

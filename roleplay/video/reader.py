"""Reading a recording back: frames and sound with their session-clock times.

Encrypted segments are decrypted in memory, one at a time, as they are read.
Times are on the clock of `session.jsonl` (`mono`), so replay can line the
picture up with logged events.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import av
import numpy as np

from roleplay.core.folder import SessionFolder
from roleplay.core.i18n import _
from roleplay.video import crypto
from roleplay.video.segments import SegmentEntry, read_index, read_segment, segment_path


class ReadError(Exception):
    """A recording cannot be read; the message says which file and why."""


@dataclass(frozen=True)
class Frame:
    time: float  # session clock
    image: np.ndarray  # BGR
    segment: int


@dataclass(frozen=True)
class Sound:
    time: float  # session clock of the first sample
    samples: np.ndarray  # float32 mono, -1..1
    rate: int
    segment: int


class Recording:
    def __init__(self, session_folder: Path, passphrase: str | None = None):
        self.folder = Path(session_folder)
        try:
            self.segments: list[SegmentEntry] = read_index(self.folder)
        except ValueError as exc:
            raise ReadError(str(exc)) from None
        self._identity = None
        if any(e.encrypted for e in self.segments):
            if passphrase is None:
                raise ReadError(_("the recording in {folder} is encrypted: its passphrase is needed").format(folder=self.folder))
            try:
                self._identity = crypto.unlock(SessionFolder(self.folder).video, passphrase)
            except crypto.CryptoError as exc:
                raise ReadError(str(exc)) from None

    @property
    def frame_count(self) -> int:
        return sum(e.frames for e in self.segments)

    def segment_data(self, entry: SegmentEntry) -> bytes:
        path = segment_path(self.folder, entry)
        try:
            data = read_segment(self.folder, entry)  # only from inside the recording folder
        except OSError as exc:
            raise ReadError(_("cannot read segment {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
        if entry.encrypted:
            try:
                data = crypto.decrypt(data, self._identity, path)
            except crypto.CryptoError as exc:
                raise ReadError(str(exc)) from None
        return data

    def frames(self) -> Iterator[Frame]:
        for entry in self.segments:
            with self._open(entry) as container:
                if not container.streams.video:
                    continue
                try:
                    for frame in container.decode(video=0):
                        yield Frame(entry.start + float(frame.time), frame.to_ndarray(format="bgr24"), entry.segment)
                except av.FFmpegError as exc:
                    raise ReadError(_("segment {file} is damaged: {exc}").format(file=entry.file, exc=exc)) from None

    def sound(self) -> Iterator[Sound]:
        for entry in self.segments:
            with self._open(entry) as container:
                if not container.streams.audio:
                    continue
                try:
                    for frame in container.decode(audio=0):
                        samples = frame.to_ndarray()
                        if samples.dtype == np.int16:
                            samples = samples.astype(np.float32) / 32768
                        yield Sound(entry.start + float(frame.time), samples.reshape(-1).astype(np.float32),
                                    frame.sample_rate, entry.segment)
                except av.FFmpegError as exc:
                    raise ReadError(_("segment {file} is damaged: {exc}").format(file=entry.file, exc=exc)) from None

    def _open(self, entry: SegmentEntry):
        try:
            return av.open(io.BytesIO(self.segment_data(entry)), "r", format="matroska")
        except av.FFmpegError as exc:
            raise ReadError(_("segment {file} cannot be opened: {exc}").format(file=entry.file, exc=exc)) from None

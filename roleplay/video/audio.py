"""Room sound: the default microphone through miniaudio, or a synthetic tone.

Sources call `sink(AudioChunk)` from their own thread. Each chunk's start is a
time on the session clock derived from the sample count since an anchor, so
chunks join up sample-exactly; if the sound card's clock drifts from the
session clock by more than `RESYNC_SECONDS`, the anchor is moved (and the
move counted) so sound and picture never drift apart further than that.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from roleplay.core.clock import Clock

RATE = 48_000  # Opus works at 48 kHz
RESYNC_SECONDS = 0.05
CHUNK_SECONDS = 0.02


class AudioUnavailable(Exception):
    """No microphone could be opened; the message gives the reason."""


@dataclass(frozen=True)
class AudioChunk:
    start: float  # session-clock time of the first sample
    samples: np.ndarray  # int16, mono

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / RATE


Sink = Callable[[AudioChunk], None]


class _Timeline:
    """Turns "n samples arrived now" into chunk start times."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.anchor: float | None = None
        self.count = 0
        self.resyncs = 0

    def stamp(self, n: int) -> float:
        observed = self.clock.monotonic() - n / RATE
        if self.anchor is None:
            self.anchor, self.count = observed, 0
        expected = self.anchor + self.count / RATE
        if abs(observed - expected) > RESYNC_SECONDS:
            self.anchor, self.count = observed, 0
            self.resyncs += 1
            expected = observed
        self.count += n
        return expected


class AudioSource:
    description = "audio"
    resyncs = 0

    def start(self, sink: Sink) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        pass


class Microphone(AudioSource):
    description = "default microphone"

    def __init__(self, clock: Clock | None = None):
        self.clock = clock or Clock()
        self._device = None
        self._timeline = _Timeline(self.clock)

    @property
    def resyncs(self) -> int:
        return self._timeline.resyncs

    def start(self, sink: Sink) -> None:
        try:
            import miniaudio  # imported here: a machine without sound still records video
        except Exception as exc:  # noqa: BLE001 - any import failure means no sound
            raise AudioUnavailable(f"the miniaudio library cannot be loaded: {exc}") from None
        try:
            with _quiet_stderr():  # ALSA prints a page of probing errors when there is no card
                device = miniaudio.CaptureDevice(
                    input_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE,
                    buffersize_msec=int(CHUNK_SECONDS * 1000))
        except Exception as exc:  # noqa: BLE001 - miniaudio raises several kinds
            raise AudioUnavailable(f"no microphone could be opened: {_reason(exc)}") from None
        timeline = self._timeline

        def receive():
            data = yield
            while True:
                samples = np.frombuffer(data, dtype=np.int16).copy()
                if len(samples):
                    sink(AudioChunk(timeline.stamp(len(samples)), samples))
                data = yield

        generator = receive()
        next(generator)
        try:
            device.start(generator)
        except Exception as exc:  # noqa: BLE001
            device.close()
            raise AudioUnavailable(f"the microphone could not be started: {_reason(exc)}") from None
        self._device = device

    def stop(self) -> None:
        if self._device is not None:
            self._device.close()
            self._device = None


class SyntheticTone(AudioSource):
    """A quiet 440 Hz tone with a loud 1 kHz beep in the first 0.1 s of every
    whole second of the clock, paced like a sound card. Pairs with the white
    square `SyntheticSource` draws on the first frame of each second."""

    description = "synthetic tone"
    BEEP_SECONDS = 0.1

    def __init__(self, clock: Clock | None = None):
        self.clock = clock or Clock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: Sink) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="synthetic-tone", daemon=True)
        self._thread.start()

    def _run(self, sink: Sink) -> None:
        n = int(RATE * CHUNK_SECONDS)
        start = self.clock.monotonic()
        index = 0
        while not self._stop.is_set():
            chunk_start = start + index / RATE
            ready = chunk_start + n / RATE  # a card hands over a buffer once it is full
            delay = ready - self.clock.monotonic()
            if delay > 0 and self._stop.wait(delay):
                break
            sink(AudioChunk(chunk_start, tone(chunk_start, n)))
            index += n

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def tone(start: float, n: int) -> np.ndarray:
    t = start + np.arange(n) / RATE
    beep = (t % 1.0) < SyntheticTone.BEEP_SECONDS
    wave = np.where(beep, 0.5 * np.sin(2 * math.pi * 1000 * t), 0.05 * np.sin(2 * math.pi * 440 * t))
    return (wave * 32767).astype(np.int16)


def beep_onsets(samples: np.ndarray, start: float, threshold: float = 0.25) -> list[float]:
    """Times where a synthetic beep begins in decoded sound (float samples in -1..1)."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if not len(loud):
        return []
    # A beep is 100 ms; an onset is a loud sample after at least 0.5 s without any.
    first = np.concatenate([loud[:1], loud[1:][np.diff(loud) > RATE // 2]])
    return [start + i / RATE for i in first]


def open_audio(kind: str, clock: Clock | None = None) -> AudioSource | None:
    """`default` (the microphone), `synthetic`, or `none`."""
    if kind == "none":
        return None
    if kind == "synthetic":
        return SyntheticTone(clock)
    if kind == "default":
        return Microphone(clock)
    raise ValueError(f"audio must be default, none or synthetic, not {kind!r}")


def _reason(exc: Exception) -> str:
    first = exc.args[0] if exc.args else exc
    return str(first[0] if isinstance(first, tuple) and first else first)


class _quiet_stderr:
    def __enter__(self):
        try:
            self._saved = os.dup(2)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 2)
            os.close(null)
        except OSError:
            self._saved = None
        return self

    def __exit__(self, *exc):
        if self._saved is not None:
            os.dup2(self._saved, 2)
            os.close(self._saved)
        return False

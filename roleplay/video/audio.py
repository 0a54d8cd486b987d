"""Room sound: the default microphone through miniaudio, or a synthetic tone.

Sources call `sink(AudioChunk)` from their own thread. Each chunk's start is a
time on the session clock derived from the sample count since an anchor, so
chunks join up sample-exactly; if the sound card's clock drifts from the
session clock by more than `RESYNC_SECONDS`, the anchor is moved (and the
move counted) so sound and picture never drift apart further than that.

Chunks are handed over about every `CHUNK_SECONDS` (0.1 s), not at the sound
card's 20 ms period: every hand-over wakes the recorder's writer thread and
costs Python work, and at 50 a second that was a quarter of the recorder's
CPU. `stop()` hands over what is left, so a take loses no sound at its end.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from roleplay.core.clock import Clock
from roleplay.core.i18n import _

RATE = 48_000  # Opus works at 48 kHz
RESYNC_SECONDS = 0.05
CHUNK_SECONDS = 0.1  # what a sink gets at a time
DEVICE_SECONDS = 0.02  # the sound card's buffer (its callback period)


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


class _Batcher:
    """Joins contiguous pieces into chunks of at least `CHUNK_SECONDS` for the sink.

    A piece that does not follow on from the ones held (the timeline moved its
    anchor) first sends what is held, so every chunk stays sample-exact."""

    def __init__(self, sink: Sink, seconds: float = CHUNK_SECONDS):
        self.sink = sink
        self.target = max(1, int(RATE * seconds))
        self._pieces: list[np.ndarray] = []
        self._start = 0.0
        self._count = 0

    def add(self, start: float, samples: np.ndarray) -> None:
        if self._pieces and abs(start - (self._start + self._count / RATE)) > 0.5 / RATE:
            self.flush()
        if not self._pieces:
            self._start = start
        self._pieces.append(samples)
        self._count += len(samples)
        if self._count >= self.target:
            self.flush()

    def flush(self) -> None:
        if not self._pieces:
            return
        pieces, self._pieces, self._count = self._pieces, [], 0
        samples = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
        self.sink(AudioChunk(self._start, samples))


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
    description = _("default microphone")

    def __init__(self, clock: Clock | None = None):
        self.clock = clock or Clock()
        self._device = None
        self._batcher: _Batcher | None = None
        self._timeline = _Timeline(self.clock)

    @property
    def resyncs(self) -> int:
        return self._timeline.resyncs

    def start(self, sink: Sink) -> None:
        try:
            import miniaudio  # imported here: a machine without sound still records video
        except Exception as exc:  # noqa: BLE001 - any import failure means no sound
            raise AudioUnavailable(_("the miniaudio library cannot be loaded: {exc}").format(exc=exc)) from None
        try:
            with _quiet_stderr():  # ALSA prints a page of probing errors when there is no card
                device = miniaudio.CaptureDevice(
                    input_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE,
                    buffersize_msec=int(DEVICE_SECONDS * 1000))
        except Exception as exc:  # noqa: BLE001 - miniaudio raises several kinds
            raise AudioUnavailable(_("no microphone could be opened: {exc}").format(exc=_reason(exc))) from None
        timeline = self._timeline
        batcher = self._batcher = _Batcher(sink)

        def receive():
            data = yield
            while True:
                samples = np.frombuffer(data, dtype=np.int16).copy()
                if len(samples):
                    batcher.add(timeline.stamp(len(samples)), samples)
                data = yield

        generator = receive()
        next(generator)
        try:
            device.start(generator)
        except Exception as exc:  # noqa: BLE001
            device.close()
            raise AudioUnavailable(_("the microphone could not be started: {exc}").format(exc=_reason(exc))) from None
        self._device = device

    def stop(self) -> None:
        if self._device is not None:
            self._device.close()  # no callback runs after this
            self._device = None
        if self._batcher is not None:
            self._batcher.flush()
            self._batcher = None


class SyntheticTone(AudioSource):
    """A quiet 440 Hz tone with a loud 1 kHz beep in the first 0.1 s of every
    whole second of the clock, paced like a sound card that hands over
    `CHUNK_SECONDS` at a time; `stop()` hands over the part chunk up to then.
    Pairs with the white square `SyntheticSource` draws on the first frame of
    each second."""

    description = _("synthetic tone")
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
        while True:
            chunk_start = start + index / RATE
            ready = chunk_start + n / RATE  # a card hands over a buffer once it is full
            delay = ready - self.clock.monotonic()
            if delay > 0 and self._stop.wait(delay):
                # Stopped: what the card has so far is the last chunk.
                part = min(n, int((self.clock.monotonic() - chunk_start) * RATE))
                if part > 0:
                    sink(AudioChunk(chunk_start, tone(chunk_start, part)))
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
    raise ValueError(_("audio must be default, none or synthetic, not {kind!r}").format(kind=kind))


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

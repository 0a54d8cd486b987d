"""Replay sound through the default output (miniaudio), following the playback position.

The picture follows the clock and the sound follows the picture: each buffer
the sound card asks for is taken from where playback is, and if the two drift
apart by more than `RESYNC_SECONDS` (a seek, a pause, a slow card) the sound
jumps to the picture. Sound plays at 1x only: at 0.5x or 2x it would be
unpleasant to listen to, and the picture is what people study then.
"""

from __future__ import annotations

import numpy as np

from roleplay.core.i18n import _
from roleplay.video.segments import RATE

RESYNC_SECONDS = 0.08
BUFFER_MSEC = 40


class SoundUnavailable(Exception):
    """No output device; the message says why. Replay goes on silently."""


class SoundFeed:
    """What the card plays next: the player's sound at the playback position, or silence."""

    def __init__(self, player, playback):
        self.player = player
        self.playback = playback
        self.cursor: float | None = None

    def next_block(self, count: int) -> np.ndarray:
        pb = self.playback
        if not pb.playing or pb.muted or pb.speed != 1.0:
            self.cursor = None
            return np.zeros(count, np.float32)
        now = pb.position()
        if self.cursor is None or abs(self.cursor - now) > RESYNC_SECONDS:
            self.cursor = now
        block = self.player.sound(self.cursor, count)
        self.cursor += count / RATE
        return block


class SoundOutput:
    def __init__(self, feed: SoundFeed):
        self.feed = feed
        self._device = None

    def start(self) -> None:
        try:
            import miniaudio  # only when sound is wanted: a machine without it still replays
        except Exception as exc:  # noqa: BLE001 - any import failure means no sound
            raise SoundUnavailable(_("the miniaudio library cannot be loaded: {exc}").format(exc=exc)) from None
        from roleplay.video.audio import _quiet_stderr  # ALSA's probing noise would tear the screen

        feed = self.feed

        def blocks():
            count = yield b""
            while True:
                count = yield feed.next_block(count).tobytes()

        generator = blocks()
        next(generator)
        try:
            with _quiet_stderr():
                device = miniaudio.PlaybackDevice(
                    output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=RATE,
                    buffersize_msec=BUFFER_MSEC)
                device.start(generator)
        except Exception as exc:  # noqa: BLE001 - miniaudio raises several kinds
            raise SoundUnavailable(_("no sound output could be opened ({exc}); replay is silent").format(exc=_reason(exc))) from None
        self._device = device

    def stop(self) -> None:
        if self._device is not None:
            self._device.close()
            self._device = None


def _reason(exc: Exception) -> str:
    first = exc.args[0] if exc.args else exc
    return str(first[0] if isinstance(first, tuple) and first else first)

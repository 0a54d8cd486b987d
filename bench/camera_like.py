"""Frames that look to an encoder and a decoder like a camera in a training room, and `record` with them.

The synthetic test pattern (roleplay.video.sources.SyntheticSource) is a smooth gradient rolled
sideways: an encoder predicts it almost for free, so figures measured on it flatter the recorder and
the replay (issue 14 found drawing at 253 fps on it and 58 fps on camera-like frames). Here each frame
has what a webcam gives: a textured still room, a person-sized shape that moves and changes size,
light that drifts, and sensor noise on every pixel that differs from frame to frame. The synthetic
source's marks are kept (the frame number and time, the white square on each whole second that the
audio-video offset check looks for), so everything that reads a synthetic recording reads these.

    python bench/camera_like.py record ARGS...   # `roleplay record ARGS`, synthetic sources camera-like
    python bench/camera_like.py run ARGS...      # the app, recording camera-like frames from `--camera synthetic`

Used by bench/video_bench.py (the recorder and the ffmpeg baseline get the same frames) and
bench/replay_bench.py (the recording that seek and drawing are measured on).
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roleplay.video.sources import SyntheticSource  # noqa: E402

NOISE_FRAMES = 7  # a prime, so the noise never lines up with the encoder's 1.5 s key frames
NOISE_SIGMA = 6.0  # grey levels: a webcam in indoor light


class CameraLikeSource(SyntheticSource):
    """SyntheticSource's timing and marks on camera-like pictures (see the module's docstring)."""

    def open(self):
        info = super().open()
        rng = np.random.default_rng(7)
        h, w = self.height, self.width
        # A room: large soft shapes (walls, a window, furniture) and fine texture (fabric, paper).
        light = rng.integers(60, 190, (9, 16, 1)).astype(np.float32)  # brightness: mostly greys and browns
        tint = np.array([0.85, 0.95, 1.05], dtype=np.float32) + rng.normal(0, 0.08, (9, 16, 3)).astype(np.float32)
        coarse = cv2.resize(np.clip(light * tint, 0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_CUBIC)
        grain = rng.integers(0, 30, (h // 3, w // 3), dtype=np.uint8)
        fine = cv2.cvtColor(cv2.resize(grain, (w, h), interpolation=cv2.INTER_LINEAR), cv2.COLOR_GRAY2BGR)
        self._room = cv2.add(coarse, fine)
        # Sensor noise, centred on zero: added and taken away as two saturating images.
        noise = rng.normal(0, NOISE_SIGMA, (NOISE_FRAMES, h, w, 3))
        self._noise_up = np.clip(noise, 0, 255).astype(np.uint8)
        self._noise_down = np.clip(-noise, 0, 255).astype(np.uint8)
        return info

    def _draw(self, number: int, stamp: float) -> np.ndarray:
        h, w = self.height, self.width
        t = number / max(self.fps, 1)
        image = self._room.copy()
        # Someone walking to and fro, leaning and gesturing: a body, a head and an arm.
        x = int(w * (0.5 + 0.3 * np.sin(t * 0.7)))
        y = int(h * (0.55 + 0.03 * np.sin(t * 2.3)))
        body = (max(w // 12, 4), max(h // 4, 4))
        cv2.ellipse(image, (x, y), body, 8 * np.sin(t * 1.3), 0, 360, (60, 80, 150), -1, cv2.LINE_AA)
        cv2.circle(image, (x, y - body[1] - h // 14), max(h // 14, 3), (140, 170, 210), -1, cv2.LINE_AA)
        arm = (x + int(body[0] * 1.8 * np.cos(t * 3.1)), y - int(body[1] * 0.6 * np.sin(t * 3.1)))
        cv2.line(image, (x, y - body[1] // 2), arm, (60, 80, 150), max(w // 60, 2), cv2.LINE_AA)
        # Light that drifts (a cloud, the auto-exposure) and the sensor's noise.
        image = cv2.convertScaleAbs(image, alpha=1.0 + 0.04 * np.sin(t * 0.9))
        k = number % NOISE_FRAMES
        image = cv2.subtract(cv2.add(image, self._noise_up[k]), self._noise_down[k])
        self._mark(image, number, stamp)
        return image


def _camera_like_sources() -> None:
    """Make every synthetic `--source` camera-like in this process."""
    from roleplay.video import sources

    plain = sources.open_source

    def open_source(spec, clock=None):
        source = plain(spec, clock)
        if type(source) is SyntheticSource:
            return CameraLikeSource(source.width, source.height, source.fps, source.clock)
        return source

    sources.open_source = open_source
    for module in list(sys.modules.values()):  # modules that imported the name before this ran
        if getattr(module, "open_source", None) is plain and module is not sources:
            module.open_source = open_source


if __name__ == "__main__":
    if sys.argv[1:2] not in (["record"], ["run"]):
        raise SystemExit("usage: python bench/camera_like.py record|run ARGS (as `roleplay record` or `roleplay run`)")
    from roleplay.cli import main

    import roleplay.video.commands  # noqa: F401  imports what binds open_source, so it is replaced there too

    _camera_like_sources()
    raise SystemExit(main(sys.argv[1:]))

"""Picture sources: a camera by index, a video file, or a synthetic test pattern.

Every source is opened, then read frame by frame; `read()` returns the image
(BGR, as OpenCV gives it) and its capture time on the session clock. A camera
that stops giving frames raises `SourceLost`; a file that ends raises
`SourceEnded`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from roleplay.core.clock import Clock
from roleplay.core.i18n import _

# OpenCV prints probing warnings for missing cameras; our messages say it better.
try:
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
except AttributeError:  # pragma: no cover - older wheels
    pass


class SourceError(Exception):
    """A source cannot be opened; the message says which and why."""


class SourceLost(Exception):
    """An open source stopped giving frames (unplugged, busy, crashed driver)."""


class SourceEnded(Exception):
    """A file source reached its end."""


@dataclass(frozen=True)
class SourceInfo:
    width: int
    height: int
    fps: float  # asked or announced; the true rate comes from the timestamps


class Source:
    description = "source"
    live = True  # a file is not live: its end is an end, not a lost camera

    def open(self) -> SourceInfo:
        raise NotImplementedError

    def read(self) -> tuple[np.ndarray, float]:
        raise NotImplementedError

    def close(self) -> None:
        pass


_SYNTHETIC = re.compile(r"^synthetic(?::(\d+)x(\d+)(?:@(\d+(?:\.\d+)?))?)?$")


def open_source(spec: str, clock: Clock | None = None) -> Source:
    """Turn a `--source` value into a (not yet opened) source."""
    clock = clock or Clock()
    spec = str(spec).strip()
    match = _SYNTHETIC.match(spec)
    if match:
        width = int(match.group(1) or 640)
        height = int(match.group(2) or 480)
        fps = float(match.group(3) or 30)
        if not (16 <= width <= 7680 and 16 <= height <= 4320 and 0 < fps <= 240):
            raise SourceError(_("synthetic source {spec!r}: size must be 16x16..7680x4320 and fps 1..240").format(spec=spec))
        return SyntheticSource(width, height, fps, clock)
    if spec.startswith("synthetic"):
        raise SourceError(_("cannot read source {spec!r}: write synthetic, synthetic:WxH or synthetic:WxH@FPS").format(spec=spec))
    if spec.isdigit():
        return DeviceSource(int(spec), clock)
    return FileSource(Path(spec), clock)


class SyntheticSource(Source):
    """A moving test pattern with the frame number and capture time burned in.

    Paced by the clock like a camera: a reader that falls behind skips frames
    (as a camera driver would) rather than getting them late. The frame due in
    the first frame period of each whole second of the clock has a white square
    in the top left corner, so sync with `SyntheticTone`'s beeps can be checked;
    if that frame was skipped, that second has no square (a later frame would
    carry it late and look like a sync fault).
    """

    live = True

    def __init__(self, width: int, height: int, fps: float, clock: Clock | None = None):
        self.width, self.height, self.fps = width, height, fps
        self.clock = clock or Clock()
        self.description = f"synthetic:{width}x{height}@{fps:g}"
        self.skipped = 0
        self._start = 0.0
        self._number = -1
        self._last_second = None
        self._background = None

    def open(self) -> SourceInfo:
        # A gradient drawn once and rolled each frame: cheap, and the motion
        # gives the encoder realistic work.
        x = np.linspace(0, 255, self.width, dtype=np.float32)
        y = np.linspace(0, 255, self.height, dtype=np.float32)[:, None]
        self._background = np.stack(
            [np.broadcast_to(x, (self.height, self.width)), np.broadcast_to(y, (self.height, self.width)),
             (x + y) / 2 % 256], axis=2).astype(np.uint8)
        self._start = self.clock.monotonic()
        self._number = -1
        return SourceInfo(self.width, self.height, self.fps)

    def read(self) -> tuple[np.ndarray, float]:
        if self._background is None:
            raise SourceLost(_("the synthetic source is not open"))
        now = self.clock.monotonic()
        due = int((now - self._start) * self.fps)
        number = max(self._number + 1, due)
        self.skipped += number - self._number - 1
        target = self._start + number / self.fps
        if target > now:
            time.sleep(target - now)
        self._number = number
        # A camera stamps a frame when it is captured, not when a busy reader gets round to it: the
        # frame's own time keeps its number and its time in step, however loaded the machine is.
        stamp = target
        return self._draw(number, stamp), stamp

    def _draw(self, number: int, stamp: float) -> np.ndarray:
        shift = (number * 4) % self.width
        image = np.roll(self._background, shift, axis=1)
        self._mark(image, number, stamp)
        return image

    def _mark(self, image: np.ndarray, number: int, stamp: float) -> None:
        """The whole-second square and the frame's number and time, drawn into `image`."""
        second = int(stamp)
        if second != self._last_second:
            # Not on the first frame (the sound starts a chunk later), and only on the frame due at
            # the whole second.
            if self._last_second is not None and stamp - second < 1 / self.fps:
                image[: self.height // 4, : self.width // 4] = 255
            self._last_second = second
        scale = max(self.height / 480, 0.3)
        text = f"#{number} {stamp - self._start:8.3f}s"
        cv2.putText(image, text, (8, self.height - 10), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 3, cv2.LINE_AA)
        cv2.putText(image, text, (8, self.height - 10), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA)

    def close(self) -> None:
        self._background = None


def has_sync_mark(image: np.ndarray) -> bool:
    """True if a synthetic frame carries the whole-second white square."""
    h, w = image.shape[:2]
    corner = image[2 : h // 4 - 2, 2 : w // 4 - 2]
    return bool(corner.size) and float(corner.mean()) > 235


class _CaptureSource(Source):
    def __init__(self, target: int | str, description: str, clock: Clock | None):
        self._target = target
        self.description = description
        self.clock = clock or Clock()
        self._capture = None

    def _open_capture(self):
        capture = cv2.VideoCapture(self._target)
        if not capture.isOpened():
            capture.release()
            return None
        return capture

    def read(self) -> tuple[np.ndarray, float]:
        if self._capture is None:
            raise SourceLost(_("{description} is not open").format(description=self.description))
        ok, image = self._capture.read()
        stamp = self.clock.monotonic()
        if not ok or image is None:
            self._on_no_frame()
        return image, stamp

    def _on_no_frame(self) -> None:
        raise SourceLost(_("{description} stopped giving frames").format(description=self.description))

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class DeviceSource(_CaptureSource):
    def __init__(self, index: int, clock: Clock | None = None, width: int = 0, height: int = 0, fps: float = 0):
        super().__init__(index, _("camera {index}").format(index=index), clock)
        self._asked = (width, height, fps)

    def open(self) -> SourceInfo:
        capture = self._open_capture()
        if capture is None:
            raise SourceError(_("no camera at index {target}, or it is in use by another program").format(target=self._target))
        width, height, fps = self._asked
        if width and height:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        if fps:
            capture.set(cv2.CAP_PROP_FPS, fps)
        ok, image = capture.read()
        if not ok or image is None:
            capture.release()
            raise SourceError(_("camera {target} opened but gives no picture (busy or unplugged?)").format(target=self._target))
        self._capture = capture
        return SourceInfo(image.shape[1], image.shape[0], float(capture.get(cv2.CAP_PROP_FPS) or 30.0))


class FileSource(_CaptureSource):
    """A video file played at its own frame rate, as if it were a camera."""

    live = False

    def __init__(self, path: Path, clock: Clock | None = None):
        super().__init__(str(path), _("file {path}").format(path=path), clock)
        self.path = Path(path)
        self._start = 0.0
        self._number = 0
        self._fps = 30.0

    def open(self) -> SourceInfo:
        if not self.path.is_file():
            raise SourceError(_("no video file at {path}").format(path=self.path))
        capture = self._open_capture()
        if capture is None:
            raise SourceError(_("cannot open {path} as video").format(path=self.path))
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if width <= 0 or height <= 0:
            capture.release()
            raise SourceError(_("{path} has no picture").format(path=self.path))
        self._fps = float(capture.get(cv2.CAP_PROP_FPS) or 0) or 30.0
        self._capture = capture
        self._start = self.clock.monotonic()
        self._number = 0
        return SourceInfo(width, height, self._fps)

    def read(self) -> tuple[np.ndarray, float]:
        target = self._start + self._number / self._fps
        delay = target - self.clock.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._number += 1
        return super().read()

    def _on_no_frame(self) -> None:
        raise SourceEnded(_("{path} has ended").format(path=self.path))


class FlakySource(Source):
    """Wraps a source and loses it after `lose_after` frames, for tests.

    While lost, `open()` fails `fail_reopens` times before working again, like
    a camera that is unplugged and plugged back in.
    """

    def __init__(self, inner: Source, lose_after: int, fail_reopens: int = 2):
        self.inner = inner
        self.description = f"flaky {inner.description}"
        self.live = inner.live
        self.lose_after = lose_after
        self.fail_reopens = fail_reopens
        self.frames = 0
        self.lost = False
        self.reopen_attempts = 0

    def open(self) -> SourceInfo:
        if self.lost:
            self.reopen_attempts += 1
            if self.reopen_attempts <= self.fail_reopens:
                raise SourceError(_("{description}: still unplugged").format(description=self.description))
            self.lost = False
        return self.inner.open()

    def read(self) -> tuple[np.ndarray, float]:
        if self.frames == self.lose_after and not self.lost and self.reopen_attempts == 0:
            self.lost = True
            self.inner.close()
            raise SourceLost(_("{description} was unplugged").format(description=self.description))
        self.frames += 1
        return self.inner.read()

    def close(self) -> None:
        self.inner.close()

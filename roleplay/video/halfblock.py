"""Pictures drawn in terminal cells with the upper half block "▀".

Each cell shows two pixels stacked: the character's colour is the upper one,
the background the lower one. A terminal cell is about twice as tall as wide,
so the two half-cells are close to square pixels and the picture keeps its
aspect ratio when fitted to `cols` x `2*rows` pixels.

Rich segments (not Textual) so the CLI's `--dump-at` and the benchmark use the
same drawing as the app's video widget.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

UPPER_HALF = "\u2580"


def fit(width: int, height: int, cols: int, rows: int) -> tuple[int, int]:
    """(pixel columns, pixel rows) of the largest picture with the same aspect in cols x rows cells."""
    if width <= 0 or height <= 0 or cols <= 0 or rows <= 0:
        return 0, 0
    scale = min(cols / width, 2 * rows / height)
    w = max(1, min(cols, round(width * scale)))
    h = max(2, min(2 * rows, round(height * scale / 2) * 2))  # whole cells: an even pixel count
    return w, h


def _small(image: np.ndarray, w: int, h: int) -> np.ndarray:
    """`image` averaged down to w x h pixels. Area averaging keeps camera noise and fine texture from
    flickering; cv2's area resize is slow for a large non-integer factor (about 3 ms from 720p), so a
    large picture first goes by linear steps to a whole multiple of the size, then by area."""
    import cv2

    factor = min(image.shape[1] // w, image.shape[0] // h)
    if factor > 4:
        image = cv2.resize(image, (w * 4, h * 4), interpolation=cv2.INTER_LINEAR)
    return cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)


def cell_colours(image: np.ndarray, cols: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) RGB arrays of shape (cell rows, cell cols, 3) for a BGR image."""
    w, h = fit(image.shape[1], image.shape[0], cols, rows)
    if w == 0:
        empty = np.zeros((0, 0, 3), np.uint8)
        return empty, empty
    rgb = _small(image, w, h)[:, :, ::-1]
    return rgb[0::2], rgb[1::2]


class StyleCache:
    """Rich styles by colour pair: a style costs microseconds to build, and a still scene repeats them.

    A pair is one int: six channels of 5 bits (see `segment_lines`)."""

    def __init__(self, limit: int = 50_000):
        self._styles: dict[int, Style] = {}
        self._limit = limit
        self.cached = self._styles.get  # the style if it is built already, else None

    def get(self, key: int) -> Style:
        style = self._styles.get(key)
        if style is None:
            if len(self._styles) >= self._limit:
                self._styles.clear()
            fg = ((key >> 22) & 0xF8, (key >> 17) & 0xF8, (key >> 12) & 0xF8)
            bg = ((key >> 7) & 0xF8, (key >> 2) & 0xF8, (key << 3) & 0xF8)
            style = Style.from_color(Color.from_rgb(*fg), Color.from_rgb(*bg))
            self._styles[key] = style
        return style


_STYLES = StyleCache()


def pair_keys(upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """Each cell's colour pair as one int: the upper RGB then the lower, 5 bits a channel.

    Colours are quantised to 5 bits a channel: invisible in half-block video, and it lets the style
    cache hit across frames."""
    channels = np.concatenate([upper, lower], axis=2).astype(np.uint32) >> 3
    keys = np.zeros(channels.shape[:2], np.uint32)
    for channel in range(6):
        keys = (keys << 5) | channels[:, :, channel]
    return keys


def segment_lines(image: np.ndarray, cols: int, rows: int, styles: StyleCache = _STYLES) -> list[list[Segment]]:
    """The picture as lines of Rich segments; neighbouring cells of one colour pair share a segment."""
    upper, lower = cell_colours(image, cols, rows)
    if not upper.size:
        return []
    keys = pair_keys(upper, lower)
    # Where a run of one colour pair starts, in each row: the first cell, and wherever the key changes.
    changes = np.ones(keys.shape, bool)
    changes[:, 1:] = keys[:, 1:] != keys[:, :-1]
    width = keys.shape[1]
    cached, make = styles.cached, styles.get  # a dict lookup first: most pairs were seen a frame ago
    lines = []
    for row_keys, row_changes in zip(keys.tolist(), changes):
        starts = np.flatnonzero(row_changes).tolist()
        ends = starts[1:] + [width]
        lines.append([Segment(UPPER_HALF * (end - start), cached(row_keys[start]) or make(row_keys[start]))
                      for start, end in zip(starts, ends)])
    return lines


def ansi_lines(image: np.ndarray, cols: int, rows: int) -> list[str]:
    """The picture as 24-bit colour escape sequences, one string per cell row."""
    upper, lower = cell_colours(image, cols, rows)
    lines = []
    for top_row, bottom_row in zip(upper.tolist(), lower.tolist()):
        cells = [f"\x1b[38;2;{t[0]};{t[1]};{t[2]};48;2;{b[0]};{b[1]};{b[2]}m{UPPER_HALF}"
                 for t, b in zip(top_row, bottom_row)]
        lines.append("".join(cells) + "\x1b[0m")
    return lines

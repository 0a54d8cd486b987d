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


def cell_colours(image: np.ndarray, cols: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) RGB arrays of shape (cell rows, cell cols, 3) for a BGR image."""
    import cv2

    w, h = fit(image.shape[1], image.shape[0], cols, rows)
    if w == 0:
        empty = np.zeros((0, 0, 3), np.uint8)
        return empty, empty
    small = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
    rgb = small[:, :, ::-1]
    return rgb[0::2], rgb[1::2]


class StyleCache:
    """Rich styles by colour pair: a style costs microseconds to build, and a still scene repeats them."""

    def __init__(self, limit: int = 50_000):
        self._styles: dict[tuple, Style] = {}
        self._limit = limit

    def get(self, fg: tuple[int, int, int], bg: tuple[int, int, int]) -> Style:
        key = fg + bg
        style = self._styles.get(key)
        if style is None:
            if len(self._styles) >= self._limit:
                self._styles.clear()
            style = Style.from_color(Color.from_rgb(*fg), Color.from_rgb(*bg))
            self._styles[key] = style
        return style


_STYLES = StyleCache()


def segment_lines(image: np.ndarray, cols: int, rows: int, styles: StyleCache = _STYLES) -> list[list[Segment]]:
    """The picture as lines of Rich segments; neighbouring cells of one colour pair share a segment."""
    upper, lower = cell_colours(image, cols, rows)
    lines = []
    # Colours are quantised to 5 bits a channel: invisible in half-block video,
    # and it lets the style cache hit across frames.
    pairs = np.concatenate([upper, lower], axis=2) & 0xF8
    for row in pairs.tolist():
        line: list[Segment] = []
        run_key, run = None, 0
        for cell in row:
            key = tuple(cell)
            if key == run_key:
                run += 1
                continue
            if run_key is not None:
                line.append(Segment(UPPER_HALF * run, styles.get(run_key[:3], run_key[3:])))
            run_key, run = key, 1
        if run_key is not None:
            line.append(Segment(UPPER_HALF * run, styles.get(run_key[:3], run_key[3:])))
        lines.append(line)
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

"""Half-block drawing: each cell's two colours are the picture's, quantised, and runs of one pair merge."""

from __future__ import annotations

import cv2
import numpy as np

from roleplay.video.halfblock import UPPER_HALF, StyleCache, cell_colours, fit, segment_lines


def cells_of(line) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    out = []
    for segment in line:
        assert set(segment.text) == {UPPER_HALF}
        fg, bg = segment.style.color.triplet, segment.style.bgcolor.triplet
        out += [(tuple(fg), tuple(bg))] * len(segment.text)
    return out


def test_every_cell_shows_its_two_pixels_quantised_to_five_bits():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (20, 16, 3), dtype=np.uint8)  # BGR, already at the cells' size
    lines = segment_lines(image, 16, 10, StyleCache())
    assert len(lines) == 10
    for y, line in enumerate(lines):
        cells = cells_of(line)
        assert len(cells) == 16
        for x, (fg, bg) in enumerate(cells):
            top, bottom = image[2 * y, x][::-1] & 0xF8, image[2 * y + 1, x][::-1] & 0xF8
            assert fg == tuple(int(c) for c in top) and bg == tuple(int(c) for c in bottom)


def test_neighbours_of_one_colour_pair_share_a_segment():
    image = np.zeros((4, 10, 3), np.uint8)
    image[:, 5:] = (0, 0, 255)  # right half red (BGR)
    lines = segment_lines(image, 10, 2, StyleCache())
    assert [[len(s.text) for s in line] for line in lines] == [[5, 5], [5, 5]]
    assert lines[0][1].style.color.triplet == (248, 0, 0)


def test_a_large_picture_is_averaged_down_like_an_area_resize():
    rng = np.random.default_rng(2)
    # A camera-like 720p picture: smooth shapes and noise on every pixel.
    smooth = cv2.resize(rng.integers(0, 256, (9, 16, 3), dtype=np.uint8), (1280, 720), interpolation=cv2.INTER_CUBIC)
    noisy = cv2.add(smooth, rng.integers(0, 20, (720, 1280, 3), dtype=np.uint8))
    w, h = fit(1280, 720, 100, 30)
    exact = cv2.resize(noisy, (w, h), interpolation=cv2.INTER_AREA)[:, :, ::-1]
    upper, lower = cell_colours(noisy, 100, 30)
    assert upper.shape == exact[0::2].shape and lower.shape == exact[1::2].shape
    # Within a grey level or two of the exact average (a plain linear resize is 3 off on average, 11 at worst).
    assert np.abs(upper.astype(int) - exact[0::2]).mean() < 1.5
    assert np.abs(lower.astype(int) - exact[1::2]).max() < 8


def test_an_empty_fit_draws_nothing():
    assert segment_lines(np.zeros((0, 0, 3), np.uint8), 10, 5, StyleCache()) == []

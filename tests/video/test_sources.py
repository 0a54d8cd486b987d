"""Picture sources: the synthetic pattern, video files, and the test source that fails mid-way."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from roleplay.video.sources import (FileSource, FlakySource, SourceEnded, SourceError, SourceLost, SyntheticSource,
                                    open_source)


def test_synthetic_spec():
    source = open_source("synthetic:320x240@25")
    assert isinstance(source, SyntheticSource) and (source.width, source.height, source.fps) == (320, 240, 25)
    assert open_source("synthetic").width == 640
    with pytest.raises(SourceError, match="synthetic:WxH@FPS"):
        open_source("synthetic:abc")
    with pytest.raises(SourceError, match="fps"):
        open_source("synthetic:320x240@0")


def test_the_sync_square_is_only_on_the_frame_due_at_a_whole_second():
    from roleplay.video.sources import has_sync_mark

    source = SyntheticSource(160, 120, 10)
    source.open()
    assert not has_sync_mark(source._draw(0, 100.95))  # the first frame: no sound to match yet
    assert has_sync_mark(source._draw(1, 101.05))  # due in the second's first frame period
    assert not has_sync_mark(source._draw(2, 101.15))
    # A reader that fell behind skipped the frames due at 102.0 and 102.1: no square on a late frame,
    # which would sit 0.2 s after the beep and look like a sync fault.
    assert not has_sync_mark(source._draw(5, 102.2))
    assert has_sync_mark(source._draw(9, 103.0))


def test_synthetic_frames_move_and_carry_their_number_and_time():
    source = SyntheticSource(160, 120, 50)
    info = source.open()
    assert (info.width, info.height) == (160, 120)
    (a, ta), (b, tb) = source.read(), source.read()
    assert a.shape == (120, 160, 3) and a.dtype == np.uint8
    assert tb > ta and not np.array_equal(a, b)
    # The burned-in text differs between frames even where the pattern does not.
    text_rows = slice(120 - 30, 120)
    assert not np.array_equal(a[text_rows, :80], b[text_rows, :80])


def test_a_video_file_plays_as_a_source_and_ends(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 50, (64, 48))
    for i in range(5):
        writer.write(np.full((48, 64, 3), i * 40, np.uint8))
    writer.release()
    source = FileSource(path)
    info = source.open()
    assert (info.width, info.height) == (64, 48)
    frames = [source.read() for _ in range(5)]
    assert [t for _, t in frames] == sorted(t for _, t in frames)
    with pytest.raises(SourceEnded):
        source.read()
    source.close()
    with pytest.raises(SourceError, match="no video file"):
        FileSource(tmp_path / "missing.avi").open()
    (tmp_path / "junk.avi").write_bytes(b"not a video")
    with pytest.raises(SourceError, match="cannot open"):
        FileSource(tmp_path / "junk.avi").open()


def test_flaky_source_is_lost_then_comes_back():
    source = FlakySource(SyntheticSource(32, 32, 200), lose_after=3, fail_reopens=1)
    source.open()
    for _ in range(3):
        source.read()
    with pytest.raises(SourceLost):
        source.read()
    with pytest.raises(SourceError):
        source.open()
    source.open()
    image, _ = source.read()
    assert image.shape == (32, 32, 3)

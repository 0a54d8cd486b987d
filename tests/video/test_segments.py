"""Segment encoding without threads: true timestamps and sound placement survive a round trip."""

import io

import av
import numpy as np

from roleplay.video.audio import RATE
from roleplay.video.segments import SegmentEncoder, split_chunk
from roleplay.video.audio import AudioChunk


def decode(data: bytes):
    with av.open(io.BytesIO(data)) as container:
        times = [float(f.time) for f in container.decode(video=0)]
    with av.open(io.BytesIO(data)) as container:
        sound = []
        if container.streams.audio:
            sound = [(float(f.time), f.to_ndarray().reshape(-1)) for f in container.decode(audio=0)]
    return times, sound


def test_irregular_capture_times_are_kept_so_replay_runs_at_true_speed():
    # A camera asked for 30 fps that delivers ~11 fps with jitter.
    stamps = [100.0 + t for t in (0, 0.09, 0.21, 0.29, 0.4, 0.52, 0.61, 0.75, 0.83, 0.95)]
    encoder = SegmentEncoder(100.0, 64, 48, fps=30, audio=False)
    for i, stamp in enumerate(stamps):
        encoder.add_video(stamp, np.full((48, 64, 3), i * 20, np.uint8))
    times, _ = decode(encoder.finish())
    assert encoder.frames == len(stamps)
    assert np.allclose(times, [s - 100.0 for s in stamps], atol=0.0015)


def test_sound_lands_at_its_time_and_a_gap_stays_silent():
    encoder = SegmentEncoder(10.0, 64, 48, fps=10, audio=True)
    for i in range(10):
        encoder.add_video(10.0 + i / 10, np.zeros((48, 64, 3), np.uint8))
    loud = (20000 * np.sin(np.arange(4800) * 2 * np.pi * 1000 / RATE)).astype(np.int16)  # 0.1 s of 1 kHz
    encoder.add_audio(round(0.2 * RATE), loud)  # from 0.2 s
    encoder.add_audio(round(0.5 * RATE), loud)  # from 0.5 s: 0.2 s gap
    _, sound = decode(encoder.finish())
    start = sound[0][0]
    samples = np.concatenate([s for _, s in sound]).astype(np.float32)
    samples /= 32768 if samples.max() > 2 else 1
    level = lambda a, b: np.abs(samples[int((a - start) * RATE) : int((b - start) * RATE)]).mean()
    assert abs(start - 0.2) < 0.002
    assert level(0.22, 0.28) > 0.2
    assert level(0.33, 0.47) < 0.05  # the gap
    assert level(0.52, 0.58) > 0.2


def test_a_chunk_across_a_segment_boundary_is_split_sample_exactly():
    chunk = AudioChunk(1.49, np.arange(960, dtype=np.int16))  # 20 ms from 1.49 s
    pts, before, rest = split_chunk(chunk, start=0.0, end=1.5)
    assert pts == round(1.49 * RATE)
    assert len(before) == 480 and rest is not None
    assert rest.samples[0] == 480 and abs(rest.start - 1.5) < 1e-9


def test_sound_pieces_are_joined_into_chunks_and_a_jump_or_stop_sends_what_is_held():
    from roleplay.video.audio import _Batcher

    got = []
    batcher = _Batcher(got.append, seconds=0.1)  # 4800 samples
    piece = 960
    for i in range(6):  # 6 x 20 ms: one whole chunk, one piece held
        batcher.add(5.0 + i * piece / RATE, np.full(piece, i, np.int16))
    assert len(got) == 1 and len(got[0].samples) == 5 * piece and got[0].start == 5.0
    batcher.add(9.0, np.full(piece, 9, np.int16))  # the timeline moved its anchor
    assert len(got) == 2 and got[1].start == 5.0 + 5 * piece / RATE and (got[1].samples == 5).all()
    batcher.flush()
    assert len(got) == 3 and got[2].start == 9.0 and (got[2].samples == 9).all()
    batcher.flush()
    assert len(got) == 3

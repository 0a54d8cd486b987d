"""Clips: the stretch between two marks as an ordinary video file with its sound."""

from __future__ import annotations

import av
import numpy as np
import pytest

from roleplay.video.audio import beep_onsets
from roleplay.video.clip import ClipError, export_clip
from roleplay.video.player import Player
from roleplay.video.segments import RATE

from conftest import run_cli
from test_replay import FRAME, recorded  # noqa: F401 - the module's recording, made once


def decoded(path):
    with av.open(str(path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        codecs = (video.codec_context.name, audio.codec_context.name)
        frames = [f.time for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        sound = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
        duration = container.duration / 1e6
    return codecs, frames, sound.astype(np.float32), duration


@pytest.mark.parametrize("suffix, codecs", [(".mp4", ("h264", "aac")), (".mkv", ("h264", "opus"))])
def test_clip_between_a_marker_and_a_time_has_that_length_and_its_sound(recorded, tmp_path, suffix, codecs):
    player = Player(recorded)
    start = player.timeline.resolve("first doubt")
    end = player.timeline.resolve("00:04")
    result = export_clip(player, start, end, tmp_path / f"clip{suffix}")
    assert oct(result.path.stat().st_mode & 0o777) == "0o600"
    found, frames, sound, duration = decoded(result.path)
    assert found == codecs
    length = end - start
    assert duration == pytest.approx(length, abs=FRAME + 0.02)
    # A frame shown from `end` on is not in the clip, also when float sums put it a hair before `end`
    # (takes laid end to end; export_clip allows 1e-6): under load a take can end on a whole frame.
    expected = [f for f in player.frames_from(start) if f.at < end - 1e-6]
    assert len(frames) == len(expected) == result.frames
    # Each frame keeps its real capture time (a loaded machine captures unevenly), counted from `start`;
    # the frame on screen at `start` opens the clip, the one shown just before `end` closes it.
    assert expected[0].at <= start + 0.002 and expected[-1].at < end
    assert frames == pytest.approx([max(0.0, f.at - start) for f in expected], abs=0.002)
    assert len(sound) / RATE == pytest.approx(length, abs=FRAME + 0.03)
    # The synthetic beeps are where they were in the recording, relative to the clip's start.
    original = beep_onsets(player.sound(start, round(length * RATE)), 0.0)
    heard = beep_onsets(sound, 0.0)
    assert original and len(heard) == len(original)
    assert np.allclose(heard, original, atol=0.03)


def test_clip_refuses_bad_names_and_empty_stretches(recorded, tmp_path):
    player = Player(recorded)
    with pytest.raises(ClipError, match=r"\.mp4 or \.mkv"):
        export_clip(player, 0, 1, tmp_path / "clip.avi")
    with pytest.raises(ClipError, match="empty"):
        export_clip(player, 2, 1, tmp_path / "clip.mp4")
    assert not list(tmp_path.iterdir())


def test_clip_command_writes_the_file_and_lists_the_marks_for_an_unknown_one(recorded, tmp_path):
    out = tmp_path / "moment.mp4"
    result = run_cli("clip", str(recorded), "--from", "scene", "--to", "phone-rings", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists() and "wrote" in result.stdout
    player = Player(recorded)
    _, frames, _, duration = decoded(out)
    assert duration == pytest.approx(player.timeline.resolve("phone-rings") - player.timeline.resolve("scene"),
                                     abs=FRAME + 0.02)

    result = run_cli("clip", str(recorded), "--from", "no such moment", "--to", "00:02", "-o", str(tmp_path / "x.mp4"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no mark called 'no such moment'" in result.stderr
    assert "first doubt" in result.stderr and "phone-rings" in result.stderr
    result = run_cli("clip", str(recorded), "--from", "00:03", "--to", "00:01", "-o", str(tmp_path / "x.mp4"))
    assert result.returncode == 1 and "must come after" in result.stderr
    assert not (tmp_path / "x.mp4").exists()


@pytest.mark.parametrize("suffix, frame", [(".mp4", 1024), (".mkv", 960)])
def test_a_clip_ending_just_before_a_beep_does_not_hold_it(recorded, tmp_path, suffix, frame):
    # The encoders take whole frames of sound (1024 or 960 samples): the last one is padded with
    # silence, not filled with what was recorded after the end of the clip.
    player = Player(recorded)
    onsets = beep_onsets(player.sound(0.0, round(player.duration * RATE)), 0.0)
    beep = next(t for t in onsets if t > 1.0)
    end = beep - 0.004
    start = end - (round(0.7 * RATE / frame) * frame + 1) / RATE  # the last frame holds 1 sample of the clip
    assert start > beep - 0.9  # after the previous beep (100 ms long)
    result = export_clip(player, start, end, tmp_path / f"clip{suffix}")
    _, _, sound, _ = decoded(result.path)
    assert beep_onsets(sound, 0.0) == beep_onsets(player.sound(start, round((end - start) * RATE)), 0.0) == []

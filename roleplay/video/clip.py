"""Exporting a stretch of a recording as one ordinary video file with its sound.

`.mp4` gets H.264 + AAC, `.mkv` H.264 + Opus: what any player opens. The
stretch is re-encoded, because a cut rarely falls on a keyframe; recording
time carries over, so takes laid end to end in replay are end to end in the
clip too, and the sound is filled with silence wherever none was recorded so
it stays in step with the picture.

The clip is written next to its destination under a fresh temporary name
(created exclusively, never through a link) and moved into place when
complete, with the owner-only permissions of the recording: a clip is as
confidential as the session. An existing file is replaced only with `force`,
and never one inside a session folder (see roleplay.core.safe_write).

A clip is never encrypted: from an encrypted recording (or a session whose
log is sealed) it is made only when asked for in plain (`plain`); the command
line then warns that the file is not encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from roleplay.core.i18n import N_, _
from roleplay.core.safe_write import WriteError, new_file
from roleplay.video.player import Player
from roleplay.video.segments import RATE, X264_OPTIONS

FORMATS = {".mp4": ("mp4", "aac", "fltp"), ".mkv": ("matroska", "libopus", "s16")}
MS = Fraction(1, 1000)


ENCRYPTED = N_("this recording is encrypted; the clip would not be: add --plain to write it unencrypted anyway")


class ClipError(Exception):
    """The clip cannot be made; the message says why."""


def is_encrypted(player: Player) -> bool:
    """Whether the recording, or the session log beside it, is encrypted."""
    from roleplay.core.folder import SessionFolder

    return any(e.encrypted for e in player.entries) or SessionFolder(player.folder).sealed


@dataclass(frozen=True)
class ClipResult:
    path: Path
    start: float
    end: float
    frames: int
    audio_samples: int


def export_clip(player: Player, start: float, end: float, out: Path, *, force: bool = False,
                plain: bool = False) -> ClipResult:
    """Write the stretch [start, end) to `out`. Without `force` an existing file is an error;
    a file inside a session folder is never replaced. An encrypted recording's clip (never
    encrypted itself) is refused unless `plain`."""
    out = Path(out)
    if not plain and is_encrypted(player):
        raise ClipError(str(ENCRYPTED))
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise ClipError(_("{out}: give the clip a .mp4 or .mkv name (H.264 with AAC or Opus sound)").format(out=out))
    if not player.timeline.has_video:
        raise ClipError(_("this session has no video to cut a clip from"))
    start, end = max(0.0, start), min(end, player.duration)
    if end <= start:
        raise ClipError(_("the clip would be empty: it ends ({end:.2f} s) before it starts ({start:.2f} s)").format(end=end, start=start))
    format_name, audio_codec, sample_format = kind
    protected = [player.folder]
    try:
        # The target is checked before the encoding starts, and again before the rename.
        with new_file(out, force=force, protected_dirs=protected) as handle:
            frames, samples = _write(player, start, end, handle, format_name, audio_codec, sample_format)
            if frames == 0:
                raise ClipError(_("no picture could be read between {start:.2f} s and {end:.2f} s").format(start=start, end=end))
    except WriteError as exc:
        raise ClipError(str(exc)) from None
    return ClipResult(out, start, end, frames, samples)


def _write(player: Player, start: float, end: float, handle, format_name: str, audio_codec: str,
           sample_format: str) -> tuple[int, int]:
    fps = _frame_rate(player)
    container = av.open(handle, "w", format=format_name)
    try:
        # The encoder's own time base must be fine too, or x264 snaps every frame to a 1/fps grid
        # and the clip loses the real capture times the recording kept.
        video = container.add_stream("libx264", rate=fps, time_base=MS, options=dict(X264_OPTIONS))
        video.time_base = MS
        video.pix_fmt = "yuv420p"
        entry = player.entries[player.timeline.span_index(start)]
        video.width, video.height = entry.width, entry.height
        audio = container.add_stream(audio_codec, rate=RATE, layout="mono")
        audio.time_base = Fraction(1, RATE)
        frames = 0
        last_pts = -1
        for frame in player.frames_from(start):
            if frame.at >= end - 1e-6:
                break
            image = frame.image
            if image.shape[1] != video.width or image.shape[0] != video.height:
                import cv2  # a later take from another camera size: fit it to the first

                image = cv2.resize(image, (video.width, video.height), interpolation=cv2.INTER_AREA)
            out = av.VideoFrame.from_ndarray(image, format="bgr24")
            # The frame shown at `start` may predate it: it starts the clip.
            pts = max(round((frame.at - start) * 1000), last_pts + 1)
            out.pts, out.time_base = pts, MS
            container.mux(video.encode(out))
            last_pts = pts
            frames += 1
        container.mux(video.encode(None))
        samples = _write_sound(player, start, end, container, audio, sample_format)
    finally:
        container.close()
    return frames, samples


def _write_sound(player: Player, start: float, end: float, container, audio, sample_format: str) -> int:
    total = round((end - start) * RATE)
    size = audio.codec_context.frame_size or 1024
    written = 0
    while written < total:
        block = player.sound(start + written / RATE, size)
        if written + size > total:  # the encoder takes whole frames: pad with silence, not with sound after `end`
            block[total - written:] = 0
        if sample_format == "s16":
            data = (np.clip(block, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        else:
            data = block.reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(data, format=sample_format, layout="mono")
        frame.sample_rate = RATE
        frame.pts, frame.time_base = written, Fraction(1, RATE)
        container.mux(audio.encode(frame))
        written += size
    container.mux(audio.encode(None))
    return total


def _frame_rate(player: Player) -> int:
    """The recording's frame rate from its index, for the encoder's rate control."""
    entries = [e for e in player.entries if e.frames > 1 and e.last_frame and e.first_frame is not None]
    if not entries:
        return 15
    frames = sum(e.frames - 1 for e in entries)
    seconds = sum(e.last_frame - e.first_frame for e in entries)
    return max(1, round(frames / seconds)) if seconds > 0 else 15

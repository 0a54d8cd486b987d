"""Recording benchmark: frames kept, CPU against the ffmpeg command line, memory over a long run.

    python bench/video_bench.py [--seconds 60] [--minutes 10] [--size 640x480] [--fps 30]

1. Records `--seconds` of the synthetic source with the synthetic tone through
   `roleplay record` in a subprocess: frames expected, written, dropped; CPU seconds
   per recorded minute.
2. Encodes the same frames with the ffmpeg binary from the imageio-ffmpeg wheel,
   same codecs and settings (libx264 veryfast crf 28 yuv420p, libopus 48 kHz mono
   48 kb/s, 1.5 s Matroska segments), and prints the CPU ratio. The baseline is
   charged with the CPU spent drawing the frames, as the recorder draws its own.
3. Records `--minutes` and samples the recorder's memory: peak and first/last
   minute, and the audio-video offset at the end of the run (0 to skip).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roleplay.core.log import read_log  # noqa: E402
from roleplay.video.segments import OPUS_BIT_RATE, X264_OPTIONS, read_index  # noqa: E402

SEGMENT_SECONDS = 1.5


def run_recorder(seconds: float, size: str, fps: int, out: Path, sample_every: float = 1.0):
    """Run `record` in a child; return (folder, cpu seconds, peak RSS MB, RSS samples [(t, MB)])."""
    command = [sys.executable, "-m", "roleplay.video.commands", "record", "--source", f"synthetic:{size}@{fps}",
               "--audio", "synthetic", "--seconds", str(seconds), "--out", str(out), "--consent-all"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, float]] = []
    started = time.monotonic()

    def sample():
        while process.poll() is None:
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
                samples.append((time.monotonic() - started, rss))
            except (OSError, AttributeError):
                pass
            time.sleep(sample_every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"the recorder failed ({process.returncode}): {stderr.strip()}")
    folder = Path(re.search(r"session folder: (.+)", stdout).group(1))
    return folder, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, samples


def run_ffmpeg(frames: int, size: str, fps: int, out: Path) -> tuple[float, float]:
    """Encode `frames` synthetic frames with ffmpeg; return (ffmpeg CPU s, CPU s spent drawing frames)."""
    import imageio_ffmpeg

    from roleplay.video.sources import SyntheticSource

    width, height = map(int, size.split("x"))
    seconds = frames / fps
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", size, "-framerate", str(fps), "-i", "-",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", f"{seconds:.3f}", "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", X264_OPTIONS["preset"], "-crf", X264_OPTIONS["crf"], "-pix_fmt", "yuv420p",
        "-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
        "-c:a", "libopus", "-b:a", str(OPUS_BIT_RATE), "-ac", "1", "-ar", "48000",
        "-f", "segment", "-segment_time", str(SEGMENT_SECONDS), "-segment_format", "matroska",
        "-reset_timestamps", "1", str(out / "ff-%06d.mkv"),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    source = SyntheticSource(width, height, fps)
    source.open()
    drawing = 0.0
    for number in range(frames):
        before = time.process_time()
        image = source._draw(number, number / fps)
        drawing += time.process_time() - before
        process.stdin.write(image.tobytes())
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ffmpeg failed: {process.stderr.read().decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, drawing


def av_offset(folder: Path, last_segments: int = 6) -> float | None:
    """Worst offset between the synthetic beeps and the marked frames in the last segments."""
    import numpy as np

    from roleplay.video.audio import beep_onsets
    from roleplay.video.reader import Recording
    from roleplay.video.sources import has_sync_mark

    recording = Recording(folder)
    recording.segments = recording.segments[-last_segments:]
    sound = list(recording.sound())
    if not sound:
        return None
    onsets = beep_onsets(np.concatenate([s.samples for s in sound]), sound[0].time)
    heard_until = sound[-1].time + len(sound[-1].samples) / sound[-1].rate
    # A mark whose beep falls after the sound ends (the last frames of a take) has nothing to match.
    marks = [f.time for f in recording.frames() if has_sync_mark(f.image) and f.time < heard_until - 0.15]
    if not onsets or not marks:
        return None
    return max(abs(m - min(onsets, key=lambda t: abs(t - m))) for m in marks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="length of the frames/CPU run (default 60)")
    parser.add_argument("--minutes", type=float, default=10, help="length of the memory run; 0 skips it (default 10)")
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--fps", type=int, default=30)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="video-bench-") as tmp:
        tmp = Path(tmp)
        print(f"recording synthetic {args.size} at {args.fps} fps with sound for {args.seconds:g} s ...", flush=True)
        folder, cpu, peak, _ = run_recorder(args.seconds, args.size, args.fps, tmp / "rec")
        entries = read_index(folder)
        written = sum(e.frames for e in entries)
        stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"][-1]
        expected = round(args.seconds * args.fps)
        recorded_minutes = sum(e.end - e.start for e in entries) / 60
        print(f"frames expected {expected}, written {written}, dropped {stopped['dropped']}"
              f" (not delivered by the source: {max(0, expected - written - stopped['dropped'])})")
        print(f"size on disk: {sum(e.bytes for e in entries) / 1e6:.1f} MB in {len(entries)} segments")

        (tmp / "ff").mkdir()
        ff_cpu, drawing = run_ffmpeg(written, args.size, args.fps, tmp / "ff")
        ours = cpu / recorded_minutes
        theirs = (ff_cpu + drawing) / (written / args.fps / 60)
        print(f"CPU s per recorded minute: recorder {ours:.1f}, ffmpeg {ff_cpu / (written / args.fps / 60):.1f}"
              f" + drawing frames {drawing / (written / args.fps / 60):.1f}")
        print(f"CPU ratio recorder / ffmpeg: {ours / theirs:.2f}x (aim: at most 1.3x)")
        print(f"peak memory of that run: {peak:.0f} MB")

        if args.minutes > 0:
            print(f"recording {args.minutes:g} minutes for memory ...", flush=True)
            folder, _, peak, samples = run_recorder(args.minutes * 60, args.size, args.fps, tmp / "long",
                                                    sample_every=2.0)
            first = [mb for t, mb in samples if t <= 60] or [0]
            last = [mb for t, mb in samples if t >= samples[-1][0] - 60] or [0]
            print(f"peak memory over {args.minutes:g} min: {peak:.0f} MB (aim: under 300 MB);"
                  f" first minute avg {sum(first) / len(first):.0f} MB, last minute avg {sum(last) / len(last):.0f} MB")
            entries = read_index(folder)
            stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"][-1]
            print(f"frames expected {round(args.minutes * 60 * args.fps)}, written {sum(e.frames for e in entries)},"
                  f" dropped {stopped['dropped']}")
            offset = av_offset(folder)
            print("audio-video offset at the end: " + ("no beeps found" if offset is None else
                                                        f"{offset * 1000:.0f} ms (aim: within 100 ms)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

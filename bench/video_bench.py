"""Recording benchmark: frames kept, CPU against the ffmpeg command line, memory over a long run.

    python bench/video_bench.py [--quick] [--seconds 60] [--minutes 10] [--size 640x480] [--fps 30]

1. Records `--seconds` of the synthetic source with the synthetic tone through
   `roleplay record` in a subprocess: frames expected, written, dropped; CPU seconds
   per recorded minute (the whole process, Python start-up included); the
   audio-video offset in the last segments.
2. Encodes the same frames with the ffmpeg binary from the imageio-ffmpeg wheel,
   same codecs and settings (libx264 veryfast crf 28 yuv420p, x264 threads auto
   with frame threading, libopus 48 kHz mono 48 kb/s, 1.5 s Matroska segments),
   and prints the CPU ratio.
   Both sides pay for producing the frames: the recorder draws its own, and
   ffmpeg is charged the CPU this script spends drawing the same frames.
   The headline baseline feeds ffmpeg in real time, 1/fps apart, as a camera
   would: a live recorder cannot encode faster than the frames come, and on
   this kind of machine a frame handled after a 33 ms sleep costs markedly more
   than one in a tight loop (cold caches, page faults, thread wake-ups). The
   figure against ffmpeg fed as fast as the pipe goes is printed as well.
3. Records `--minutes` and samples the recorder's memory: peak and first/last
   minute (flatness), CPU per minute over the long run, and the audio-video
   offset at its end (0 skips it).

`--quick` is a smoke run of about 20 s: 15 s recorded, the real-time ffmpeg
baseline, no long run.
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
AIM_RATIO = 1.3
AIM_MEMORY_MB = 300
AIM_OFFSET_S = 0.1


def run_recorder(seconds: float, size: str, fps: int, out: Path, sample_every: float = 1.0):
    """Run `record` in a child; return (folder, cpu seconds, peak RSS MB, RSS samples [(t, MB)])."""
    command = [sys.executable, "-m", "roleplay", "record", "--source", f"synthetic:{size}@{fps}",
               "--audio", "synthetic", "--seconds", str(seconds), "--out", str(out), "--consent-all"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, float]] = []
    started = time.monotonic()
    done = threading.Event()

    def sample():
        while not done.wait(sample_every):
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
                samples.append((time.monotonic() - started, rss))
            except (OSError, AttributeError):
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"the recorder failed ({process.returncode}): {stderr.strip()}")
    folder = Path(re.search(r"session folder: (.+)", stdout).group(1))
    return folder, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, samples


def startup_cpu() -> float:
    """CPU seconds a Python process spends starting and importing the recorder (no recording)."""
    process = subprocess.Popen([sys.executable, "-c", "import roleplay.video.commands, roleplay.video.recorder"],
                               cwd=REPO)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def run_ffmpeg(frames: int, size: str, fps: int, out: Path, paced: bool) -> tuple[float, float]:
    """Encode `frames` synthetic frames with ffmpeg, fed 1/fps apart if `paced`;
    return (ffmpeg CPU s, CPU s this process spent drawing the frames)."""
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
        "-threads", "0",  # auto, with ffmpeg's default frame threading: as SegmentEncoder sets it
        "-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
        "-c:a", "libopus", "-b:a", str(OPUS_BIT_RATE), "-ac", "1", "-ar", "48000",
        "-f", "segment", "-segment_time", str(SEGMENT_SECONDS), "-segment_format", "matroska",
        "-reset_timestamps", "1", str(out / "ff-%06d.mkv"),
    ]
    out.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    source = SyntheticSource(width, height, fps)
    source.open()
    drawing = 0.0
    start = time.monotonic()
    for number in range(frames):
        if paced:
            delay = start + number / fps - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        before = time.thread_time()
        image = source._draw(number, number / fps)
        drawing += time.thread_time() - before
        try:
            process.stdin.write(image.tobytes())
        except BrokenPipeError:
            break
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


def report_take(folder: Path, seconds: float, fps: int) -> tuple[int, float]:
    """Print frames expected/written/dropped and the A/V offset; return (frames written, recorded minutes)."""
    entries = read_index(folder)
    written = sum(e.frames for e in entries)
    stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"][-1]
    expected = round(seconds * fps)
    print(f"  frames: expected {expected}, written {written}, dropped {stopped['dropped']}"
          f" (not delivered by the source: {max(0, expected - written - stopped['dropped'])})")
    print(f"  on disk: {sum(e.bytes for e in entries) / 1e6:.1f} MB in {len(entries)} segments,"
          f" {sum(e.end - e.start for e in entries):.1f} s")
    offset = av_offset(folder)
    print("  audio-video offset at the end: " + ("no beeps found" if offset is None else
          f"{offset * 1000:.0f} ms (aim: within {AIM_OFFSET_S * 1000:.0f} ms)"
          f" {'ok' if offset <= AIM_OFFSET_S else 'MISSED'}"))
    return written, sum(e.end - e.start for e in entries) / 60


def memory_line(samples: list[tuple[float, float]], peak: float) -> str:
    if not samples:
        return f"  memory: peak {peak:.0f} MB"
    end = samples[-1][0]
    first = [mb for t, mb in samples if t <= min(60, end / 2)]
    last = [mb for t, mb in samples if t >= max(end - 60, end / 2)]
    first_avg, last_avg = sum(first) / len(first), sum(last) / len(last)
    verdict = "ok" if peak < AIM_MEMORY_MB else "MISSED"
    return (f"  memory: peak RSS {peak:.0f} MB (aim: under {AIM_MEMORY_MB} MB) {verdict};"
            f" first minute avg {first_avg:.0f} MB, last minute avg {last_avg:.0f} MB"
            f" (growth {last_avg - first_avg:+.0f} MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 15 s recorded, no long memory run (overrides --seconds/--minutes)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the frames/CPU run (default 60)")
    parser.add_argument("--minutes", type=float, default=10, help="length of the memory run; 0 skips it (default 10)")
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--no-batch", action="store_true", help="skip the ffmpeg run fed as fast as the pipe goes")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.minutes, args.no_batch = 15, 0, True

    with tempfile.TemporaryDirectory(prefix="video-bench-") as tmp:
        tmp = Path(tmp)
        print(f"recording synthetic {args.size} at {args.fps} fps with sound for {args.seconds:g} s ...", flush=True)
        folder, cpu, peak, samples = run_recorder(args.seconds, args.size, args.fps, tmp / "rec")
        written, recorded_minutes = report_take(folder, args.seconds, args.fps)
        print(memory_line(samples, peak))
        startup = startup_cpu()

        ours = cpu / recorded_minutes
        ff_minutes = written / args.fps / 60
        print(f"ffmpeg on the same {written} frames, fed in real time ...", flush=True)
        ff_cpu, drawing = run_ffmpeg(written, args.size, args.fps, tmp / "ff", paced=True)
        theirs = (ff_cpu + drawing) / ff_minutes
        ratio = ours / theirs
        print(f"CPU s per recorded minute: recorder {ours:.2f} (of which Python start-up {startup:.2f} s per run);"
              f" ffmpeg {ff_cpu / ff_minutes:.2f} + drawing the frames {drawing / ff_minutes:.2f} = {theirs:.2f}")
        print(f"CPU ratio recorder / ffmpeg (real time): {ratio:.2f}x (aim: at most {AIM_RATIO}x)"
              f" {'ok' if ratio <= AIM_RATIO else 'MISSED'}")
        if not args.no_batch:
            ff_cpu, drawing = run_ffmpeg(written, args.size, args.fps, tmp / "ff-batch", paced=False)
            batch = (ff_cpu + drawing) / ff_minutes
            print(f"  for reference, ffmpeg fed as fast as the pipe goes: {ff_cpu / ff_minutes:.2f}"
                  f" + drawing {drawing / ff_minutes:.2f} = {batch:.2f} CPU s per minute;"
                  f" ratio {ours / batch:.2f}x")

        if args.minutes > 0:
            seconds = args.minutes * 60
            print(f"recording {args.minutes:g} minutes for memory ...", flush=True)
            folder, cpu, peak, samples = run_recorder(seconds, args.size, args.fps, tmp / "long", sample_every=2.0)
            _, minutes = report_take(folder, seconds, args.fps)
            print(memory_line(samples, peak))
            print(f"  CPU s per recorded minute over the long run: {cpu / minutes:.2f}"
                  f" (ratio to the real-time ffmpeg figure above: {cpu / minutes / theirs:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

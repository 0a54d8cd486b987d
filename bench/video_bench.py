"""Recording benchmark: CPU against ffmpeg, frames kept, audio-video offset and memory over ten minutes.

    python bench/video_bench.py [--quick] [--seconds 60] [--runs 3] [--minutes 10] [--size 1280x720]
                                [--fps 30] [--batch] [--json FILE]

Every recording here is of camera-like frames (bench/camera_like.py: a textured room, a moving person,
drifting light, sensor noise on every pixel) with the synthetic tone, through `roleplay record` in a
child process; the ffmpeg baseline is fed exactly the same frames.

1. `record_cpu_ratio_720p` (goal <= 1.1): `--seconds` recorded at 1280x720, 30 fps, with sound; CPU
   of the whole recorder process (Python start-up included) per recorded minute, against the ffmpeg
   binary from the imageio-ffmpeg wheel with the same codecs and settings (libx264 veryfast crf 28
   yuv420p, x264 threads auto with frame threading, libopus 48 kHz mono 48 kb/s, 1.5 s Matroska
   segments) fed the same frames in real time, 1/fps apart, as a camera would. ffmpeg is charged the
   CPU this script spends drawing its frames, as the recorder draws its own. Recorder and ffmpeg
   alternate, `--runs` pairs (3; quick 1); the figure is the median of the pairs' ratios. `--batch`
   also prints ffmpeg fed as fast as the pipe goes, for reference.
2. Over `--minutes` (10; quick: none, the figures below then come from the CPU runs):
   `record_dropped_frames` (goal 0), `record_av_offset_ms` (goal < 40: the worst distance between a
   beep and its marked frame in the last segments), `record_memory_growth` (goal <= 1.1: the
   recorder's mean RSS in the last minute over the first).
"""

from __future__ import annotations

import argparse
import json
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
sys.path.insert(0, str(REPO / "bench"))

from camera_like import CameraLikeSource  # noqa: E402
from figures import limit_figure, ratio_figure  # noqa: E402

from roleplay.core.log import read_log  # noqa: E402
from roleplay.video.segments import OPUS_BIT_RATE, X264_OPTIONS, read_index  # noqa: E402

SEGMENT_SECONDS = 1.5
CPU_GOAL = 1.1  # recorder CPU / ffmpeg CPU
AIM_MEMORY_MB = 300
OFFSET_GOAL_MS = 40
GROWTH_GOAL = 1.1  # last minute's memory / first minute's


def run_recorder(seconds: float, size: str, fps: int, out: Path, sample_every: float = 1.0):
    """Run `record` on camera-like frames in a child; return (folder, cpu seconds, peak RSS MB, RSS samples [(t, MB)])."""
    command = [sys.executable, str(REPO / "bench" / "camera_like.py"), "record", "--source", f"synthetic:{size}@{fps}",
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
    """Encode `frames` camera-like frames with ffmpeg, fed 1/fps apart if `paced`;
    return (ffmpeg CPU s, CPU s this process spent drawing the frames)."""
    import imageio_ffmpeg

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
    source = CameraLikeSource(width, height, fps)
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


def report_take(folder: Path, seconds: float, fps: int) -> tuple[int, float, int, float | None]:
    """Print frames expected/written/dropped and the A/V offset;
    return (frames written, recorded minutes, frames dropped, offset in ms or None)."""
    entries = read_index(folder)
    written = sum(e.frames for e in entries)
    stopped = [e.data for e in read_log(folder) if e.type == "recording_stopped"][-1]
    expected = round(seconds * fps)
    missing = max(0, expected - written - stopped["dropped"])  # never delivered: the source fell behind
    print(f"  frames: expected {expected}, written {written}, dropped {stopped['dropped']}"
          f" (not delivered by the source: {missing})")
    print(f"  on disk: {sum(e.bytes for e in entries) / 1e6:.1f} MB in {len(entries)} segments,"
          f" {sum(e.end - e.start for e in entries):.1f} s")
    offset = av_offset(folder)
    offset_ms = None if offset is None else offset * 1000
    print("  audio-video offset at the end: " + ("no beeps found" if offset_ms is None else
          f"{offset_ms:.0f} ms (goal: under {OFFSET_GOAL_MS} ms) {'ok' if offset_ms < OFFSET_GOAL_MS else 'MISSED'}"))
    return written, sum(e.end - e.start for e in entries) / 60, stopped["dropped"] + missing, offset_ms


def memory_growth(samples: list[tuple[float, float]]) -> float | None:
    """Mean RSS of the last minute over the first (None: too short a run to tell)."""
    if not samples or samples[-1][0] < 120:
        return None
    end = samples[-1][0]
    first = [mb for t, mb in samples if t <= 60]
    last = [mb for t, mb in samples if t >= end - 60]
    return (sum(last) / len(last)) / (sum(first) / len(first))


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


def cpu_pair(seconds: float, size: str, fps: int, tmp: Path, n: int, batch: bool) -> tuple[float, float, int, float | None]:
    """One recording and its ffmpeg baseline; return (recorder and ffmpeg CPU s per minute, frames dropped, offset ms)."""
    print(f"recording camera-like {size} at {fps} fps with sound for {seconds:g} s (run {n}) ...", flush=True)
    folder, cpu, peak, samples = run_recorder(seconds, size, fps, tmp / f"rec-{n}")
    written, recorded_minutes, dropped, offset = report_take(folder, seconds, fps)
    print(memory_line(samples, peak))
    ours = cpu / recorded_minutes
    ff_minutes = written / fps / 60
    print(f"ffmpeg on the same {written} frames, fed in real time ...", flush=True)
    ff_cpu, drawing = run_ffmpeg(written, size, fps, tmp / f"ff-{n}", paced=True)
    theirs = (ff_cpu + drawing) / ff_minutes
    ratio = ours / theirs
    print(f"  CPU s per recorded minute: recorder {ours:.2f}; ffmpeg {ff_cpu / ff_minutes:.2f}"
          f" + drawing the frames {drawing / ff_minutes:.2f} = {theirs:.2f}: ratio {ratio:.2f}x")
    if batch:
        ff_cpu, drawing = run_ffmpeg(written, size, fps, tmp / f"ff-batch-{n}", paced=False)
        fast = (ff_cpu + drawing) / ff_minutes
        print(f"  for reference, ffmpeg fed as fast as the pipe goes: {fast:.2f} CPU s per minute;"
              f" ratio {ours / fast:.2f}x")
    return ours, theirs, dropped, offset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: one 15 s pair, no long run (overrides --seconds/--runs/--minutes)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each CPU run (default 60)")
    parser.add_argument("--runs", type=int, default=3, help="recorder/ffmpeg pairs; the median counts (default 3)")
    parser.add_argument("--minutes", type=float, default=10, help="length of the long run; 0 skips it (default 10)")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--batch", action="store_true", help="also run ffmpeg fed as fast as the pipe goes")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.runs, args.minutes = 15, 1, 0

    with tempfile.TemporaryDirectory(prefix="video-bench-") as tmp:
        tmp = Path(tmp)
        print(f"Python start-up and imports of the recorder: {startup_cpu():.2f} CPU s per run (counted)")
        pairs = [cpu_pair(args.seconds, args.size, args.fps, tmp, n + 1, args.batch) for n in range(args.runs)]
        pairs.sort(key=lambda pair: pair[0] / pair[1])
        ours, theirs = pairs[(len(pairs) - 1) // 2][:2]  # the pair with the median ratio
        ratio = ours / theirs
        print(f"record_cpu_ratio: {ratio:.2f}x, median of {len(pairs)} (goal <= {CPU_GOAL}x)"
              f" {'ok' if ratio <= CPU_GOAL else 'MISSED'}")
        dropped = max(d for _, _, d, _ in pairs)
        offsets = [o for _, _, _, o in pairs if o is not None]
        offset = max(offsets) if offsets else None
        growth = None
        if args.minutes > 0:
            seconds = args.minutes * 60
            print(f"recording {args.minutes:g} minutes for frames, offset and memory ...", flush=True)
            folder, cpu, peak, samples = run_recorder(seconds, args.size, args.fps, tmp / "long", sample_every=2.0)
            _, minutes, dropped, offset = report_take(folder, seconds, args.fps)
            print(memory_line(samples, peak))
            growth = memory_growth(samples)
            print(f"  CPU s per recorded minute over the long run: {cpu / minutes:.2f}")
        long_run = f"{args.minutes:g} min" if args.minutes > 0 else f"{args.seconds:g} s"
        print(f"record_dropped_frames ({long_run}): {dropped} (goal 0); record_av_offset_ms: "
              + ("not found" if offset is None else f"{offset:.0f} (goal < {OFFSET_GOAL_MS})")
              + "; record_memory_growth: " + ("full run only" if growth is None else f"{growth:.3f} (goal <= {GROWTH_GOAL})"))
    if args.json:
        size = args.size.split("x")[1] + "p"
        ratio_name = "record_cpu_ratio_720p" if size == "720p" else f"record_cpu_ratio_{size}"
        figures = {
            ratio_name: ratio_figure(ours, theirs, "CPU s per minute", CPU_GOAL, digits=3),
            "record_dropped_frames": limit_figure(dropped, "frames", 0),
            "record_av_offset_ms": limit_figure(offset, "ms", OFFSET_GOAL_MS),
            "record_memory_growth": limit_figure(growth, "", GROWTH_GOAL),
        }
        Path(args.json).write_text(json.dumps({"figures": figures}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

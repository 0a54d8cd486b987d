"""Recording benchmark: CPU against ffmpeg, frames kept, audio-video offset and memory over ten minutes.

    python bench/video_bench.py [--quick] [--minutes 10] [--seconds 60] [--runs 3] [--size 1280x720]
                                [--fps 30] [--batch] [--json FILE]

Every recording here is of camera-like frames (bench/camera_like.py: a textured room, a moving person,
drifting light, sensor noise on every pixel) with the synthetic tone, through `roleplay record` in a
child process; the ffmpeg baseline is fed exactly the same frames.

One recording of `--minutes` (10; quick: 20 s) at 1280x720, 30 fps, with sound, gives every figure:

1. `record_cpu_ratio_720p` (goal <= 1.1): the recorder's CPU (the whole process, every thread, read from
   /proc) in `--runs` windows of `--seconds` spread over the recording (3 of 60 s; quick: one of 15 s),
   per recorded minute; Python's start-up is printed apart, not counted. Against the ffmpeg binary from
   the imageio-ffmpeg wheel with the same codecs and settings (libx264 veryfast crf 28 yuv420p, x264
   threads auto with frame threading, libopus 48 kHz mono 48 kb/s, 1.5 s Matroska segments) fed the
   same frames in real time, 1/fps apart, as a camera would, for `--seconds`, once per window; ffmpeg is
   charged the CPU this script spends drawing its frames, as the recorder draws its own. The figure is
   the median of the windows' ratios. `--batch` also prints ffmpeg fed as fast as the pipe goes.
2. `record_dropped_frames` (goal 0), `record_av_offset_ms` (goal < 40: the worst distance between a
   beep and its marked frame in the last segments), `record_memory_growth` (goal <= 1.1: the recorder's
   mean RSS in the last minute over the first; needs at least two minutes, so the full run only).
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
    """Run `record` on camera-like frames in a child; return (folder, cpu seconds, peak RSS MB,
    samples [(t, RSS MB, CPU s so far)])."""
    command = [sys.executable, str(REPO / "bench" / "camera_like.py"), "record", "--source", f"synthetic:{size}@{fps}",
               "--audio", "synthetic", "--seconds", str(seconds), "--out", str(out), "--consent-all"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, float, float]] = []
    started = time.monotonic()
    done = threading.Event()
    tick = os.sysconf("SC_CLK_TCK")

    def sample():
        while not done.wait(sample_every):
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                stat = Path(f"/proc/{process.pid}/stat").read_text()
                rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
                fields = stat[stat.rindex(")") + 2:].split()  # after the command's name, which may hold spaces
                cpu = (int(fields[11]) + int(fields[12])) / tick  # utime + stime of every thread
                samples.append((time.monotonic() - started, rss, cpu))
            except (OSError, AttributeError, ValueError, IndexError):
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


def memory_growth(samples: list[tuple[float, float, float]]) -> float | None:
    """Mean RSS of the last minute over the first (None: too short a run to tell)."""
    if not samples or samples[-1][0] < 120:
        return None
    end = samples[-1][0]
    first = [mb for t, mb, _ in samples if t <= 60]
    last = [mb for t, mb, _ in samples if t >= end - 60]
    return (sum(last) / len(last)) / (sum(first) / len(first))


def memory_line(samples: list[tuple[float, float, float]], peak: float) -> str:
    if not samples:
        return f"  memory: peak {peak:.0f} MB"
    end = samples[-1][0]
    first = [mb for t, mb, _ in samples if t <= min(60, end / 2)]
    last = [mb for t, mb, _ in samples if t >= max(end - 60, end / 2)]
    first_avg, last_avg = sum(first) / len(first), sum(last) / len(last)
    verdict = "ok" if peak < AIM_MEMORY_MB else "MISSED"
    return (f"  memory: peak RSS {peak:.0f} MB (aim: under {AIM_MEMORY_MB} MB) {verdict};"
            f" first minute avg {first_avg:.0f} MB, last minute avg {last_avg:.0f} MB"
            f" (growth {last_avg - first_avg:+.0f} MB)")


def cpu_between(samples: list[tuple[float, float, float]], start: float, end: float) -> float:
    """The recorder's CPU seconds between `start` and `end` s of its run (samples once a second, interpolated)."""
    def at(t: float) -> float:
        before = max((x for x in samples if x[0] <= t), key=lambda x: x[0])
        after = min((x for x in samples if x[0] >= t), key=lambda x: x[0])
        if after[0] == before[0]:
            return before[2]
        return before[2] + (after[2] - before[2]) * (t - before[0]) / (after[0] - before[0])

    return at(end) - at(start)


def windows(total: float, length: float, count: int) -> list[tuple[float, float]]:
    """`count` windows of `length` s spread over a run of `total` s, clear of its first and last seconds."""
    first, last = min(30.0, total * 0.15), total - min(10.0, total * 0.1) - length
    if count == 1 or last <= first:
        return [(first, first + length)]
    return [(first + i * (last - first) / (count - 1), first + i * (last - first) / (count - 1) + length)
            for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 20 s recorded, one 15 s window (overrides --minutes/--seconds/--runs)")
    parser.add_argument("--minutes", type=float, default=10, help="length of the recording (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each CPU window (default 60)")
    parser.add_argument("--runs", type=int, default=3, help="CPU windows, each with its ffmpeg run; the median counts")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--batch", action="store_true", help="also run ffmpeg fed as fast as the pipe goes")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.minutes, args.seconds, args.runs = 20 / 60, 15, 1
    total = args.minutes * 60
    spans = windows(total, args.seconds, args.runs)

    with tempfile.TemporaryDirectory(prefix="video-bench-") as tmp:
        tmp = Path(tmp)
        print(f"Python start-up and imports of the recorder: {startup_cpu():.2f} CPU s per run (not counted)")
        print(f"recording camera-like {args.size} at {args.fps} fps with sound for {total:g} s ...", flush=True)
        folder, cpu, peak, samples = run_recorder(total, args.size, args.fps, tmp / "rec")
        _, minutes, dropped, offset = report_take(folder, total, args.fps)
        print(memory_line(samples, peak))
        growth = memory_growth(samples)
        print(f"  CPU s per recorded minute over the whole run (start-up included): {cpu / minutes:.2f}")
        ratios = []
        for n, (start, end) in enumerate(spans, 1):
            ours = cpu_between(samples, start, end) / ((end - start) / 60)
            frames = round((end - start) * args.fps)
            print(f"ffmpeg on {frames} camera-like frames, fed in real time (window {n}: {start:.0f}-{end:.0f} s) ...",
                  flush=True)
            ff_cpu, drawing = run_ffmpeg(frames, args.size, args.fps, tmp / f"ff-{n}", paced=True)
            ff_minutes = frames / args.fps / 60
            theirs = (ff_cpu + drawing) / ff_minutes
            ratios.append((ours / theirs, ours, theirs))
            print(f"  CPU s per recorded minute: recorder {ours:.2f}; ffmpeg {ff_cpu / ff_minutes:.2f}"
                  f" + drawing the frames {drawing / ff_minutes:.2f} = {theirs:.2f}: ratio {ours / theirs:.2f}x")
            if args.batch and n == 1:
                ff_cpu, drawing = run_ffmpeg(frames, args.size, args.fps, tmp / "ff-batch", paced=False)
                fast = (ff_cpu + drawing) / ff_minutes
                print(f"  for reference, ffmpeg fed as fast as the pipe goes: {fast:.2f} CPU s per minute;"
                      f" ratio {ours / fast:.2f}x")
        ratios.sort()
        ratio, ours, theirs = ratios[(len(ratios) - 1) // 2]  # the window with the median ratio
        print(f"record_cpu_ratio: {ratio:.2f}x, median of {len(ratios)} (goal <= {CPU_GOAL}x)"
              f" {'ok' if ratio <= CPU_GOAL else 'MISSED'}")
        print(f"record_dropped_frames ({total:g} s): {dropped} (goal 0); record_av_offset_ms: "
              + ("not found" if offset is None else f"{offset:.0f} (goal < {OFFSET_GOAL_MS})")
              + "; record_memory_growth: " + ("full run only" if growth is None else f"{growth:.3f} (goal <= {GROWTH_GOAL})"))
    if args.json:
        height = args.size.split("x")[1]
        figures = {
            f"record_cpu_ratio_{height}p": ratio_figure(ours, theirs, "CPU s per minute", CPU_GOAL, digits=3),
            "record_dropped_frames": limit_figure(dropped, "frames", 0),
            "record_av_offset_ms": limit_figure(offset, "ms", OFFSET_GOAL_MS),
            "record_memory_growth": limit_figure(growth, "", GROWTH_GOAL),
        }
        Path(args.json).write_text(json.dumps({"figures": figures}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

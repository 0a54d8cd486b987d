"""Replay benchmark: seeking to markers in a 60-minute recording, and terminal drawing speed.

    python bench/replay_bench.py [--size 640x480] [--fps 30] [--minutes 60]

Building the 60-minute recording: a few seconds are really recorded (synthetic
source and tone, the app's recorder), then its full 1.5 s segments are
hard-linked under new names and listed in a new index with start/end times
moved on 1.5 s each, until the index spans `--minutes`. Each copy is a
real, complete H.264 segment, so a seek does exactly the work it would do in
a real hour-long session (index lookup, read, decode up to the target); only
the picture repeats. A marker is logged every 30 s.

1. Seek to a marker: `Player.frame_at` for 40 markers spread over the hour.
   Baseline: decoding from the start of the recording up to the marker with
   `Recording.frames()` (what replay would do without the index), measured to
   the first marker after 60 s and scaled linearly to the average marker.
2. Terminal drawing at 100x30 cells: decode + fit + half-block cells + the
   escape codes a terminal receives, as fast as it goes. Baseline: the same
   frames drawn cell by cell through Rich `Text` with a style string per cell.
   Then real-time playback at 2x through `run_playback` with that drawing:
   frames shown, dropped, and how late the latest shown frame was (no queue).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from roleplay.core.clock import Clock  # noqa: E402
from roleplay.core.log import SessionLog, new_session_folder  # noqa: E402
from roleplay.video.audio import SyntheticTone  # noqa: E402
from roleplay.video.segments import read_index  # noqa: E402
from roleplay.video.sources import SyntheticSource  # noqa: E402

SEGMENT = 1.5
CELLS = (100, 30)


def record_seed(root: Path, width: int, height: int, fps: int) -> Path:
    from roleplay.video.recorder import Recorder

    clock = Clock()
    folder = new_session_folder(root, "bench", clock)
    log = SessionLog(folder, clock)
    log.append("session_started", {"scenario": "bench", "participants": []})
    log.append("consent_all", {"given_outside_app": True, "participants": []})
    recorder = Recorder(folder, log, SyntheticSource(width, height, fps, clock), audio=SyntheticTone(clock),
                        clock=clock)
    recorder.start()
    while recorder.status().segments < 3:
        time.sleep(0.05)
    recorder.stop()
    log.close()
    return folder


def build_hour(seed: Path, root: Path, minutes: float) -> Path:
    """A session folder whose index lists `minutes` of hard-linked copies of the seed's full segments."""
    full = [e for e in read_index(seed) if abs((e.end - e.start) - SEGMENT) < 0.01 and e.frames > 1][:2]
    folder = root / "hour"
    (folder / "video").mkdir(parents=True)
    count = int(minutes * 60 / SEGMENT)
    base = full[0].start
    lines = []
    for n in range(count):
        source = full[n % len(full)]
        shift = base + n * SEGMENT - source.start
        name = f"seg-{n + 1:06d}.mkv"
        try:
            os.link(seed / "video" / source.file, folder / "video" / name)
        except OSError:
            (folder / "video" / name).write_bytes((seed / "video" / source.file).read_bytes())
        entry = asdict(source) | {"segment": n + 1, "file": name, "take": 1, "start": source.start + shift,
                                  "end": source.end + shift, "first_frame": source.first_frame + shift,
                                  "last_frame": source.last_frame + shift}
        lines.append(json.dumps(entry))
    (folder / "video" / "index.jsonl").write_text("\n".join(lines) + "\n")
    events = [{"seq": 1, "wall": 0.0, "mono": base, "type": "session_started",
               "data": {"scenario": "bench", "participants": []}}]
    for k in range(1, int(minutes * 2)):
        events.append({"seq": k + 1, "wall": 0.0, "mono": base + 30 * k + 0.37, "type": "marker",
                       "data": {"label": f"m{k}", "phase": "scene"}})
    (folder / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    return folder


def bench_seek(folder: Path) -> dict:
    from roleplay.video.player import Player
    from roleplay.video.reader import Recording

    started = time.perf_counter()
    player = Player(folder)
    open_ms = (time.perf_counter() - started) * 1000
    marks = player.timeline.marks
    chosen = [marks[round(i * (len(marks) - 1) / 39)] for i in range(40)] if len(marks) >= 40 else marks
    times, errors = [], []
    for mark in chosen:
        started = time.perf_counter()
        frame = player.frame_at(mark.at)
        times.append((time.perf_counter() - started) * 1000)
        errors.append(mark.at - frame.at)
    target = next(m for m in marks if m.at >= 60)
    started = time.perf_counter()
    for frame in Recording(folder).frames():
        if frame.time - player.timeline.spans[0].start >= target.at:
            break
    linear_ms = (time.perf_counter() - started) * 1000
    mean_at = statistics.mean(m.at for m in chosen)
    baseline_ms = linear_ms * mean_at / target.at
    return {"marks": len(chosen), "segments": len(player.entries), "open_ms": open_ms,
            "median_ms": statistics.median(times), "max_ms": max(times), "max_error_s": max(errors),
            "baseline_ms": baseline_ms, "linear_ms": linear_ms, "linear_to_s": target.at, "mean_at": mean_at}


def bench_draw(folder: Path, frames: int = 150) -> dict:
    from rich.console import Console
    from rich.text import Text
    from textual.strip import Strip

    from roleplay.video.halfblock import UPPER_HALF, cell_colours, segment_lines
    from roleplay.video.player import Player

    player = Player(folder)
    cols, rows = CELLS
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, color_system="truecolor", width=cols, legacy_windows=False)

    def ours(frame):
        for line in segment_lines(frame.image, cols, rows):
            sink.write(Strip(line).render(console))

    def naive(frame):
        upper, lower = cell_colours(frame.image, cols, rows)
        text = Text()
        for top_row, bottom_row in zip(upper.tolist(), lower.tolist()):
            for t, b in zip(top_row, bottom_row):
                text.append(UPPER_HALF, style=f"rgb({t[0]},{t[1]},{t[2]}) on rgb({b[0]},{b[1]},{b[2]})")
            text.append("\n")
        console.print(text, end="")

    results = {}
    for name, draw in (("ours", ours), ("baseline", naive)):
        source = player.frames_from(0.0)
        started = time.perf_counter()
        for _ in range(frames):
            draw(next(source))
            sink.seek(0)
            sink.truncate()
        results[name] = frames / (time.perf_counter() - started)

    # Real time at 2x: frames come due twice as fast as recorded.
    from roleplay.video.player import Playback, PlaybackStats, run_playback

    playback = Playback(player.duration)
    playback.set_speed(2.0)
    stop = threading.Event()
    stats = PlaybackStats()
    lateness = []

    def show(frame):
        ours(frame)
        sink.seek(0)
        sink.truncate()
        lateness.append(playback.position() - frame.at)

    worker = threading.Thread(target=run_playback, args=(player, playback, show, stop, stats))
    playback.play()
    worker.start()
    time.sleep(10)
    stop.set()
    playback.wake()
    worker.join()
    results.update(shown=stats.shown, dropped=stats.dropped, seconds=10.0, speed=2.0,
                   late_p95_ms=statistics.quantiles(lateness, n=20)[-1] * 1000 / 2 if len(lateness) > 20 else 0,
                   late_max_ms=max(lateness) * 1000 / 2)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=60)
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"recording a seed of {args.size}@{args.fps} ...", flush=True)
        seed = record_seed(root / "seed", width, height, args.fps)
        hour = build_hour(seed, root, args.minutes)
        seek = bench_seek(hour)
        print(f"\n1. seek to a marker in a {args.minutes:g}-minute recording ({seek['segments']} segments, "
              f"{args.size}@{args.fps}, {seek['marks']} markers)")
        print(f"   open (index + log):  {seek['open_ms']:.0f} ms")
        print(f"   seek: median {seek['median_ms']:.1f} ms, max {seek['max_ms']:.1f} ms (aim < 150 ms); "
              f"lands at most {seek['max_error_s'] * 1000:.0f} ms before the marker")
        print(f"   baseline, decoding from the start (Recording.frames): {seek['linear_ms']:.0f} ms to "
              f"{seek['linear_to_s']:.0f} s, so ~{seek['baseline_ms'] / 1000:.1f} s to an average marker "
              f"at {seek['mean_at'] / 60:.0f} min: index seek is {seek['baseline_ms'] / seek['median_ms']:.0f}x faster")
        draw = bench_draw(hour)
        print(f"\n2. drawing at {CELLS[0]}x{CELLS[1]} cells (decode + fit + cells + escape codes)")
        print(f"   ours: {draw['ours']:.1f} fps (aim >= 15); baseline, Rich Text with a style per cell: "
              f"{draw['baseline']:.1f} fps: {draw['ours'] / draw['baseline']:.1f}x")
        print(f"   real time at 2x for {draw['seconds']:.0f} s ({2 * args.fps} frames/s due): shown "
              f"{draw['shown']} ({draw['shown'] / draw['seconds']:.1f} fps), dropped {draw['dropped']}, "
              f"shown late by p95 {draw['late_p95_ms']:.0f} ms, max {draw['late_max_ms']:.0f} ms (wall time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

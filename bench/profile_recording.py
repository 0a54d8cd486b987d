"""Where a recording's CPU and the GIL go: every thread's CPU from /proc, and py-spy samples of the Python threads.

    python bench/profile_recording.py cpu [--seconds 30] [--warmup 8]    # `record`, camera-like 720p30 with sound
    python bench/profile_recording.py keys [--keys 40]                   # the recorded scene taking keys (as ui_bench)

Both run the program as `make bench` does (bench/camera_like.py) and, over a window once it is recording:
- read each thread's CPU (utime + stime in /proc/PID/task/TID/stat) at the start and the end of the window;
- sample the Python threads with py-spy (`--gil`: only the thread that holds the GIL is sampled, so the
  shares say who keeps the others, the UI thread among them, waiting), 200 times a second, without pausing
  the program (`--nonblocking`).
Threads py-spy does not see are the encoders' own (x264's frame and lookahead threads, FFmpeg's).
`cpu` also feeds ffmpeg the same frames in real time, as the bench's baseline, and splits its CPU the same way.
Needs the `bench` extra (py-spy) and Linux.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TICK = os.sysconf("SC_CLK_TCK")
RATE = 200  # samples a second


def thread_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of every live thread of `pid` so far, and under key 0 the whole process's (threads that
    ended included: the recorder starts an encoder, and x264 its threads, for every segment)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    out: dict[int, float] = {0: (int(fields[11]) + int(fields[12])) / TICK}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue  # the thread ended
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(task.name)] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def spent(before: dict[int, float], after: dict[int, float]) -> dict[int, float]:
    """Per-thread CPU between two readings; key 0: threads that ended in between or are not listed."""
    live = {tid: after[tid] - before.get(tid, 0.0) for tid in after if tid}
    live[0] = max(after[0] - before[0] - sum(live.values()), 0.0)
    return live


def thread_names(pid: int) -> dict[int, str]:
    """What the kernel calls each thread (x264 and FFmpeg name some of theirs; Python's keep the program's name)."""
    names = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            names[int(task.name)] = (task / "comm").read_text().strip()
        except OSError:
            continue
    return names


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")
    return found


class Window:
    """py-spy and the thread clock over `seconds` of a running process."""

    def __init__(self, pid: int, seconds: float, raw: Path, gil: bool) -> None:
        self.pid, self.seconds, self.raw = pid, seconds, raw
        command = [py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", str(RATE),
                   "--threads", "--nonblocking", "--format", "raw", "--output", str(raw)]
        if gil:
            command.append("--gil")
        self.before = thread_cpu(pid)
        self.started = time.monotonic()
        self.spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def finish(self) -> tuple[dict[int, float], dict[int, str], float]:
        """Per-thread CPU seconds over the window, thread names, the window's length."""
        _, err = self.spy.communicate(timeout=self.seconds + 60)
        after = thread_cpu(self.pid)
        names = thread_names(self.pid)
        elapsed = time.monotonic() - self.started
        if self.spy.returncode != 0 or not self.raw.exists():
            raise SystemExit(f"py-spy failed: {err.strip()[-400:]}")
        return spent(self.before, after), names, elapsed


def read_samples(raw: Path) -> tuple[dict[int, str], collections.Counter, dict[str, collections.Counter]]:
    """From py-spy's raw output: Python thread names by native id, samples per thread, and per thread the
    samples by the innermost frame of our own code or a library's."""
    names: dict[int, str] = {}
    per_thread: collections.Counter = collections.Counter()
    frames: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        parts = stack.split(";")
        match = re.match(r"thread \((\d+)\): ?(.*)", parts[0])
        if not match:
            continue
        tid, name = int(match.group(1)), match.group(2) or f"thread {match.group(1)}"
        names[tid] = name
        per_thread[name] += int(count)
        frames[name][innermost(parts[1:])] += int(count)
    return names, per_thread, frames


def innermost(frames: list[str]) -> str:
    """The innermost Python frame, with the nearest frame of roleplay's own code that led to it."""
    python = [f for f in frames if re.search(r"\(.*\.py:\d+\)$", f)]
    if not python:
        return frames[-1] if frames else "?"
    ours = [f for f in python if "roleplay/" in f or "bench/" in f]
    leaf = python[-1]
    return leaf if not ours or ours[-1] == leaf else f"{leaf}  <- {ours[-1]}"


def report(title: str, cpu: dict[int, float], names: dict[int, str], elapsed: float, raw: Path, gil: bool) -> None:
    python_names, samples, frames = read_samples(raw)
    total = sum(cpu.values())
    print(f"\n{title}: {total:.2f} CPU s in {elapsed:.1f} s ({60 * total / elapsed:.1f} CPU s a minute)")
    groups: dict[str, float] = collections.defaultdict(float)
    for tid, seconds in cpu.items():
        if tid == 0:
            label = "threads that ended in the window (each segment's encoder threads)"
        else:
            label = python_names.get(tid) or f"native: {names.get(tid, '?')}"
        groups[label] += seconds
    for label, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {seconds:7.2f} s  {100 * seconds / total:5.1f}%  {label}")
    all_samples = sum(samples.values())
    what = "holding the GIL" if gil else "active"
    print(f"  py-spy, {all_samples} samples of Python threads {what}:")
    for name, count in samples.most_common():
        print(f"    {count:6d}  {100 * count / max(all_samples, 1):5.1f}%  {name}")
        for frame, n in frames[name].most_common(6):
            print(f"             {100 * n / count:5.1f}%  {frame[:150]}")


def profile_cpu(seconds: float, warmup: float) -> None:
    import video_bench

    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, str(ROOT / "bench" / "camera_like.py"), "record", "--source", "synthetic:1280x720@30",
                   "--audio", "synthetic", "--seconds", str(warmup + seconds + 5), "--out", str(Path(tmp) / "rec"),
                   "--consent-all"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(warmup)  # a bench script, not a test: the recorder settles into its steady state
        if process.poll() is not None:
            raise SystemExit(f"the recorder stopped ({process.returncode}): {process.stderr.read().strip()[-400:]}")
        window = Window(process.pid, seconds, Path(tmp) / "recorder.txt", gil=True)
        cpu, names, elapsed = window.finish()
        report("recorder (roleplay record, 720p30 with sound)", cpu, names, elapsed, window.raw, gil=True)
        process.wait(timeout=120)

        # The baseline: ffmpeg fed the same frames in real time by a thread of this process.
        frames = int(30 * (warmup + seconds + 5))
        done = threading.Event()
        result: list[tuple[float, float]] = []

        def feed() -> None:
            result.append(video_bench.run_ffmpeg(frames, "1280x720", 30, Path(tmp) / "ff", paced=True))
            done.set()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        time.sleep(warmup)
        ffmpeg = next((int(p) for p in os.listdir("/proc") if p.isdigit() and _is_child_ffmpeg(int(p))), None)
        if ffmpeg is None:
            raise SystemExit("ffmpeg did not start (the bench's baseline: pip install -e '.[bench]')")
        before = thread_cpu(ffmpeg)
        started = time.monotonic()
        time.sleep(seconds)
        after = thread_cpu(ffmpeg)
        names = thread_names(ffmpeg)
        elapsed = time.monotonic() - started
        done.wait(timeout=warmup + seconds + 120)
        used = spent(before, after)
        total = sum(used.values())
        drawing = result[0][1] * seconds / (warmup + seconds + 5) if result else 0.0
        print(f"\nffmpeg fed in real time: {total:.2f} CPU s in {elapsed:.1f} s ({60 * total / elapsed:.1f} CPU s a "
              f"minute), plus about {drawing:.2f} s drawing its frames in this process (charged to it by the bench)")
        by_name: dict[str, float] = collections.defaultdict(float)
        for tid, value in used.items():
            by_name["threads that ended" if tid == 0 else "main" if tid == ffmpeg else names.get(tid, "?")] += value
        for label, value in sorted(by_name.items(), key=lambda item: -item[1]):
            print(f"  {value:7.2f} s  {100 * value / max(total, 1e-9):5.1f}%  {label}")


def _is_child_ffmpeg(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[1] == str(os.getpid()) and \
            "ffmpeg" in Path(f"/proc/{pid}/comm").read_text()
    except (OSError, IndexError):
        return False


def profile_keys(keys: int) -> None:
    import ui_bench
    from term import Term

    with tempfile.TemporaryDirectory() as tmp:
        env = ui_bench.environment(Path(tmp))
        root = Path(tmp) / "recorded"
        ui_bench.recorded_session(root)
        env = {**env, "ROLEPLAY_RECORDINGS": str(root)}
        app = [sys.executable, str(ROOT / "bench" / "camera_like.py"), "run",
               "--camera", "synthetic:1280x720@30", "--audio", "synthetic"]
        with Term(app, env=env, cwd=str(ROOT), quiet=0.1) as term:
            term.wait_for(["Resume a session?"], timeout=60)
            term.key("y")
            term.wait_for(["● REC 00:0"], timeout=60)
            term.wait_for(["● REC 00:05"], timeout=60)  # past the start: the recorder's steady state
            seconds = keys * 0.75 + 2
            window = Window(term.pid, seconds, Path(tmp) / "keys.txt", gil=True)
            times = []
            for n in range(keys):
                took = term.key(ui_bench.RECORDING_KEYS[n % len(ui_bench.RECORDING_KEYS)], tick=0.5)
                if took is not None:
                    times.append(took)
            cpu, names, elapsed = window.finish()
        print(f"{len(times)} keys, median {1000 * sorted(times)[len(times) // 2]:.0f} ms, "
              f"p95 {1000 * ui_bench.p95(times):.0f} ms (under py-spy)")
        report("the recorded scene taking keys", cpu, names, elapsed, window.raw, gil=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["cpu", "keys"])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args()
    if not Path("/proc/self/task").is_dir():
        raise SystemExit("needs Linux (/proc)")
    if args.what == "cpu":
        profile_cpu(args.seconds, args.warmup)
    else:
        profile_keys(args.keys)
    return 0


if __name__ == "__main__":
    sys.exit(main())

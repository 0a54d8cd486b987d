"""`make bench`: every figure is a ratio against a baseline run in the same script.

Absolute times on a shared machine mean little; ratios against a named
baseline measured alongside are what we track. The room's figures are the
exception: latencies a person feels, against absolute goals.

`--json FILE` also writes the figures as
`{"figures": {NAME: {"value", "unit", "baseline", "ratio", "goal", "ok"}}}`
(an absolute goal has baseline and ratio null), from this script's own
figures and from each part that takes `--json` (JSON_PARTS).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from figures import ratio_figure  # noqa: E402


def _best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_validate(count: int = 300, repeats: int = 3) -> dict:
    import yaml

    from roleplay.core.loader import forget_readings, load_scenario

    sources = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "tests" / "data" / "valid" / "branching.yaml"]
    texts = [p.read_text(encoding="utf-8") for p in sources]
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(count):
            text = texts[i % len(texts)]
            first_id = text.index("\nid: ") + 5
            end = text.index("\n", first_id)
            path = Path(tmp) / f"s{i:04d}.yaml"
            path.write_text(text[:first_id] + f"bench-{i:04d}" + text[end:], encoding="utf-8")
            files.append(path)

        def bare() -> None:
            for path in files:
                with open(path, "rb") as handle:
                    yaml.load(handle, Loader=yaml.CSafeLoader)

        def ours() -> None:
            forget_readings()  # each file is read, never found among the process's latest readings
            for path in files:
                result = load_scenario(path)
                assert result.ok, result.problems

        # Alternated, best of each: this shared machine's speed changes within minutes, and a block of
        # one after a block of the other once gave 2.22x where alternated runs gave 1.29-1.42x.
        baseline = measured = float("inf")
        for _ in range(repeats):
            baseline = min(baseline, _best(bare, 1))
            measured = min(measured, _best(ours, 1))
    size = sum(len(t) for t in texts) / len(texts) / 1024
    print(f"validate {count} scenario files (mean {size:.0f} KiB): {measured / baseline:.2f}x "
          f"bare yaml.load(CSafeLoader) of the same files (aim: at most 2x)")
    return {"validate_ratio": ratio_figure(measured, baseline, "s", 2)}


def roleplay_command() -> list[str]:
    """The installed `roleplay` command (a whole process, as a person runs it)."""
    script = Path(sys.executable).parent / "roleplay"
    return [str(script)] if script.exists() else [sys.executable, "-m", "roleplay"]


def _process_ratio(name: str, ours: list[str], bare: list[str], runs: int, goal: float | None,
                   fresh_cache: bool = False) -> dict:
    """Wall time of whole processes, ours against a bare Python import, interleaved (load hits both alike).

    `fresh_cache`: each of our runs gets an empty cache folder (XDG_CACHE_HOME), as on a first run."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ROLEPLAY_SCENARIOS", None)

    def timed(args: list[str], cache: str | None = None) -> float:
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT,
                       env={**env, "XDG_CACHE_HOME": cache} if cache else env)
        return time.perf_counter() - start

    base, mine = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs + 1):  # the first pair warms the file cache; it is not counted
            b = timed(bare)
            m = timed(ours, tempfile.mkdtemp(dir=tmp) if fresh_cache else None)
            if n:
                base.append(b)
                mine.append(m)
    figure = ratio_figure(statistics.median(mine), statistics.median(base), "s", goal)
    aim = f" (goal {figure['goal']})" if goal is not None else ""
    print(f"{name}: {figure['value'] * 1000:.0f} ms, `python -c \"{bare[-1]}\"` {figure['baseline'] * 1000:.0f} ms: "
          f"{figure['ratio']:.2f}x{aim} (median of {runs})")
    return figure


def bench_list(runs: int = 7) -> dict:
    roleplay = roleplay_command()
    yaml_only = [sys.executable, "-c", "import yaml"]
    return {
        "list_ratio": _process_ratio("`roleplay list`, cache warm", [*roleplay, "list"], yaml_only, runs, None),
        "list_cold_ratio": _process_ratio("`roleplay list`, empty cache", [*roleplay, "list"], yaml_only, runs, 2,
                                          fresh_cache=True),
        "validate_process_ratio": _process_ratio(
            "`roleplay validate scenarios/`", [*roleplay, "validate", "scenarios/"],
            [sys.executable, "-c", "import yaml, pydantic"], runs, 1.5),
    }


# Each part's own script, with the arguments of a full and of a quick run.
PARTS = {
    # In pseudo-terminals, against a bare Textual list app (bench/term.py, bench/bare_list.py).
    "ui": ("ui_bench.py", [], ["--runs", "3", "--keys", "12"]),
    # 10 minutes of camera-like 720p30 with sound: CPU in 3 windows of 60 s against ffmpeg, frames, offset, memory.
    "video": ("video_bench.py", ["--minutes", "10", "--seconds", "60", "--runs", "3"], ["--quick"]),
    # Seeks in a 60-minute camera-like recording, cold, and drawing at 100x30 cells.
    "replay": ("replay_bench.py", [], ["--minutes", "5"]),
    # 30 simulated phones on loopback through whole sessions (issue 11): a few seconds a session.
    "room": ("room_bench.py", ["--sessions", "3"], ["--sessions", "1"]),
}
# Parts whose script takes `--json FILE` and writes its figures there.
JSON_PARTS = {"ui", "room", "video", "replay"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument("--only", choices=["core", *PARTS], action="append")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    args = parser.parse_args()
    parts = args.only or ["core", *PARTS]
    figures: dict = {}
    started = time.monotonic()
    # As installed (pip compiles a package's bytecode when it installs it): a checkout whose environment
    # sets PYTHONDONTWRITEBYTECODE would otherwise compile the whole program in every timed process.
    compileall.compile_dir(str(ROOT / "roleplay"), quiet=1)
    if "core" in parts:
        print("== core", flush=True)
        figures.update(bench_validate(50 if args.quick else 300, 1 if args.quick else 3))
        figures.update(bench_list(2 if args.quick else 7))
        print(f"   (core: {time.monotonic() - started:.0f} s)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (script, full, quick) in PARTS.items():
            if name in parts:
                print(f"== {name}", flush=True)
                extra = ["--json", str(Path(tmp) / f"{name}.json")] if args.json and name in JSON_PARTS else []
                part_started = time.monotonic()
                subprocess.run([sys.executable, str(ROOT / "bench" / script), *(quick if args.quick else full), *extra],
                               cwd=ROOT, check=False)
                print(f"   ({name}: {time.monotonic() - part_started:.0f} s)", flush=True)
                if extra and Path(extra[1]).exists():
                    figures.update(json.loads(Path(extra[1]).read_text(encoding="utf-8"))["figures"])
    print(f"== all parts: {(time.monotonic() - started) / 60:.1f} min", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figures}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

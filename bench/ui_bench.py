"""UI benchmark: start-up against a bare Textual app, and key-press latency in a live session.

    python bench/ui_bench.py [--runs 5] [--keys 200]

1. Launch time: a fresh Python process starts, builds the app and runs it
   headless until the first interactive library screen (scenarios listed,
   list focused). The baseline is a bare Textual app showing one label, run
   the same way. Printed as a ratio (aim: <= 1.5x).
2. Key latency: in a live session (branching test scenario, scene phase),
   keys a trainer uses (tick, pause/resume, extend, note dialog open/close...)
   are posted one at a time; latency is from posting the key until the app has
   handled it and rendered (the message queues are empty). Printed as the 95th
   percentile (aim: < 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = r"""
import time, sys
t0 = float(sys.argv[1])
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(f"READY {time.perf_counter() - t0:.4f}", flush=True)
        self.exit()

Bare().run(headless=True, size=(100, 30))
"""

OURS = r"""
import time, sys
t0 = float(sys.argv[1])
from roleplay.ui.app import make_app
from roleplay.ui.screens.library import LibraryScreen

app = make_app()

interactive = None

def check():
    global interactive
    screen = app.screen
    if interactive is None and isinstance(screen, LibraryScreen) and screen.is_mounted and app.focused is not None:
        interactive = time.perf_counter() - t0
    if isinstance(screen, LibraryScreen) and screen.loaded:
        print(f"READY {interactive:.4f} {time.perf_counter() - t0:.4f}", flush=True)
        app.exit()
    else:
        app.set_timer(0.002, check)

app.call_later(check)
app.run(headless=True, size=(100, 30))
"""


def launch(script: str) -> tuple[float, float]:
    """Seconds from process start to ready (perf_counter is system-wide on Linux: CLOCK_MONOTONIC)."""
    env = {**os.environ, "ROLEPLAY_CONFIG": tempfile.mkdtemp(), "ROLEPLAY_RECORDINGS": tempfile.mkdtemp()}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script, repr(start)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    for line in out.stdout.splitlines():
        if line.startswith("READY "):
            numbers = [float(x) for x in line.split()[1:]]
            return numbers[0], numbers[-1]
    raise RuntimeError(f"no READY line: {out.stderr[-2000:]}")


def launch_times(runs: int) -> tuple[float, float, float]:
    """Median seconds: bare app ready; our library interactive; our library listing every scenario."""
    launch(BARE)  # warm the file cache and bytecode for both
    launch(OURS)
    bare = [launch(BARE)[0] for _ in range(runs)]
    ours = [launch(OURS) for _ in range(runs)]
    return statistics.median(bare), statistics.median(o[0] for o in ours), statistics.median(o[1] for o in ours)


async def key_latencies(count: int) -> list[float]:
    from textual import events

    from roleplay.core.engine import Session
    from roleplay.core.loader import load_scenario
    from roleplay.ui.app import make_app

    out = Path(tempfile.mkdtemp())
    app = make_app(out=out)
    latencies: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        scenario = load_scenario(ROOT / "tests" / "data" / "valid" / "branching.yaml").scenario
        session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=out, seed=1)
        session.fire("next")
        session.fire("next", force=True)
        app._adopt(session)
        app._sync()
        await pilot.pause()
        app.screen.query_one("#checklist-listening").focus()
        await pilot.pause()
        cycle = ["enter", "down", "enter", "up", "p", "p", "e", "a", "escape", "m", "escape", "question_mark", "question_mark"]

        async def idle() -> None:
            # Handled and rendered: every message queue empty, twice in a row.
            while True:
                await asyncio.sleep(0)
                busy = any(not node._message_queue.empty() for node in [app, *app.screen.walk_children(with_self=True)])
                if not busy:
                    await asyncio.sleep(0)
                    if all(node._message_queue.empty() for node in [app, *app.screen.walk_children(with_self=True)]):
                        return

        for n in range(count):
            key = cycle[n % len(cycle)]
            char = "?" if key == "question_mark" else (key if len(key) == 1 else None)
            start = time.perf_counter()
            app.post_message(events.Key(key, char))
            await idle()
            latencies.append(time.perf_counter() - start)
        session.close()
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="launches of each app (median is used)")
    parser.add_argument("--keys", type=int, default=200, help="key presses to time in the live session")
    args = parser.parse_args(argv)
    os.environ.setdefault("ROLEPLAY_CONFIG", tempfile.mkdtemp())
    bare, interactive, listed = launch_times(args.runs)
    print(
        f"launch: bare Textual app {bare * 1000:.0f} ms; roleplay library interactive {interactive * 1000:.0f} ms "
        f"= {interactive / bare:.2f}x (aim <= 1.5x); all scenarios listed {listed * 1000:.0f} ms = {listed / bare:.2f}x"
    )
    latencies = asyncio.run(key_latencies(args.keys))
    p95 = percentile(latencies, 0.95) * 1000
    median = statistics.median(latencies) * 1000
    print(f"keys: {len(latencies)} presses in a live session, median {median:.1f} ms, p95 {p95:.1f} ms (aim < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

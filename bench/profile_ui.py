"""Where the UI's time goes, as the terminal sees it: pyinstrument on the app's main thread, in a pseudo-terminal.

    python bench/profile_ui.py launch [-o launch.txt]   # from exec until every exercise is listed
    python bench/profile_ui.py library [--keys 40]      # down/up in the library
    python bench/profile_ui.py live [--keys 40]         # the ui bench's keys on the live phase screen

The app runs in a child process that starts the profiler first; the parent drives it like bench/ui_bench.py
and, once the screen shows the result, sends SIGUSR1 to start (keys) and SIGUSR2 to stop and write the report.
Only the main (UI) thread is sampled: the library's scenarios are read in a worker, profile that with
`python -m pyinstrument -c "from roleplay.core.library import discover; discover()"`.
Needs the `bench` extra (pyinstrument).
"""

from __future__ import annotations

import argparse
import os
import runpy
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def child(out: str, start_now: bool, argv: list[str]) -> None:
    """Run `roleplay ARGV` in this process with the profiler on the main thread (started now or at SIGUSR1)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001, async_mode="disabled")

    def start(*_: object) -> None:
        profiler.start()

    def stop(*_: object) -> None:
        session = profiler.stop()
        text = profiler.output_text(unicode=True, color=False, show_all=False)
        Path(out).write_text(text, encoding="utf-8")
        with open(out + ".all", "w", encoding="utf-8") as handle:
            handle.write(profiler.output_text(unicode=True, color=False, show_all=True))
        del session
        os._exit(0)  # the report is written; the terminal is the parent's pty, nothing to restore

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    if start_now:
        profiler.start()
    sys.argv = ["roleplay", *argv]
    runpy.run_module("roleplay", run_name="__main__")


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3] == "now", sys.argv[4:])
        return 0
    import ui_bench
    from term import Term

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["launch", "library", "live"])
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("-o", "--out", default=None, help="report file (default: profile-WHAT.txt in the temp folder)")
    args = parser.parse_args()
    out = args.out or str(Path(tempfile.gettempdir()) / f"profile-{args.what}.txt")
    titles = ui_bench.builtin_titles()
    with tempfile.TemporaryDirectory() as tmp:
        env = ui_bench.environment(Path(tmp))
        roleplay_args = ui_bench.LIVE_COMMAND if args.what == "live" else []
        command = [sys.executable, __file__, "--child", out, "now" if args.what == "launch" else "later", *roleplay_args]
        with Term(command, env=env, cwd=str(ROOT)) as term:
            if args.what == "live":
                for key, text in ui_bench.LIVE_STEPS:
                    if key is not None:
                        term.key(key)
                    term.wait_for([text], timeout=60)
            else:
                seconds = term.wait_for(titles, timeout=60)
                print(f"launch (under the profiler): {seconds * 1000:.0f} ms")
            if args.what != "launch":
                os.kill(term.pid, signal.SIGUSR1)
                keys = ui_bench.LIVE_KEYS if args.what == "live" else ui_bench.LIBRARY_KEYS
                for n in range(args.keys):
                    term.key(keys[n % len(keys)], tick=1.0 if args.what == "live" else 0.0)
            os.kill(term.pid, signal.SIGUSR2)
            deadline = time.perf_counter() + 30
            while term.alive() and time.perf_counter() < deadline:
                term.read_until_quiet(0.2)
    print(f"report: {out} (with library frames: {out}.all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

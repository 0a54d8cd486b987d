"""UI benchmark, measured as a terminal sees it: roleplay against a bare Textual list app, in the same run.

    python bench/ui_bench.py [--runs 5] [--keys 30] [--json FILE]

Both programs run in a pseudo-terminal (bench/term.py), as under a terminal emulator; the clock stops
when the output a person would see has arrived and gone quiet, not when the app thinks it is done.

1. launch_ratio: from exec until every built-in exercise's title is on the library screen and the output is
   quiet, against the bare app (bench/bare_list.py, the same titles) showing its first full screen.
   Launches alternate between the two; the median of each is used. Goal: at most 1.2x.
   launch_complete_ratio (no goal): until the library has read every file (preview, filters, count).
2. key_p95_ratio: key to screen settled, 95th percentile, on the library (down/up) and on a live phase
   screen (the Goal phase of grow-coaching: its countdown running, checklist moves and ticks, time-out and
   back), against the bare app's down/up. The three programs stay open and take keys in turn, so load on
   the machine hits them alike. The figure is the worse of the two screens. Goal: at most 1.2x.
3. key_recording_p95_ratio: the same, on the scene of crisis-conversation while the app records it,
   camera-like 1280x720 at 30 fps with the synthetic tone (bench/camera_like.py), against the bare app's
   down/up, the two taking keys in turn: one more minute (e), time-out and back (p, p). Goal: at most 1.3x.
   The session is made through the core up to the scene with everyone's consent, then resumed in the
   app, which starts recording as a trainer's resumed session does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from figures import ratio_figure  # noqa: E402
from term import Term  # noqa: E402

LAUNCH_GOAL = 1.2
KEY_GOAL = 1.2
RECORDING_KEY_GOAL = 1.3
RECORDING_KEYS = ["e", "p", "p"]  # one more minute; time-out and back
# The live screen: the set-up opened from the command line, then the keys a trainer presses to reach
# the first timed phase with a checklist. Each key waits for a text, so a slow machine only takes longer.
LIVE_COMMAND = ["run", "grow-coaching", "--participants", "Ana,Ben,Cleo", "--seed", "1", "--own-screen"]
LIVE_STEPS = [
    (None, "Set up: "),
    ("ctrl+s", "Read, start"),  # the content notes: read to the group
    ("y", "Warm-up: what GROW is · warm-up"),
    ("n", "Roles and cards"),
    ("n", "Continue anyway"),  # briefs not handed out: go on
    ("y", "Pairs and roles · briefing"),
    ("n", "G: Goal · enactment"),
]
# Next item, tick it, take the tick back, previous item, time-out, resume: balanced, so it can repeat.
LIVE_KEYS = ["down", "enter", "-", "up", "p", "p"]
LIBRARY_KEYS = ["down", "up"]


def environment(tmp: Path) -> dict[str, str]:
    """A private config (the pre-session checklist off), recordings folder and cache; English words."""
    config = tmp / "config"
    config.mkdir()
    (config / "settings.json").write_text(
        json.dumps({"version": 1, "settings": {"pre_session_checklist": "off"}}), encoding="utf-8")
    env = {**os.environ, "ROLEPLAY_CONFIG": str(config), "ROLEPLAY_RECORDINGS": str(tmp / "recordings"),
           "XDG_CACHE_HOME": str(tmp / "cache"), "ROLEPLAY_LANGUAGE": "en"}
    env.pop("ROLEPLAY_SCENARIOS", None)
    return env


def builtin_titles() -> list[str]:
    from roleplay.core.library import builtin_dir, discover
    from roleplay.core.text import localize

    builtin = builtin_dir().resolve()
    return [localize(e.result.scenario.title, "en", e.result.scenario.fallback) for e in discover()
            if e.result.scenario is not None and e.path.resolve().parent == builtin]


def roleplay_command() -> list[str]:
    script = Path(sys.executable).parent / "roleplay"
    return [str(script)] if script.exists() else [sys.executable, "-m", "roleplay"]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def figure(value: float, baseline: float, goal: float | None) -> dict:
    """Seconds measured, shown in milliseconds."""
    return ratio_figure(value * 1000, baseline * 1000, "ms", goal, digits=1)


def complete_text(titles: list[str]) -> str:
    """The library's count line: shown once every file has been read (preview and filters ready)."""
    return f"of {len(titles)} shown"


def launch_times(runs: int, bare: list[str], ours: list[str], titles: list[str], env: dict[str, str],
                 ) -> tuple[list[float], list[float], list[float]]:
    """Seconds: the bare app's first full screen; roleplay listing every title; roleplay complete."""
    base, mine, complete = [], [], []
    # The first pair warms the file cache and bytecode, and fills the library's summary cache as a
    # trainer's first start does; it is not counted.
    for n in range(runs + 1):
        with Term(bare, env=env, cwd=str(ROOT)) as term:
            seconds = term.wait_for(titles, timeout=60)
        if n:
            base.append(seconds)
        with Term(ours, env=env, cwd=str(ROOT)) as term:
            seconds = term.wait_for(titles, timeout=60)
            done = term.wait_for([complete_text(titles)], timeout=60)
        if n:
            mine.append(seconds)
            complete.append(done)
    return base, mine, complete


def live_screen(env: dict[str, str]) -> Term:
    term = Term(roleplay_command() + LIVE_COMMAND, env=env, cwd=str(ROOT))
    try:
        for key, text in LIVE_STEPS:
            if key is not None:
                term.key(key)
            term.wait_for([text], timeout=60)
    except BaseException:
        term.close()
        raise
    return term


def key_times(count: int, bare: list[str], ours: list[str], titles: list[str], env: dict[str, str],
              ) -> tuple[list[float], list[float], list[float]]:
    """Key-to-screen seconds: bare app, library, live screen; the three take keys in turn."""
    base: list[float] = []
    library: list[float] = []
    live: list[float] = []
    with Term(bare, env=env, cwd=str(ROOT)) as bare_term, Term(ours, env=env, cwd=str(ROOT)) as library_term:
        bare_term.wait_for(titles, timeout=60)
        library_term.wait_for([*titles, complete_text(titles)], timeout=60)
        with live_screen(env) as live_term:
            for n in range(count):
                for term, keys, times, tick in ((bare_term, LIBRARY_KEYS, base, 0.0),
                                                (library_term, LIBRARY_KEYS, library, 0.0),
                                                (live_term, LIVE_KEYS, live, 1.0)):
                    seconds = term.key(keys[n % len(keys)], tick=tick)
                    if seconds is not None:
                        times.append(seconds)
    for name, times in (("bare app", base), ("library", library), ("live screen", live)):
        if len(times) < count // 2:
            raise RuntimeError(f"{name}: only {len(times)} of {count} keys changed the screen")
    return base, library, live


def recorded_session(root: Path) -> None:
    """A crisis-conversation session in its recorded scene, everyone's consent given, cut off (to resume)."""
    from roleplay.core.engine import Session
    from roleplay.core.library import builtin_dir
    from roleplay.core.loader import load_scenario

    scenario = load_scenario(builtin_dir() / "crisis-conversation.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=root, seed=1, recording=True)
    session.fire("next")  # roles
    session.fire("next")  # warm-up
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    session.fire("next")  # the scene, which is filmed
    session.close()


def recording_key_times(count: int, bare: list[str], titles: list[str], env: dict[str, str], tmp: Path,
                        ) -> tuple[list[float], list[float]]:
    """Key-to-screen seconds: the bare app and the scene being recorded, taking keys in turn."""
    root = tmp / "recorded"
    recorded_session(root)
    env = {**env, "ROLEPLAY_RECORDINGS": str(root)}
    app = [sys.executable, str(ROOT / "bench" / "camera_like.py"), "run",
           "--camera", "synthetic:1280x720@30", "--audio", "synthetic"]
    base: list[float] = []
    recording: list[float] = []
    # The scene redraws by itself twice a second (the countdown, the recording's clock), 350 and 650 ms
    # apart: each key goes just after such a redraw, and a 100 ms quiet window ends it before the next.
    with Term(bare, env=env, cwd=str(ROOT)) as bare_term, Term(app, env=env, cwd=str(ROOT), quiet=0.1) as term:
        bare_term.wait_for(titles, timeout=60)
        term.wait_for(["Resume a session?"], timeout=60)
        term.key("y")
        term.wait_for(["● REC 00:0"], timeout=60)
        for n in range(count):
            for times, seconds in ((base, bare_term.key(LIBRARY_KEYS[n % len(LIBRARY_KEYS)])),
                                   (recording, term.key(RECORDING_KEYS[n % len(RECORDING_KEYS)], tick=0.5))):
                if seconds is not None:
                    times.append(seconds)
        try:  # the recording's clock is redrawn every second while it records
            term.wait_for(["● REC"], timeout=5)
        except TimeoutError:
            raise RuntimeError("the scene stopped recording during the measurement") from None
    segments = list(root.glob("*/video/seg-*.mkv"))
    if len(segments) < 2:
        raise RuntimeError(f"the app did not record the scene ({len(segments)} segments)")
    for name, times in (("bare app", base), ("recording scene", recording)):
        if len(times) < count // 2:
            raise RuntimeError(f"{name}: only {len(times)} of {count} keys changed the screen")
    return base, recording


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="launches of each program (median is used)")
    parser.add_argument("--keys", type=int, default=30, help="keys per screen")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    titles = builtin_titles()
    bare = [sys.executable, str(ROOT / "bench" / "bare_list.py"), *titles]
    ours = roleplay_command()
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        base_launch, our_launch, complete = launch_times(args.runs, bare, ours, titles, env)
        base_keys, library_keys, live_keys = key_times(args.keys, bare, ours, titles, env)
        recording_base, recording_keys = recording_key_times(args.keys, bare, titles, env, Path(tmp))
    launch = figure(statistics.median(our_launch), statistics.median(base_launch), LAUNCH_GOAL)
    ready = figure(statistics.median(complete), statistics.median(base_launch), None)
    library = figure(p95(library_keys), p95(base_keys), KEY_GOAL)
    live = figure(p95(live_keys), p95(base_keys), KEY_GOAL)
    worst = max((library, live), key=lambda f: f["ratio"])
    recording = figure(p95(recording_keys), p95(recording_base), RECORDING_KEY_GOAL)
    figures = {"launch_ratio": launch, "launch_complete_ratio": ready, "key_p95_ratio": worst,
               "key_p95_ratio_library": library, "key_p95_ratio_live": live, "key_recording_p95_ratio": recording}
    print(f"launch until all {len(titles)} exercises are listed: {launch['value']:.0f} ms, bare Textual list "
          f"{launch['baseline']:.0f} ms: {launch['ratio']:.2f}x (goal {launch['goal']}; median of {args.runs})")
    print(f"launch until the library is complete (every file read: preview, filters, count): {ready['value']:.0f} ms "
          f"= {ready['ratio']:.2f}x the bare app (no goal)")
    for name, f, keys in (("library (down/up)", library, library_keys), ("live phase screen", live, live_keys),
                          ("scene while recording 720p30 with sound", recording, recording_keys)):
        print(f"key to screen settled, {name}: p95 {f['value']:.0f} ms (median {statistics.median(keys) * 1000:.0f} ms), "
              f"bare app p95 {f['baseline']:.0f} ms: {f['ratio']:.2f}x (goal {f['goal']}; {len(keys)} keys)")
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figures}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

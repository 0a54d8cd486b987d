"""`bench/run.py --json` writes every named figure with its baseline and goal; the pty reader the UI bench uses.

No timing is asserted: the machine running the tests may be loaded. Only shapes and the reader's behaviour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

KEYS = {"value", "unit", "baseline", "ratio", "goal", "ok"}


@pytest.mark.slow
def test_core_part_writes_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--only", "core", "--quick", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    for name in ("validate_ratio", "list_ratio", "list_cold_ratio", "validate_process_ratio"):
        assert set(figures[name]) == KEYS, name
        assert figures[name]["value"] > 0 and figures[name]["baseline"] > 0
    for name, goal in (("list_cold_ratio", "<= 2x"), ("validate_process_ratio", "<= 1.5x")):
        assert figures[name]["goal"] == goal
        assert figures[name]["ok"] is (figures[name]["ratio"] <= float(goal[3:-1]))
    # Each figure is printed with its baseline and its goal.
    assert "empty cache" in done.stdout and "(goal <= 2x)" in done.stdout and "(goal <= 1.5x)" in done.stdout


def test_ui_figures_have_the_shape_of_the_others():
    import ui_bench

    figure = ui_bench.figure(0.3, 0.2, ui_bench.LAUNCH_GOAL)
    assert set(figure) == KEYS
    assert figure == {"value": 300.0, "unit": "ms", "baseline": 200.0, "ratio": 1.5, "goal": "<= 1.2x", "ok": False}
    assert ui_bench.p95([0.01] * 19 + [1.0]) <= 1.0  # never above the slowest key


def test_every_part_is_a_json_part():
    import run

    assert run.JSON_PARTS == set(run.PARTS)


def test_recording_and_replay_figures_have_the_shape_of_the_others():
    from figures import floor_figure, limit_figure, ratio_figure

    assert ratio_figure(45.0, 40.0, "CPU s per minute", 1.1) == {
        "value": 45.0, "unit": "CPU s per minute", "baseline": 40.0, "ratio": 1.125, "goal": "<= 1.1x", "ok": False}
    assert floor_figure(84.8, 60, "fps") == {
        "value": 84.8, "unit": "fps", "baseline": 60, "ratio": 1.413, "goal": ">= 60 fps", "ok": True}
    seek = limit_figure(93.9, "ms", 100, baseline=93.4)
    assert set(seek) == KEYS and seek["ok"] is True and seek["ratio"] == 1.005 and seek["goal"] == "<= 100 ms"
    assert limit_figure(None, "", 1.1)["ok"] is None  # memory growth: measured by the full run only
    assert limit_figure(2, "frames", 0)["ok"] is False


def test_camera_like_frames_are_hard_to_predict_and_keep_the_sync_marks():
    import numpy as np
    from camera_like import CameraLikeSource

    from roleplay.video.sources import SyntheticSource, has_sync_mark

    camera, pattern = CameraLikeSource(320, 240, 30), SyntheticSource(320, 240, 30)
    camera.open()
    pattern.open()
    a, b = camera._draw(1, 0.5), camera._draw(2, 0.53)
    assert a.shape == (240, 320, 3)
    # Sensor noise: neighbouring frames differ on most pixels, unlike the rolled test pattern.
    assert (np.abs(a.astype(int) - b).sum(axis=2) > 0).mean() > 0.5
    p1, p2 = pattern._draw(1, 0.5), pattern._draw(2, 0.53)
    assert (np.abs(np.roll(p1, 4, axis=1).astype(int) - p2)[:150].sum(axis=2) > 0).mean() < 0.05
    assert has_sync_mark(camera._draw(30, 1.0))  # the whole-second square, as the offset check needs


CHILD = textwrap.dedent(
    """
    import sys, time
    sys.stdout.write("\\x1b[2J\\x1b[1;1Hstarting"); sys.stdout.flush()
    time.sleep(0.05)
    sys.stdout.write("\\x1b[31mready\\x1b[0m one\\r\\n"); sys.stdout.flush()
    for line in sys.stdin:
        sys.stdout.write("\\x1b[2;1Hgot " + line.strip() + "\\r\\n"); sys.stdout.flush()
    """
)


def test_the_pty_reader_waits_for_texts_and_times_keys(tmp_path):
    from term import Term, plain

    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    with Term([sys.executable, str(script)], cols=40, rows=5, quiet=0.05) as term:
        seconds = term.wait_for(["starting", "ready one"], timeout=30)  # escape sequences do not split texts
        assert seconds > 0
        latency = term.key("x\r")
        assert latency is not None and latency > 0
        assert "got x" in plain(bytes(term.output))
    assert plain(b"\x1b[1;31mred\x1b[0m \x1b]0;title\x07plain") == "red plain"


def test_the_pty_reader_says_what_never_came(tmp_path):
    from term import Term

    script = tmp_path / "child.py"
    script.write_text("print('something else', flush=True)\n", encoding="utf-8")
    with Term([sys.executable, str(script)], quiet=0.05) as term:
        with pytest.raises(TimeoutError, match="never shown"):
            term.wait_for(["never shown"], timeout=2)


def test_the_library_lists_from_the_cache_only_when_every_file_is_in_it(tmp_path, monkeypatch):
    """What makes the launch figure: the app lists the titles from the summary cache before reading the files."""
    import shutil

    from roleplay.core import library

    builtin = tmp_path / "builtin"
    builtin.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "valid" / "branching.yaml", builtin / "branching.yaml")
    monkeypatch.setattr(library, "builtin_dir", lambda: builtin)
    monkeypatch.setenv("ROLEPLAY_SCENARIOS", str(tmp_path / "local"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert library.listing() is None  # nothing cached: the app reads the files as before
    entries = library.discover(remember=True)
    rows = library.listing()
    assert rows is not None and [r["id"] for r in rows] == [e.id for e in entries]
    assert rows[0]["titles"] and rows[0]["source"] == "built-in"
    with open(builtin / "branching.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert library.listing() is None  # a changed file is read again, never listed from an old summary


@pytest.mark.ui
def test_the_library_shows_cached_titles_first_and_keeps_the_highlight(tmp_path, monkeypatch):
    """The app lists from the cache while the files are read; the trainer's move along that list is kept."""
    import asyncio
    import shutil
    import threading

    from roleplay.core import library
    from roleplay.ui.app import make_app
    from roleplay.ui.screens.library import LibraryScreen
    from textual.widgets import OptionList

    builtin = tmp_path / "builtin"
    builtin.mkdir()
    for name in ("branching.yaml", "psychodrama.yaml"):
        shutil.copy(ROOT / "tests" / "data" / "valid" / name, builtin / name)
    monkeypatch.setattr(library, "builtin_dir", lambda: builtin)
    for name in ("config", "recordings", "local"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("ROLEPLAY_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("ROLEPLAY_RECORDINGS", str(tmp_path / "recordings"))
    monkeypatch.setenv("ROLEPLAY_SCENARIOS", str(tmp_path / "local"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    library.discover(remember=True)  # an earlier start left the summaries
    release = threading.Event()
    reading = library.discover

    def slow_discover(remember: bool = False):
        release.wait(30)  # the files are "being read" until the test has looked at the early list
        return reading(remember)

    monkeypatch.setattr(library, "discover", slow_discover)

    async def run() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            listing = screen.query_one("#library-list", OptionList)
            for _ in range(500):  # until the cached titles are shown
                if listing.option_count == 2 and "Psychodrama test" in str(listing.get_option_at_index(1).prompt):
                    break
                await pilot.pause(0.01)
            assert not screen.loaded and "Branching test" in str(listing.get_option_at_index(0).prompt)
            await pilot.press("down")
            release.set()
            for _ in range(500):
                if screen.loaded:
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            assert screen.loaded and [e.id for e in screen.shown] == ["branching-test", "psychodrama-test"]
            assert listing.highlighted == 1  # still on the scenario the trainer moved to
            assert "Psychodrama test" in str(screen.query_one("#preview-title").render())

    try:
        asyncio.run(run())
    finally:
        release.set()


def test_the_recorders_cpu_windows_lie_inside_the_recording_and_read_its_samples():
    import video_bench

    spans = video_bench.windows(600, 60, 3)
    assert len(spans) == 3 and spans[0][0] >= 30 and spans[-1][1] <= 590
    assert all(end - start == 60 for start, end in spans) and spans[0][1] <= spans[1][0]  # apart
    assert video_bench.windows(20, 15, 1) == [(3.0, 18.0)]  # quick: one window, clear of the start
    samples = [(t, 100.0, 0.5 * t) for t in range(0, 31)]  # (s, RSS MB, CPU s so far): half a core
    assert video_bench.cpu_between(samples, 10, 20) == 5.0
    assert abs(video_bench.cpu_between(samples, 10.5, 20.25) - 4.875) < 1e-9  # between two samples
    assert video_bench.memory_growth(samples) is None  # under two minutes: not measured
    grown = [(t, 100.0 if t < 60 else 120.0, 0.0) for t in range(0, 181, 2)]
    assert abs(video_bench.memory_growth(grown) - 1.2) < 0.01


def test_recording_profile_reads_py_spy_samples_and_thread_clocks(tmp_path):
    """bench/profile_recording.py: samples by Python thread and innermost frame; ended threads' CPU kept."""
    import profile_recording

    raw = tmp_path / "raw.txt"
    raw.write_text(
        "thread (101): MainThread;run (textual/app.py:10);on_key (roleplay/ui/app.py:5);render (rich/text.py:7) 3\n"
        "thread (102): video-writer;_write (roleplay/video/recorder.py:300);add_video (roleplay/video/segments.py:109) 5\n"
        "thread (102): video-writer;0x7f00 (libx264.so) 2\n\n",
        encoding="utf-8")
    names, samples, frames = profile_recording.read_samples(raw)
    assert names == {101: "MainThread", 102: "video-writer"}
    assert samples == {"MainThread": 3, "video-writer": 7}
    # The library frame says where it was called from in roleplay's own code.
    assert frames["MainThread"] == {"render (rich/text.py:7)  <- on_key (roleplay/ui/app.py:5)": 3}
    assert frames["video-writer"]["add_video (roleplay/video/segments.py:109)"] == 5
    assert frames["video-writer"]["0x7f00 (libx264.so)"] == 2
    # Key 0: the process's CPU no live thread accounts for (threads that ended in between).
    used = profile_recording.spent({0: 10.0, 101: 4.0, 102: 5.0}, {0: 16.0, 101: 4.5, 102: 6.0, 103: 0.5})
    assert used == {101: 0.5, 102: 1.0, 103: 0.5, 0: 4.0}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="Linux /proc only")
def test_thread_clock_reads_this_process():
    import profile_recording

    clocks = profile_recording.thread_cpu(os.getpid())
    assert clocks[0] >= max(v for k, v in clocks.items() if k) >= 0
    assert threading.get_native_id() in clocks

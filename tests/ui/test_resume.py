"""Crashes lose nothing: kill -9 mid-session, then replay and resume in a new app."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.log import read_log
from roleplay.ui.app import make_app
from roleplay.ui.screens.live import LiveScreen

from .conftest import ROOT
from .driver import settle


def run_child_until_ready(out: Path) -> Path:
    """Start crash_child.py, wait for its READY line (an event, not a sleep), then kill -9 it.

    Its stderr goes to a file: a pipe nobody reads fills up on a long traceback and the child hangs.
    """
    errors = out.parent / "child-stderr.txt"
    with errors.open("w") as err:
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("crash_child.py")), str(out)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    said: list[str] = []
    done = threading.Event()  # READY seen, or the child's output ended

    def read() -> None:
        for line in child.stdout:
            if line.startswith("READY "):
                said.append(line.split(" ", 1)[1].strip())
                break
        done.set()

    threading.Thread(target=read, name="crash-child-stdout", daemon=True).start()
    try:
        if not done.wait(90):
            raise AssertionError(f"child never got ready: {errors.read_text()[-2000:]}")
        if not said:
            child.wait(timeout=10)
            raise AssertionError(f"child ended early: {errors.read_text()[-2000:]}")
        return Path(said[0])
    finally:
        child.send_signal(signal.SIGKILL)  # no clean shutdown: as in a crash
        child.wait(timeout=10)
        child.stdin.close()
        child.stdout.close()


@pytest.mark.slow
async def test_kill_mid_session_then_resume(tmp_path):
    folder = run_child_until_ready(tmp_path / "sessions")
    before = Session.replay(folder)
    assert before.phase == "scene" and not before.ended
    assert before.ticks[("listening", "nods")] == 2
    assert [n["text"] for n in before.notes] == ["Ben leans in"]
    assert [m["label"] for m in before.markers] == ["strong moment"]
    logged = len(read_log(folder))

    app = make_app(resume=folder, out=tmp_path / "sessions", clock=FakeClock(wall=1_800_000_600.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        s = app.session
        assert s.phase == "scene"
        assert s.ticks == before.ticks and s.notes == before.notes and s.markers == before.markers
        assert s.roles == before.roles and s.cards == before.cards
        # Who has seen their brief is in the log too: after the resume it is not "to hand out" again.
        assert len(before.handed_out) == 1 and s.handed_out == before.handed_out
        # The timer goes on with the time it had left, not the time the app was down.
        assert s.timer_remaining() == before.timer.duration
        # And the session carries on in the same log.
        app.screen.query_one("#checklist-listening").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert s.ticks[("listening", "nods")] == 3
    events = read_log(folder)
    assert [e.type for e in events[logged:]] == ["session_resumed", "tick"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


def test_crash_prints_where_the_log_is(tmp_path, monkeypatch, capsys):
    """An exception inside the app: the log is kept and its folder is printed."""
    import argparse

    from roleplay.core.loader import load_scenario
    from roleplay.ui import app as app_module
    from roleplay.ui import commands

    from .conftest import BRANCHING

    made = {}

    class CrashingApp(app_module.RoleplayApp):
        def run(self, **kwargs):
            async def script(pilot):
                await settle(pilot)
                scenario = load_scenario(BRANCHING).scenario
                session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path / "s", seed=1, clock=self.clock)
                self._adopt(session)
                self._sync()
                await settle(pilot)
                session.note("before the crash")

                def boom():
                    raise RuntimeError("simulated failure")

                self.call_later(boom)
                await pilot.pause()

            return super().run(headless=True, size=(100, 30), auto_pilot=script)

    def fake_make_app(*args, **kwargs):
        made["app"] = CrashingApp(app_module.AppOptions(clock=FakeClock()))
        return made["app"]

    monkeypatch.setattr(app_module, "make_app", fake_make_app)
    code = commands.open_app(argparse.Namespace())
    err = capsys.readouterr().err
    assert made["app"].session is not None, err[-3000:]
    folder = made["app"].session.folder
    assert code == 1
    assert str(folder) in err and "Nothing is lost" in err
    assert [n["text"] for n in Session.replay(folder).notes] == ["before the crash"]


async def test_at_start_up_a_cut_off_session_is_offered_for_resuming(tmp_path):
    from roleplay.core.loader import load_scenario
    from roleplay.ui.screens.confirm import ConfirmScreen
    from roleplay.ui.screens.library import LibraryScreen

    from .conftest import BRANCHING

    scenario = load_scenario(BRANCHING).scenario
    cut = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path / "sessions", seed=3, clock=FakeClock())
    cut.fire("next")
    cut.close()  # the lid was closed mid-session
    app = make_app(out=tmp_path / "sessions", clock=FakeClock(wall=1_800_000_600.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "cut off" in app.screen.question and "Branching test" in app.screen.question
        await pilot.press("n")  # not now: the library, as before
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen) and app.session is None
    app = make_app(out=tmp_path / "sessions", clock=FakeClock(wall=1_800_000_700.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert app.session is not None and app.session.phase == cut.phase and not app.session.ended

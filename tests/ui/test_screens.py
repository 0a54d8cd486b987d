"""Behaviour of single screens: rosters, consent, secrets, rehearse reload, confirmations, errors."""

from __future__ import annotations

import asyncio
import json
import os
import time

from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.core.log import read_log
from roleplay.ui.app import make_app
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.cover import CoverScreen
from roleplay.ui.screens.consent import ConsentScreen
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.rehearse import RehearseScreen
from roleplay.ui.screens.setup import SetupScreen
from roleplay.ui.screens.trainer_view import TrainerViewScreen

from .conftest import BRANCHING, DATA
from .driver import settle, type_text

SIZE = (100, 30)


async def live_app(tmp_path, **kwargs):
    clock = FakeClock()
    app = make_app(out=tmp_path / "s", clock=clock, **kwargs)
    return app, clock


async def start_live(app, pilot, tmp_path, clock):
    await settle(pilot)
    scenario = load_scenario(BRANCHING).scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=tmp_path / "s", seed=5, clock=clock)
    session.fire("next")
    session.fire("next", force=True)
    app._adopt(session)
    app._sync()
    await settle(pilot)
    return session


async def test_invalid_local_file_is_listed_with_its_position(fixed_library):
    app = make_app(clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert [e.path.name for e in screen.shown] == ["branching.yaml", "broken.yaml"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)  # an invalid file cannot be started, and nothing crashes
        text = str(app.screen.query_one("#preview-summary").render())
        assert "broken.yaml:14:11: error: no phase 'nowhere'" in text


async def test_library_filters(fixed_library):
    app = make_app(clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#size").value = "12"  # branching takes 3-8
        await settle(pilot)
        assert [e.path.name for e in screen.shown if e.result.ok] == []
        screen.query_one("#size").value = "4"
        screen.query_one("#search").value = "branch"
        await settle(pilot)
        assert [e.path.name for e in screen.shown] == ["branching.yaml"]


async def test_run_with_a_scenario_reads_the_library_only_when_the_trainer_comes_back_to_it(tmp_path, ui_env):
    """`roleplay run SCENARIO` opens its set-up at once; the library below reads every scenario (a worker
    the set-up would wait on) only once it is seen."""
    app = make_app(BRANCHING, clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        library = app.screen_stack[-2]
        assert isinstance(library, LibraryScreen)
        assert library.waiting and not library.loaded and not library.query("#search")
        assert not [w for w in app.workers if w.group == "library"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is library and not library.waiting
        assert library.loaded and library.query("#search") and library.query("#preview")
        assert library.entries and library.shown  # the scenario files were read and are listed


async def test_rosters_are_saved_and_offered_again(tmp_path, ui_env):
    app = make_app(BRANCHING, clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#participants").value = "Ana, Ben, Cleo"
        await pilot.press("ctrl+r")
        await type_text(pilot, "Tuesday")
        await pilot.press("enter")
        await settle(pilot)
    saved = json.loads((ui_env["config"] / "rosters.json").read_text())
    assert saved["rosters"] == {"Tuesday": ["Ana", "Ben", "Cleo"]}
    app = make_app(BRANCHING, clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#roster").value = "Tuesday"
        await settle(pilot)
        assert app.screen.query_one("#participants").value == "Ana, Ben, Cleo"


async def test_recording_needs_everyone_and_every_answer_is_logged(tmp_path):
    app = make_app(BRANCHING, participants="Ana, Ben, Cleo", seed=3, clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#recording").value = True
        await pilot.press("ctrl+s")
        await pilot.press("y")  # content notes were read
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        await pilot.press("y", "n", "y")
        await settle(pilot)
        session = app.session
        assert session.consents == {"Ana": True, "Ben": False, "Cleo": True}
        assert not session.all_consented()
    events = read_log(session.folder)
    assert events[0].data["recording"] is False
    assert [(e.data["participant"], e.data["given"]) for e in events if e.type == "consent"] == [
        ("Ana", True),
        ("Ben", False),
        ("Cleo", True),
    ]


async def test_secrets_only_behind_the_trainer_key(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        brief = "Your story is about a missed bus."

        def on_screen() -> str:
            return " ".join(str(w.render()) for w in app.screen.query("Static"))

        assert brief not in on_screen()
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, CoverScreen)  # a projected screen is covered first
        assert brief not in on_screen()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrainerViewScreen)
        assert brief in on_screen() and session.holders("speaker")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen) and brief not in on_screen()


async def test_timer_expiry_rings_and_is_shown(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        clock.advance(4 * 60 + 30)
        app._poll()
        await settle(pilot)
        countdown = app.screen.query_one("Countdown")
        assert countdown.state == "warn" and "nearly time" in str(countdown.render())
        clock.advance(60)
        app._poll()
        await settle(pilot)
        assert app.bells == 1 and app.announcements == ["Time is up: Scene"]
        assert session.phase == "discuss"  # the scene's timer moves on by itself, and says so


async def test_time_out_is_always_there_and_logged(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        await pilot.press("p")
        await settle(pilot)
        assert session.paused and app.screen.query_one("#timeout-banner").display
        assert app.screen.query_one("Countdown").state == "paused"
        await pilot.press("p")
        await settle(pilot)
        assert not session.paused
        assert [e.type for e in session.events[-2:]] == ["paused", "resumed"]


async def test_invalid_command_is_a_notice_not_a_crash(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        await pilot.press("colon")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "tick nope nope")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen) and app.is_running
        assert any("checklist 'nope'" in n.message for n in app._notifications)
        assert session.phase == "scene"


async def test_inject_event_then_private_brief(tmp_path):
    app, clock = await live_app(tmp_path, look_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        await pilot.press("i", "enter", "1")  # behind the cover, choose the event
        assert isinstance(app.screen, ConfirmScreen)  # the trainer sees the script first
        await pilot.press("y")
        await settle(pilot)
        assert [e["event"] for e in session.injected] == ["phone-rings"]
        from roleplay.ui.screens.reveal import PROJECTED_WARNING, RevealScreen

        # a projected screen: before Ben's private instruction, the room's view is frozen or blanked
        assert isinstance(app.screen, ConfirmScreen) and app.screen.question == PROJECTED_WARNING
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RevealScreen)
        secret = app.screen.query_one("#reveal-text")
        assert "answer it" not in str(secret.render())
        await pilot.press("space")
        assert "Your phone rings; answer it." in str(secret.render())
        await pilot.press("space")
        assert "answer it" not in str(secret.render())


async def test_quit_mid_session_asks_first(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_live(app, pilot, tmp_path, clock)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, LiveScreen)


async def test_help_and_theme_keys(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_live(app, pilot, tmp_path, clock)
        await pilot.press("question_mark")
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        assert not app.screen.query("HelpPanel")
        await pilot.press("f2")
        assert app.theme == "high-contrast"
        await pilot.press("f2")
        assert app.theme == "roleplay-calm"


async def test_rehearse_reloads_when_saved(tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(BRANCHING.read_text())
    app = make_app(path, rehearse=True, clock=FakeClock(), watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RehearseScreen) and screen.result.ok
        # Every result the screen is given, in order: the watcher's reload is the event waited for.
        shown: asyncio.Queue = asyncio.Queue()
        show_result = screen.show_result

        def record(result, when):
            show_result(result, when)
            shown.put_nowait(result)

        screen.show_result = record

        async def reloaded(ok: bool):
            """The first reload with that outcome (a read half-way through a save may come first)."""
            async with asyncio.timeout(10):
                while (result := await shown.get()).ok != ok:
                    pass
            await settle(pilot)
            return result

        path.write_text((DATA / "broken.yaml").read_text())
        later = time.time() + 5
        os.utime(path, (later, later))
        assert not (await reloaded(ok=False)).ok
        assert not screen.result.ok
        assert "error" in str(screen.query_one("#rehearse-status").render())
        path.write_text(BRANCHING.read_text())
        os.utime(path, (later + 5, later + 5))
        assert (await reloaded(ok=True)).ok
        assert screen.result.ok
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#participants").value == "3"  # the smallest group it takes


async def test_sessions_screen_reopens_report(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        session.end("stopped")
        app._sync()
        await settle(pilot)
        app.action_library()
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from roleplay.ui.screens.summary import SummaryScreen

        assert isinstance(app.screen, SummaryScreen) and app.screen.folder == session.folder
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert (session.folder / "report.md").is_file()

"""Snapshots of every screen at two sizes, with a frozen clock and seed: a small terminal (80x24)
and a 1080p projector with a large font (160x45). A few states are drawn once more at 100x30.

Regenerate after a deliberate change: pytest tests/ui --snapshot-update
"""

from __future__ import annotations

from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.ui.app import make_app

import pytest

from .conftest import BRANCHING, DATA
from .driver import settle

SIZE = (100, 30)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="projector")]
every_size = pytest.mark.parametrize("size", SIZES)


def app_with_session(tmp_path, phase_steps=(), theme=None, **kwargs):
    """An app showing a live branching session, moved on by `phase_steps` (fire/force triggers)."""
    clock = FakeClock()
    app = make_app(out=tmp_path / "sessions", clock=clock, theme=theme, **kwargs)

    async def start(pilot):
        await settle(pilot)
        scenario = load_scenario(BRANCHING).scenario
        session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=tmp_path / "sessions", seed=5, clock=clock)
        for step in phase_steps:
            step(session)
        app._adopt(session)
        app._sync()
        await settle(pilot)

    return app, start


def to_dealing_phase(session):
    session.fire("next")  # roles and cards are dealt in the assignment phase


def to_scene(session):
    session.fire("next")
    session.fire("next", force=True)
    session.tick("listening", "nods")
    session.tick("listening", "nods")


class TestLibrary:
    @every_size
    def test_library(self, snap_compare, fixed_library, size):
        app = make_app(clock=FakeClock())
        assert snap_compare(app, terminal_size=size, run_before=settle)

    def test_library_invalid_file_selected(self, snap_compare, fixed_library):
        app = make_app(clock=FakeClock())
        assert snap_compare(app, terminal_size=SIZE, press=["down"], run_before=settle)

class TestSetup:
    @every_size
    def test_setup(self, snap_compare, fixed_library, size):
        app = make_app(BRANCHING, participants="Ana, Ben, Cleo", seed=5, clock=FakeClock())
        assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.usefixtures("bare_library")  # a session from the start: the library is never shown
class TestAssignment:
    @every_size
    def test_assignment(self, snap_compare, tmp_path, size):
        from roleplay.ui.screens.assignment import AssignmentScreen

        app, start = app_with_session(tmp_path, [to_dealing_phase])

        async def run_before(pilot):
            await start(pilot)
            app.push_screen(AssignmentScreen(app.session))
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @every_size
    def test_reveal_hidden_until_space(self, snap_compare, tmp_path, size):
        from roleplay.ui.screens.assignment import AssignmentScreen

        app, start = app_with_session(tmp_path, [to_dealing_phase])

        async def run_before(pilot):
            await start(pilot)
            app.push_screen(AssignmentScreen(app.session))
            await settle(pilot)
            await pilot.press("enter", "y")  # y: the room's view is frozen (a projected screen)
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.usefixtures("bare_library")  # a session from the start: the library is never shown
class TestLive:
    @every_size
    def test_live_scene(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])
        assert snap_compare(app, terminal_size=size, run_before=start)

    def test_live_warning_colour_and_words(self, snap_compare, tmp_path):
        app, start = app_with_session(tmp_path, [to_scene])

        async def run_before(pilot):
            await start(pilot)
            app.clock.advance(4 * 60 + 30)
            app._poll()
            await settle(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_live_paused(self, snap_compare, tmp_path):
        app, start = app_with_session(tmp_path, [to_scene])
        assert snap_compare(app, terminal_size=SIZE, press=["p"], run_before=start)

    def test_live_high_contrast_80x24(self, snap_compare, tmp_path):
        app, start = app_with_session(tmp_path, [to_scene], theme="high-contrast")
        assert snap_compare(app, terminal_size=(80, 24), run_before=start)

    @every_size
    def test_collection_phase(self, snap_compare, tmp_path, size):
        def to_discuss(session):
            to_scene(session)
            session.fire("next")
            session.add_entry("ideas", "Ask what would help")
            session.tag_entry("ideas", 1, "small")
            session.vote("stayed-peer", "yes", 3)

        app, start = app_with_session(tmp_path, [to_discuss])
        assert snap_compare(app, terminal_size=size, run_before=start)

    def test_recording_indicator_and_notice_80x24(self, snap_compare, tmp_path):
        """What the live screen shows while recording: symbol and words, and a calm notice line."""
        from roleplay.ui.widgets.recording import RecordingView

        app, start = app_with_session(tmp_path, [to_scene])

        async def run_before(pilot):
            await start(pilot)
            app.recording_view = RecordingView(True, "● REC 01:23", "no microphone: recording the picture only")
            app._show_recording_view()
            await settle(pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    @every_size
    def test_help_panel(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])
        assert snap_compare(app, terminal_size=size, press=["question_mark"], run_before=start)


class TestDebriefAndQuality:
    @every_size
    def test_quality_sheet(self, snap_compare, tmp_path, size):
        def to_closing(session):
            to_scene(session)
            session.fire("next")
            session.fire("next")
            session.expire_timer()
            session.fire("next")
            session.answer("respected", "4")
            session.answer("respected", "5")

        app, start = app_with_session(tmp_path, [to_closing])
        assert snap_compare(app, terminal_size=size, run_before=start)

    @every_size
    def test_debrief(self, snap_compare, tmp_path, size):
        clock = FakeClock()
        app = make_app(out=tmp_path / "sessions", clock=clock)

        async def run_before(pilot):
            await settle(pilot)
            scenario = load_scenario(DATA / "debrief.yaml").scenario
            s = Session.start(scenario, ["Ana", "Ben"], root=tmp_path / "sessions", seed=5, clock=clock)
            for item in ("listens", "listens", "asks"):
                s.tick("skills", item)
            for text, category in (("Being there", "being"), ("Practical help", "doing"), ("Listening", "being")):
                s.tag_entry("helps", s.add_entry("helps", text), category)
            s.fire("next")
            s.note("People felt heard", question=0)
            app._adopt(s)
            app._sync()
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.usefixtures("bare_library")  # a session from the start: the library is never shown
class TestSummaryAndSessions:
    @every_size
    def test_summary_covered(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])

        async def run_before(pilot):
            await start(pilot)
            app.session.end("stopped")
            app._sync()
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @every_size
    def test_sessions(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])

        async def run_before(pilot):
            await start(pilot)
            app.push_screen(__import__("roleplay.ui.screens.sessions", fromlist=["x"]).SessionsScreen(tmp_path / "sessions"))
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestRehearse:
    @every_size
    def test_rehearse_shows_errors(self, snap_compare, tmp_path, monkeypatch, size):
        monkeypatch.chdir(tmp_path)
        (tmp_path / "draft.yaml").write_text((DATA / "broken.yaml").read_text())
        app = make_app("draft.yaml", rehearse=True, clock=FakeClock())
        assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.usefixtures("bare_library")  # a session from the start: the library is never shown
class TestRoomAndPrivateLayer:
    """On a projected screen (the default) the phase shows the room's view; the private layer is behind a cover."""

    @every_size
    def test_live_scene_on_the_trainers_own_screen(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene], projected=False)
        assert snap_compare(app, terminal_size=size, run_before=start)

    @every_size
    def test_cover(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])
        assert snap_compare(app, terminal_size=size, press=["s"], run_before=start)

    @every_size
    def test_private_layer(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])

        async def run_before(pilot):
            await start(pilot)
            app.session.note("Ben needs a calm start")
            await pilot.press("s", "enter")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @every_size
    def test_how_it_works(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])
        assert snap_compare(app, terminal_size=size, press=["f1"], run_before=start)

    @every_size
    def test_trainer_view(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene])
        assert snap_compare(app, terminal_size=size, press=["ctrl+t", "enter"], run_before=start)


class TestDialogs:
    @every_size
    def test_consent(self, snap_compare, fixed_library, size):
        from roleplay.ui.screens.consent import ConsentScreen

        app = make_app(BRANCHING, participants="Ana, Ben, Cleo", seed=5, clock=FakeClock())

        async def run_before(pilot):
            await settle(pilot)
            app.push_screen(ConsentScreen(["Ana", "Ben", "Cleo"]))
            await settle(pilot)
            await pilot.press("y")

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @every_size
    @pytest.mark.usefixtures("bare_library")
    def test_note_prompt_and_event_choice(self, snap_compare, tmp_path, size):
        app, start = app_with_session(tmp_path, [to_scene], projected=False)

        async def run_before(pilot):
            await start(pilot)
            await pilot.press("i")  # the events to bring in (the trainer's own screen: no cover)
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.usefixtures("bare_library")  # a session from the start: the library is never shown
class TestReplay:
    @every_size
    def test_replay_of_a_session_without_video(self, snap_compare, tmp_path, size):
        """The replay screen's layout: timeline, markers and notes (a session not filmed, so every run draws the same)."""
        from roleplay.ui.screens.replay import ReplayScreen

        app, start = app_with_session(tmp_path, [to_scene])

        async def run_before(pilot):
            await start(pilot)
            session = app.session
            session.mark("strong moment")
            app.clock.advance(40)
            session.note("Ana named the fear")
            session.end("stopped")
            app._sync()
            await settle(pilot)
            app.push_screen(ReplayScreen(session.folder, sound=False))
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

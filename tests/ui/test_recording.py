"""Recording in the live session (synthetic camera and sound), withdrawal, deletion, and replay in the app.

Nothing sleeps a fixed time: workers are awaited (driver.settle); what the recorder's own threads change
without telling the app (its status, the index it writes) is polled with a deadline (driver.wait_until).
"""

from __future__ import annotations

import pytest

from roleplay.core.folder import SessionFolder
from roleplay.core.log import read_log
from roleplay.core.sealing import opener_for, opener_if_sealed
from roleplay.ui.app import make_app
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.consent import ConsentScreen
from roleplay.ui.screens.library import LibraryScreen
from tests.conftest import plain_parts
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.summary import SummaryScreen
from roleplay.video.segments import read_index

from .conftest import BRANCHING
from .driver import hand_out_all, settle, type_text, wait_until, wait_until_sync
from tests.conftest import PASSPHRASE as SECRET

pytestmark = [pytest.mark.video, pytest.mark.slow]

SIZE = (100, 30)


def recording_app(tmp_path):
    return make_app(
        BRANCHING,
        participants="Ana, Ben, Cleo",
        seed=3,
        out=tmp_path / "s",
        camera="synthetic:96x64@15",
        audio="synthetic",
        look_seconds=1,
        sound=False,
    )


async def start_recorded(pilot, passphrase: str | None = None) -> None:
    """Set-up with Record video on (and a passphrase typed twice), everyone says yes, briefs handed out."""
    app = pilot.app
    await settle(pilot)
    screen = app.screen
    screen.query_one("#recording").value = True
    await pilot.pause()
    assert screen.query_one("#recording-options").display
    if passphrase:
        screen.query_one("#passphrase").value = passphrase
        screen.query_one("#passphrase-again").value = passphrase
    await pilot.press("ctrl+s")
    await settle(pilot)
    while isinstance(app.screen, ConfirmScreen):  # content notes
        await pilot.press("y")
        await settle(pilot)
    assert isinstance(app.screen, ConsentScreen)
    await pilot.press("y", "y", "y")
    await settle(pilot)
    assert app.session is not None and app.session.all_consented()
    await wait_until(pilot, lambda: app.recording is not None, what="the recorder to be built")
    await hand_out_all(pilot)
    assert isinstance(app.screen, LiveScreen)


def _opener(session):
    return opener_if_sealed(SessionFolder(session.folder), SECRET)


def indicator(app) -> str:
    badge = app.screen.query_one("#rec-indicator")
    return str(badge.render()) if badge.display else ""


def screen_text(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query("Static"))


async def test_record_phase_records_with_indicator_stops_when_left_and_replays_from_sessions(tmp_path):
    app = recording_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_recorded(pilot, passphrase=SECRET)
        session, recording = app.session, app.recording
        opener = opener_for(SessionFolder(session.folder), SECRET)
        assert not recording.state().status.active
        session.fire("next")
        session.fire("next", force=True)  # into 'scene', which asks for recording
        app._sync()
        await settle(pilot)
        await hand_out_all(pilot)  # roles were dealt on the way (in the assignment phase): the hand-out came up
        assert session.phase == "scene"
        await wait_until(pilot, lambda: recording.state().status.recording)
        await wait_until(pilot, lambda: indicator(app).startswith("● REC "))
        await wait_until(pilot, lambda: len(read_index(session.folder)) >= 1)
        assert "ctrl+r" in app.screen.active_bindings and "ctrl+w" in app.screen.active_bindings
        session.fire("next")  # 'discuss' does not record
        app._sync()
        await settle(pilot)
        await wait_until(pilot, lambda: not recording.state().status.active)
        await wait_until(pilot, lambda: indicator(app).startswith("○ not recording"))
        types = [e.type for e in read_log(session.folder, opener=opener)]
        assert "recording_started" in types and "recording_stopped" in types
        assert (session.folder / "video" / "key.age").is_file()
        assert SECRET not in (session.folder / "session.jsonl").read_text(encoding="utf-8")
        assert b"Ana" not in plain_parts((session.folder / "session.jsonl").read_bytes())  # the log is sealed too
        assert SECRET not in screen_text(app)

        # The session ends: the recorder is closed in a worker, the summary offers the recording.
        session.end("stopped")
        app._sync()
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert app.recording is None
        await wait_until(pilot, lambda: app.screen.has_video)
        assert "w" in app.screen.active_bindings

        # From Past sessions: w asks for the passphrase (not remembered by a new run), then replays.
        app._passphrases.clear()
        app.action_library()
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "video recorded" in str(app.screen.query_one("#sessions-list").get_option_at_index(0).prompt)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen) and app.screen.query_one("Input").password
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        from roleplay.ui.screens.replay import ReplayScreen

        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        replay = app.screen
        await wait_until(pilot, lambda: replay.playback is not None, 30, what="the recording to open")
        assert replay.player.timeline.has_video and replay.player.duration > 0
        await pilot.press("q")
        await settle(pilot)
        assert not isinstance(app.screen, ReplayScreen)


async def test_withdrawn_consent_stops_recording_and_deletion_is_offered(tmp_path):
    app = recording_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_recorded(pilot)
        session, recording = app.session, app.recording
        await pilot.press("ctrl+r")  # the manual switch, in a phase that does not record by itself
        await wait_until(pilot, lambda: recording.state().status.recording)
        await wait_until(pilot, lambda: len(read_index(session.folder)) >= 1)
        await wait_until(pilot, lambda: indicator(app).startswith("● REC "))
        await pilot.press("ctrl+w")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("2")  # Ben
        await settle(pilot)
        assert session.consents["Ben"] is False
        await wait_until(pilot, lambda: not recording.state().status.active)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Delete everything recorded" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: read_index(session.folder) == [])
        await wait_until(pilot, lambda: "recording_deleted" in [e.type for e in read_log(session.folder, opener=_opener(session))])
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        # Without everyone's consent the switch does not start it again, and says why.
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not recording.state().status.active
        assert any("Ben" in n.message for n in app._notifications)


async def test_a_resumed_session_records_again_after_its_passphrase(tmp_path):
    """A recorded session cut off mid-scene: on resume the recorder comes back (asking for the passphrase)."""
    from roleplay.core.engine import Session
    from roleplay.core.loader import load_scenario
    from roleplay.video.session_recording import SessionRecording

    scenario = load_scenario(BRANCHING).scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path / "s", seed=3, recording=True)
    for name in ("Ana", "Ben", "Cleo"):
        session.consent(name, True)
    first = SessionRecording(session, source="synthetic:96x64@15", audio="synthetic", passphrase=SECRET)
    session.fire("next")
    session.fire("next", force=True)  # into the recorded scene
    wait_until_sync(lambda: read_index(session.folder), what="a first segment")
    first.close()  # the laptop died: the app is gone, the log and segments stay
    session.close()
    takes_before = len({entry.take for entry in read_index(session.folder)})

    app = make_app(resume=session.folder, out=tmp_path / "s", camera="synthetic:96x64@15", audio="synthetic", sound=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.recording is not None and app.recording.state().status.recording)
        await wait_until(pilot, lambda: len({e.take for e in read_index(session.folder)}) > takes_before)
        await pilot.press("ctrl+r")  # the trainer stops it by hand
        await wait_until(pilot, lambda: not app.recording.state().status.active)
    assert [e.type for e in read_log(session.folder)].count("recording_started") == 2

"""A session started with a passphrase is sealed on disk; the app asks for it to open or resume the session."""

from __future__ import annotations

from roleplay.core.clock import FakeClock
from roleplay.core.folder import SessionFolder
from roleplay.core.sessions import FolderState, read_info
from roleplay.ui.app import make_app
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.setup import SetupScreen

from tests.conftest import PASSPHRASE as PASS

from .driver import open_setup, settle, start_from_setup, type_text


async def test_a_passphrase_seals_the_session_and_opens_it_again(tmp_path):
    out = tmp_path / "sessions"
    app = make_app(out=out, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_setup(pilot, "guess")
        screen = app.screen
        screen.query_one("#passphrase").value = "too short"
        screen.query_one("#passphrase-again").value = "too short"
        screen.query_one("#participants").value = "Anastasia,Benedikt,Cleopatra,Dimitri,Eleonora,Friedrich"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen) and app.session is None  # refused: under 12 characters
        screen.query_one("#passphrase").value = PASS
        screen.query_one("#passphrase-again").value = PASS
        await start_from_setup(pilot)
        app.session.note("Benedikt said something private")
        folder = app.session.folder
    raw = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert b"Benedikt" not in raw and b"private" not in raw and SessionFolder(folder).sealed
    assert read_info(folder).state is FolderState.ENCRYPTED

    app = make_app(resume=folder, out=out, clock=FakeClock(wall=1_800_000_600.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # the passphrase, before anything is read
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert app.session is not None and not app.session.ended
        assert [n["text"] for n in app.session.notes] == ["Benedikt said something private"]
        app.session.note("after the resume")
    assert b"after the resume" not in b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())

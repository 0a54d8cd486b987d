"""Issue 13, item 4: a named form (a self-assessment) in the app: `o` chooses whose answers the keys give,
the levels are named, and each answer is logged under its person."""

from __future__ import annotations

from roleplay.ui.app import make_app
from roleplay.ui.screens.quality import QualityScreen

from .conftest import ROOT
from .driver import screen_text, settle, start_from_setup

SELF = ROOT / "tests" / "data" / "valid" / "self-assessment.yaml"


async def test_the_trainer_gives_each_persons_own_answers(tmp_path, ui_env):
    app = make_app(SELF, participants="Ana, Ben", out=tmp_path / "s")
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await start_from_setup(pilot)
        await settle(pilot)
        assert isinstance(app.screen, QualityScreen)
        text = screen_text(app)
        assert "Answers of Ana" in text and "1 Basic" in text and "4 Leader" in text
        await pilot.press("2")
        await pilot.press("o")
        await settle(pilot)
        assert "Answers of Ben" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert [(a["by"], a["value"]) for a in app.session.answers] == [("Ana", 2), ("Ben", 3)]

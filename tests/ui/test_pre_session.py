"""Issue 13: the trainer's checklist before the first exercise of the day, over the set-up screen."""

from __future__ import annotations

import datetime
import json

from textual.widgets import Checkbox

from roleplay.core.pre_session import CHECKLIST
from roleplay.ui.app import make_app
from roleplay.ui.screens.pre_session import PreSessionScreen
from roleplay.ui.screens.setup import SetupScreen

from .conftest import BRANCHING
from .driver import screen_text, settle

SIZE = (100, 34)


def saved(ui_env) -> dict:
    return json.loads((ui_env["config"] / "settings.json").read_text(encoding="utf-8"))["settings"]


async def test_the_checklist_comes_before_the_first_session_of_the_day_and_not_again(tmp_path, ui_env):
    (ui_env["config"] / "settings.json").unlink()  # a trainer's first day: nothing remembered
    app = make_app(BRANCHING, participants="Ana, Ben, Cleo", out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PreSessionScreen)
        assert "Before the first session today" in screen_text(app)
        boxes = [str(box.label) for box in app.screen.query(Checkbox)]
        assert boxes == [str(check.title) for check in CHECKLIST]  # every point, in the list that scrolls
        assert "It is accessible and easy to find" in screen_text(app)  # the first point's whole text, wrapped
        await pilot.press("space")  # ticks the first line (the room)
        assert app.screen.unticked[0] == "Language and reading"
        await pilot.press("escape")  # later: nothing remembered, set-up underneath
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
    settings = ui_env["config"] / "settings.json"
    assert not settings.exists() or "pre_session_checklist" not in saved(ui_env)

    app = make_app(BRANCHING, participants="Ana, Ben, Cleo", out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PreSessionScreen)  # asked again: the trainer was not ready yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
    assert saved(ui_env)["pre_session_checklist"] == datetime.date.today().isoformat()

    app = make_app(BRANCHING, participants="Ana, Ben, Cleo", out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)  # ready today: set-up at once


async def test_the_checklist_can_be_turned_off(tmp_path, ui_env):
    (ui_env["config"] / "settings.json").unlink()
    app = make_app(BRANCHING, participants="Ana, Ben, Cleo", out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PreSessionScreen)
        app.screen.query_one("#daily").value = False
        await pilot.press("escape")
        await settle(pilot)
    assert saved(ui_env)["pre_session_checklist"] == "off"

"""End-to-end flows: every built-in scenario and the branching test scenario, library to report."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.core.report import to_markdown
from roleplay.ui.app import make_app
from roleplay.ui.screens.summary import SummaryScreen

from .conftest import BRANCHING, builtin_scenarios
from .driver import assert_room_view_clean, hand_out_all, open_setup, run_to_end, settle, start_from_setup

SIZE = (100, 30)


def participants_for(path: Path) -> str:
    scenario = load_scenario(path).scenario
    size = scenario.group_size
    count = max(size.min, 6)
    if size.max:
        count = min(count, size.max)
    names = ["Ana", "Ben", "Cleo", "Dan", "Eve", "Fay", "Gil", "Hal"]
    return ", ".join(names[:count]) if count <= len(names) else str(count)


pytestmark = pytest.mark.slow  # every built-in exercise end to end by keyboard: ~10 s each

CASES = [pytest.param(p, id=p.stem) for p in builtin_scenarios()] + [pytest.param(BRANCHING, id="branching")]


@pytest.mark.parametrize("path", CASES)
async def test_library_to_report(path: Path, tmp_path, monkeypatch):
    if path == BRANCHING:
        monkeypatch.setenv("ROLEPLAY_SCENARIOS", str(path.parent))
    scenario = load_scenario(path).scenario
    out = tmp_path / "sessions"
    app = make_app(out=out, seed=11, clock=FakeClock(), look_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(pilot, scenario.id)
        await start_from_setup(pilot, participants_for(path))
        await settle(pilot)
        assert app.projected  # the default: this screen is the room's; no secret may reach it
        await hand_out_all(pilot)
        seen = await run_to_end(pilot, check=assert_room_view_clean)
        assert isinstance(app.screen, SummaryScreen)
        assert app.session.ended == "final"
        assert seen[0] == scenario.start
        await pilot.press("space", "ctrl+e", "ctrl+w")
        await settle(pilot)
        folder = app.session.folder
    report = folder / "report.md"
    assert report.is_file() and (folder / "report.html").is_file()
    # The same report as `roleplay report`: built from the log alone.
    assert report.read_text(encoding="utf-8") == to_markdown(Session.replay(folder))
    replayed = Session.replay(folder)
    assert replayed.ended == "final"
    assert replayed.snapshot() == app.session.snapshot()

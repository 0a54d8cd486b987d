"""Every private brief of every built-in scenario can be read to its last line at 80x24."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.screen import Screen

from roleplay.core.clock import FakeClock
from roleplay.core.library import builtin_dir
from roleplay.core.loader import load_scenario
from roleplay.core.text import localize
from roleplay.ui.app import make_app
from roleplay.ui.phase_info import RevealItem
from roleplay.ui.screens.reveal import RevealScreen
from roleplay.ui.text import reflow

from .driver import settle, wait_until

SCENARIOS = sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def _briefs(scenario_id: str) -> list[tuple[str, str, str]]:
    scenario = load_scenario(builtin_dir() / f"{scenario_id}.yaml").scenario
    out = []
    for language in scenario.languages:
        for role in scenario.roles:
            if role.brief:
                out.append((language, f"Brief: {localize(role.name, language, scenario.fallback)}",
                            localize(role.brief, language, scenario.fallback)))
        for event in scenario.events:
            if event.brief:
                out.append((language, localize(event.title, language, scenario.fallback),
                            localize(event.brief, language, scenario.fallback)))
    return out


WITH_BRIEFS = [scenario_id for scenario_id in SCENARIOS if _briefs(scenario_id)]


def test_the_built_in_exercises_have_briefs_to_check():
    assert len(WITH_BRIEFS) >= 3


@pytest.mark.parametrize("scenario_id", WITH_BRIEFS)
async def test_every_brief_can_be_read_to_its_end_at_80x24(scenario_id, tmp_path):
    briefs = _briefs(scenario_id)
    app = make_app(out=tmp_path, clock=FakeClock())  # the app's own styles and layout
    async with app.run_test(size=(80, 24)) as pilot:
        # The briefs are revealed over an empty screen, not the library, one after the other as when
        # they are handed round (Enter: the next one). cleared: as after the trainer confirmed that
        # the room's view is frozen (tested in test_role_choice).
        await app.push_screen(Screen())
        steps = [("Alex", "holder", [RevealItem("holder", title, text)]) for _language, title, text in briefs]
        screen = RevealScreen(steps, look_seconds=5, cleared=True)
        app.push_screen(screen)
        await settle(pilot)
        scroll = screen.query_one("#reveal-scroll", VerticalScroll)
        secret = screen.query_one("#reveal-text")
        for step, (language, title, text) in enumerate(briefs):
            assert screen.step == step
            await pilot.press("space")  # show
            await settle(pilot)
            # The brief is laid out before the reader goes on (as a person sees it first).
            await wait_until(pilot, lambda: scroll.virtual_size.height >= secret.outer_size.height > 5, what="the brief to be laid out")
            await pilot.press("end")  # read to the end
            await settle(pilot)
            assert scroll.scroll_y == scroll.max_scroll_y
            last_line = reflow(text).rstrip().splitlines()[-1].split()
            # The secret's last line lies inside the part of the scroll area that is on screen.
            bottom = secret.virtual_region.bottom - secret.styles.padding.bottom - 1 - int(scroll.scroll_y)
            assert 0 <= bottom < scroll.content_region.height, (scenario_id, language, title, last_line)
            await pilot.press("enter")  # hides it and goes on to the next
            await settle(pilot)
        assert app.screen is not screen  # the last Enter closed it

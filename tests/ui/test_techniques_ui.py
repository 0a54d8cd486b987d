"""Issue 12 on the console, by keyboard: `d` calls a technique in an action phase (the phase's
suggestions first, then whom it is for and who helps); the de-roling phase lists each player
stepping out of each role by name, Enter ticks a person; sharing phases carry the reminder."""

from __future__ import annotations

from textual.widgets import OptionList

from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.ui.screens.choice import ChoiceScreen

from .conftest import ROOT
from .driver import settle
from .test_screens import live_app

PSYCHODRAMA = ROOT / "tests" / "data" / "valid" / "psychodrama.yaml"
SIZE = (80, 24)  # the smallest screen the console supports: the panels sit under the main text


def options(app) -> list[str]:
    listing = app.screen.query_one(OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_d_logs_a_technique_and_the_de_roling_list_ticks_people(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        scenario = load_scenario(PSYCHODRAMA).scenario
        session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path / "s", seed=5, clock=clock)
        session.assign("Cleo", "protagonist")
        session.fire("next")  # the scene: an action phase
        app._adopt(session)
        app._sync()
        await settle(pilot)

        clock.advance(75)
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceScreen)
        assert [key for key, _ in app.screen.options][:2] == ["doubling", "empty-chair"]  # the phase's suggestions first
        assert "suggested here" in options(app)[0] and "stands behind the protagonist" in options(app)[0]
        await pilot.press("1")  # doubling
        assert options(app)[0].startswith("1. Cleo (Protagonist")  # whoever the group chose comes first
        await pilot.press("1")  # for Cleo
        assert "Who doubles Cleo?" in str(app.screen.title_text)
        assert "Cleo" not in " ".join(options(app))
        await pilot.press("2")  # the second of the others
        await settle(pilot)
        last = session.events[-1].body
        assert last.type == "technique_used" and last.technique == "doubling"
        assert last.who[0] == "Cleo" and len(last.who) == 2 and last.scene_time == 75.0

        await pilot.press("n")  # the scene ends: de-roling
        await settle(pilot)
        assert session.current.kind == "de-roling"
        lines = options(app)
        assert any(line.startswith("○ Cleo, you are no longer Protagonist; you are Cleo.") for line in lines), lines
        helper = last.who[1]
        assert any(f"{helper}, you are no longer" in line and "the double of Cleo" in line for line in lines), lines
        listing = app.screen.query_one("#deroling-list", OptionList)
        listing.focus()
        listing.highlighted = [i for i, line in enumerate(lines) if "Cleo, you are" in line][0]
        await pilot.press("enter")
        await settle(pilot)
        assert ("Cleo", "protagonist") in session.deroled
        assert any(line.startswith("✓ Cleo,") for line in options(app))

        await pilot.press("n")  # sharing: the reminder is on the screen
        await settle(pilot)
        reminder = str(app.screen.query_one("#sharing-reminder").render())
        assert "speak from your own experience" in reminder and "No advice" in reminder
        assert not app.screen.check_action("technique", ())  # no techniques outside the action


def test_the_replay_bar_draws_a_technique_mark():
    from roleplay.ui.screens.replay import timeline_bar
    from roleplay.video.timeline import Mark

    bar = timeline_bar(20, 0.0, 100.0, [Mark(50.0, "technique", "technique: Doubling")])
    assert bar.plain[10] == "✦"

"""Support-resources country (chosen in set-up, remembered, passed down) and the summary's covered report."""

from __future__ import annotations

import json

import pytest

from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.ui.app import make_app
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.setup import SetupScreen
from roleplay.ui.screens.summary import SummaryScreen

from .conftest import BRANCHING
from .driver import hand_out_all, settle

SIZE = (100, 30)


def with_resources(tmp_path):
    """The branching scenario with support resources on its first phase."""
    text = BRANCHING.read_text(encoding="utf-8").replace(
        "    script: Welcome everyone.\n", "    script: Welcome everyone.\n    show_resources: true\n", 1
    )
    path = tmp_path / "resources-test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def resources_text(app) -> str:
    return str(app.screen.query_one("#resources").render())


async def start(pilot) -> None:
    app = pilot.app
    await pilot.press("ctrl+s")
    await settle(pilot)
    while isinstance(app.screen, ConfirmScreen):
        await pilot.press("y")
        await settle(pilot)
    await hand_out_all(pilot)
    await settle(pilot)
    assert isinstance(app.screen, LiveScreen)


@pytest.mark.slow
async def test_country_is_chosen_in_setup_remembered_and_used_by_the_live_screen(tmp_path, ui_env):
    path = with_resources(tmp_path)
    app = make_app(path, participants="Ana, Ben, Cleo", seed=3, clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        country = app.screen.query_one("#country")
        assert country.value == "GB"  # nothing remembered yet, no $ROLEPLAY_COUNTRY
        assert {"ES", "GB"} <= {value for _, value in country._options}
        country.value = "ES"
        await start(pilot)
        assert app.country == "ES"
        assert "España" in resources_text(app) and "024" in resources_text(app)
    saved = json.loads((ui_env["config"] / "settings.json").read_text(encoding="utf-8"))
    assert saved["settings"]["country"] == "ES"

    app = make_app(path, participants="Ana, Ben, Cleo", seed=3, clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#country").value == "ES"  # remembered like rosters


@pytest.mark.slow
async def test_a_country_without_a_file_shows_what_is_missing(tmp_path):
    path = with_resources(tmp_path)
    app = make_app(path, participants="Ana, Ben, Cleo", seed=3, clock=FakeClock(), out=tmp_path / "s", country="XX")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#country").value == "XX"
        await start(pilot)
        text = resources_text(app)
        assert "no support resources for country 'XX'" in text and "scenarios/resources/XX.yaml" in text


async def test_summary_keeps_every_secret_off_the_screen_until_space(tmp_path):
    clock = FakeClock()
    app = make_app(out=tmp_path / "s", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        scenario = load_scenario(BRANCHING).scenario
        session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=tmp_path / "s", seed=5, clock=clock)
        secrets = [session.text(card.text) for deck in scenario.decks for card in deck.cards]
        secrets += [session.text(r.brief) for r in scenario.roles if r.brief and r.brief_visible_to != "everyone"]
        secrets += [session.text(e.brief) for e in scenario.events if e.brief]
        assert secrets
        session.fire("next")
        session.fire("next", force=True)
        app._adopt(session)
        session.end("stopped")
        app._sync()
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.report_text  # the report is built...

        def everything_in_the_widgets() -> str:
            parts = []
            for widget in app.screen.walk_children(with_self=False):
                parts.append(str(getattr(widget, "source", "")))  # Markdown keeps its text here
                if hasattr(widget, "render") and widget.display:
                    try:
                        parts.append(str(widget.render()))
                    except Exception:  # noqa: BLE001 - some widgets render only when laid out
                        pass
            return "\n".join(parts)

        held = [card for card in secrets if card in app.screen.report_text]
        assert held, "the report lists the cards people held"
        shown = everything_in_the_widgets()
        assert not [s for s in secrets if s in shown]  # ...but none of it is in any widget
        await pilot.press("space")
        await settle(pilot)
        assert any(card in everything_in_the_widgets() for card in held)
        await pilot.press("space")
        await settle(pilot)
        assert not [s for s in secrets if s in everything_in_the_widgets()]

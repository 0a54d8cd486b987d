"""The closing screen's support lines follow the session's language when no country was chosen."""

from __future__ import annotations

from roleplay.core.clock import FakeClock
from roleplay.core.engine import GuardWarning, Session
from roleplay.core.loader import load_scenario
from roleplay.core.resources import load_resources
from roleplay.ui.app import make_app

from .conftest import BUILTIN
from .driver import settle, wait_until

SIZE = (100, 30)


async def closing_lines(tmp_path, language, country=None) -> str:
    clock = FakeClock()
    tmp_path = tmp_path / f"{language}-{country}"  # a folder each: no cut-off session to offer to resume
    app = make_app(out=tmp_path / "s", clock=clock, country=country)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        scenario = load_scenario(BUILTIN / "crisis-conversation.yaml").scenario
        s = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=tmp_path / "s", seed=2, clock=clock, language=language)
        while not s.current.show_resources:
            try:
                s.fire("next")
            except GuardWarning:
                s.fire("next", force=True)
        app._adopt(s)
        app._sync()
        await wait_until(pilot, lambda: "(numbers checked" in str(app.screen.query_one("#resources").render()), what="the lines")
        return str(app.screen.query_one("#resources").render())


async def test_a_spanish_session_shows_the_spanish_lines(tmp_path, monkeypatch):
    monkeypatch.delenv("ROLEPLAY_COUNTRY", raising=False)
    spanish = load_resources(None, "es")
    assert spanish.name in await closing_lines(tmp_path, "es")
    english = load_resources("GB")
    assert english.name in await closing_lines(tmp_path, "en")


async def test_a_chosen_country_still_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("ROLEPLAY_COUNTRY", raising=False)
    assert load_resources("GB").name in await closing_lines(tmp_path, "es", country="GB")


async def test_in_set_up_the_country_follows_the_language_until_one_is_chosen(tmp_path, monkeypatch):
    from textual.widgets import Select

    from roleplay.core.resources import country_for_language
    from roleplay.ui.screens.setup import SetupScreen

    monkeypatch.delenv("ROLEPLAY_COUNTRY", raising=False)
    app = make_app(BUILTIN / "crisis-conversation.yaml", clock=FakeClock(), out=tmp_path / "s")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#language", Select).value = "es"
        await settle(pilot)
        assert app.screen.query_one("#country", Select).value == country_for_language("es")
        app.screen.query_one("#language", Select).value = "en"
        await settle(pilot)
        assert app.screen.query_one("#country", Select).value == (country_for_language("en") or "GB")
    app = make_app(BUILTIN / "crisis-conversation.yaml", clock=FakeClock(), out=tmp_path / "t", country="GB")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#language", Select).value = "es"
        await settle(pilot)
        assert app.screen.query_one("#country", Select).value == "GB"  # chosen: it stays

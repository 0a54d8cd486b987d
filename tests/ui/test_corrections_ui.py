"""Issue 15 (minor) by keyboard: Enter opens a single search match; entries are edited (E) and taken
out (Del) with their numbers kept; ticks count for whom is observed (f), per round."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.setup import SetupScreen

from .driver import settle, type_text
from .test_screens import SIZE, live_app, start_live


def prompts(app, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_enter_in_the_search_opens_the_single_match(fixed_library):
    app = make_app(clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "b")  # two matches: Enter goes to the list, nothing opens
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen) and len(app.screen.shown) == 2
        assert isinstance(app.focused, OptionList)
        await pilot.press("slash")
        await type_text(pilot, "ranching")  # "branching": one match
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.scenario.id == "branching-test"


async def test_entries_are_edited_and_taken_out_and_keep_their_numbers(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        await pilot.press("n")  # scene -> ideas
        await settle(pilot)
        assert session.phase == "discuss"
        for text in ("Call a friend", "Walk", "Write [b] it down"):
            await pilot.press("c")
            await type_text(pilot, text)
            await pilot.press("enter")
            await settle(pilot)
        entries = app.screen.query_one("#entries", OptionList)
        entries.focus()
        entries.highlighted = 1
        await pilot.press("E")
        assert isinstance(app.screen, PromptScreen)
        field = app.screen.query_one(Input)
        assert field.value == "Walk"  # the old text, to correct
        field.value = "Walk every day"
        await pilot.press("enter")
        await settle(pilot)
        assert session.entries["ideas"][1].text == "Walk every day"
        entries = app.screen.query_one("#entries", OptionList)
        entries.highlighted = 0
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert [n for n, _ in session.live_entries("ideas")] == [2, 3]
        assert prompts(app, "#entries")[:3] == ["1. (taken out)", "2. Walk every day", "3. Write [b] it down"]
        assert [e.type for e in session.events[-2:]] == ["entry_edited", "entry_removed"]
        # With no entry focused, E asks which one; the taken-out entry is not offered.
        app.screen.set_focus(None)
        await pilot.press("E")
        assert isinstance(app.screen, ChoiceScreen)
        assert [k for k, _ in app.screen.options] == ["2", "3"]
        await pilot.press("escape")
        await settle(pilot)


async def test_ticks_count_for_whom_is_observed_per_round(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        speaker = session.holders("speaker")[0]
        observing = app.screen.query_one("#observing")
        assert "Observing: nobody in particular · round 1 (f to change)" in str(observing.render())
        await pilot.press("f")
        chooser = app.screen
        assert isinstance(chooser, ChoiceScreen)
        names = [k for k, _ in chooser.options]
        assert not set(names) & set(session.holders("observer"))  # those who fill in the checklist are not offered
        chooser.query_one(OptionList).highlighted = names.index(speaker)
        await pilot.press("enter")
        await settle(pilot)
        assert f"Observing: {speaker} (Speaker) · round 1" in str(app.screen.query_one("#observing").render())
        app.screen.query_one("#checklist-listening").focus()
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert session.tick_counts[("listening", "nods", 1, speaker)] == 2
        await pilot.press("minus")
        await settle(pilot)
        assert session.tick_counts[("listening", "nods", 1, speaker)] == 1
        assert [e.body.by for e in session.events if e.type in ("tick", "untick")] == [speaker] * 3
        # Round 2: the count beside the item is this round's; all ticks are shown beside it.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert session.phase == "scene" and session.round_of("scene") == 2
        assert prompts(app, "#checklist-listening")[0] == "[0] Nods and looks at the speaker  · 1 in all"
        assert "round 2" in str(app.screen.query_one("#observing").render())


def test_in_pairs_the_choice_names_each_person_with_role_and_pair(tmp_path):
    from roleplay.core.engine import Session
    from roleplay.core.loader import load_scenario
    from roleplay.ui.widgets.tools import NOBODY, observe_choices, observing_text, set_observed
    from tests.test_corrections import paired, to_phase

    from .conftest import BRANCHING

    s = Session.start(paired(load_scenario(BRANCHING).scenario, tmp_path), ["Ana", "Ben", "Cleo", "Dan"],
                      root=tmp_path / "s", seed=3, clock=FakeClock())
    to_phase(s, "scene")
    labels = dict(observe_choices(s))
    for number, group in enumerate(s.groups, 1):
        for name in group:
            role = "Speaker" if s.roles[name] == "speaker" else "Listener"
            assert labels[name] == f"{name} ({role}, pair {number})"
    assert labels[NOBODY].startswith("Nobody in particular")
    set_observed(s, s.groups[1][0])
    assert "pair 2) · round 1" in observing_text(s)


async def test_the_entry_keys_are_shown_on_the_entries(tmp_path):
    app, clock = await live_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        session = await start_live(app, pilot, tmp_path, clock)
        await pilot.press("n")
        await settle(pilot)
        assert session.phase == "discuss"
        hint = app.screen.query_one("#entry-keys")
        app.screen.set_focus(None)
        await settle(pilot)
        assert not hint.display
        app.screen.query_one("#entries").focus()
        await settle(pilot)
        assert hint.display and "E edits, Del takes out" in str(hint.render())
        app.screen.set_focus(None)
        await settle(pilot)
        assert not hint.display

"""Where the session is (a counter that never goes back) and peer-drift's visible choice after a scene."""

from __future__ import annotations

import re

from roleplay.core.clock import FakeClock
from roleplay.core.engine import GuardWarning, Session
from roleplay.core.loader import load_scenario
from roleplay.ui.app import make_app
from roleplay.ui.phase_info import most_steps_to_end, next_choice, progress_text, routes_text, steps_to_end
from roleplay.ui.screens.choice import ChoiceScreen

from .conftest import BUILTIN, builtin_scenarios
from .driver import settle

SIZE = (100, 30)
PEOPLE = ["Ana", "Ben", "Cleo", "Dan", "Eve", "Fay"]
PROGRESS = re.compile(r"^Step (\d+)(?: · round (\d+))?(?: · (last phase|the last phase is next|(at least )?(\d+) more phases?))?$")


def start(scenario_id, tmp_path, clock):
    scenario = load_scenario(BUILTIN / f"{scenario_id}.yaml").scenario
    return Session.start(scenario, PEOPLE, root=tmp_path / scenario_id, seed=5, clock=clock)


def go(session, trigger="next"):
    try:
        session.fire(trigger)
    except GuardWarning:
        session.fire(trigger, force=True)


def test_the_counter_never_goes_back_and_never_contradicts_itself(tmp_path, clock):
    """Two rounds of peer-drift with a role reversal: the step always grows; "N more" is never more than is left."""
    s = start("peer-drift", tmp_path, clock)
    route = ["next"] * 2 + ["reverse", "next", "next"] + ["next"] * 2 + ["another-round"] + ["next"] * 2
    route += ["next"] * 20
    shown = []
    for trigger in route:
        shown.append((s.phase, progress_text(s)))
        if s.current.final:
            break
        go(s, trigger)
    steps = []
    for number, (phase, text) in enumerate(shown):
        match = PROGRESS.match(text)
        assert match, text
        steps.append(int(match.group(1)))
        left_in_this_run = len(shown) - 1 - number
        if match.group(3) == "last phase":
            assert left_in_this_run == 0
        elif match.group(3) == "the last phase is next":
            assert left_in_this_run == 1
        elif match.group(5):
            assert int(match.group(5)) <= left_in_this_run, (phase, text)
            if not match.group(4):  # no "at least": then it is exact
                assert int(match.group(5)) == left_in_this_run, (phase, text)
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    second_scene = [text for phase, text in shown if phase == "scene"][-1]
    assert " · round " in second_scene and "at least" in second_scene
    assert shown[-1][1].endswith("last phase")


def test_exact_counts_where_no_branch_or_loop_follows(tmp_path, clock):
    for path in builtin_scenarios():
        scenario = load_scenario(path).scenario
        for pid, phase in scenario.phases.items():
            fewest, most = steps_to_end(scenario, pid), most_steps_to_end(scenario, pid)
            assert fewest is not None
            assert most is None or most >= fewest
            if phase.final:
                assert fewest == most == 0
    s = start("peer-drift", tmp_path, clock)
    while s.phase != "quality-check":
        go(s)
    assert progress_text(s).endswith(" · the last phase is next")


def test_next_after_sharing_asks_and_says_where_it_leads(tmp_path, clock):
    s = start("peer-drift", tmp_path, clock)
    for round_number in (1, 2, 3):
        while s.phase != "sharing":
            go(s)
        go(s)
        assert s.phase == "what-next"  # not straight to the debrief
        assert "another situation" in s.text(s.current.group_text).lower()
        chosen = next_choice(s)
        if round_number < 3:
            assert chosen.target == "draw-situation" and routes_text(s).startswith("n: Another situation")
        else:
            assert chosen.target == "debrief"
        assert "g: Another situation / Debrief: no more situations" in routes_text(s)
        if round_number < 3:
            go(s)
            assert s.phase == "draw-situation"
    go(s)
    assert s.phase == "debrief"  # after the usual three, next goes on to the debrief


async def test_the_trainer_finds_the_choice_by_keyboard(tmp_path):
    clock = FakeClock()
    app = make_app(out=tmp_path / "s", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = start("peer-drift", tmp_path, clock)
        while s.phase != "sharing":
            go(s)
        app._adopt(s)
        app._sync()
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert s.phase == "what-next"
        shown = str(app.screen.query_one("#group-text").render())
        assert shown.splitlines() == [line.strip() for line in s.text(s.current.group_text).strip().splitlines()]
        progress = str(app.screen.query_one("#phase-progress").render())
        assert progress.startswith(f"Step {len(s.history)}") and "at least" in progress
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        labels = [label for _, label in app.screen.options]
        assert labels == ["Another situation", "Debrief: no more situations"]
        app.screen.query_one("OptionList").highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert s.phase == "debrief"

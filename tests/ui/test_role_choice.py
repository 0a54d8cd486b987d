"""Choosing who plays a role at set-up, the hand-out at the dealing phase, the projected-screen check, hand-outs after a resume."""

from __future__ import annotations

from textual.widgets import Select, Switch

from roleplay.core.clock import FakeClock
from roleplay.core.log import read_log
from roleplay.ui.app import make_app
from roleplay.ui.screens.assignment import AssignmentScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.cover import CoverScreen
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.reveal import PROJECTED_WARNING, RevealScreen
from roleplay.ui.screens.setup import SetupScreen
from roleplay.ui.screens.trainer_view import TrainerViewScreen
from roleplay.ui.settings import load_settings

from .conftest import BUILTIN
from .driver import settle, widget_texts

SIZE = (100, 30)
CRISIS = BUILTIN / "crisis-conversation.yaml"
PEOPLE = "Ana, Ben, Cleo, Dan"


def rows(app) -> list[str]:
    listing = app.screen.query_one("OptionList")
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def choose_in_select(pilot, select_id: str, label: str) -> None:
    """Open a Select by keyboard and pick the option with this label."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    labels = ["dealt at random"] + [str(text) for text, _ in select._options[1:]]
    for _ in range(labels.index(label)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def set_up_and_start(pilot, *, projected: bool = True) -> None:
    app = pilot.app
    await settle(pilot)
    assert isinstance(app.screen, SetupScreen)
    await choose_in_select(pilot, "role-person-in-crisis", "Ben")
    assert app.screen.query_one("#role-person-in-crisis", Select).value == "Ben"
    switch = app.screen.query_one("#projected", Switch)
    assert switch.value is True  # on unless the trainer said otherwise
    if not projected:
        switch.focus()
        await pilot.press("space")
        assert switch.value is False
    await pilot.press("ctrl+s")
    await settle(pilot)
    while isinstance(app.screen, ConfirmScreen):  # the content notes are read
        await pilot.press("y")
        await settle(pilot)
    assert app.session is not None


async def test_role_chosen_at_set_up_is_dealt_in_the_assignment_phase(tmp_path):
    app = make_app(CRISIS, participants=PEOPLE, seed=4, out=tmp_path / "s", clock=FakeClock(), look_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await set_up_and_start(pilot)
        s = app.session
        assert s.started.roles == {"Ben": "person-in-crisis"}  # logged with the start
        assert load_settings()["projected"] == "yes"  # remembered for next time
        # The safety briefing comes first: nothing is dealt, no hand-out screen.
        assert isinstance(app.screen, LiveScreen) and s.phase == "safety-briefing" and not s.dealt

        # b before the deal says when roles are dealt and who was chosen
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, AssignmentScreen)
        assert "Nothing is dealt yet: roles and cards are dealt when the session reaches 'Roles and private briefs'" in widget_texts(app)
        assert "Ben: will play Alex, the person in crisis (chosen)" in rows(app)
        assert "Ana: dealt at random" in rows(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AssignmentScreen)  # nothing to hand out yet
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)

        # the trainer view says the same, behind the cover
        await pilot.press("ctrl+t")
        await settle(pilot)
        if isinstance(app.screen, CoverScreen):
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, TrainerViewScreen)
        assert "Nothing is dealt yet" in widget_texts(app) and "Ben will play Alex, the person in crisis (chosen)" in widget_texts(app)
        await pilot.press("escape")
        await settle(pilot)

        # entering the assignment phase deals, and the hand-out comes up there
        await pilot.press("n")
        await settle(pilot)
        assert s.phase == "roles" and s.dealt
        assert isinstance(app.screen, AssignmentScreen)
        assert s.roles["Ben"] == "person-in-crisis"
        assert any(r.startswith("Ben: Alex, the person in crisis · … to hand out") for r in rows(app))

        # o: Ana takes the full role; Ben moves to Ana's role, and the app says so
        ana_role = s.role_name(s.roles["Ana"])
        app.screen.query_one("OptionList").highlighted = s.participants.index("Ana")
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("1")  # the first role: the person in crisis
        await settle(pilot)
        assert s.holders("person-in-crisis") == ["Ana"] and s.role_name(s.roles["Ben"]) == ana_role
        said = f"Ana now plays Alex, the person in crisis in place of Ben; Ben now plays {ana_role}."
        assert any(n.message == said for n in app._notifications)
        last = read_log(s.folder)[-1]
        assert last.type == "role_assigned" and last.body.replaced == "Ben"


async def test_a_private_brief_waits_for_the_room_view_to_be_frozen(tmp_path):
    app = make_app(CRISIS, participants=PEOPLE, seed=4, out=tmp_path / "s", clock=FakeClock(), look_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await set_up_and_start(pilot)
        s = app.session
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AssignmentScreen)
        ben = s.participants.index("Ben")
        app.screen.query_one("OptionList").highlighted = ben
        brief = s.text(s.scenario.role("person-in-crisis").brief)

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.question == PROJECTED_WARNING
        assert not any(isinstance(screen, RevealScreen) for screen in app.screen_stack)  # nothing private yet
        assert brief[:40] not in widget_texts(app)
        await pilot.press("n")  # not now
        await settle(pilot)
        assert isinstance(app.screen, AssignmentScreen) and s.handed_out == set()

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RevealScreen)
        assert "Hand the laptop to Ben" in widget_texts(app)
        while isinstance(app.screen, RevealScreen):
            await pilot.press("space", "space", "enter")
            await settle(pilot)
        assert s.handed_out == {"Ben"}
        assert "Ben: Alex, the person in crisis · ✓ handed out" in rows(app)
        assert read_log(s.folder)[-1].type == "handed_out"

        # once frozen, the next person's brief follows without asking again on this screen
        supporter = s.holders("peer-supporter")[0]
        app.screen.query_one("OptionList").highlighted = s.participants.index(supporter)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RevealScreen)
        await pilot.press("escape")
        await settle(pilot)
        folder = s.folder

    # After a resume the hand-out is still known: Ben is not "to hand out" again.
    again = make_app(resume=folder, out=tmp_path / "s", clock=FakeClock(wall=1_800_000_900.0))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert again.session.handed_out == {"Ben"}
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(again.screen, AssignmentScreen)
        assert "Ben: Alex, the person in crisis · ✓ handed out" in rows(again)
        assert sum("… to hand out" in r for r in rows(again)) == 1  # the supporter; observers have nothing private


async def test_not_projected_hands_out_without_the_check(tmp_path):
    app = make_app(CRISIS, participants=PEOPLE, seed=4, out=tmp_path / "s", clock=FakeClock(), look_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await set_up_and_start(pilot, projected=False)
        assert load_settings()["projected"] == "no"
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AssignmentScreen)
        app.screen.query_one("OptionList").highlighted = app.session.participants.index("Ben")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RevealScreen)

    # the choice is remembered: the next set-up starts with the switch off
    app = make_app(CRISIS, participants=PEOPLE, out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.screen.query_one("#projected", Switch).value is False


async def test_one_person_cannot_be_chosen_for_two_roles(tmp_path):
    app = make_app(CRISIS, participants=PEOPLE, out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_in_select(pilot, "role-person-in-crisis", "Cleo")
        await choose_in_select(pilot, "role-peer-supporter", "Cleo")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen) and app.session is None
        assert any("One role per person: Cleo is chosen for two roles." in n.message for n in app._notifications)
        # typing other names updates the choices; a chosen name that is gone is let go
        app.screen.query_one("#participants").value = "Ana, Ben, Dan"
        await settle(pilot)
        assert app.screen.chosen_roles() == {}
        assert [str(t) for t, _ in app.screen.query_one("#role-peer-supporter", Select)._options[1:]] == ["Ana", "Ben", "Dan"]

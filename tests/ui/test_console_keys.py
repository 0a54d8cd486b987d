"""Every tool works with the keys shown on it; the footer, the palette and F1 tell the trainer how."""

from __future__ import annotations

from textual.command import CommandPalette

from roleplay.core import commands as c
from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app
from roleplay.ui.palette import ValidNowProvider
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.help import HELP_SECTIONS, HelpScreen
from roleplay.ui.screens.live import LiveScreen

from .driver import live_session_in, screen_text, settle

SIZE = (120, 40)


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_enter_ticks_the_highlighted_item_at_once_and_the_footer_leads_with_the_phases_tools(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "crisis-conversation", "scene")
        assert isinstance(app.screen, LiveScreen)
        checklist = session.scenario.checklist(session.current.checklists[0])
        await pilot.press("enter")  # no Tab first: the checklist has focus
        await settle(pilot)
        assert session.ticks[(checklist.id, checklist.items[0].id)] == 1
        footer = footer_line(app)
        assert "Add entry" not in footer and "Vote" not in footer  # tools the phase does not have
        assert footer.index("+1 min") < footer.index("Time-out/resume")  # the timer's keys before the general ones
        assert "? Keys" in footer and "f1 Help" in footer  # whatever gives way, the way to every key stays


async def test_a_collection_phase_shows_its_keys_first_and_y_asks_which_entry(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "ideal-helper", "sorting")
        footer = footer_line(app)
        assert footer.index("Add entry") < footer.index("Next")
        collection = session.current.collection
        session.execute(c.AddEntry(collection=collection, text="listens without judging"))
        session.execute(c.AddEntry(collection=collection, text="keeps promises"))
        app._sync()
        await settle(pilot)
        app.screen.set_focus(None)  # nothing highlighted: y must ask, not take the last entry
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert "listens without judging" in screen_text(app) and "keeps promises" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)  # now the category for entry 1
        await pilot.press("1")
        await settle(pilot)
        first = session.scenario.collection(collection).categories[0].id
        assert [e.category for e in session.entries[collection]] == [first, None]


async def test_the_palette_offers_what_is_valid_now_and_runs_it(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "crisis-conversation", "scene")
        provider = ValidNowProvider(app.screen, None)
        hits = {hit.text: hit for hit in [h async for h in provider.discover()]}
        assert {"Next", "Note", "Inject event", "Time-out/resume", "Help"} <= set(hits)
        assert "Vote" not in hits and "Add entry" not in hits and "Rec on/off" not in hits
        before = session.phase
        await hits["Next"].command()
        await settle(pilot)
        assert session.phase != before
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_f1_explains_roles_hand_out_focus_the_private_layer_and_resume(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await live_session_in(pilot, "crisis-conversation", "scene")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        titles = [title for title, _ in HELP_SECTIONS]
        for title in titles:
            assert title in screen_text(app) or title in " ".join(str(w.content) for w in app.screen.query(".help-title"))
        body = " ".join(text for _, text in HELP_SECTIONS)
        for topic in ("Tab", "volunteers", "look", "resume", "freeze", "ctrl+p", ":"):
            assert topic in body
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)


async def test_at_80x24_the_group_text_keeps_the_width_and_the_footer_keeps_the_way_to_every_key(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await live_session_in(pilot, "crisis-conversation", "scene")
        assert app.screen.has_class("-narrow")
        assert app.screen.query_one("#group-text").region.width >= 70  # the tools sit below, not beside
        assert app.screen.query_one("#tools").region.width >= 70
        assert "? Keys" in footer_line(app) and "f1 Help" in footer_line(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen.query_one("#group-text").region.width >= 40  # the key list does not squeeze it away
    async with make_app(out=tmp_path / "t", clock=FakeClock()).run_test(size=(160, 45)) as pilot:
        await live_session_in(pilot, "crisis-conversation", "scene")
        assert not pilot.app.screen.has_class("-narrow")  # a projector: the tools beside the text
        main, tools = pilot.app.screen.query_one("#phase-main").region, pilot.app.screen.query_one("#tools").region
        assert tools.x > main.x and tools.y == main.y

"""On a screen shown to the group, the trainer's private layer opens only behind the cover.

The room's view holds the group text, the timer, the public tools and tallies. The script,
notes, what an event is for, individual answers, roles' briefs and cards are the trainer's:
they are never drawn on a projected phase screen, and open behind a deliberate key.
"""

from __future__ import annotations

from roleplay.core.clock import FakeClock
from roleplay.core.loader import load_scenario
from roleplay.ui.app import make_app
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.cover import CoverScreen
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.private_layer import PrivateLayerScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.quality import QualityScreen

from .conftest import BUILTIN
from .driver import assert_hidden, flat, live_session_in, settle, type_text, wait_until, widget_texts

SIZE = (110, 34)


def crisis_scene_with_event():
    scenario = load_scenario(BUILTIN / "crisis-conversation.yaml").scenario
    phase = next(pid for pid, p in scenario.phases.items() if p.script and p.events)
    return scenario, phase


async def test_the_script_event_notes_and_notes_stay_behind_the_cover(tmp_path):
    scenario, phase_id = crisis_scene_with_event()
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "crisis-conversation", phase_id)
        assert app.projected  # the safe default: nobody said this screen is private
        assert isinstance(app.screen, LiveScreen)
        script = session.text(session.current.script)
        assert_hidden(app, script)

        # s: the cover first; nothing private until the trainer presses Enter
        await pilot.press("s")
        assert isinstance(app.screen, CoverScreen)
        assert_hidden(app, script)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PrivateLayerScreen)
        assert flat(script)[:40] in widget_texts(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert_hidden(app, script)

        # i: the list of events is behind the cover too; after bringing one in, the layer hides again
        await pilot.press("i")
        assert isinstance(app.screen, CoverScreen)
        first_event = session.scenario.event(session.injectable()[0])
        assert_hidden(app, session.text(first_event.title))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        while not isinstance(app.screen, LiveScreen):  # any new instruction for a player: hand it over
            await pilot.press("escape")
            await settle(pilot)
        assert [e["event"] for e in session.injected] == [first_event.id]
        assert_hidden(app, session.text(first_event.script))
        if first_event.group_text:
            assert flat(session.text(first_event.group_text))[:40] in widget_texts(app)

        # a: a note about a person is typed behind the cover and never stays on the room's screen
        note = "Ben seemed tired after the hospital stay"
        await pilot.press("a")
        assert isinstance(app.screen, CoverScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, note)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert [n["text"] for n in session.notes] == [note]
        assert_hidden(app, note)

        # Escape on the cover goes back without showing anything or writing anything
        await pilot.press("a", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert len(session.notes) == 1


async def test_on_the_trainers_own_screen_everything_is_in_place(tmp_path):
    scenario, phase_id = crisis_scene_with_event()
    app = make_app(out=tmp_path / "s", clock=FakeClock(), projected=False)
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "crisis-conversation", phase_id)
        script = session.text(session.current.script)
        assert flat(script)[:40] in widget_texts(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # no cover needed
        await pilot.press("escape")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, PrivateLayerScreen)


async def test_the_private_layer_hides_itself_after_a_quiet_while(tmp_path):
    scenario, phase_id = crisis_scene_with_event()
    app = make_app(out=tmp_path / "s", clock=FakeClock(), private_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "crisis-conversation", phase_id)
        await pilot.press("s", "enter")
        await settle(pilot)
        layer = app.screen
        assert isinstance(layer, PrivateLayerScreen) and layer.hide_after == 30  # the app's setting
        # A key keeps it open; the quiet spell then starts again. (Shortened here so the test does not wait 30 s.)
        layer._timer.stop()
        layer.hide_after = 0.2
        layer._timer = layer.set_timer(layer.hide_after, layer._hide_when_idle)
        await wait_until(pilot, lambda: isinstance(app.screen, LiveScreen), seconds=20, what="the private layer to hide")
        assert_hidden(app, session.text(session.current.script))


async def test_the_quality_sheet_shows_the_room_only_a_count(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        scenario = load_scenario(BUILTIN / "guess-who.yaml").scenario
        phase_id = next(pid for pid, p in scenario.phases.items() if p.form)
        session = await live_session_in(pilot, "guess-who", phase_id)
        assert isinstance(app.screen, QualityScreen)
        form = app.screen.form
        rating = next(q for q in form.questions if q.answer == "rating")
        app.screen.index = form.questions.index(rating)
        app.screen.refresh_session()
        await pilot.press(str(rating.max))
        await settle(pilot)
        assert "1 answer(s) so far" in widget_texts(app)
        assert not app.screen.query_one("#answers").region.area  # no chart per key press
        text_question = next((q for q in form.questions if q.answer != "rating"), None)
        if text_question is not None:
            app.screen.index = form.questions.index(text_question)
            app.screen.refresh_session()
            await pilot.press("enter")
            assert isinstance(app.screen, CoverScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, PromptScreen)
            answer = "I could not say this in the room"
            await type_text(pilot, answer)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, QualityScreen)
            assert answer in [a["value"] for a in session.answers]
            assert_hidden(app, answer)


async def test_the_library_saves_a_printable_trainers_script(tmp_path):
    import stat

    from roleplay.core.settings import trainer_scripts_dir
    from roleplay.ui.screens.library import LibraryScreen

    app = make_app(clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        entry = app.screen.shown[app.screen.query_one("#library-list").highlighted]
        await pilot.press("p")
        await settle(pilot)
        saved = trainer_scripts_dir() / f"{entry.result.scenario.id}-{entry.result.scenario.fallback}.html"
        assert str(tmp_path) in str(saved) and saved.is_file()
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
        assert any(str(saved) in n.message for n in app._notifications)

"""Keys on the live phase screen redraw only what changed, and the terminal ends up showing exactly what a
full redraw would (issue 14: refreshing after a key skips texts and list items that did not change).

The keys are the bench's (`bench/ui_bench.py` LIVE_KEYS) on the Goal phase of grow-coaching: next item,
tick, take the tick back, previous item, time-out, resume. The frames the app sends are applied to a
model terminal and compared with a fresh render of the whole screen after every key.
"""

from __future__ import annotations


from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.widgets.tools import ToolList

from .driver import live_session_in
from .frames import FrameWatch, ModelTerminal, full_redraw

KEYS = ["down", "enter", "-", "up", "p", "p"]
# Layouts a key may cost: a tick changes only a list item's text (no layout); the time-out banner
# appearing or going changes the screen's layout once.
MOST_LAYOUTS = {"down": 0, "up": 0, "enter": 0, "-": 0, "p": 1}


async def test_each_live_key_lays_out_at_most_once_and_draws_what_a_full_redraw_shows(tmp_path, monkeypatch):
    watch = FrameWatch(monkeypatch)

    clock = FakeClock()  # the countdown does not move by itself: only the keys change the screen
    app = make_app(out=tmp_path / "s", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        session = await live_session_in(pilot, "grow-coaching", "goal", names=("Ana", "Ben", "Cleo"))
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        assert isinstance(screen.focused, ToolList)  # the checklist: enter ticks, - takes back
        await watch.drawn(pilot, "the live screen")
        terminal = ModelTerminal(screen._compositor.render_strips())
        watch.sent.clear()
        ticks = sum(session.ticks.values())
        for key in KEYS:
            watch.layouts = 0
            await pilot.press(key)
            await watch.drawn(pilot, "the live screen")
            for update in watch.sent:
                terminal.apply(update)
            assert watch.layouts <= MOST_LAYOUTS[key], f"{key}: {watch.layouts} layouts"
            assert len(watch.sent) <= 1, f"{key}: {len(watch.sent)} frames"
            watch.sent.clear()
            assert terminal.lines == full_redraw(screen), f"after {key}"
            if key == "enter":
                assert sum(session.ticks.values()) == ticks + 1
            if key == "p":
                assert ("TIME-OUT" in str(screen.query_one("#timeout-banner").render())) == session.paused
        assert sum(session.ticks.values()) == ticks and not session.paused

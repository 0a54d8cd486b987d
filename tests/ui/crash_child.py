"""Run by test_resume: drive a session part-way by keyboard, say READY, then wait to be killed.

It waits on its stdin, which the test holds open: should the test die first, the pipe closes and this ends too.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app

HERE = Path(__file__).resolve().parent
BRANCHING = HERE.parent / "data" / "valid" / "branching.yaml"


async def main(out: str) -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    from roleplay.ui.screens.reveal import RevealScreen
    from tests.ui import fast_textual  # noqa: F401  as in the UI tests: less waiting (what and why: there)
    from tests.ui.driver import press_private, settle, start_from_setup, type_text

    app = make_app(BRANCHING, participants="Ana, Ben, Cleo, Dan", seed=9, out=out, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await start_from_setup(pilot)
        await settle(pilot)
        await pilot.press("n")  # warm-up -> guessing: roles and cards are dealt there, the roles screen comes up
        await settle(pilot)
        await pilot.press("enter", "y")  # hand out to the first person (a projected screen: frozen first)
        await settle(pilot)
        while isinstance(app.screen, RevealScreen):  # each step (brief, card): shown, hidden, next
            await pilot.press("space", "space", "enter")
            await settle(pilot)
        assert app.session.handed_out, "the hand-out is logged"
        await pilot.press("n", "y")  # continue although not everyone has seen theirs
        await settle(pilot)
        await pilot.press("n", "y")  # soft check: force on to the scene
        await settle(pilot)
        app.screen.query_one("#checklist-listening").focus()
        await pilot.press("enter", "enter")
        await press_private(pilot, "a")  # a note is typed behind the cover on a projected screen
        await type_text(pilot, "Ben leans in")
        await pilot.press("enter")
        await pilot.press("m")
        await type_text(pilot, "strong moment")
        await pilot.press("enter")
        await settle(pilot)
        print(f"READY {app.session.folder}", flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until kill -9, or end of input if the test is gone


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

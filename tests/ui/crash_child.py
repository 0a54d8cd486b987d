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
    from tests.ui.driver import settle, start_from_setup, type_text

    app = make_app(BRANCHING, participants="Ana, Ben, Cleo, Dan", seed=9, out=out, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await start_from_setup(pilot)
        await settle(pilot)
        await pilot.press("n", "y")  # assignment: continue although not handed out
        await settle(pilot)
        await pilot.press("n")  # warm-up -> guessing
        await settle(pilot)
        await pilot.press("n", "y")  # soft check: force on to the scene
        await settle(pilot)
        app.screen.query_one("#checklist-listening").focus()
        await pilot.press("enter", "enter")
        await pilot.press("a")
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

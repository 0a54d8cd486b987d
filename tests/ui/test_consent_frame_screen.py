"""The consent screen offers observing outside the frame (issue 13): the session is still filmed, the person
is marked in the log before the deal, and the screen shows them as observing outside the frame."""

from __future__ import annotations

import pytest

from roleplay.core.log import read_log
from roleplay.ui.app import make_app
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.consent import ConsentScreen

from .conftest import BUILTIN
from .driver import settle, wait_until

pytestmark = [pytest.mark.video]

SIZE = (80, 24)


async def test_who_answers_o_observes_outside_the_frame_and_the_others_are_filmed(tmp_path):
    app = make_app(BUILTIN / "crisis-conversation.yaml", participants="Ana, Ben, Cleo", seed=3, out=tmp_path / "s",
                   camera="synthetic:32x24@5", audio="none", sound=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#recording").value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        while isinstance(app.screen, ConfirmScreen):  # content notes read
            await pilot.press("y")
            await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        await pilot.press("y", "o")
        await pilot.pause()
        so_far = str(app.screen.query_one("#consent-so-far").render())
        assert "Ana: yes, Ben: observing outside the frame" in so_far
        await pilot.press("y")
        await settle(pilot)
        session = app.session
        assert session is not None and session.started.recording  # still filmed
        assert session.outside_frame == {"Ben"} and session.consents == {"Ana": True, "Ben": False, "Cleo": True}
        assert any("Observing outside the frame: Ben" in n.message for n in app._notifications)
        await wait_until(pilot, lambda: app.recording is not None, what="the recorder to be built")
    answers = [e.data for e in read_log(session.folder) if e.type == "consent"]
    assert answers[0] == {"participant": "Ben", "given": False, "outside_frame": True}  # before the deal
    assert {"participant": "Ana", "given": True} in answers and {"participant": "Cleo", "given": True} in answers

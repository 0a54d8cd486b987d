"""Issue 13, item 4: on a named form (a self-assessment) each phone answers for its own person only, under
their name and at once (not held with the anonymous ballots), and sees the form's named levels."""

from __future__ import annotations

from roleplay.core import commands as c
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.room.room import Room
from roleplay.room.visibility import phone_refusal
from tests.conftest import DATA
from tests.room.conftest import ROOM, joined
from tests.room.test_phone_actions import do

pytestmark = ROOM


def test_each_phone_answers_a_named_form_for_its_own_person(tmp_path):
    scenario = load_scenario(DATA / "valid" / "self-assessment.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben"], root=tmp_path, seed=1)
    session.execute(c.OpenRoom(address="127.0.0.1:8765"))
    room = Room(session)
    try:
        ana = joined(room, "Ana")
        page = ana.get("/me").text
        assert "kept under your name" in page and "Your answers are anonymous" not in page
        assert "Intermediate" in page and "Leader" in page  # the levels, not bare numbers
        assert do(ana, "answer", form="self-assessment", **{"q-engage": "3"}).status_code == 303
        assert [(a["question"], a["value"], a["by"]) for a in session.answers] == [("engage", 3, "Ana")]  # written at once
        assert phone_refusal(session, "Ana", c.AnswerForm(question="engage", value="2", by="Ben"))[0] == 403
        assert phone_refusal(session, "Ana", c.AnswerForm(question="engage", value="2"))[0] == 403
        assert phone_refusal(session, "Ana", c.AnswerForm(question="engage", value="2", by="Ana")) is None
    finally:
        room.close()
        session.close()

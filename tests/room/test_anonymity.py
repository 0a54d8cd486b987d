"""The anonymous quality-control sheet cannot be traced back to a phone through the log (issue 11).

Answers carry no name and no device, and the room writes them in shuffled batches of at least three
sheets, or as the phase ends (roleplay/room/ballots.py): neither the time of a log line nor the order
of the lines tells who sent which answers.
"""

from __future__ import annotations

import json
import random
import secrets

from roleplay.core import commands as c
from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.room.ballots import BallotBox
from roleplay.room.room import Room
from tests.room.conftest import ROOM, browser, deal, joined, start_session
from tests.room.test_phone_actions import do, log_lines, until

pytestmark = ROOM

FORM = "quality-control"
PEOPLE = ["Ana", "Ben", "Cleo", "Dan", "Eve"]


def _sheet_phase(tmp_path):
    clock = FakeClock()
    session = start_session(tmp_path, "ideal-helper", people=PEOPLE, clock=clock)
    deal(session)
    room = Room(session)
    room.ballots.rng = random.Random(5)  # a fixed shuffle, so the test is the same on every run
    until(session, lambda s: bool(s.current.form))
    return session, room, clock, {name: joined(room, name) for name in PEOPLE}


def _send(phone, number: int):
    """Sheet `number`: its comment says which sheet it is (the test's own key, never the log's)."""
    return do(phone, "answer", form=FORM, **{"q-safety": str(1 + number % 5), "q-comments": f"sheet {number}"})


def _answers(session) -> list[dict]:
    return [e for e in log_lines(session) if e["type"] == "form_answered"]


def test_sheets_are_written_in_shuffled_batches_at_moments_no_phone_chose(tmp_path):
    session, room, clock, phones = _sheet_phase(tmp_path)
    try:
        assert isinstance(BallotBox().rng, secrets.SystemRandom)  # outside tests the shuffle cannot be predicted
        sent_at = []
        for number, name in enumerate(PEOPLE[:2]):
            clock.advance(7)
            sent_at.append(clock.wall())
            assert _send(phones[name], number).status_code == 303
            assert "your answers are in" in phones[name].get("/me").text  # the phone is told at once
        # Two sheets are held: nothing in the log yet, and the room can say how many are waiting.
        assert _answers(session) == [] and session.answers == [] and room.held(("form", FORM)) == 2
        clock.advance(7)
        sent_at.append(clock.wall())
        assert _send(phones["Cleo"], 2).status_code == 303
        first = _answers(session)
        assert len(first) == 6 and room.held(("form", FORM)) == 0  # three sheets of two answers, at once
        assert {e["wall"] for e in first} == {sent_at[2]}  # when the third came: not when Ana or Ben sent theirs
        assert [e["seq"] for e in first] == list(range(first[0]["seq"], first[0]["seq"] + 6))  # nothing between them
        # Which sheet each line came from (the test knows; the log does not): not the order of sending.
        by_line = [next(n for n in range(3) if e["data"]["value"] in (f"sheet {n}", 1 + n % 5)) for e in first]
        assert sorted(by_line) == [0, 0, 1, 1, 2, 2]
        assert by_line != sorted(by_line), "the lines follow the order in which the phones sent"
        # Two more are held, then written when the trainer moves on, at that moment.
        for number, name in enumerate(PEOPLE[3:], 3):
            clock.advance(7)
            assert _send(phones[name], number).status_code == 303
        clock.advance(60)
        session.fire("next", force=True)
        rest = [e for e in _answers(session) if e["seq"] > first[-1]["seq"]]
        assert len(rest) == 4 and {e["wall"] for e in rest} == {clock.wall()}
        entered = [e for e in log_lines(session) if e["type"] == "phase_entered"][-1]
        assert all(e["seq"] < entered["seq"] for e in rest)  # written while the sheet was still open
        # No name and no device anywhere near an answer; no marker says who answered.
        devices = {d.device for d in session.devices.values()}
        for event in _answers(session):
            assert set(event["data"]) == {"form", "question", "value"}
            line = json.dumps(event)
            assert not any(device in line for device in devices) and not any(name in line for name in PEOPLE)
        assert not any(e["type"] == "voters_noted" for e in log_lines(session))
        assert len(session.answers) == 10  # the trainer's count is whole once the phase has ended
    finally:
        room.close()
        session.close()


def test_stopping_the_session_early_writes_the_held_sheets_first(tmp_path):
    session, room, clock, phones = _sheet_phase(tmp_path)
    try:
        for number, name in enumerate(PEOPLE[:2]):
            assert _send(phones[name], number).status_code == 303
        session.execute(c.EndSession())
        types = [e["type"] for e in log_lines(session)]
        assert types[-1] == "session_ended" and types[-5:-1] == ["form_answered"] * 4
    finally:
        room.close()
        session.close()


def test_across_a_restart_the_log_still_holds_no_device_and_a_lost_sheet_can_be_sent_again(tmp_path):
    session, room, clock, phones = _sheet_phase(tmp_path)
    for number, name in enumerate(PEOPLE[:4]):
        assert _send(phones[name], number).status_code == 303
    # Three were written; Dan's is held when the program stops (a crash, or input ended): it is lost.
    cookie = dict(phones["Dan"].cookies)
    assert len(_answers(session)) == 6 and room.held(("form", FORM)) == 1
    folder = session.folder
    room.close()
    session.close()

    again = Session.reopen(folder, clock=clock)
    restarted = Room(again)
    try:
        assert restarted.held(("form", FORM)) == 0
        dan = browser(restarted)
        for key, value in cookie.items():
            dan.cookies.set(key, value)
        assert "Send my answers" in dan.get("/me").text  # nothing says Dan answered: he may send it again
        assert _send(dan, 3).status_code == 303
        assert _send(dan, 3).status_code == 409  # and only once
        again.fire("next", force=True)
        comments = sorted(a["value"] for a in again.answers if a["question"] == "comments")
        assert comments == ["sheet 0", "sheet 1", "sheet 2", "sheet 3"]
        devices = {d.device for d in again.devices.values()}
        for event in _answers(again):
            assert not any(device in json.dumps(event) for device in devices)
    finally:
        restarted.close()
        again.close()

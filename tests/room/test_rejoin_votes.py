"""One vote per phone survives a restart, and the log still never says who voted what (issue 11).

Votes are held and written in shuffled batches of at least three (roleplay/room/ballots.py); each
batch is followed by one `voters_noted` event naming its devices, sorted, never a choice. A Room
rebuilt from the log reads those, so a phone that voted is refused after a restart; a vote that was
still held when the program stopped is lost with its marker, so that phone may vote again, once.
"""

from __future__ import annotations

import json
import random

import pytest

from roleplay.core import commands as c
from roleplay.core.clock import FakeClock
from roleplay.core.engine import CommandError, Session
from roleplay.room.room import Room
from tests.room.conftest import PEOPLE, ROOM, browser, deal, joined, start_session
from tests.room.test_phone_actions import do, log_lines, until

pytestmark = ROOM


@pytest.fixture
def voting(tmp_path):
    clock = FakeClock()
    session = start_session(tmp_path, "peer-drift", clock=clock)
    deal(session)
    room = Room(session)
    room.ballots.rng = random.Random(3)
    until(session, lambda s: bool(s.current.votes))
    vote = session.current.votes[0]
    options = [o.id for o in session.scenario.vote(vote).options]
    return session, room, clock, vote, options


def _vote(phone, vote: str, option: str):
    return do(phone, "vote", vote=vote, option=option)


def test_a_batch_of_votes_names_its_phones_but_not_their_choices(voting):
    session, room, clock, vote, options = voting
    phones = {name: joined(room, name) for name in PEOPLE}
    try:
        for name, option in zip(PEOPLE[:2], options):
            clock.advance(5)
            assert _vote(phones[name], vote, option).status_code == 303
            assert "You voted" in phones[name].get("/me").text
        assert sum(session.votes.get(vote, {}).values()) == 0  # held: two are not a batch
        clock.advance(5)
        assert _vote(phones["Cleo"], vote, options[0]).status_code == 303
        lines = log_lines(session)
        cast = [e for e in lines if e["type"] == "vote_cast"]
        (noted,) = [e for e in lines if e["type"] == "voters_noted"]
        devices = {name: d.device for d in session.devices.values() for name in [d.participant]}
        assert noted["data"] == {"vote": vote, "visit": len(session.history),
                                 "devices": sorted(devices[n] for n in PEOPLE[:3])}
        assert len(cast) == 3 and {e["wall"] for e in cast + [noted]} == {clock.wall()}  # one moment
        assert [e["seq"] for e in cast] == [noted["seq"] - 3, noted["seq"] - 2, noted["seq"] - 1]
        for event in cast:
            assert set(event["data"]) <= {"vote", "option", "count"} and event["data"].get("count", 1) == 1
            assert not any(d in json.dumps(event) for d in devices.values())
        assert session.votes[vote][options[0]] == 2 and session.votes[vote][options[1]] == 1
        # The phase ends with two votes held: they are written, and no marker names just those two.
        for name in PEOPLE[3:5]:
            assert _vote(phones[name], vote, options[1]).status_code == 303
        session.fire(session.triggers()[0], force=True)
        assert sum(session.votes[vote].values()) == 5
        assert [e["type"] for e in log_lines(session)].count("voters_noted") == 1
    finally:
        room.close()
        session.close()


def test_after_a_restart_a_phone_that_voted_cannot_vote_again(voting):
    session, room, clock, vote, options = voting
    phones = {name: joined(room, name) for name in PEOPLE}
    cookies = {name: dict(phone.cookies) for name, phone in phones.items()}
    for name in PEOPLE[:4]:  # Ana, Ben, Cleo are written with their marker; Dan's vote is held
        assert _vote(phones[name], vote, options[0]).status_code == 303
    assert sum(session.votes[vote].values()) == 3 and room.held(("vote", vote, len(session.history))) == 1
    folder = session.folder
    room.close()
    session.close()  # the program stops: Dan's held vote is lost with it

    again = Session.reopen(folder, clock=clock)
    restarted = Room(again)
    try:
        def phone(name):
            p = browser(restarted)
            for key, value in cookies[name].items():
                p.cookies.set(key, value)
            return p

        ana = phone("Ana")
        assert "You voted" in ana.get("/me").text
        refused = _vote(ana, vote, options[1])
        assert refused.status_code == 409 and "already" in refused.text
        dan = phone("Dan")
        assert "You voted" not in dan.get("/me").text
        assert _vote(dan, vote, options[1]).status_code == 303  # his first vote never reached the log
        assert _vote(dan, vote, options[1]).status_code == 409
        for name in ("Eve", "Fay"):
            assert _vote(phone(name), vote, options[1]).status_code == 303
        assert again.votes[vote][options[0]] == 3 and again.votes[vote][options[1]] == 3  # one vote per phone
        noted = [e.body for e in again.events if e.type == "voters_noted"]
        assert len(noted) == 2 and set(noted[0].devices).isdisjoint(noted[1].devices)
    finally:
        restarted.close()
        again.close()


def test_a_room_made_again_from_the_log_knows_who_voted_in_this_visit(voting):
    session, room, clock, vote, options = voting
    phones = {name: joined(room, name) for name in PEOPLE[:3]}
    try:
        for phone in phones.values():
            assert _vote(phone, vote, options[0]).status_code == 303
        visit = len(session.history)
        room.close()
        rebuilt = Room(session)  # a Room made again from the same log knows the votes of that visit
        try:
            device = rebuilt.snapshot.device(phones["Ana"].cookies.get("roleplay_device"))
            assert rebuilt.has_done(device, ("vote", vote, visit))
            assert not rebuilt.has_done(device, ("vote", vote, visit + 1))
        finally:
            rebuilt.close()
    finally:
        session.close()


def test_only_the_room_notes_voters_and_only_devices_it_knows(voting):
    session, room, clock, vote, options = voting
    try:
        with pytest.raises(CommandError, match="devices it knows"):
            session.execute(c.NoteVoters(vote=vote, devices=["nosuchdevice"]))
        from roleplay.room.visibility import phone_refusal

        assert phone_refusal(session, "Ana", c.NoteVoters(vote=vote, devices=[]))[0] == 403
    finally:
        room.close()
        session.close()

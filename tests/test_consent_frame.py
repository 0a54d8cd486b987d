"""Observing outside the frame (issue 13): whoever declines to be filmed is marked so, recording may go
on, and nobody outside the frame is ever put into it. The rules live in roleplay/core/consent.py."""

from __future__ import annotations

import json

import pytest

from roleplay.core import commands as c
from roleplay.core import consent
from roleplay.core.command_line import parse
from roleplay.core.engine import Session
from roleplay.core.events import EventDataError, parse_body
from roleplay.core.loader import load_scenario
from roleplay.core.log import read_log
from roleplay.core.report import to_markdown
from roleplay.core.state import CommandError
from roleplay.room.scenes import SceneBook, cast_of
from tests.conftest import SCENARIOS

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]
ACTING = ("person-in-crisis", "peer-supporter")


def crisis():
    return load_scenario(SCENARIOS / "crisis-conversation.yaml").scenario


def to_phase(session, phase):
    while session.phase != phase:
        session.execute(c.Go(trigger="next", force=True))


def filmed_session(tmp_path, *, outside=("Ben",), recording=True):
    """A crisis conversation where everyone but `outside` consents, and they observe outside the frame."""
    session = Session.start(crisis(), PEOPLE, root=tmp_path, seed=7, recording=recording)
    for name in PEOPLE:
        if name in outside:
            session.execute(c.ObserveOutsideFrame(participant=name))
        else:
            session.execute(c.SetConsent(participant=name, given=True))
    return session


def test_who_declines_observes_outside_the_frame_and_recording_may_start(tmp_path):
    session = filmed_session(tmp_path)
    assert session.outside_frame == {"Ben"} and not session.all_consented()
    assert consent.missing_consent(session.events) == []
    to_phase(session, "roles")  # the deal: Ben is given the role outside the frame
    assert session.roles["Ben"] == consent.outside_role(session.scenario) == "observer"
    assert sorted(session.roles[p] for p in PEOPLE if p != "Ben").count("observer") == 1  # both acting roles filled
    assert not session.may_record()  # here the whole group sits together: no filming while Ben is outside
    to_phase(session, "scene")
    assert session.may_record() and "Ben" not in consent.in_frame(session)
    consent.check_consent(session.folder, session.events)  # the recorder's check lets it start
    session.close()


def test_an_acting_role_or_the_scene_is_refused_to_someone_outside_the_frame(tmp_path):
    session = filmed_session(tmp_path)
    to_phase(session, "scene")
    actor = next(p for p in PEOPLE if session.roles[p] == "peer-supporter")
    before = len(read_log(session.folder))
    for command in (c.AssignRole(participant="Ben", role="peer-supporter"),
                    c.AssignRole(participant="Ben", role="person-in-crisis"),
                    c.SwapParticipants(first="Ben", second=actor),
                    c.UseTechnique(technique="doubling", who=[actor, "Ben"])):
        with pytest.raises(CommandError, match="Ben observes outside the frame"):
            session.execute(command)
    with pytest.raises(CommandError, match="give them Observer"):
        session.execute(c.AssignRole(participant="Ben", role="peer-supporter"))
    # Putting someone else in Ben's place is fine: Ben would get an observer's role, outside the frame.
    other = next(p for p in PEOPLE if session.roles[p] == "observer" and p != "Ben")
    session.execute(c.SwapParticipants(first="Ben", second=other))
    assert len(read_log(session.folder)) == before + 1
    with pytest.raises(CommandError, match="already"):
        session.execute(c.ObserveOutsideFrame(participant="Ben"))
    session.close()


def test_someone_outside_the_frame_can_consent_later_and_step_in(tmp_path):
    session = filmed_session(tmp_path)
    to_phase(session, "scene")
    session.execute(parse(session, "consent Ben yes"))
    assert session.outside_frame == set() and session.all_consented()
    session.execute(c.AssignRole(participant="Ben", role="peer-supporter"))
    assert session.roles["Ben"] == "peer-supporter" and "Ben" in consent.in_frame(session)
    assert session.may_record()
    # ...and step out again: then they are in the frame while it would be filmed, and it must not be.
    session.execute(parse(session, "outside Ben"))
    assert not session.may_record()
    assert any("Ben observes outside the frame but is in it here" in p for p in consent.recording_problems(session))
    with pytest.raises(consent.ConsentMissing, match="Ben"):
        consent.check_consent(session.folder, session.events)
    session.close()


def test_the_mark_round_trips_through_the_log(tmp_path):
    session = filmed_session(tmp_path)
    to_phase(session, "scene")
    session.execute(c.SetConsent(participant="Ben", given=True))
    session.execute(c.ObserveOutsideFrame(participant="Ben"))
    session.close()
    lines = [json.loads(line) for line in (session.folder / "session.jsonl").read_text().splitlines()]
    answers = [e["data"] for e in lines if e["type"] == "consent"]
    assert {"participant": "Ben", "given": False, "outside_frame": True} in answers
    assert {"participant": "Ana", "given": True} in answers  # a plain answer is written as before
    rebuilt = Session.replay(session.folder)
    assert rebuilt.snapshot() == session.snapshot() and rebuilt.outside_frame == {"Ben"}
    with pytest.raises(EventDataError, match="outside_frame goes with given: false"):
        parse_body("consent", {"participant": "Ben", "given": True, "outside_frame": True})


def test_a_plain_no_still_holds_recording_back(tmp_path):
    session = filmed_session(tmp_path, outside=())
    to_phase(session, "scene")
    session.execute(c.SetConsent(participant="Ben", given=False))  # withdrawn: not the same as outside
    assert not session.may_record() and consent.withdrawn(session) == ["Ben"]
    with pytest.raises(consent.ConsentMissing, match="Ben"):
        consent.check_consent(session.folder, session.events)
    session.close()


def test_without_filming_the_mark_limits_nothing_and_nobody_outside_is_in_a_scene(tmp_path):
    session = filmed_session(tmp_path, recording=False)
    book = SceneBook(session)
    session.listeners.append(lambda event: book.follow(session, event))
    to_phase(session, "scene")
    role = next(r for r in ACTING if session.roles["Ben"] != r)
    session.execute(c.AssignRole(participant="Ben", role=role))  # nothing is filmed: allowed
    assert "Ben" not in cast_of(session)  # replay's list of who was in a scene leaves them out
    assert all("Ben" not in moment.people for moment in book.moments)
    assert book.info(session).consented  # declining to be filmed is no withdrawal: others' replay stays
    report = to_markdown(session)
    assert "observing outside the frame" in next(line for line in report.splitlines() if line.startswith("| Ben |"))
    assert "**consent**: Ben\\: observing outside the frame" in report  # Markdown-escaped
    from roleplay.pages.report import report_html

    page = report_html(session)
    assert "<tr><td>Ben</td><td>" in page and "(observing outside the frame)</td>" in page.split("<tr><td>Ben</td>")[1]
    session.close()


def test_an_exercise_where_everyone_is_in_the_frame_has_no_outside(tmp_path):
    scenario = load_scenario(SCENARIOS / "guess-who.yaml").scenario
    assert not consent.outside_possible(scenario)
    assert set(consent.acting_roles(crisis())) == set(ACTING)
    session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan", "Eve"], root=tmp_path, seed=1, recording=True,
                            outside_frame=["Ben"])
    for name in ("Ana", "Cleo", "Dan", "Eve"):
        session.consent(name, True)
    recorded = next(pid for pid, phase in scenario.phases.items() if phase.record)
    to_phase(session, recorded)
    assert not session.may_record()
    with pytest.raises(consent.ConsentMissing, match="Ben"):
        consent.check_consent(session.folder, session.events)
    session.close()


def test_a_log_without_a_scenario_never_films_someone_outside_the_frame(tmp_path):
    from roleplay.core.clock import Clock
    from roleplay.core.log import SessionLog, new_session_folder

    folder = new_session_folder(tmp_path, "test", Clock())
    log = SessionLog(folder, Clock())
    log.append("session_started", {"scenario": "test", "participants": ["Ada", "Ben"]})
    log.append("consent", {"participant": "Ada", "given": True})
    log.append("consent", {"participant": "Ben", "given": False, "outside_frame": True})
    log.close()
    with pytest.raises(consent.ConsentMissing, match="Ben"):
        consent.check_consent(folder)

"""What a phone does (issue 11): checklists, votes, ratings, entries, the anonymous sheet, marking a moment.

Every action is a typed command carried out by `Room.act` on the session's owner thread, with the
phone's CSRF token; what is not this participant's to do is refused with 403, what is not open now
(or done already) with 409, and never with a traceback.
"""

from __future__ import annotations

import json

import pytest

from roleplay.core import commands as c
from roleplay.core.engine import Session
from roleplay.room.room import Room, csrf_for
from roleplay.room.server import DEVICE_COOKIE
from roleplay.room.visibility import PHONE_MARKER_LABEL, observable, phone_refusal
from tests.room.conftest import ROOM, csrf_of, deal, joined, load, start_session

pytestmark = ROOM


def until(session, test, limit: int = 40) -> None:
    """Go on (forced) until `test(session)` holds."""
    for _ in range(limit):
        if test(session):
            return
        session.fire(session.triggers()[0] if session.triggers() else "next", force=True)
    assert test(session), session.phase


def do(phone, action: str, **fields):
    page = phone.get("/me")
    assert page.status_code == 200, page.text
    csrf = csrf_for(phone.cookies.get(DEVICE_COOKIE))  # what every form of the page carries
    assert 'name="csrf"' not in page.text or csrf_of(page.text) == csrf
    return phone.post(f"/me/do/{action}", data={"csrf": csrf, **fields})


def log_lines(session) -> list[dict]:
    return [json.loads(line) for line in (session.folder / "session.jsonl").read_text().splitlines() if line.strip()]


@pytest.fixture
def drift(tmp_path):
    s = start_session(tmp_path, "peer-drift")
    deal(s)
    room = Room(s)
    yield s, room
    room.close()
    s.close()


def test_an_observer_ticks_on_the_phone_about_the_person_they_observe(drift):
    session, room = drift
    until(session, lambda s: bool(s.current.checklists))
    observer = next(p for p in session.participants if session.roles[p] == "observer")
    other = next(p for p in session.participants if session.roles[p] not in ("observer",))
    phone = joined(room, observer)
    page = phone.get("/me").text
    assert "Your checklist" in page and "I am observing" in page
    choices = observable(session, observer)
    assert other in choices and observer not in choices
    checklist = session.current.checklists[0]
    item = session.scenario.checklist(checklist).items[0].id
    who = choices[-1]
    answer = do(phone, "observe", by=who)
    assert answer.status_code == 303
    assert f"Tick what you see <strong>{who}</strong> do" in phone.get("/me").text
    answer = do(phone, "tick", checklist=checklist, item=item, by=who)
    assert answer.status_code == 303 and answer.headers["location"] == "/me"
    assert session.tick_counts[(checklist, item, 1, who)] == 1
    tick = [e for e in log_lines(session) if e["type"] == "tick"][-1]
    assert tick["data"] == {"checklist": checklist, "item": item, "phase": session.phase, "by": who}
    assert do(phone, "untick", checklist=checklist, item=item, by=who).status_code == 303
    assert session.tick_counts[(checklist, item, 1, who)] == 0
    # nothing to take back: not now
    assert do(phone, "untick", checklist=checklist, item=item, by=who).status_code == 409
    # about someone who is not theirs to observe (themselves, another observer): not theirs to do
    for bad in (observer, next(p for p in session.participants if session.roles[p] == "observer" and p != observer)):
        answer = do(phone, "tick", checklist=checklist, item=item, by=bad)
        assert answer.status_code == 403 and "Traceback" not in answer.text
    assert do(phone, "observe", by=observer).status_code == 403


def test_someone_who_is_not_the_observer_cannot_tick(drift):
    session, room = drift
    until(session, lambda s: bool(s.current.checklists))
    player = next(p for p in session.participants if session.roles[p] == "peer")
    phone = joined(room, player)
    assert "Your checklist" not in phone.get("/me").text
    checklist = session.current.checklists[0]
    item = session.scenario.checklist(checklist).items[0].id
    supporter = next(p for p in session.participants if session.roles[p] == "peer-supporter")
    answer = do(phone, "tick", checklist=checklist, item=item, by=supporter)
    assert answer.status_code == 403 and "someone else" in answer.text
    assert not any(e["type"] == "tick" for e in log_lines(session))


def test_every_form_needs_the_phone_s_own_csrf_token(drift):
    session, room = drift
    until(session, lambda s: bool(s.current.checklists))
    observer = next(p for p in session.participants if session.roles[p] == "observer")
    phone = joined(room, observer)
    checklist = session.current.checklists[0]
    item = session.scenario.checklist(checklist).items[0].id
    fields = {"checklist": checklist, "item": item, "by": observable(session, observer)[0]}
    assert phone.post("/me/do/tick", data=fields).status_code == 403
    other = joined(room, next(p for p in session.participants if p != observer))
    stolen = csrf_for(other.cookies.get(DEVICE_COOKIE))  # another phone's token does not do
    assert phone.post("/me/do/tick", data={**fields, "csrf": stolen}).status_code == 403
    assert not any(e["type"] == "tick" for e in log_lines(session))
    # a phone that is not in the room gets nothing
    from tests.room.conftest import browser

    stranger = browser(room)
    assert stranger.post("/me/do/tick", data={**fields, "csrf": stolen}).status_code == 403


def test_one_vote_per_phone_and_the_phone_says_so(drift):
    session, room = drift
    until(session, lambda s: bool(s.current.votes))
    vote = session.current.votes[0]
    option = session.scenario.vote(vote).options[0].id
    ana, ben = joined(room, "Ana"), joined(room, "Ben")
    assert "Vote" in ana.get("/me").text
    assert do(ana, "vote", vote=vote, option=option).status_code == 303
    assert "You voted" in ana.get("/me").text and "You voted" not in ben.get("/me").text
    again = do(ana, "vote", vote=vote, option=option)
    assert again.status_code == 409 and "already" in again.text
    assert do(ben, "vote", vote=vote, option=option, count="5").status_code == 303  # a form field cannot count more
    assert sum(session.votes.get(vote, {}).values()) == 0  # held until three phones voted (room/ballots.py)
    assert do(joined(room, "Cleo"), "vote", vote=vote, option=option).status_code == 303
    assert session.votes[vote][option] == 3
    votes = [e for e in log_lines(session) if e["type"] == "vote_cast"]
    assert all(set(e["data"]) == {"vote", "option"} or e["data"].get("count", 1) == 1 for e in votes)
    assert do(ana, "vote", vote=vote, option="no-such-option").status_code == 409


def test_a_vote_after_the_phase_moved_on_is_refused_plainly(drift):
    session, room = drift
    until(session, lambda s: bool(s.current.votes))
    vote = session.current.votes[0]
    option = session.scenario.vote(vote).options[0].id
    ana = joined(room, "Ana")
    csrf = csrf_of(ana.get("/me").text)
    session.fire(session.triggers()[0], force=True)
    answer = ana.post("/me/do/vote", data={"csrf": csrf, "vote": vote, "option": option})
    assert answer.status_code == 409 and "Traceback" not in answer.text and "Back to your page" in answer.text


def test_ratings_one_per_person_and_scale(tmp_path):
    session = start_session(tmp_path, "grow-coaching", people=["Ana", "Ben", "Cleo", "Dan"])
    deal(session)
    room = Room(session)
    try:
        until(session, lambda s: bool(s.current.ratings))
        scale = session.current.ratings[0]
        ana = joined(room, "Ana")
        assert "Your rating" in ana.get("/me").text
        assert do(ana, "rate", scale=scale.id, value=str(scale.max + 1)).status_code == 409
        assert do(ana, "rate", scale=scale.id, value="many").status_code == 409
        assert do(ana, "rate", scale=scale.id, value=str(scale.min)).status_code == 303
        assert f"You rated {scale.min}" in ana.get("/me").text
        assert do(ana, "rate", scale=scale.id, value=str(scale.max)).status_code == 409
        rated = [e for e in log_lines(session) if e["type"] == "rated"]
        assert [e["data"]["by"] for e in rated] == ["Ana"]
    finally:
        room.close()
        session.close()


def test_each_person_types_their_own_entries(tmp_path):
    session = start_session(tmp_path, "ideal-helper", people=["Ana", "Ben", "Cleo"])
    deal(session)
    room = Room(session)
    try:
        until(session, lambda s: bool(s.current.collection))
        collection = session.current.collection
        ana, ben = joined(room, "Ana"), joined(room, "Ben")
        assert do(ana, "entry", collection=collection, text="  took time for me <b>  ").status_code == 303
        assert do(ben, "entry", collection=collection, text="").status_code == 409
        assert do(ben, "entry", collection=collection, text="x" * 301).status_code == 409
        assert do(ben, "entry", collection=collection, text="listened").status_code == 303
        entries = [(e.text, e.by) for e in session.entries[collection]]
        assert entries == [("took time for me <b>", "Ana"), ("listened", "Ben")]
        page = ana.get("/me").text
        assert "took time for me &lt;b&gt;" in page and "<b>" not in page.split("You added")[1].split("</ul>")[0]
        assert "listened" not in page.split("You added")[1].split("</ul>")[0]  # Ana sees her own entries there
    finally:
        room.close()
        session.close()


def test_the_quality_control_sheet_is_anonymous(tmp_path):
    session = start_session(tmp_path, "ideal-helper", people=["Ana", "Ben", "Cleo"])
    deal(session)
    room = Room(session)
    try:
        until(session, lambda s: bool(s.current.form))
        ana, ben = joined(room, "Ana"), joined(room, "Ben")
        page = ana.get("/me").text
        assert "Your answers are anonymous" in page
        answer = do(ana, "answer", form="quality-control", **{"q-safety": "5", "q-respected": "4", "q-comments": "more time"})
        assert answer.status_code == 303
        assert "your answers are in" in ana.get("/me").text and "your answers are in" not in ben.get("/me").text
        assert do(ana, "answer", form="quality-control", **{"q-safety": "1"}).status_code == 409
        assert do(ben, "answer", form="quality-control", **{"q-safety": "9"}).status_code == 409
        assert do(ben, "answer", form="quality-control").status_code == 409  # empty
        assert do(ben, "answer", form="quality-control", **{"q-time": "3"}).status_code == 303
        session.fire("next", force=True)  # two sheets are held (room/ballots.py): written as the phase ends
        answers = [e for e in log_lines(session) if e["type"] == "form_answered"]
        assert sorted((e["data"]["question"], e["data"]["value"]) for e in answers) == [
            ("comments", "more time"), ("respected", 4), ("safety", 5), ("time", 3)]
        devices = {d.device for d in session.devices.values()}
        for e in answers:
            assert set(e["data"]) == {"form", "question", "value"}
            text = json.dumps(e)
            assert not any(name in text for name in session.participants)
            assert not any(device in text for device in devices)
        assert all(a.get("by") is None for a in session.answers)
    finally:
        room.close()
        session.close()


def test_the_sheet_refuses_a_name_and_other_commands_phones_never_send(tmp_path):
    session = start_session(tmp_path, "ideal-helper", people=["Ana", "Ben", "Cleo"])
    deal(session)
    try:
        until(session, lambda s: bool(s.current.form))
        assert phone_refusal(session, "Ana", c.AnswerForm(question="safety", value="5", by="Ana"))[0] == 403
        assert phone_refusal(session, "Ana", c.AnswerForm(question="safety", value="5")) is None
        assert phone_refusal(session, "Ana", c.Go())[0] == 403
        assert phone_refusal(session, "Ana", c.AcceptDevice(participant="Ben"))[0] == 403
        assert phone_refusal(session, "Ana", c.AddEntry(collection="helper-qualities", text="x", by="Ana"))[0] == 409
    finally:
        session.close()


def test_guess_who_asks_the_holder_to_say_the_guess_aloud(room, session):
    deal(session)
    until(session, lambda s: bool(s.current.guesses))
    ana = joined(room, "Ana")
    page = ana.get("/me").text
    assert "say your guess aloud" in page
    deck = session.current.guesses
    card_id = session.cards[deck]["Ana"]
    own_text = next(card.text["en"] for card in session.scenario.deck(deck).cards if card.id == card_id)
    session.execute(c.RecordGuess(participant="Ana", outcome="right"))
    page = ana.get("/me").text
    assert "Your card:" in page and own_text.replace('"', "&#34;").replace("'", "&#39;") in page


def test_mark_this_moment_only_while_recording(tmp_path, monkeypatch):
    monkeypatch.setattr("roleplay.room.server.MARK_EVERY", 1e9)  # one window for the whole test
    session = Session.start(load("guess-who"), ["Ana", "Ben", "Cleo", "Dan", "Eve"], root=tmp_path, seed=3,
                            recording=True)
    session.execute(c.OpenRoom(address="127.0.0.1:8765"))
    room = Room(session)
    try:
        ana = joined(room, "Ana")
        assert "Mark this moment" not in ana.get("/me").text
        assert do(ana, "mark").status_code == 409
        for name in session.participants:
            session.execute(c.SetConsent(participant=name, given=True))
        until(session, lambda s: s.current.record)
        assert "Mark this moment" in ana.get("/me").text
        assert do(ana, "mark").status_code == 303
        again = do(ana, "mark")  # a second tap in the same window marks nothing more
        assert again.status_code == 409 and "marked already" in again.text
        assert sum(1 for e in log_lines(session) if e["type"] == "marker") == 1
        marker = [e for e in log_lines(session) if e["type"] == "marker"][-1]
        assert marker["data"] == {"label": PHONE_MARKER_LABEL, "phase": session.phase}
    finally:
        room.close()
        session.close()


def test_an_unknown_action_and_a_broken_form_get_plain_pages(drift):
    session, room = drift
    ana = joined(room, "Ana")
    csrf = csrf_for(ana.cookies.get(DEVICE_COOKIE))
    answer = ana.post("/me/do/explode", data={"csrf": csrf})
    assert answer.status_code == 404 and "Traceback" not in answer.text
    answer = ana.post("/me/do/tick", content=b"\xff\xfe" * 10, headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400
    assert ana.get("/me/do/tick").status_code == 405
    assert ana.cookies.get(DEVICE_COOKIE)


def test_a_removed_phone_can_do_nothing(drift):
    session, room = drift
    until(session, lambda s: bool(s.current.votes))
    vote = session.current.votes[0]
    option = session.scenario.vote(vote).options[0].id
    ana = joined(room, "Ana")
    csrf = csrf_of(ana.get("/me").text)
    token = ana.cookies.get(DEVICE_COOKIE)
    session.execute(c.RemoveDevice(participant="Ana"))
    ana.cookies.set(DEVICE_COOKIE, token)
    answer = ana.post("/me/do/vote", data={"csrf": csrf, "vote": vote, "option": option})
    assert answer.status_code == 403
    assert sum(session.votes[vote].values()) == 0


def test_a_long_answer_in_any_language_fits_the_sheet(tmp_path):
    session = start_session(tmp_path, "ideal-helper", people=["Ana", "Ben", "Cleo"])
    deal(session)
    room = Room(session)
    try:
        until(session, lambda s: bool(s.current.form))
        ana = joined(room, "Ana")
        text = "más tiempo, por favor " * 45  # about 1000 characters, 3 bytes each once percent-encoded
        assert do(ana, "answer", form="quality-control", **{"q-comments": text[:1000]}).status_code == 303
        session.fire("next", force=True)  # the held sheet is written as the phase ends (room/ballots.py)
        assert [a["value"] for a in session.answers] == [text[:1000].strip()]
    finally:
        room.close()
        session.close()

"""Joining the room: code, name, the trainer's acceptance, and what a device gets afterwards."""

from __future__ import annotations

import pytest

from roleplay.core import commands as c
from roleplay.core.engine import Session
from roleplay.core.log import read_log
from roleplay.room.room import CODE_ALPHABET, Room, make_join_code, token_hash
from roleplay.room.server import DEVICE_COOKIE
from tests.room.conftest import ROOM, ask_to_join, browser, csrf_of, deal, joined, start_session

pytestmark = ROOM


def test_join_waits_for_the_trainer_then_shows_own_page_only(room, session):
    deal(session)
    phone = browser(room)
    answer = ask_to_join(phone, room, "Ana")
    assert answer.status_code == 200 and "Waiting for the trainer" in answer.text
    cookie = answer.cookies.get(DEVICE_COOKIE) or phone.cookies.get(DEVICE_COOKIE)
    assert cookie and len(cookie) >= 40
    assert phone.get("/me").status_code == 303  # waiting: back to the waiting page
    session.execute(c.AcceptDevice(participant="Ana"))
    page = phone.get("/me")
    assert page.status_code == 200
    assert "Ana" in page.text
    ana = room.snapshot.people["Ana"]
    # guess-who: everyone's card but Ana's own
    assert ana.others_cards and all(card.holder != "Ana" for card in ana.others_cards)
    own = session.scenario.deck("identities")
    own_text = next(c_.text["en"] for c_ in own.cards if c_.id == session.cards["identities"]["Ana"])
    others = {session.cards["identities"][p] for p in session.participants if p != "Ana"}
    if session.cards["identities"]["Ana"] not in others:
        assert own_text not in page.text.replace("&#34;", '"')
    assert phone.get("/").status_code == 303  # accepted: the join page sends it on to /me


def test_the_cookie_is_httponly_strict_and_only_a_hash_is_logged(room, session):
    phone = browser(room)
    answer = ask_to_join(phone, room, "Ben")
    assert answer.history and answer.history[0].status_code == 303  # post/redirect/get
    header = [h for h in answer.history[0].headers.get_list("set-cookie") if h.startswith(DEVICE_COOKIE + "=")][0]
    assert "HttpOnly" in header and "SameSite=strict" in header.replace("Strict", "strict") and "Path=/" in header
    token = phone.cookies.get(DEVICE_COOKIE)
    log_text = (session.folder / "session.jsonl").read_text()
    assert token not in log_text
    assert token_hash(token) in log_text
    joined_event = [e for e in read_log(session.folder) if e.type == "device_joined"][-1]
    assert joined_event.data["participant"] == "Ben" and joined_event.data["token_sha256"] == token_hash(token)


def test_refused_device_gets_nothing(room, session):
    phone = browser(room)
    ask_to_join(phone, room, "Cleo")
    session.execute(c.RefuseDevice(participant="Cleo"))
    assert phone.get("/me").status_code == 403
    assert phone.get("/me/fragment").status_code == 403
    assert phone.get("/events").status_code == 403
    page = browser(room).get("/")
    assert 'value="Cleo"' in page.text  # the name is free again


def test_removed_device_gets_403_everywhere(room, session):
    phone = joined(room, "Dan")
    cookie = phone.cookies.get(DEVICE_COOKIE)
    assert phone.get("/me").status_code == 200
    session.execute(c.RemoveDevice(participant="Dan"))
    for path in ("/me", "/me/fragment", "/events", "/"):
        other = browser(room)
        other.cookies.set(DEVICE_COOKIE, cookie)
        assert other.get(path).status_code == 403, path
    page = phone.get("/me")
    assert page.status_code == 403 and "took this phone out" in page.text
    assert "Traceback" not in page.text


def test_lock_refuses_new_joins_and_keeps_devices_in(room, session):
    ana = joined(room, "Ana")
    phone = browser(room)
    form = phone.get("/")
    session.execute(c.LockRoom())
    closed = phone.get("/")
    assert closed.status_code == 403 and "not letting new phones in" in closed.text
    late = phone.post("/join", data={"csrf": csrf_of(form.text), "code": room.join_code, "name": "Ben"})
    assert late.status_code == 409 and "locked" in late.text
    assert not any(d.participant == "Ben" for d in session.devices.values())
    assert ana.get("/me").status_code == 200
    session.execute(c.UnlockRoom())
    assert ask_to_join(browser(room), room, "Ben").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(room, session):
    phone = browser(room)
    phone.get("/")
    for data in ({"code": room.join_code, "name": "Ana"}, {"csrf": "x" * 40, "code": room.join_code, "name": "Ana"}):
        answer = phone.post("/join", data=data)
        assert answer.status_code == 403
    # a token from another browser does not fit this one's cookie
    other = browser(room)
    token = csrf_of(other.get("/").text)
    assert phone.post("/join", data={"csrf": token, "code": room.join_code, "name": "Ana"}).status_code == 403
    assert not session.devices


def test_wrong_code_and_taken_name(room, session):
    phone = browser(room)
    wrong = ask_to_join(phone, room, "Ana", code="ZZZZZZ" if room.join_code != "ZZZZZZ" else "YYYYYY")
    assert wrong.status_code == 403 and "code is not right" in wrong.text
    joined(room, "Ana")
    page = browser(room).get("/")
    assert 'value="Ana"' not in page.text
    taken = ask_to_join(browser(room), room, "Ana")
    assert taken.status_code == 409 and "already joined" in taken.text
    # the code is read as typed on a phone: lower case, spaces
    spaced = ask_to_join(browser(room), room, "Ben", code=" ".join(room.join_code.lower()))
    assert spaced.status_code == 200


def test_join_attempts_are_rate_limited_per_address(session):
    room = Room(session, rate_limit=10, rate_window=60)
    phone = browser(room)
    form = phone.get("/")
    codes = [phone.post("/join", data={"csrf": csrf_of(form.text), "code": "WRONG1", "name": "Ana"}).status_code
             for _ in range(12)]
    assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]
    too_many = phone.post("/join", data={"csrf": csrf_of(form.text), "code": room.join_code, "name": "Ana"})
    assert too_many.status_code == 429 and "wait a minute" in too_many.text
    # another address is not held back
    other = browser(room, client=("192.0.2.99", 50000))
    assert ask_to_join(other, room, "Ana").status_code == 200
    room.close()


@pytest.mark.parametrize("cookie", ["", "forged", "A" * 43, "x" * 500])
def test_a_forged_cookie_gets_nothing(room, session, cookie):
    joined(room, "Ana")
    phone = browser(room)
    phone.cookies.set(DEVICE_COOKIE, cookie)
    for path in ("/me", "/me/fragment", "/events"):
        assert phone.get(path).status_code == 403, path
    assert "Ana" not in phone.get("/me").text


def test_an_old_cookie_from_another_session_gets_nothing(tmp_path, room):
    other_session = start_session(tmp_path / "other")
    other_room = Room(other_session)
    old = joined(other_room, "Ana").cookies.get(DEVICE_COOKIE)
    phone = browser(room)
    phone.cookies.set(DEVICE_COOKIE, old)
    assert phone.get("/me").status_code == 403
    other_room.close()
    other_session.close()


def test_a_link_signs_in_directly_and_is_logged_hashed(room, session):
    deal(session)
    token = room.link_tokens["Eve"]
    phone = browser(room)
    page = phone.get(f"/link/{token}")
    assert page.status_code == 200 and "Eve" in page.text and "Your role" in page.text
    assert phone.get("/me").status_code == 200
    accepted = [d for d in session.devices.values() if d.participant == "Eve"]
    assert len(accepted) == 1 and accepted[0].status == "accepted" and accepted[0].via == "link"
    assert accepted[0].token_sha256 == token_hash(token)
    assert token not in (session.folder / "session.jsonl").read_text()
    # the same link again (another browser) needs no new acceptance and logs nothing new
    before = len(session.events)
    assert browser(room).get(f"/link/{token}").status_code == 200
    assert len(session.events) == before
    assert browser(room).get("/link/not-a-link").status_code == 403
    session.execute(c.RemoveDevice(participant="Eve"))
    assert browser(room).get(f"/link/{token}").status_code == 403


def test_restart_brings_an_accepted_device_back_without_a_new_acceptance(tmp_path):
    session = start_session(tmp_path)
    room = Room(session)
    ana = joined(room, "Ana")
    ben = joined(room, "Ben")
    cookie_ana, cookie_ben = ana.cookies.get(DEVICE_COOKIE), ben.cookies.get(DEVICE_COOKIE)
    session.execute(c.RemoveDevice(participant="Ben"))
    folder = session.folder
    room.close()
    session.close()  # the server and the app stop

    again = Session.reopen(folder)
    restarted = Room(again)
    assert restarted.join_code != "" and restarted.snapshot.taken == frozenset({"Ana"})
    phone = browser(restarted)
    phone.cookies.set(DEVICE_COOKIE, cookie_ana)
    page = phone.get("/me")
    assert page.status_code == 200 and "Ana" in page.text
    removed = browser(restarted)
    removed.cookies.set(DEVICE_COOKIE, cookie_ben)
    assert removed.get("/me").status_code == 403
    assert not [e for e in again.events if e.type == "device_accepted" and e.seq > len(session.events)]
    restarted.close()
    again.close()


def test_an_ended_session_gives_nothing_more(room, session):
    phone = joined(room, "Ana")
    session.execute(c.EndSession())
    for path in ("/", "/me", "/me/fragment", "/events", "/stage", "/stage/fragment", f"/link/{room.link_tokens['Ben']}"):
        assert phone.get(path).status_code == 403, path


def test_a_name_with_markup_is_escaped(tmp_path):
    session = start_session(tmp_path, people=["<script>alert(1)</script>", "Ben", "Cleo", "Dan", "Eve"])
    room = Room(session)
    join_page = browser(room).get("/")
    assert "<script>alert(1)</script>" not in join_page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in join_page.text
    phone = joined(room, "<script>alert(1)</script>")
    deal(session)
    for page in (phone.get("/me"), joined(room, "Ben").get("/me")):
        assert page.status_code == 200
        assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    room.close()
    session.close()


def test_error_pages_show_no_traceback(room, session, monkeypatch):
    from starlette.testclient import TestClient

    from roleplay.room import server
    from tests.room.conftest import BASE_URL

    missing = browser(room).get("/no/such/page")
    assert missing.status_code == 404 and "no such page" in missing.text
    assert browser(room).put("/me").status_code == 405

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /home/trainer")

    monkeypatch.setattr(room.snapshot.__class__, "device", broken)
    client = TestClient(server.make_room_app(room), base_url=BASE_URL, raise_server_exceptions=False)
    page = client.get("/me")
    assert page.status_code == 500
    assert "Traceback" not in page.text and "secret internals" not in page.text and "went wrong" in page.text


def test_a_misdirected_host_is_refused(room):
    from starlette.testclient import TestClient

    from roleplay.room.server import make_room_app

    client = TestClient(make_room_app(room), base_url="http://evil.example:8765")
    assert client.get("/").status_code == 400
    for base in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "http://192.168.1.20:1"):
        assert TestClient(make_room_app(room), base_url=base).get("/").status_code == 200, base


def test_pages_carry_security_headers(room):
    page = browser(room).get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"


def test_join_codes_are_six_unambiguous_characters():
    codes = {make_join_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(code) == 6 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)

"""The trainer's page (issue 11): the script, event notes and notes on a phone, opened only with the trainer's token."""

from __future__ import annotations

import http.client
import html
import re

import pytest

from roleplay.core import commands as c
from roleplay.room.room import Room
from roleplay.room.server import DEVICE_COOKIE, STAGE_COOKIE, RoomServer
from roleplay.room.trainer_page import TRAINER_COOKIE
from tests.room.conftest import ROOM, browser, csrf_of, start_session

pytestmark = ROOM


def trainer(room, client=("192.0.2.77", 4000)):
    """The trainer's tablet, signed in with the trainer's link."""
    tablet = browser(room, client=client)
    page = tablet.get("/trainer", params={"key": room.trainer_token})
    assert page.status_code == 200, page.text
    return tablet


def script_of(session) -> str:
    return session.text(session.current.script)


def text_of(page: str) -> str:
    return html.unescape(page)


def first_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.strip()).strip()


def test_the_trainer_link_opens_the_page_and_keeps_the_token_in_a_private_cookie(room, session):
    assert room.trainer_link("http://127.0.0.1:8765/") == f"http://127.0.0.1:8765/trainer?key={room.trainer_token}"
    assert len(room.trainer_token) >= 40 and room.trainer_token not in (room.stage_key, *room.link_tokens.values())
    tablet = browser(room)
    page = tablet.get("/trainer", params={"key": room.trainer_token})
    assert page.status_code == 200
    header = [h for h in page.headers.get_list("set-cookie") if h.startswith(TRAINER_COOKIE)][0]
    assert "HttpOnly" in header and "samesite=strict" in header.lower() and "Path=/" in header
    shown = text_of(tablet.get("/trainer").text)  # the cookie alone from now on
    assert first_line(script_of(session)) in shown
    assert session.text(session.current.title) in shown and "Your notes so far" in shown
    assert room.trainer_token not in (session.folder / "session.jsonl").read_text()  # never logged


def test_the_page_shows_the_events_brought_in_and_the_notes_so_far(tmp_path):
    session = start_session(tmp_path, "crisis-conversation", people=["Ana", "Ben", "Cleo", "Dan"])
    room = Room(session)
    session.execute(c.AddNote(text="Ana looked tense <b>early</b>"))
    while not session.injectable():
        session.fire(session.triggers()[0], force=True)
    event_id = session.injectable()[0]
    event = session.scenario.event(event_id)
    tablet = trainer(room)
    before = text_of(tablet.get("/trainer/fragment").text)
    assert "Events you can bring in" in before and session.text(event.title) in before
    session.execute(c.Inject(event=event_id, to=session.participants[0]))
    session.execute(c.AddNote(text="the second note"))
    raw = tablet.get("/trainer/fragment").text
    after = text_of(raw)
    assert f"Brought in: {session.text(event.title)}" in after
    assert first_line(session.text(event.script)) in after
    assert "Ana looked tense <b>early</b>" in after and "the second note" in after
    assert "<b>early</b>" not in raw  # a note is text, never markup
    assert after.index("the second note") < after.index("Ana looked tense")  # newest first
    assert "Who plays whom" in after
    room.close()
    session.close()


@pytest.mark.parametrize("path", ["/trainer", "/trainer/fragment", "/trainer/events"])
def test_nobody_else_opens_the_trainers_page(room, session, path):
    script = first_line(script_of(session))
    phone = browser(room)
    phone.get(f"/link/{room.link_tokens['Ana']}")  # a participant's phone, signed in
    assert phone.cookies.get(DEVICE_COOKIE)
    on_the_laptop = browser(room, client=("127.0.0.1", 5000))  # loopback opens the stage, not this
    projector = browser(room)
    assert projector.get("/stage", params={"key": room.stage_key}).status_code == 200
    assert projector.cookies.get(STAGE_COOKIE)
    other_room = Room(session)
    attempts = [
        (browser(room), {}),
        (phone, {}),
        (on_the_laptop, {}),
        (projector, {}),
        (browser(room), {"key": "wrong"}),
        (browser(room), {"key": ""}),
        (browser(room), {"key": room.stage_key}),
        (browser(room), {"key": room.link_tokens["Ana"]}),
        (browser(room), {"key": other_room.trainer_token}),
        (browser(room), {"key": room.trainer_token.upper()}),
    ]
    for client, params in attempts:
        answer = client.get(path, params=params) if path == "/trainer" else client.get(path)
        assert answer.status_code == 403, (path, params)
        assert script not in text_of(answer.text) and "Traceback" not in answer.text
        assert not client.cookies.get(TRAINER_COOKIE)
    forged = browser(room)
    forged.cookies.set(TRAINER_COOKIE, room.stage_key)
    assert forged.get(path).status_code == 403
    other_room.close()


def test_guessed_addresses_open_nothing(room, session):
    for path in ("/trainer/", "/Trainer", "/trainer/" + room.trainer_token, "/trainer/note", "/trainer/replay",
                 "/trainer?key=" + room.trainer_token[:-1], "/trainer?key=" + room.trainer_token + "x"):
        answer = browser(room).get(path, follow_redirects=True)  # "/trainer/" leads to "/trainer"
        assert answer.status_code in (403, 404, 405), path
        assert first_line(script_of(session)) not in text_of(answer.text)


def test_wrong_keys_are_rate_limited(session):
    room = Room(session, rate_limit=3)
    guesser = browser(room)
    assert [guesser.get("/trainer", params={"key": f"guess{i}"}).status_code for i in range(4)] == [403, 403, 403, 429]
    room.close()


def test_a_note_from_the_trainers_page_goes_into_the_log_like_the_consoles(room, session):
    tablet = trainer(room)
    form = csrf_of(tablet.get("/trainer").text)
    answer = tablet.post("/trainer/note", data={"csrf": form, "text": "  Ben <i>paused</i> before answering  "})
    assert answer.status_code == 303 and answer.headers["location"] == "/trainer"
    assert session.notes[-1]["text"] == "Ben <i>paused</i> before answering"
    assert session.notes[-1]["phase"] == session.phase
    assert "Ben &lt;i&gt;paused&lt;/i&gt; before answering" in tablet.get("/trainer").text
    # a participant's page never shows it
    phone = browser(room)
    assert "paused" not in phone.get(f"/link/{room.link_tokens['Cleo']}").text


def test_the_note_form_needs_its_check_and_some_text(room, session):
    tablet = trainer(room)
    form = csrf_of(tablet.get("/trainer").text)
    before = len(session.notes)
    assert tablet.post("/trainer/note", data={"text": "no check"}).status_code == 403
    assert tablet.post("/trainer/note", data={"csrf": "0" * 40, "text": "forged"}).status_code == 403
    assert tablet.post("/trainer/note", data={"csrf": form, "text": "   "}).status_code == 409
    assert tablet.post("/trainer/note", data={"csrf": form, "text": "x" * 2001}).status_code == 409
    assert tablet.post("/trainer/note", content=b"\xff\xfe", headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 400
    # another browser with its own cookie cannot post with the trainer's form check
    assert browser(room).post("/trainer/note", data={"csrf": form, "text": "sneaky"}).status_code == 403
    assert len(session.notes) == before


def test_the_trainer_opens_and_closes_the_replay_from_the_page(room, session):
    tablet = trainer(room)
    page = tablet.get("/trainer").text
    assert "Let phones replay their scenes" in page
    assert tablet.post("/trainer/replay", data={"csrf": csrf_of(page), "replay": "on"}).status_code == 303
    assert session.replay_allowed
    page = tablet.get("/trainer").text
    assert "Stop the replay" in page
    assert tablet.post("/trainer/replay", data={"csrf": csrf_of(page), "replay": "off"}).status_code == 303
    assert not session.replay_allowed
    # asked twice: a plain refusal, no change
    assert tablet.post("/trainer/replay", data={"csrf": csrf_of(page), "replay": "off"}).status_code == 409
    assert [e.type for e in session.events].count("replay_stopped") == 1


def test_after_the_end_the_page_still_takes_notes(room, session):
    tablet = trainer(room)
    session.execute(c.EndSession())
    page = tablet.get("/trainer").text
    assert "The session has ended" in page
    assert tablet.post("/trainer/note", data={"csrf": csrf_of(page), "text": "afterwards"}).status_code == 303
    assert session.notes[-1]["text"] == "afterwards"


def test_the_page_reads_without_javascript_and_is_kept_live(room, session):
    page = trainer(room).get("/trainer").text
    assert 'data-events="/trainer/events?v=' in page and 'data-fragment="/trainer/fragment"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert '<form method="post" action="/trainer/note">' in page


def test_the_event_stream_pings_the_trainers_page_on_each_change(room, session):
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", f"/trainer?key={room.trainer_token}")
        first = conn.getresponse()
        first.read()
        cookie = re.search(rf"{TRAINER_COOKIE}=([^;]+)", first.getheader("set-cookie")).group(1)
        stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        stream.request("GET", f"/trainer/events?v={room.snapshot.version}", headers={"Cookie": f"{TRAINER_COOKIE}={cookie}"})
        answer = stream.getresponse()
        assert answer.status == 200 and answer.getheader("content-type").startswith("text/event-stream")
        session.execute(c.AddNote(text="live"))
        version = None
        while version is None:
            line = answer.readline().decode()
            assert line, "the stream ended"
            if line.startswith("data: "):
                version = int(line[6:])
        assert version == room.snapshot.version
    finally:
        server.stop()


@pytest.mark.slow
def test_play_prints_the_trainers_link_and_takes_replay_on_and_off(tmp_path):
    """The headless contract: `trainer: URL` on standard error; `replay on` / `replay off` on standard input."""
    import urllib.request

    from tests.room.test_play_room import Play

    play = Play(tmp_path, "--room", "127.0.0.1:0")
    try:
        url = play.line(lambda text: text.startswith("room: ")).split(" ", 1)[1]
        play.send("replay on")
        assert play.event("replay_allowed")["data"]["phase"]
        link = re.search(r"^trainer: (\S+)", play.err(), re.MULTILINE).group(1)  # printed before play read its input
        assert link.startswith(url + "/trainer?key=")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        page = opener.open(link, timeout=60).read().decode()
        assert "Trainer's script" in page and "Stop the replay" in page
        play.send("replay off")
        play.event("replay_stopped")
        assert "room: replay on" in play.err()  # told before play read the next line
        play.send("replay maybe")
        assert play.finish() == 1  # an invalid command, as anywhere in play
    finally:
        if play.proc.poll() is None:
            play.proc.kill()
            play.proc.wait(timeout=60)
    errors = play.err()
    play.stderr.close()
    assert "usage: replay on|off" in errors and "Traceback" not in errors

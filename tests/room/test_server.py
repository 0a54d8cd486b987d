"""The room's server for real: uvicorn in its thread on 127.0.0.1, the event stream, commands through the owner."""

from __future__ import annotations

import http.client
import queue
import threading

import pytest

from roleplay.core import commands as c
from roleplay.room.room import Room, token_hash
from roleplay.room.server import DEVICE_COOKIE, RoomServer, RoomServerError, parse_address
from tests.room.conftest import ROOM

pytestmark = ROOM


def request(port: int, path: str, cookie: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": f"{DEVICE_COOKIE}={cookie}"} if cookie else {})
    return conn.getresponse()


def sse_events(response: http.client.HTTPResponse):
    """(event, data) pairs as they come, comments and retry lines left out."""
    event = data = None
    while True:
        line = response.readline()
        if not line:
            return
        line = line.decode("utf-8").rstrip("\r\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and event is not None:
            yield event, data
            event = data = None


@pytest.fixture
def served(room):
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    yield server
    server.stop()
    assert not server.thread.is_alive()


def test_the_server_listens_on_a_free_port_and_stops_cleanly(served):
    assert served.port > 0 and served.url == f"http://127.0.0.1:{served.port}"
    answer = request(served.port, "/")
    assert answer.status == 200 and b"Join the room" in answer.read()
    assert not served.beyond_loopback


def test_the_event_stream_pings_on_each_change_and_ends_for_a_removed_device(served, room, session):
    token = room.link_tokens["Ana"]
    assert request(served.port, f"/link/{token}").status == 200
    stream = request(served.port, f"/events?v={room.snapshot.version}", cookie=token)
    assert stream.status == 200 and stream.getheader("content-type").startswith("text/event-stream")
    events = sse_events(stream)
    session.execute(c.AddNote(text="a private note"))  # any new event: a ping, nothing of its content
    kind, data = next(events)
    assert kind == "changed" and int(data) == room.snapshot.version
    session.execute(c.RemoveDevice(participant="Ana"))
    assert next(events)[0] == "gone"
    assert request(served.port, "/events", cookie=token).status == 403


def test_stopping_ends_open_streams(room):
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    token = room.link_tokens["Ben"]
    request(server.port, f"/link/{token}").read()
    stream = request(server.port, f"/events?v={room.snapshot.version}", cookie=token)
    assert stream.status == 200
    ended = threading.Event()

    def drain():
        stream.read()
        ended.set()

    threading.Thread(target=drain, daemon=True).start()
    server.stop()
    assert not server.thread.is_alive()
    assert ended.wait(10)


def test_commands_from_the_web_run_on_the_owner_thread(session):
    """play's arrangement: the web server hands commands to a queue the owner (here, this test) works through."""
    inbox: queue.Queue = queue.Queue()
    room = Room(session, dispatch=inbox.put)
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    owner = threading.current_thread()
    ran_on = []
    answer: queue.Queue = queue.Queue()

    def phone():
        answer.put(request(server.port, f"/link/{room.link_tokens['Cleo']}").status)

    threading.Thread(target=phone, daemon=True).start()
    job = inbox.get(timeout=10)
    session.listeners.append(lambda event: ran_on.append(threading.current_thread()))
    job()
    assert answer.get(timeout=10) == 200
    assert ran_on and all(thread is owner for thread in ran_on)
    assert [d.participant for d in session.devices.values()] == ["Cleo"]
    assert session.devices[next(iter(session.devices))].token_sha256 == token_hash(room.link_tokens["Cleo"])
    server.stop()


def test_a_busy_owner_gets_a_clear_page_not_a_hang(session):
    inbox: queue.Queue = queue.Queue()
    room = Room(session, dispatch=inbox.put, command_timeout=0.2)
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    answer = request(server.port, f"/link/{room.link_tokens['Dan']}")
    assert answer.status == 409 and b"busy" in answer.read()
    server.stop()


def test_a_taken_port_is_a_clear_error(served, room):
    other = RoomServer(room, "127.0.0.1", served.port)
    with pytest.raises(RoomServerError, match="could not listen"):
        other.start()


@pytest.mark.parametrize(("text", "expected"), [
    ("8000", ("127.0.0.1", 8000)), ("0.0.0.0:0", ("0.0.0.0", 0)), ("[::1]:9000", ("::1", 9000)),
    ("localhost:80", ("localhost", 80)),
])
def test_addresses(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "127.0.0.1:99999", ":80", "1.2.3.4:x"])
def test_bad_addresses(text):
    with pytest.raises(ValueError):
        parse_address(text)


def test_a_room_bound_beyond_loopback_says_so(room):
    assert RoomServer(room, "0.0.0.0", 0).beyond_loopback
    assert RoomServer(room, "192.168.1.20", 0).beyond_loopback
    assert not RoomServer(room, "::1", 0).beyond_loopback
    assert not RoomServer(room, "localhost", 0).beyond_loopback

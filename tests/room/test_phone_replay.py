"""Replay on phones (issue 11): each phone watches only the recorded scenes its person was in, by HTTP range
requests, only while the trainer allows it, and adds reflections to the session log.

One scene is recorded per module (synthetic camera and tone, crisis-conversation: two players, two
observers); each test reopens its own copy of that session, so a Room is also rebuilt from a log here.
"""

from __future__ import annotations

import http.client
import io
import shutil
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplay.core import commands as c
from roleplay.core.command_line import parse
from roleplay.core.engine import Session
from roleplay.core.log import read_log
from roleplay.core.state import CommandError
from roleplay.room.replay_pages import MAX_RANGE_BYTES, parse_range
from roleplay.room.room import Room
from roleplay.room.scenes import CastMoment, ReplayInfo, parse_clock, scenes_of
from roleplay.room.server import RoomServer
from tests.room.conftest import ROOM, browser, csrf_of, start_session
from tests.room.recorded import observers, players, record_scene
from tests.conftest import PASSPHRASE

pytestmark = [*ROOM, pytest.mark.video]



@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """The folder of a session with one recorded scene (closed; each test reopens a copy)."""
    session, _ = record_scene(tmp_path_factory.mktemp("recorded"))
    session.close()
    return session.folder


@pytest.fixture(scope="module")
def recorded_encrypted(tmp_path_factory):
    session, _ = record_scene(tmp_path_factory.mktemp("encrypted"), passphrase=PASSPHRASE, segments=2)
    session.close()
    return session.folder


def reopen(folder, tmp_path, opener=None):
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    return Session.reopen(copy, opener=opener)


@pytest.fixture
def replay(recorded, tmp_path):
    session = reopen(recorded, tmp_path)
    room = Room(session)
    yield room
    room.close()
    session.close()


def phone(room, name):
    device = browser(room)
    assert device.get(f"/link/{room.link_tokens[name]}").status_code == 200
    return device


def whole_video(device, number=1) -> bytes:
    answer = device.get(f"/me/replay/{number}/video")
    assert answer.status_code == 200 and answer.headers["content-type"] == "video/mp4", answer.text
    return answer.content


# ----- when the replay is open ---------------------------------------------------------------------


def test_the_replay_opens_only_while_the_trainer_allows_it(replay):
    session = replay.session
    player = phone(replay, players(session)[0])
    paths = ["/me/replay", "/me/replay/1", "/me/replay/1/video"]
    for path in paths:
        answer = player.get(path)
        assert answer.status_code == 403 and "The replay is not open" in answer.text, path
    assert "Watch your scenes again" not in player.get("/me").text
    session.execute(c.AllowReplay())
    assert "Watch your scenes again" in player.get("/me/fragment").text  # the live page shows the way in
    for path in paths:
        assert player.get(path).status_code == 200, path
    page = player.get("/me/replay/1").text
    session.execute(c.StopReplay())
    for path in paths:
        assert player.get(path).status_code == 403, path
    answer = player.post("/me/replay/1/reflect", data={"csrf": csrf_of(page), "text": "too late", "at": "00:01"})
    assert answer.status_code == 403
    assert not [e for e in session.events if e.type == "reflection"]


def test_the_play_words_replay_on_and_off(tmp_path):
    session = start_session(tmp_path)
    assert isinstance(parse(session, "replay on"), c.AllowReplay)
    assert isinstance(parse(session, "replay OFF"), c.StopReplay)
    for line in ("replay", "replay maybe", "replay on now"):
        with pytest.raises(CommandError, match="usage: replay on|off"):
            parse(session, line)
    assert c.AllowReplay in c.allowed_commands(session)
    session.execute(parse(session, "replay on"))
    assert c.StopReplay in c.allowed_commands(session) and c.AllowReplay not in c.allowed_commands(session)
    with pytest.raises(CommandError, match="on already"):
        session.execute(c.AllowReplay())
    session.execute(c.StopReplay())
    rebuilt = Session.replay(session.folder)
    assert not rebuilt.replay_allowed
    assert [e.type for e in read_log(session.folder)][-2:] == ["replay_allowed", "replay_stopped"]
    session.close()


def test_replay_needs_a_room(tmp_path):
    from roleplay.core.loader import load_scenario
    from tests.conftest import SCENARIOS

    scenario = load_scenario(SCENARIOS / "guess-who.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan", "Eve"], root=tmp_path, seed=1)
    assert c.AllowReplay not in c.allowed_commands(session)
    with pytest.raises(CommandError, match="no room is open"):
        session.execute(c.AllowReplay())
    session.close()


def test_no_phone_gets_a_recording_once_someone_withdrew_consent(replay):
    session = replay.session
    player = phone(replay, players(session)[0])
    session.execute(c.AllowReplay())
    assert player.get("/me/replay/1/video", headers={"Range": "bytes=0-9"}).status_code == 206
    session.execute(c.SetConsent(participant=observers(session)[0], given=False))
    for path in ("/me/replay", "/me/replay/1", "/me/replay/1/video"):
        answer = player.get(path, headers={"Range": "bytes=0-9"})
        assert answer.status_code == 403 and "not shown on phones" in answer.text, path


def test_a_removed_phone_gets_nothing_more(replay):
    session = replay.session
    name = players(session)[0]
    player = phone(replay, name)
    session.execute(c.AllowReplay())
    assert player.get("/me/replay/1").status_code == 200
    session.execute(c.RemoveDevice(participant=name))
    for path in ("/me/replay", "/me/replay/1", "/me/replay/1/video"):
        assert player.get(path).status_code == 403, path


def test_after_the_end_an_allowed_replay_is_where_the_phone_goes(replay):
    session = replay.session
    player = phone(replay, players(session)[0])
    observer = phone(replay, observers(session)[0])
    session.execute(c.AllowReplay())
    session.execute(c.EndSession())
    answer = player.get("/me")
    assert answer.status_code == 303 and answer.headers["location"] == "/me/replay"
    assert player.get("/me/replay/1/video", headers={"Range": "bytes=0-9"}).status_code == 206
    listing = observer.get("/me/replay")
    assert listing.status_code == 200 and "No recorded scene has you in it" in listing.text
    session.execute(c.StopReplay())  # the trainer may close it after the end too
    assert player.get("/me").status_code == 403 and "The session has ended" in player.get("/me").text
    assert player.get("/me/replay").status_code == 403


# ----- who sees which scene --------------------------------------------------------------------------


def test_a_phone_lists_and_plays_only_the_scenes_its_person_was_in(replay):
    session = replay.session
    session.execute(c.AllowReplay())
    scene_title = session.text(session.scenario.phases["scene"].title)
    for name in players(session):
        listing = phone(replay, name).get("/me/replay")
        assert listing.status_code == 200 and scene_title in listing.text and 'href="/me/replay/1"' in listing.text
    for name in observers(session):
        watcher = phone(replay, name)
        listing = watcher.get("/me/replay")
        assert listing.status_code == 200 and "No recorded scene has you in it" in listing.text
        assert "/me/replay/1" not in listing.text
        # guessing the addresses: the same "not here" as for a scene that does not exist, and no video byte
        for number in ("1", "2", "0", "01", "999999999999999999999"):
            for path in (f"/me/replay/{number}", f"/me/replay/{number}/video"):
                answer = watcher.get(path, headers={"Range": "bytes=0-"})
                assert answer.status_code == 404, path
                assert answer.headers["content-type"].startswith("text/html") and b"ftyp" not in answer.content
        page = phone(replay, players(session)[0]).get("/me/replay/1").text
        answer = watcher.post("/me/replay/1/reflect", data={"csrf": csrf_of(page), "text": "not mine", "at": "0"})
        assert answer.status_code in (403, 404)
    assert not [e for e in session.events if e.type == "reflection"]


def test_who_was_in_a_scene_comes_from_the_roles_when_it_was_recorded():
    @dataclass
    class Entry:
        segment: int
        take: int
        start: float
        end: float
        start_wall: float
        encrypted: bool = False

    moments = (
        CastMoment(100.0, 1, "briefing", frozenset()),
        CastMoment(200.0, 2, "scene", frozenset({"Ana", "Ben"})),
        CastMoment(260.0, 2, "scene", frozenset({"Ana", "Cleo"})),  # a role changed hands during the scene
        CastMoment(300.0, 3, "sharing", frozenset({"Ana", "Ben", "Cleo", "Dan"})),
        CastMoment(400.0, 4, "scene", frozenset({"Dan", "Eve"})),
    )
    info = ReplayInfo(allowed=True, moments=moments, phase_titles={"scene": "The scene", "sharing": "Sharing"})
    entries = [
        Entry(1, 1, 0.0, 1.5, 50.0),  # before the first phase's moment in this log: no scene
        Entry(2, 2, 10.0, 11.5, 210.0),
        Entry(3, 2, 11.5, 13.0, 270.0),
        Entry(4, 2, 13.0, 13.4, 300.3),  # begun as the phase was left: the end of the scene before
        Entry(5, 3, 20.0, 21.5, 410.0),
        Entry(6, 4, 30.0, 31.5, 420.0),  # a new take: its own scene
    ]
    scenes = scenes_of(entries, info)
    assert [(s.number, s.title, s.take, sorted(s.people)) for s in scenes] == [
        (1, "The scene", 2, ["Ana", "Ben", "Cleo"]),
        (2, "The scene", 3, ["Dan", "Eve"]),
        (3, "The scene", 4, ["Dan", "Eve"]),
    ]
    assert [s.segment for s in scenes[0].segments] == [2, 3, 4]
    assert scenes[0].at == 1.5 and scenes[0].duration == pytest.approx(3.4)  # takes laid end to end
    assert scenes[1].at == pytest.approx(4.9)
    assert scenes[0].session_clock(2.0) == pytest.approx(12.0)  # 0.5 s into segment 3


def test_the_room_knows_the_cast_from_the_log_alone(replay):
    """The Room here was made from a reopened session: who was cast comes from replaying its log."""
    info = replay.snapshot.replay
    scene_moments = [m for m in info.moments if m.phase == "scene"]
    assert scene_moments and all(m.people == frozenset(players(replay.session)) for m in scene_moments)


# ----- the video, by byte ranges ---------------------------------------------------------------------


def test_the_video_is_one_mp4_of_the_scene_that_plays_from_start_to_end(replay):
    import av

    from roleplay.video.segments import read_index

    session = replay.session
    session.execute(c.AllowReplay())
    data = whole_video(phone(replay, players(session)[0]))
    assert data[4:8] == b"ftyp"
    entries = read_index(session.folder)
    with av.open(io.BytesIO(data)) as container:
        assert container.format.name.startswith("mov,mp4")
        video = container.streams.video[0]
        assert (video.codec_context.name, video.codec_context.width, video.codec_context.height) == ("h264", 160, 120)
        assert container.streams.audio and container.streams.audio[0].codec_context.name == "opus"
        times = [frame.time for frame in container.decode(video=0)]
    scene = [e for e in entries]  # the recording is this one scene (and the moment the recorder took to stop)
    assert len(times) == sum(e.frames for e in scene)
    assert times == sorted(times) and times[0] == pytest.approx(0.0, abs=0.001)
    length = sum(e.end - e.start for e in scene)
    assert times[-1] <= length + 0.001
    first_frames = [e.first_frame - e.start for e in scene]
    assert times[0] == pytest.approx(first_frames[0], abs=0.002)  # pictures at the times the camera gave them


def test_byte_ranges(replay):
    session = replay.session
    session.execute(c.AllowReplay())
    player = phone(replay, players(session)[0])
    data = whole_video(player)
    size = len(data)
    headers = player.head("/me/replay/1/video").headers
    assert headers["accept-ranges"] == "bytes" and int(headers["content-length"]) == size
    etag = headers["etag"]

    def ranged(value, **extra):
        return player.get("/me/replay/1/video", headers={"Range": value, **extra})

    answer = ranged("bytes=0-99")
    assert answer.status_code == 206 and answer.headers["content-range"] == f"bytes 0-99/{size}"
    assert answer.content == data[:100] and answer.headers["content-length"] == "100"
    assert ranged("bytes=-100").content == data[-100:]
    assert ranged(f"bytes={size - 10}-").content == data[-10:]
    assert ranged(f"bytes=5-{size * 10}").content == data[5:]
    head = player.head("/me/replay/1/video", headers={"Range": "bytes=10-19"})
    assert head.status_code == 206 and head.headers["content-range"] == f"bytes 10-19/{size}" and not head.content
    for unsatisfiable in (f"bytes={size}-", f"bytes={size}-{size + 5}", "bytes=-0", "bytes=99999999999999999999999-"):
        answer = ranged(unsatisfiable)
        assert answer.status_code == 416 and answer.headers["content-range"] == f"bytes */{size}", unsatisfiable
        assert not answer.content
    # several ranges, another unit, nonsense: the header is ignored, the whole file comes
    for ignored in ("bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=5-2", "bytes=--1", "bytes=-5-10", "bytes=",
                    "bytes=0x10-", "bytes= 1 - 2", "bytes=" + "9" * 5000):
        answer = ranged(ignored)
        assert answer.status_code == 200 and answer.content == data, ignored
    assert ranged("bytes=0-9", **{"If-Range": etag}).status_code == 206
    assert ranged("bytes=0-9", **{"If-Range": '"another"'}).status_code == 200


def test_a_long_range_is_answered_in_parts_each_checked_again(replay, monkeypatch):
    """A range answer carries at most MAX_RANGE_BYTES; the video element asks for the rest, and
    `replay off` refuses the next part."""
    from roleplay.room import replay_pages

    session = replay.session
    session.execute(c.AllowReplay())
    player = phone(replay, players(session)[0])
    data = whole_video(player)
    assert MAX_RANGE_BYTES >= 1024 * 1024
    monkeypatch.setattr(replay_pages, "MAX_RANGE_BYTES", 1000)
    parts, first = [], 0
    while first < len(data):
        answer = player.get("/me/replay/1/video", headers={"Range": f"bytes={first}-"})
        assert answer.status_code == 206 and len(answer.content) <= 1000
        parts.append(answer.content)
        first += len(answer.content)
        if first > len(data) // 2 and session.replay_allowed:
            session.execute(c.StopReplay())
            assert player.get("/me/replay/1/video", headers={"Range": f"bytes={first}-"}).status_code == 403
            session.execute(c.AllowReplay())
    assert b"".join(parts) == data


def test_any_range_gives_exactly_those_bytes(replay):
    import random

    session = replay.session
    session.execute(c.AllowReplay())
    player = phone(replay, players(session)[0])
    data = whole_video(player)
    pick = random.Random(11)
    for _ in range(60):
        first = pick.randrange(len(data) + 50)
        last = first + pick.randrange(1, 3 * len(data) // 2)
        answer = player.get("/me/replay/1/video", headers={"Range": f"bytes={first}-{last}"})
        if first >= len(data):
            assert answer.status_code == 416
        else:
            assert answer.status_code == 206 and answer.content == data[first:last + 1], (first, last)


@given(st.text(max_size=60), st.integers(min_value=0, max_value=10**9))
def test_parsing_a_range_header_never_fails(header, size):
    got = parse_range(header, size)
    assert got is None or got == "unsatisfiable" or (0 <= got[0] <= got[1] < size)


def test_the_video_over_a_real_socket(replay):
    """uvicorn in its thread on 127.0.0.1: a video element's first range, then a HEAD."""
    session = replay.session
    session.execute(c.AllowReplay())
    token = replay.link_tokens[players(session)[0]]
    server = RoomServer(replay, "127.0.0.1", 0)
    server.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        conn.request("GET", f"/link/{token}")
        conn.getresponse().read()
        cookie = {"Cookie": f"roleplay_device={token}"}
        conn.request("GET", "/me/replay/1/video", headers={**cookie, "Range": "bytes=0-"})
        answer = conn.getresponse()
        body = answer.read()
        assert answer.status == 206 and body[4:8] == b"ftyp"
        size = int(answer.getheader("content-range").rsplit("/", 1)[1])
        assert len(body) == min(size, MAX_RANGE_BYTES)
        conn.request("HEAD", "/me/replay/1/video", headers=cookie)
        head = conn.getresponse()
        head.read()
        assert head.status == 200 and int(head.getheader("content-length")) == size
        assert "media-src 'self'" in head.getheader("content-security-policy")
        assert head.getheader("cache-control") == "no-store"  # the phone keeps no copy
    finally:
        server.stop()


# ----- reflections -----------------------------------------------------------------------------------


def test_a_reflection_goes_into_the_log_at_the_scenes_recording_time(replay):
    from roleplay.video.timeline import load_timeline

    session = replay.session
    session.execute(c.AllowReplay())
    ana, other = players(session)[0], players(session)[1]
    player = phone(replay, ana)
    page = player.get("/me/replay/1?t=00:01").text
    assert 'src="/me/replay/1/video#t=1.0"' in page and 'value="00:01"' in page
    # a `by` slipped into the form changes nothing: the phone's person writes it
    answer = player.post("/me/replay/1/reflect", data={"csrf": csrf_of(page), "text": " here I <b>rushed</b> ",
                                                         "at": "00:01", "by": other})
    assert answer.status_code == 303 and answer.headers["location"] == "/me/replay/1?t=00%3A01"
    reflection = [e for e in session.events if e.type == "reflection"][-1].body
    assert (reflection.by, reflection.text) == (ana, "here I <b>rushed</b>")
    timeline = load_timeline(session.folder)  # `roleplay replay` places it at the same moment
    mark = next(m for m in timeline.marks if m.kind == "reflection")
    assert mark.at == pytest.approx(reflection.at) and mark.by == ana
    scene = timeline.spans[0]
    assert reflection.at == pytest.approx(scene.at + 1.0)
    assert reflection.mono == pytest.approx(timeline.to_session(reflection.at), abs=0.001)
    shown = player.get("/me/replay/1").text
    assert "here I &lt;b&gt;rushed&lt;/b&gt;" in shown and ">00:01</a>" in shown
    assert "1 reflection" in player.get("/me/replay").text
    assert "rushed" not in phone(replay, other).get("/me/replay/1").text  # someone else's phone


def test_a_reflection_needs_its_check_a_time_and_some_text(replay):
    session = replay.session
    session.execute(c.AllowReplay())
    player = phone(replay, players(session)[0])
    page = player.get("/me/replay/1").text
    form = csrf_of(page)
    tries = [
        ({"text": "no check", "at": "0"}, 403),
        ({"csrf": "f" * 40, "text": "forged", "at": "0"}, 403),
        ({"csrf": form, "text": "no time", "at": "soon"}, 409),
        ({"csrf": form, "text": "no time", "at": "-5"}, 409),
        ({"csrf": form, "text": "   ", "at": "0"}, 409),
        ({"csrf": form, "text": "x" * 1001, "at": "0"}, 409),
    ]
    for data, status in tries:
        answer = player.post("/me/replay/1/reflect", data=data)
        assert answer.status_code == status, data
        assert "Traceback" not in answer.text
    assert not [e for e in session.events if e.type == "reflection"]
    answer = player.post("/me/replay/1/reflect", data={"csrf": form, "text": "way past the end", "at": "59:00"})
    assert answer.status_code == 303
    from roleplay.video.timeline import load_timeline

    at = [e for e in session.events if e.type == "reflection"][-1].body.at
    assert at == pytest.approx(load_timeline(session.folder).duration, abs=0.01)  # kept to the scene's end


# ----- an encrypted recording ------------------------------------------------------------------------


def test_an_encrypted_recording_is_decrypted_in_memory_only(recorded_encrypted, tmp_path):
    from roleplay.core.folder import SessionFolder
    from roleplay.core.sealing import opener_for

    copy = tmp_path / "copy"
    copy.mkdir()
    session = reopen(recorded_encrypted, copy, opener_for(SessionFolder(recorded_encrypted), PASSPHRASE))
    before = {p: p.stat().st_size for p in session.folder.rglob("*") if p.is_file()}
    locked = Room(session)
    session.execute(c.AllowReplay())
    player = phone(locked, players(session)[0])
    page = player.get("/me/replay/1")
    assert page.status_code == 200 and "encrypted" in page.text and "<video" not in page.text
    answer = player.get("/me/replay/1/video")
    assert answer.status_code == 409 and b"ftyp" not in answer.content
    locked.close()
    room = Room(session, video_passphrase=PASSPHRASE)
    player = phone(room, players(session)[0])
    data = whole_video(player)
    assert data[4:8] == b"ftyp"
    assert player.get("/me/replay/1/video", headers={"Range": "bytes=0-99"}).content == data[:100]
    after = {p: p.stat().st_size for p in session.folder.rglob("*") if p.is_file()}
    grown = {p for p in after if before.get(p) != after[p]}
    assert set(after) == set(before) and grown <= {session.folder / "session.jsonl"}  # no plaintext written
    room.close()
    session.close()


def test_a_wrong_passphrase_is_a_plain_refusal(recorded_encrypted, tmp_path):
    from roleplay.core.folder import SessionFolder
    from roleplay.core.sealing import opener_for

    session = reopen(recorded_encrypted, tmp_path, opener_for(SessionFolder(recorded_encrypted), PASSPHRASE))
    room = Room(session, video_passphrase="not the passphrase at all")
    session.execute(c.AllowReplay())
    answer = phone(room, players(session)[0]).get("/me/replay/1/video")
    assert answer.status_code == 409 and "Traceback" not in answer.text
    room.close()
    session.close()


def test_clock_texts_are_read_back():
    assert parse_clock("01:05") == 65 and parse_clock("65") == 65 and parse_clock("1:02:03") == 3723
    assert parse_clock("1:2:3:4") is None and parse_clock("") is None and parse_clock("nan") is None
    assert parse_clock("-1") is None and parse_clock("1e400") is None and parse_clock("1:-2") is None

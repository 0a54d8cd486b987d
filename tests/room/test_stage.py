"""The stage: the projector's page. Open on this computer, elsewhere only with its key; public facts only."""

from __future__ import annotations

from roleplay.core import commands as c
from roleplay.room.server import STAGE_COOKIE
from tests.room.conftest import ROOM, browser, deal, start_session

pytestmark = ROOM


def test_the_stage_opens_on_loopback_and_elsewhere_only_with_its_key(room, session):
    assert browser(room, client=("127.0.0.1", 1234)).get("/stage").status_code == 200
    assert browser(room, client=("::1", 1234)).get("/stage").status_code == 200
    projector = browser(room, client=("192.0.2.50", 1234))
    assert projector.get("/stage").status_code == 403
    assert projector.get("/stage/fragment").status_code == 403
    assert projector.get("/events").status_code == 403
    assert projector.get("/stage", params={"key": "wrong"}).status_code == 403
    page = projector.get("/stage", params={"key": room.stage_key})
    assert page.status_code == 200 and room.join_code in page.text
    header = [h for h in page.headers.get_list("set-cookie") if h.startswith(STAGE_COOKIE)][0]
    assert "HttpOnly" in header and "samesite=strict" in header.lower()
    assert projector.get("/stage").status_code == 200  # the cookie it was given
    assert projector.get("/stage/fragment").status_code == 200


def test_the_stage_shows_phase_timer_group_text_and_public_tallies(tmp_path):
    from roleplay.room.room import Room

    session = start_session(tmp_path, "peer-drift")
    room = Room(session)
    stage = browser(room, client=("127.0.0.1", 1))
    while not session.current.votes:
        session.fire("next", force=True)
    vote_id = session.current.votes[0]
    vote = session.scenario.vote(vote_id)
    session.execute(c.CastVote(vote=vote_id, option=vote.options[0].id, count=3))
    page = stage.get("/stage").text
    assert session.text(session.current.title) in page
    assert session.text(vote.question) in page.replace("&#39;", "'").replace("&#34;", '"')
    assert '<td class="count">3</td>' in page
    room.close()
    session.close()


def test_the_timer_counts_from_the_session_clock(tmp_path, clock):
    from roleplay.room.room import Room

    session = start_session(tmp_path, "guess-who", clock=clock)
    room = Room(session)
    deal(session)
    while session.current.timer is None:
        session.fire("next", force=True)
    clock.advance(61)
    page = browser(room, client=("127.0.0.1", 1)).get("/stage/fragment").text
    duration = int(session.current.timer.duration)
    left = duration - 61
    assert f'data-remaining="{left}"' in page and f"{left // 60}:{left % 60:02d}" in page
    session.execute(c.Pause(reason="a break"))
    page = browser(room, client=("127.0.0.1", 1)).get("/stage/fragment").text
    assert 'data-running="0"' in page and "Time-out" in page
    room.close()
    session.close()

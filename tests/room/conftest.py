"""Helpers for the room's tests: a session with a room, a browser per participant (Starlette's TestClient).

Every test here talks to 127.0.0.1 only (TestClient never opens a socket; the server and `play --room`
tests bind 127.0.0.1 with port 0).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SCENARIOS

# Every test module here: `pytestmark = ROOM`. Starlette 1.x would like httpx2 for its TestClient;
# httpx works the same.
ROOM = [pytest.mark.room, pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")]

PEOPLE = ["Ana", "Ben", "Cleo", "Dan", "Eve", "Fay"]
BASE_URL = "http://127.0.0.1:8765"
BUILTIN = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def load(scenario_id: str):
    from roleplay.core.loader import load_scenario

    result = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    assert result.ok, result.problems
    return result.scenario


def start_session(root: Path, scenario_id: str = "guess-who", people: list[str] | None = None, seed: int = 7, clock=None):
    from roleplay.core import commands as c
    from roleplay.core.engine import Session

    session = Session.start(load(scenario_id), list(people or PEOPLE), root=root, seed=seed, clock=clock)
    session.execute(c.OpenRoom(address="127.0.0.1:8765"))
    return session


def deal(session) -> None:
    """Go on (forced) until roles and cards are dealt."""
    for _ in range(len(session.scenario.phases)):
        if session.dealt:
            return
        session.fire("next", force=True)
    assert session.dealt


def browser(room, *, client=("192.0.2.10", 50000)):
    """A phone: its own cookie jar. The default address is not loopback (the stage needs its key)."""
    from starlette.testclient import TestClient

    from roleplay.room.server import make_room_app

    return TestClient(make_room_app(room), base_url=BASE_URL, client=client, follow_redirects=False)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def ask_to_join(phone, room, name: str, code: str | None = None):
    page = phone.get("/")
    assert page.status_code == 200, page.text
    # a join that worked is redirected to the waiting page ("/"), which is what this returns then
    return phone.post("/join", data={"csrf": csrf_of(page.text), "code": code or room.join_code, "name": name},
                      follow_redirects=True)


def joined(room, name: str):
    """A phone in the room as `name`, accepted by the trainer."""
    from roleplay.core import commands as c

    phone = browser(room)
    answer = ask_to_join(phone, room, name)
    assert answer.status_code == 200 and "Waiting for the trainer" in answer.text, answer.text
    room.session.execute(c.AcceptDevice(participant=name))
    return phone


@pytest.fixture
def session(tmp_path):
    s = start_session(tmp_path)
    yield s
    s.close()


@pytest.fixture
def room(session):
    from roleplay.room.room import Room

    r = Room(session)
    yield r
    r.close()

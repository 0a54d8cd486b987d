"""The room from the trainer's console (issue 11): the set-up switch, the room panel (l), join notices,
the waiting count, accept/refuse/remove/lock, and the room closing with the session and the app.

Phones are plain HTTP clients on 127.0.0.1 only, run in a thread (`asyncio.to_thread`) so the app's
loop keeps running and carries out what they ask; nothing here sleeps for a fixed time.
"""

from __future__ import annotations

import asyncio
import http.client
import re

import pytest

from roleplay.core import commands as c
from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app
from roleplay.ui.messages import Execute
from roleplay.ui.room_service import badge_text, device_rows, stage_here
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.room_panel import RoomPanelScreen
from roleplay.ui.screens.setup import SetupScreen
from roleplay.ui.widgets.room_badge import RoomBadge
from roleplay.ui.widgets.room_qr import HALF_BLOCKS, QUIET_ZONE, qr_text

from .conftest import BUILTIN
from .driver import live_session_in, screen_text, settle, start_from_setup, wait_until, widget_texts

pytestmark = pytest.mark.ui

SIZE = (80, 24)
NAMES = ("Ana", "Ben", "Cleo", "Dan", "Eve", "Finn")


# ----- phones: plain HTTP on loopback, each in a worker thread ---------------------------------------


class Phone:
    """One phone's browser, kept small: its own cookies, plain HTTP to the room on 127.0.0.1 only."""

    def __init__(self, url: str) -> None:
        assert url.startswith("http://127.0.0.1:"), url
        self.port = int(url.rsplit(":", 1)[1])
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        from urllib.parse import urlencode

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            for header in answer.headers.get_all("set-cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0].strip('"')
                if value and "max-age=0" not in header.lower():
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            return answer.status, answer.read().decode("utf-8")
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def join(self, code: str, name: str) -> int:
        status, page = self.get("/")
        assert status == 200, page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        return self.request("POST", "/join", {"csrf": csrf, "code": code, "name": name})[0]


def notices(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def refused(port: int) -> bool:
    """Nothing listens on the port any more."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/")
        conn.getresponse().read()
    except OSError:
        return True
    return False


def wait_stopped(app, server) -> None:
    """The stop threads end by themselves; join them with a deadline."""
    for thread in list(app.room_service.stoppers):
        thread.join(15)
    assert not server.thread.is_alive()
    assert refused(server.port)


# ----- the panel: open, join, accept, refuse, lock, remove ---------------------------------------------


async def test_the_panel_opens_a_room_and_lets_the_trainer_accept_refuse_lock_and_remove(tmp_path):
    app = make_app(out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        session = await live_session_in(pilot, "guess-who", "mingle", names=NAMES)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, RoomPanelScreen)
        assert "No room is open" in widget_texts(app)
        app.screen.query_one("#room-address").value = "127.0.0.1:port"  # a typo: said plainly, nothing opens
        await pilot.press("enter")
        await wait_until(pilot, lambda: "The room did not open: '127.0.0.1:port' is not PORT or HOST:PORT" in notices(app), what="the error")
        assert not app.room_service.is_open and not app.room_service.opening and "Traceback" not in notices(app)
        assert app.screen.query_one("#room-open-row").display
        app.screen.query_one("#room-address").value = "127.0.0.1:0"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.room_service.is_open, what="the room to open")
        view, room, server = app.room_service.view, app.room_service.room, app.room_service.server
        assert session.room_addresses == [view.listens_on]
        shown = widget_texts(app)
        assert view.url in shown and " ".join(view.join_code[:3]) in shown  # the address and the code, big
        assert view.stage_here in shown and not view.beyond_loopback and "beyond this computer" not in shown
        assert qr_text(view.url).splitlines()[3] in screen_text(app)  # the QR code, drawn as it is
        for token in [*room.link_tokens.values(), room.stage_key]:  # no personal link; the stage key waits behind t
            assert token not in screen_text(app) and token not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)

        ana = Phone(view.url)
        assert await asyncio.to_thread(ana.join, view.join_code, "Ana") == 303
        await wait_until(pilot, lambda: "Ana asks to join — press l to accept or refuse" in notices(app), what="the join notice")
        await wait_until(pilot, lambda: bool(app.screen.query(RoomBadge)), what="the waiting count")
        badge = app.screen.query_one(RoomBadge)
        assert "1 waiting" in str(badge.content) and badge.has_class("-waiting")
        assert (await asyncio.to_thread(ana.get, "/me"))[0] == 303  # still waiting

        await pilot.press("l")
        await settle(pilot)
        assert "Ana · waiting (by code)" in widget_texts(app) + screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert [row.state for row in device_rows(session) if row.name == "Ana"] == ["in"]
        status, page = await asyncio.to_thread(ana.get, "/me")
        assert status == 200 and "Ana" in page

        ben = Phone(view.url)
        assert await asyncio.to_thread(ben.join, view.join_code, "Ben") == 303
        await wait_until(pilot, lambda: "Ben asks to join: a accepts, r refuses." in notices(app), what="Ben's notice")
        await pilot.press("r")  # Ben is highlighted: the one waiting
        await settle(pilot)
        assert (await asyncio.to_thread(ben.get, "/me"))[0] == 403

        await pilot.press("k")
        await settle(pilot)
        assert session.room_locked and "Joining is locked" in widget_texts(app)
        late = Phone(view.url)
        status, page = await asyncio.to_thread(late.get, "/")
        assert status == 403 and "not letting new phones in" in page
        await pilot.press("k")
        await settle(pilot)
        assert not session.room_locked

        app.screen.query_one("#room-people").highlighted = 0  # Ana
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [row.state for row in device_rows(session) if row.name == "Ana"] == ["removed"]
        status, page = await asyncio.to_thread(ana.get, "/me")
        assert status == 403 and "took this phone out" in page and "Traceback" not in page
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # the next phase's screen gets the count too
        await wait_until(pilot, lambda: session.phase != "mingle" and bool(app.screen.query(RoomBadge)), what="the next screen's badge")
        assert "Room: 0 in" in str(app.screen.query_one(RoomBadge).content)
    # Leaving the app closed the room; its server stopped in a thread of its own.
    wait_stopped(app, server)


async def test_the_setup_switch_opens_the_room_and_the_end_of_the_session_closes_it(tmp_path, ui_env):
    from roleplay.ui.settings import load_settings

    app = make_app(BUILTIN / "guess-who.yaml", participants=", ".join(NAMES), out=tmp_path / "s", clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SetupScreen), what="the set-up screen")
        assert not app.screen.query_one("#room-address").display  # shown only with the switch on
        app.screen.query_one("#room").value = True
        await pilot.pause()
        assert app.screen.query_one("#room-address").display
        app.screen.query_one("#room-address").value = "127.0.0.1:0"
        await start_from_setup(pilot)
        await wait_until(pilot, lambda: app.room_service.is_open, what="the room to open")
        server = app.room_service.server
        status, page = await asyncio.to_thread(Phone(app.room_service.view.url).get, "/")
        assert status == 200 and "Join the room" in page
        await wait_until(pilot, lambda: load_settings().get("room_address") == "127.0.0.1:0", what="the choice saved")
        assert load_settings().get("room") == "yes"

        app.post_message(Execute(c.EndSession(reason="stopped")))
        await wait_until(pilot, lambda: not app.room_service.is_open, what="the room to close")
        assert "The room is closed" in notices(app)
        await asyncio.to_thread(wait_stopped, app, server)  # while the app is still running


# ----- pieces without an app ----------------------------------------------------------------------------


def test_the_qr_text_is_the_code_two_modules_a_line():
    import segno

    url = "http://192.168.1.20:54321"
    lines = qr_text(url).splitlines()
    code = segno.make_qr(url, error="m")
    matrix = [[bool(m) for m in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    decode = {ch: pair for pair, ch in HALF_BLOCKS.items()}
    rows: list[list[bool]] = []
    for line in lines:
        pairs = [decode[ch] for ch in line]
        rows += [[top for top, _ in pairs], [bottom for _, bottom in pairs]]
    assert rows[: len(matrix)] == matrix
    assert all(set(line) <= set(HALF_BLOCKS.values()) for line in lines)  # nothing but blocks and spaces


def test_rows_and_the_badge_follow_the_log(tmp_path):
    from tests.room.conftest import start_session

    session = start_session(tmp_path, people=["Ana", "Ben", "Cleo"])
    try:
        assert [r.state for r in device_rows(session)] == ["none", "none", "none"]
        session.execute(c.AskToJoin(participant="Ana", device="d1d1", token_sha256="a" * 64))
        session.execute(c.SignInByLink(participant="Ben", device="d2d2", token_sha256="b" * 64))
        assert [(r.state, r.via) for r in device_rows(session)[:2]] == [("waiting", "join"), ("in", "link")]
        assert badge_text(session) == ("Room: 1 in · 1 waiting", 1)
        session.execute(c.RefuseDevice(participant="Ana"))
        assert device_rows(session)[0].state == "refused" and badge_text(session)[1] == 0
    finally:
        session.close()
    assert stage_here("0.0.0.0", 80) == "http://127.0.0.1:80/stage"
    assert stage_here("::", 80) == "http://[::1]:80/stage"
    assert stage_here("192.168.1.20", 80) is None

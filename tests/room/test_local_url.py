"""The stage's address "on this computer" is one this computer reaches as a loopback client."""

from __future__ import annotations


import pytest

from roleplay.room.server import RoomServer
from tests.room.conftest import ROOM

pytestmark = ROOM


@pytest.mark.parametrize(
    "host, expected",
    [
        ("0.0.0.0", "http://127.0.0.1:8000"),  # every address: loopback included
        ("::", "http://[::1]:8000"),
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
        ("192.168.1.20", None),  # one LAN address: this computer comes from it too, so the key is needed
    ],
)
def test_local_url(host, expected):
    server = RoomServer.__new__(RoomServer)  # no thread, no socket: only the address logic
    server.host, server.port = host, 8000
    assert RoomServer.local_url.fget(server) == expected  # type: ignore[attr-defined]

"""The room's typed commands and events in the core: checked, logged, and rebuilt from the log."""

from __future__ import annotations

import hashlib

import pytest

from roleplay.core import commands as c
from roleplay.core.command_line import available, parse
from roleplay.core.engine import CommandError, Session
from tests.room.conftest import ROOM, load

pytestmark = ROOM

H1, H2, H3 = (hashlib.sha256(x).hexdigest() for x in (b"one", b"two", b"three"))


@pytest.fixture
def s(tmp_path, clock):
    session = Session.start(load("ideal-helper"), ["Ana", "Ben", "Ana Maria"], root=tmp_path, seed=1, clock=clock)
    yield session
    session.close()


def test_nothing_about_the_room_before_it_opens(s):
    assert not {"accept", "refuse", "lock", "unlock"} & set(available(s))
    with pytest.raises(CommandError, match="no room is open"):
        s.execute(c.AskToJoin(participant="Ana", device="abcd1234", token_sha256=H1))


def test_join_accept_refuse_remove_lock_and_the_words_for_them(s):
    s.execute(c.OpenRoom(address="127.0.0.1:8000"))
    assert "lock" in available(s) and "accept" not in available(s)
    s.execute(c.AskToJoin(participant="ana maria", device="dev1", token_sha256=H1))
    assert {"accept", "refuse", "remove"} <= set(available(s))
    assert available(s).count("remove") <= 1
    assert parse(s, "accept Ana Maria") == c.AcceptDevice(participant="Ana Maria")
    s.execute(parse(s, "accept Ana Maria"))
    assert s.devices["dev1"].status == "accepted" and s.devices["dev1"].participant == "Ana Maria"
    with pytest.raises(CommandError, match="has a device in the room already"):
        s.execute(c.AskToJoin(participant="Ana Maria", device="dev2", token_sha256=H2))
    with pytest.raises(CommandError, match="in use already"):
        s.execute(c.AskToJoin(participant="Ben", device="dev2", token_sha256=H1))
    with pytest.raises(CommandError, match="SHA-256"):
        s.execute(c.AskToJoin(participant="Ben", device="dev2", token_sha256="not-a-hash"))
    s.execute(c.AskToJoin(participant="Ben", device="dev2", token_sha256=H2))
    s.execute(parse(s, "refuse Ben"))
    assert s.devices["dev2"].status == "refused"
    with pytest.raises(CommandError, match="no device is waiting"):
        s.execute(parse(s, "accept Ben"))
    s.execute(parse(s, "lock"))
    with pytest.raises(CommandError, match="locked"):
        s.execute(c.AskToJoin(participant="Ben", device="dev3", token_sha256=H3))
    assert "unlock" in available(s)
    s.execute(c.SignInByLink(participant="Ben", device="dev3", token_sha256=H3))  # a link opens a locked room
    assert parse(s, "remove Ana Maria") == c.RemoveDevice(participant="Ana Maria")
    assert parse(s, "remove Ben") == c.RemoveDevice(participant="Ben")
    s.execute(parse(s, "remove Ben"))
    assert s.devices["dev3"].status == "removed"
    s.execute(parse(s, "unlock"))
    assert not s.room_locked


def test_remove_still_takes_out_a_collection_entry(s):
    s.execute(c.OpenRoom(address="127.0.0.1:8000"))
    assert isinstance(parse(s, "remove qualities 2"), c.RemoveEntry)


def test_the_room_is_rebuilt_from_the_log(s):
    s.execute(c.OpenRoom(address="127.0.0.1:8000"))
    s.execute(c.AskToJoin(participant="Ana", device="dev1", token_sha256=H1))
    s.execute(c.AcceptDevice(participant="Ana"))
    s.execute(c.AskToJoin(participant="Ben", device="dev2", token_sha256=H2))
    s.execute(c.LockRoom())
    again = Session.replay(s.folder)
    assert again.devices == s.devices and again.room_locked and again.room_addresses == ["127.0.0.1:8000"]
    assert again.snapshot() == s.snapshot()


def test_every_room_command_has_an_executor():
    from roleplay.core.engine import _EXECUTORS

    assert set(c.ROOM_COMMANDS) <= set(c.ALL_COMMANDS) <= set(_EXECUTORS)

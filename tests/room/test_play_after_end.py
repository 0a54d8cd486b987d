"""`play --room` keeps the room open after the session ends, until its input ends: replay comes afterwards."""

from __future__ import annotations

import pytest

from tests.room.conftest import ROOM
from tests.room.test_play_room import Play

pytestmark = [*ROOM, pytest.mark.slow]


def test_replay_can_be_switched_on_after_the_end_and_play_exits_when_input_ends(tmp_path):
    play = Play(tmp_path, "--room", "127.0.0.1:0")
    try:
        play.line(lambda text: text.startswith("room: "))
        play.send("end")
        play.event("session_ended")
        play.send("replay on")  # after the end: still carried out, the room is still there
        play.event("replay_allowed")
        play.send("next")  # a command the ended session refuses: said, and play goes on
        play.send("replay off")
        play.event("replay_stopped")
        assert play.finish() == 0
    finally:
        if play.proc.poll() is None:
            play.proc.kill()
            play.proc.wait()
    errors = play.err()
    assert "the room stays open until input ends" in errors
    assert "the session has ended" in errors and "Traceback" not in errors

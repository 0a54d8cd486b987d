"""A session with a short recorded scene, for the replay tests: the synthetic camera and tone, 0.5 s segments.

crisis-conversation with four people: two play the scene (the person in crisis and the peer supporter),
two observe it (they fill in its checklist), so the scene has people who were in it and people who were not.
Waits are on the recorder's announced status (`wait_until`), never sleeps.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from roleplay.core import commands as c
from roleplay.core.engine import Session
from tests.room.conftest import load

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]
WAIT = 30.0


def record_scene(root: Path, *, passphrase: str | None = None, segments: int = 3, people: list[str] | None = None):
    """A live session (not ended) with a room opened, a recorded scene of about `segments` x 0.5 s, and the
    phase after it entered. Returns (session, the scene's phase id)."""
    from roleplay.video.recorder import Recorder
    from roleplay.video.session_recording import SessionRecording

    people = list(people or PEOPLE)
    session = Session.start(load("crisis-conversation"), people, root=root, seed=7, recording=True, passphrase=passphrase)
    session.execute(c.OpenRoom(address="127.0.0.1:8765"))
    recording = SessionRecording(session, source="synthetic:160x120@15", audio="synthetic", passphrase=passphrase,
                                 recorder_factory=partial(Recorder, segment_seconds=0.5))
    try:
        for name in people:
            session.execute(c.SetConsent(participant=name, given=True))
        while not session.current.record:
            session.fire(session.triggers()[0], force=True)
        scene = session.phase
        recorder = recording.recorder
        assert recorder.wait_until(lambda status: status.segments >= segments, WAIT), recorder.status()
        session.fire(session.triggers()[0], force=True)  # the phase after the scene: recording stops
        assert recorder.wait_until(lambda status: not status.active, WAIT), recorder.status()
    finally:
        assert recording.close(WAIT)
        session.listeners.remove(recording._on_event)  # no more recording in this test
    return session, scene


def players(session) -> list[str]:
    return [p for p in session.participants if session.roles.get(p) in ("person-in-crisis", "peer-supporter")]


def observers(session) -> list[str]:
    return [p for p in session.participants if session.roles.get(p) == "observer"]

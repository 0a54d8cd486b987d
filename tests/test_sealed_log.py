"""With a passphrase, nothing about a person is written in plain text; without it nothing can be read."""

from __future__ import annotations

import pytest

from roleplay.core import commands as c
from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.folder import SessionFolder
from roleplay.core.log import LockedLog, read_log
from roleplay.core.report import to_markdown
from roleplay.core.sealing import SealingError, opener_for, opener_if_sealed
from roleplay.core.sessions import FolderState, read_info
from tests.conftest import PASSPHRASE as PASS

PEOPLE = ["Anastasia", "Benedikt", "Cleopatra"]


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_a_sealed_session_writes_no_personal_text_and_reads_back_with_the_passphrase(branching, tmp_path):
    clock = FakeClock()
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock, passphrase=PASS)
    s.execute(c.AddNote(text="Benedikt seemed tired today"))
    s.execute(c.Go(trigger="next"))
    s.execute(c.RecordGuess(participant="Anastasia", outcome="wrong", text="a nurse?"))
    s.close()
    raw = _all_bytes(s.folder)
    for secret in [*PEOPLE, "seemed tired", "nurse", "Branching test", "moods", "calm"]:
        assert secret.encode() not in raw, secret
    with pytest.raises(LockedLog, match="encrypted: give its passphrase"):
        read_log(s.folder)
    assert read_info(s.folder).state is FolderState.ENCRYPTED
    paths = SessionFolder(s.folder)
    with pytest.raises(SealingError, match="wrong passphrase"):
        opener_for(paths, "not the passphrase at all")
    opener = opener_if_sealed(paths, PASS)
    rebuilt = Session.replay(s.folder, clock=clock, opener=opener)
    assert rebuilt.snapshot() == s.snapshot()
    assert "Benedikt seemed tired today" in to_markdown(rebuilt)
    # Resuming goes on sealing: the writer needs only the public key.
    resumed = Session.replay(s.folder, clock=clock, resume=True, opener=opener)
    resumed.execute(c.AddNote(text="Cleopatra asked for a break"))
    resumed.close()
    assert b"Cleopatra" not in _all_bytes(s.folder)
    assert [n["text"] for n in Session.replay(s.folder, opener=opener).notes][-1] == "Cleopatra asked for a break"


def test_a_short_passphrase_is_refused_before_anything_is_written(branching, tmp_path):
    with pytest.raises(SealingError, match="at least 12 characters"):
        Session.start(branching, PEOPLE, root=tmp_path / "s", seed=1, passphrase="short")
    assert not (tmp_path / "s").exists()

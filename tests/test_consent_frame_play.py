"""`roleplay play`: the word `outside NAME` marks someone observing outside the frame; in a filmed session
an acting role for them is refused with a clear message, and `consent NAME yes` lets them step in."""

from __future__ import annotations

import json

from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from tests.conftest import SCENARIOS, run_cli

CRISIS = str(SCENARIOS / "crisis-conversation.yaml")


def _printed(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_play_marks_someone_outside_the_frame(tmp_path):
    result = run_cli("play", CRISIS, "--participants", "Ana,Ben,Cleo", "--seed", "2", "--out", str(tmp_path),
                     stdin="outside Ben\nconsent Ben yes\noutside Ben\noutside ben\n")
    assert result.returncode == 1  # the last line is refused: Ben is outside the frame already
    consents = [e["data"] for e in _printed(result) if e["type"] == "consent"]
    assert consents == [{"participant": "Ben", "given": False, "outside_frame": True},
                        {"participant": "Ben", "given": True},
                        {"participant": "Ben", "given": False, "outside_frame": True}]
    assert "Ben: observing outside the frame (while the session is filmed: no role in the frame)" in result.stderr
    assert "Ben consented to being filmed and may step into the frame" in result.stderr
    assert "roleplay: error: Ben observes outside the frame already (consent Ben yes brings them back)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_filmed_session_resumed_in_play_refuses_an_acting_role_until_consent(tmp_path):
    scenario = load_scenario(SCENARIOS / "crisis-conversation.yaml").scenario
    session = Session.start(scenario, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=2, recording=True,
                            outside_frame=["Ben"])
    for name in ("Ana", "Cleo"):
        session.consent(name, True)
    folder = session.folder
    session.close()

    refused = run_cli("play", "--resume", str(folder), stdin="next\nassign Ben peer-supporter\n")
    assert refused.returncode == 1, refused.stderr
    assert "observing outside the frame: Ben" in refused.stderr
    assert ("roleplay: error: Ben observes outside the frame, so in this filmed session they cannot play "
            "Peer supporter, a role in the frame; give them Observer (or first: consent Ben yes)") in refused.stderr
    dealt = next(e["data"] for e in _printed(refused) if e["type"] == "roles_dealt")
    assert dealt["roles"]["Ben"] == "observer"  # the deal kept Ben out of the frame
    assert "role_assigned" not in [e["type"] for e in _printed(refused)]

    stepped_in = run_cli("play", "--resume", str(folder), stdin="consent Ben yes\nassign Ben peer-supporter\n")
    assert stepped_in.returncode == 3, stepped_in.stderr  # input ended before the session's end: resumable
    assert "Ben consented to being filmed and may step into the frame" in stepped_in.stderr
    assigned = next(e["data"] for e in _printed(stepped_in) if e["type"] == "role_assigned")
    assert assigned["participant"] == "Ben" and assigned["role"] == "peer-supporter"

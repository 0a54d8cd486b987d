"""crisis-conversation's safety briefing promises what roleplay/core/consent.py does (issue 13).

Read from the scenario in every language, not copied here: the recording point names the frame in the
glossary's words, the role a person outside the frame is dealt, the consent screen's keys, and commands
that `play` and the app's command line turn into the frame's own commands."""

from __future__ import annotations

import re

import pytest

from roleplay.core import commands as c
from roleplay.core import consent
from roleplay.core.command_line import parse
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from tests.conftest import ROOT, SCENARIOS

SCENARIO = load_scenario(SCENARIOS / "crisis-conversation.yaml").scenario


def recording_point(language: str) -> str:
    """Point 6 (recording) of the safety briefing's trainer script, as one line."""
    script = SCENARIO.phases["safety-briefing"].script
    assert script is not None
    text = " ".join(script[language].split())
    found = re.search(r"\b6\. (.*?)\b7\. ", text)
    assert found, f"{language}: the safety briefing has no point 6"
    return found.group(1)


def term(language: str, concept: str, english: str) -> str:
    """The glossary's word for a concept (docs/glossary/<language>.md, `| en | term | note |`)."""
    if language == "en":
        return english
    for line in (ROOT / "docs" / "glossary" / f"{language}.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and cells[0].lower() == concept:
            return cells[1]
    raise AssertionError(f"docs/glossary/{language}.md has no '{concept}'")


def stem(word: str) -> str:
    """The part of a term every inflected form keeps (as tests/test_glossary.py matches them)."""
    longest = max(re.findall(r"\w[\w-]*", word.replace(":innen", "").replace(":in", "")), key=len).lower()
    return longest if len(longest) <= 5 else longest[: max(5, len(longest) - 2)]


@pytest.mark.parametrize("language", SCENARIO.languages)
def test_the_briefing_says_who_observes_outside_the_frame_and_how(language, tmp_path):
    point = recording_point(language).lower()
    assert stem(term(language, "outside the frame", "outside the frame")).lower() in point
    # They are dealt the role the rules deal them: the observers'.
    role = consent.outside_role(SCENARIO)
    assert role == "observer" and stem(term(language, "observer", "observer")) in point
    # The keys named are the consent screen's: o observes outside the frame, n says no.
    from roleplay.ui.screens.consent import ConsentScreen

    keys = {b.key: b.action for b in ConsentScreen.BINDINGS}
    named = re.findall(r"\b\w+ ([a-z])\)", point)
    assert named == ["o", "n"], named
    assert keys["o"] == f"answer('{consent.OUTSIDE}')" and keys["n"] == f"answer('{consent.NO}')"
    # The commands it gives are the frame's own: outside marks, consent ... yes lets them step in.
    commands = re.findall(r"`([^`]+)`", recording_point(language))
    session = Session.start(SCENARIO, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, recording=True)
    kinds = {type(parse(session, line.replace("NAME", "Ben"))) for line in commands}
    assert kinds == {c.SetConsent, c.ObserveOutsideFrame}
    yes = next(parse(session, line.replace("NAME", "Ben")) for line in commands if line.startswith("consent"))
    assert isinstance(yes, c.SetConsent) and yes.given
    session.close()


def test_the_briefing_promises_a_filmed_scene_while_someone_observes_outside(tmp_path):
    """The point's promise, played: whoever answers o is not in the frame, and the scene is filmed."""
    session = Session.start(SCENARIO, ["Ana", "Ben", "Cleo", "Dan"], root=tmp_path, seed=3, recording=True,
                            outside_frame=["Ben"])
    for name in ("Ana", "Cleo", "Dan"):
        session.consent(name, True)
    scene = next(pid for pid, phase in SCENARIO.phases.items() if phase.record)
    while session.phase != scene:
        session.execute(c.Go(trigger="next", force=True))
    assert session.roles["Ben"] == consent.outside_role(SCENARIO)
    assert session.may_record() and "Ben" not in consent.in_frame(session)
    for role in consent.acting_roles(SCENARIO):
        with pytest.raises(Exception, match="observes outside the frame"):
            session.execute(c.AssignRole(participant="Ben", role=role))
    session.close()

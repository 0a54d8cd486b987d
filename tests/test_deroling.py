"""Issue 12: de-roling generated from the roles actually played, marked per person, in the report.

The session below deals roles, chooses a protagonist, swaps roles by route (a role-reversal phase)
and lends roles by techniques (role reversal, mirroring, doubling); the list must hold exactly the
roles each person played, and nothing they held only before the scene.
"""

from __future__ import annotations

import pytest

from roleplay.core import commands as c
from roleplay.core.deroling import roles_to_leave
from roleplay.core.engine import CommandError, Session
from roleplay.core.loader import load_scenario
from roleplay.core.report import build_report, to_markdown
from tests.conftest import DATA

PSYCHODRAMA = DATA / "valid" / "psychodrama.yaml"
PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]


@pytest.fixture
def played(clock, tmp_path):
    """Dealt with seed 2: Ben is the helper, the others audience. Ana becomes the protagonist before
    the scene, Dan is the protagonist for a moment before that (so it does not count), roles are
    reversed by route, and techniques lend roles; then the session reaches de-roling."""
    scenario = load_scenario(PSYCHODRAMA).scenario
    s = Session.start(scenario, PEOPLE, root=tmp_path, seed=2, clock=clock)
    assert s.roles == {"Ana": "audience", "Ben": "helper", "Cleo": "audience", "Dan": "audience"}
    s.assign("Dan", "protagonist")  # in the warm-up, then the group changes its mind
    s.assign("Ana", "protagonist")
    s.fire("next")  # the scene
    s.use_technique("doubling", ["Ana", "Cleo"])
    s.use_technique("mirroring", ["Ana", "Dan"])
    s.fire("reverse")  # Ana and Ben swap protagonist and helper
    s.fire("next")  # and back
    s.fire("next")  # the scene again
    s.use_technique("role-reversal", ["Cleo", "Ben"])  # Cleo (audience) and Ben (helper) swap for a moment
    s.fire("next")  # de-roling
    yield s
    s.close()


def table(session):
    return {p.participant: [r.described() for r in p.roles] for p in roles_to_leave(session)}


def test_the_list_holds_the_roles_actually_played(played):
    assert table(played) == {
        "Ana": ["Protagonist", "The helper"],  # the role reversal phase made her the helper
        "Ben": ["The helper", "Protagonist", "Audience (through role reversal)"],
        "Cleo": ["Audience", "double of Ana (through doubling)", "The helper (through role reversal)"],
        "Dan": ["Audience", "Protagonist (through mirroring)"],  # the protagonist of the warm-up did not play
    }


def test_stepping_out_is_marked_per_person_or_per_role_and_rebuilt_from_the_log(played, clock):
    assert c.MarkDeRoled in c.allowed_commands(played) and c.UseTechnique not in c.allowed_commands(played)
    played.execute(c.MarkDeRoled(participant="ana"))  # every role she played
    played.execute(c.MarkDeRoled(participant="Cleo", role="double"))
    played.execute(c.MarkDeRoled(participant="Ben", role="The helper"))  # a role's name works as well as its id
    assert [e.body.payload() for e in played.events[-4:]] == [
        {"participant": "Ana", "role": "protagonist", "phase": "de-roling"},
        {"participant": "Ana", "role": "helper", "phase": "de-roling"},
        {"participant": "Cleo", "role": "double", "phase": "de-roling"},
        {"participant": "Ben", "role": "helper", "phase": "de-roling"},
    ]
    done = {p.participant: (p.done, [r.done for r in p.roles]) for p in roles_to_leave(played)}
    assert done["Ana"] == (True, [True, True]) and done["Cleo"] == (False, [False, True, False])
    folder = played.folder
    played.close()
    again = Session.reopen(folder, clock=clock)
    try:
        assert again.snapshot() == played.snapshot()
        assert again.deroled == played.deroled
        again.mark_deroled("Cleo")
        assert [p.done for p in roles_to_leave(again) if p.participant == "Cleo"] == [True]
    finally:
        again.close()


@pytest.mark.parametrize(
    "name, role, message",
    [
        ("Dan", "helper", "Dan did not play 'helper' (roles to step out of: audience, protagonist)"),
        ("Zoe", None, "no participant 'Zoe' (participants: Ana, Ben, Cleo, Dan)"),
    ],
)
def test_a_wrong_step_out_says_why(played, name, role, message):
    with pytest.raises(CommandError) as error:
        played.mark_deroled(name, role)
    assert str(error.value) == message


def test_stepping_out_twice_is_refused(played):
    played.mark_deroled("Dan")
    with pytest.raises(CommandError, match="Dan has stepped out of every role already"):
        played.mark_deroled("Dan")
    with pytest.raises(CommandError, match="Dan has stepped out of Audience already"):
        played.mark_deroled("Dan", "audience")


def test_stepping_out_is_marked_only_in_a_de_roling_phase(played):
    played.fire("next")  # sharing
    with pytest.raises(CommandError) as error:
        played.mark_deroled("Ana")
    assert str(error.value) == "stepping out of roles is marked in a de-roling phase; 'sharing' is a phase of kind sharing"


def test_the_report_lists_techniques_per_phase_and_who_stepped_out(played):
    played.mark_deroled("Ana")
    report = build_report(played)
    assert [(v["phase"], [t["technique"] for t in v["techniques"]]) for v in report["techniques"]] == [
        ("The scene, round 1", ["Doubling", "Mirroring"]),
        ("The scene, round 2", ["Role reversal"]),
    ]
    assert report["techniques"][0]["techniques"][0]["who"] == ["Ana", "Cleo"]
    assert report["deroling"][0] == {"name": "Ana", "roles": [{"role": "Protagonist", "done": True}, {"role": "The helper", "done": True}]}
    text = to_markdown(played)
    assert "## Psychodrama techniques" in text and "**Doubling** (Ana\\, Cleo)" in text
    assert "- Ana: Protagonist (stepped out); The helper (stepped out)" in text
    assert "- Dan: Audience (not marked); Protagonist \\(through mirroring\\) (not marked)" in text


def test_a_session_without_de_roling_or_techniques_reports_neither(branching, clock, tmp_path):
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    report = build_report(s)
    assert report["techniques"] == [] and report["deroling"] == []
    assert "Psychodrama" not in to_markdown(s) and "De-roling" not in to_markdown(s)
    s.close()


def test_the_html_report_shows_techniques_and_de_roling_escaped(clock, tmp_path):
    from roleplay.pages.report import report_html

    s = Session.start(load_scenario(PSYCHODRAMA).scenario, ["Ana", "<b>Ben</b>"], root=tmp_path, seed=1, clock=clock)
    s.fire("next")
    s.use_technique("doubling", ["Ana", "<b>Ben</b>"], "<script>x</script>")
    s.fire("next")
    page = report_html(s)
    assert "Psychodrama techniques" in page and "De-roling" in page and "<strong>Doubling</strong>" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>" not in page
    assert "double of Ana (through doubling)" in page and "<b>Ben</b>" not in page
    s.close()

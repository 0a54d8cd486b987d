"""Issue 13: the trainer's checklist before the first exercise of the day follows the course's notes
for trainers (seeds/002, points 1-6): the room, group rules, respect without stigma, no rushing,
breaks, every voice, confidentiality, the complaint procedure and the quality sheet."""

from __future__ import annotations

from roleplay.core.pre_session import CHECKLIST
from tests.conftest import run_cli


def words() -> dict[str, str]:
    return {check.id: f"{check.title} {check.text}".lower() for check in CHECKLIST}


def test_each_point_of_the_course_notes_for_trainers_is_on_the_checklist():
    said = words()
    assert list(said) == ["room", "language", "rules", "respect", "no-rush", "breaks", "every-voice", "confidentiality",
                          "complaints"]
    assert "accessible" in said["room"] and "space" in said["room"]
    assert "time-out" in said["rules"] and "t with their hands" in said["rules"]  # the one stop signal
    assert "stigma" in said["respect"] and "do not preach" in said["respect"]
    assert "time for questions" in said["no-rush"] and "every slide" in said["no-rush"]
    assert "breaks" in said["breaks"] and "on time" in said["breaks"]
    assert "relatives" in said["every-voice"] and "professionals" in said["every-voice"]
    assert "recordings" in said["confidentiality"] and "deleted" in said["confidentiality"]
    assert "anonymous complaint procedure" in said["complaints"] and "quality-control sheet" in said["complaints"]


def test_roleplay_checklist_prints_it_in_the_language_asked_for():
    shown = run_cli("checklist", env={"ROLEPLAY_LANGUAGE": "de"})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] != "Before the first session today:" and lines.count("") == len(CHECKLIST)
    assert sum(line.startswith("[ ] ") for line in lines) == len(CHECKLIST)

"""Issue 13, item 4: a course knows its trainees, sessions belong to it, and a named form's answers
(the competency self-assessment) show each trainee's growth across the course's sessions."""

from __future__ import annotations

import json
import stat

import pytest

from roleplay.core import course as courses
from roleplay.core.engine import CommandError, Session
from roleplay.core.growth import course_growth
from roleplay.core.loader import load_scenario
from roleplay.core.log import read_log
from roleplay.core.report import to_markdown
from tests.conftest import DATA, plain_parts, run_cli
from tests.conftest import PASSPHRASE

SELF = DATA / "valid" / "self-assessment.yaml"


@pytest.fixture(scope="module")
def scenario():
    result = load_scenario(SELF)
    assert result.ok, result.problems
    return result.scenario


def play(scenario, root, answers, course="spring", passphrase=None, people=("Ana", "Ben")):
    session = Session.start(scenario, list(people), root=root, seed=1, course=course, passphrase=passphrase)
    for by, question, value in answers:
        session.answer(question, str(value), by)
    session.end()
    return session


def test_a_course_is_a_private_file_its_trainees_checked_and_never_made_twice(tmp_path):
    made = courses.create(tmp_path, "Spring 2027, Cluj", [" Ana ", "Ben  Ode"])
    assert (made.id, made.trainees) == ("spring-2027-cluj", ["Ana", "Ben Ode"])
    path = tmp_path / "courses" / "spring-2027-cluj.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert courses.load(tmp_path, made.id) == made
    with pytest.raises(courses.CourseError, match="exists already"):
        courses.create(tmp_path, "Spring 2027 Cluj", [])
    with pytest.raises(courses.CourseError, match="'ana' is named twice"):
        courses.create(tmp_path, "Autumn", ["Ana", "ana"])
    with pytest.raises(courses.CourseError, match="not a course id"):
        courses.load(tmp_path, "../escape")
    assert courses.add_trainees(tmp_path, made.id, ["Cleo"]).trainees == ["Ana", "Ben Ode", "Cleo"]
    assert courses.remove_trainee(tmp_path, made.id, "ben ode").trainees == ["Ana", "Cleo"]
    with pytest.raises(courses.CourseError, match="not a trainee"):
        courses.remove_trainee(tmp_path, made.id, "Zoe")
    assert [c.id for c in courses.list_courses(tmp_path)] == ["spring-2027-cluj"]
    courses.delete(tmp_path, made.id)
    with pytest.raises(courses.CourseError, match="no course 'spring-2027-cluj'"):
        courses.load(tmp_path, made.id)


def test_a_damaged_or_newer_course_file_is_refused_with_where(tmp_path):
    folder = tmp_path / "courses"
    folder.mkdir()
    (folder / "broken.json").write_text("{not json")
    (folder / "newer.json").write_text(json.dumps({"format": 99, "name": "x", "trainees": []}))
    with pytest.raises(courses.CourseError, match="cannot read .*broken.json"):
        courses.load(tmp_path, "broken")
    with pytest.raises(courses.CourseError, match="newer version"):
        courses.load(tmp_path, "newer")
    assert courses.list_courses(tmp_path) == []


def test_a_named_form_keeps_each_answer_under_its_person_and_an_anonymous_sheet_never(scenario, tmp_path):
    session = Session.start(scenario, ["Ana", "Ben"], root=tmp_path, seed=1)
    with pytest.raises(CommandError, match="say whose answer it is"):
        session.answer("engage", "2")
    with pytest.raises(CommandError, match="no participant 'Zoe'"):
        session.answer("engage", "2", "Zoe")
    session.answer("engage", "2", "ana")
    assert session.answers[-1]["by"] == "Ana"
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data["forms"][0]["anonymous"] = True
    anonymous = type(scenario).model_validate(data)
    other = Session.start(anonymous, ["Ana", "Ben"], root=tmp_path, seed=1)
    with pytest.raises(CommandError, match="anonymous: its answers carry no name"):
        other.answer("engage", "2", "Ana")
    other.answer("engage", "2")
    assert "by" not in other.answers[-1]


def test_growth_follows_each_trainee_across_the_course_sessions_oldest_first(scenario, tmp_path):
    courses.create(tmp_path, "Spring", ["Ana", "Ben"], "spring")
    play(scenario, tmp_path, [("Ana", "engage", 1), ("Ana", "share", 2), ("Ben", "engage", 2)])
    play(scenario, tmp_path, [("Ana", "engage", 2)], course=None)  # not part of the course
    play(scenario, tmp_path, [("Ana", "engage", 2), ("Ana", "engage", 3), ("Ben", "share", 1)])
    growth = course_growth(tmp_path, courses.load(tmp_path, "spring"))
    assert len(growth.sessions) == 2
    ana = {row.question: row for row in growth.trainees["Ana"]}
    assert [(a.session, a.value, a.level) for a in ana["engage"].answers] == [(0, 1, "Basic"), (1, 3, "Advanced")]
    assert ana["engage"].change == 2  # the last answer in a session counts
    assert ana["share"].change is None and ana["engage"].text == "I engage peers in caring relationships"
    report = to_markdown(Session.replay(growth.sessions[1].folder))
    assert "  - Ana\\: 3 Advanced" in report and "  - Ben\\: 1 Basic" in report  # the session's report names whose answer
    ben = {row.question: row for row in growth.trainees["Ben"]}
    assert [a.session for a in ben["engage"].answers] == [0] and [a.session for a in ben["share"].answers] == [1]


def test_growth_reads_sealed_sessions_only_with_their_passphrase(scenario, tmp_path):
    courses.create(tmp_path, "Spring", ["Ana"], "spring")
    session = play(scenario, tmp_path, [("Ana", "engage", 4)], passphrase=PASSPHRASE, people=("Ana", "Ben"))
    assert b"Ana" not in plain_parts((session.folder / "session.jsonl").read_bytes())
    course = courses.load(tmp_path, "spring")
    locked = course_growth(tmp_path, course)
    assert locked.sessions == [] and locked.locked == [session.folder]
    opened = course_growth(tmp_path, course, PASSPHRASE)
    assert [a.value for a in opened.trainees["Ana"][0].answers] == [4] and opened.locked == []


def test_the_course_commands_and_play_with_a_course(tmp_path):
    env = {"ROLEPLAY_RECORDINGS": str(tmp_path)}
    refused = run_cli("course", "new", "Spring \x1b[31m2027", env=env)
    assert refused.returncode == 1 and "control character" in refused.stderr and "\x1b" not in refused.stderr
    made = run_cli("course", "new", "Spring 2027", "--trainees", "Ana,Ben", env=env)
    assert made.returncode == 0, made.stderr
    assert "course 'spring-2027' made" in made.stderr and "\x1b" not in made.stderr
    played = run_cli("play", str(SELF), "--course", "spring-2027", stdin="answer-for Ana engage 2\nanswer-for Ben share 3\nnext\nend\n", env=env)
    assert played.returncode == 0, played.stderr
    started = read_log(next(p for p in tmp_path.iterdir() if p.name != "courses"))[0].body
    assert started.course == "spring-2027" and started.participants == ["Ana", "Ben"]
    shown = run_cli("course", "growth", "spring-2027", "--trainee", "ana", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Ana" in shown.stdout and "2 Intermediate" in shown.stdout and "Ben" not in shown.stdout
    missing = run_cli("play", str(SELF), "--course", "nope", env=env)
    assert missing.returncode == 1 and "roleplay: error: --course nope: no course 'nope' (courses: spring-2027)" in missing.stderr

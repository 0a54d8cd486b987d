"""Each trainee's growth over a course, read from the logs of the course's sessions only.

A named form (`anonymous: false`, such as the competency self-assessment) keeps each answer with
the name of the trainee who gave it. For every trainee, every rated question of such a form gets a
row: the answer in each session of the course, oldest first, and the change from the first answer
to the last. Question texts and level names come from the scenario copy in each log, so a growth
table never depends on today's scenario files; a question renamed in a later session is shown
under its latest text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from roleplay.core.course import Course
from roleplay.core.events import FormAnswered, SessionStarted
from roleplay.core.folder import SessionFolder
from roleplay.core.log import LogError, LogEvent, read_log
from roleplay.core.model import Form
from roleplay.core.sealing import SealingError, opener_if_sealed
from roleplay.core.text import localize


@dataclass
class CourseSession:
    folder: Path
    started: float
    scenario: str
    title: str


@dataclass
class Answer:
    session: int  # index into CourseGrowth.sessions
    value: int
    level: str  # the level's name, or "" when the question names none


@dataclass
class GrowthRow:
    form: str
    question: str
    text: str
    answers: list[Answer] = field(default_factory=list)

    @property
    def change(self) -> int | None:
        """Last answer minus first; None with fewer than two answers."""
        return self.answers[-1].value - self.answers[0].value if len(self.answers) > 1 else None


@dataclass
class CourseGrowth:
    course: Course
    sessions: list[CourseSession] = field(default_factory=list)  # oldest first
    trainees: dict[str, list[GrowthRow]] = field(default_factory=dict)  # every trainee of the course, in order
    locked: list[Path] = field(default_factory=list)  # encrypted sessions this passphrase does not open
    unreadable: list[Path] = field(default_factory=list)


def _named_forms(first: SessionStarted) -> dict[str, Form]:
    from roleplay.core.model import Scenario

    data = first.scenario_data or {}
    try:
        scenario = Scenario.model_validate(data)
    except ValueError:
        return {}
    from roleplay.core.standard_forms import standard_forms

    return {f.id: f for f in [*scenario.forms, *standard_forms().values()] if not f.anonymous}


def course_growth(root: Path, course: Course, passphrase: str | None = None, language: str = "en") -> CourseGrowth:
    """Every trainee's answers to named forms across the course's sessions under `root`."""
    growth = CourseGrowth(course, trainees={name: [] for name in course.trainees})
    logs: list[tuple[CourseSession, list[LogEvent]]] = []
    # Each session folder's log is read once, here (not listed first: that would read every log twice).
    children = sorted(Path(root).iterdir()) if Path(root).is_dir() else []
    for folder in (SessionFolder(child) for child in children):
        if not folder.is_session():
            continue
        try:
            events = read_log(folder.path, opener_if_sealed(folder, passphrase))
        except (LogError, SealingError):
            (growth.locked if folder.sealed else growth.unreadable).append(folder.path)
            continue
        first = events[0].body if events else None
        if not isinstance(first, SessionStarted) or first.course != course.id:
            continue
        logs.append((CourseSession(folder.path, events[0].wall, first.scenario, first.title), events))
    logs.sort(key=lambda item: item[0].started)
    rows: dict[tuple[str, str, str], GrowthRow] = {}
    for index, (session, events) in enumerate(logs):
        growth.sessions.append(session)
        first = events[0].body
        assert isinstance(first, SessionStarted)
        forms = _named_forms(first)
        latest: dict[tuple[str, str, str], Answer] = {}  # a trainee's last answer in a session counts
        for event in events:
            body = event.body
            if not isinstance(body, FormAnswered) or body.by is None or body.form not in forms:
                continue
            question = next((q for q in forms[body.form].questions if q.id == body.question), None)
            if question is None or question.answer != "rating" or not isinstance(body.value, int):
                continue
            name = next((t for t in course.trainees if t.casefold() == body.by.casefold()), None)
            if name is None:
                continue  # someone who is no longer a trainee of the course
            key = (name, body.form, body.question)
            level = ""
            if question.levels and question.min <= body.value <= question.max:
                level = localize(question.levels[body.value - question.min], language, first.language or "en")
            latest[key] = Answer(index, body.value, level)
            row = rows.setdefault(key, GrowthRow(body.form, body.question, ""))
            row.text = localize(question.text, language, first.language or "en")
        for key, answer in latest.items():
            rows[key].answers.append(answer)
    for (name, _form, _question), row in rows.items():
        growth.trainees[name].append(row)
    return growth

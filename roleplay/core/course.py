"""A course: its trainees, and the sessions that belong to it.

A course is a small file in the sessions root (`courses/ID.json`, 0600 in a 0700 folder): an id, a
name and the trainees' names. A session belongs to a course when its first event names the course
(`session_started.course`), so everything about what happened stays in the session logs, and a
course's growth is read from them (core/growth.py). Deleting a course removes only this file: its
sessions keep their own retention.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from roleplay.core import settings
from roleplay.core.i18n import _
from roleplay.core.safe_write import WriteError, write_new_file

COURSE_FORMAT = 1
COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class CourseError(Exception):
    """A course that does not exist, cannot be read, or cannot be made as asked; the message says which."""


@dataclass
class Course:
    id: str
    name: str
    trainees: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        data = {"format": COURSE_FORMAT, "id": self.id, "name": self.name, "trainees": self.trainees}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def courses_dir(root: Path) -> Path:
    """Where the courses of the sessions under `root` are kept."""
    return Path(root) / settings.COURSES_FOLDER


def course_id(name: str) -> str:
    """A file-safe id made from a course's name ("Spring 2027, Cluj" -> "spring-2027-cluj")."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:63].strip("-")
    return slug or "course"


def _check_printable(text: str, what: str) -> None:
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise CourseError(_("{what} holds a control character: {text!r}").format(what=what, text=text))


def check_trainees(names: list[str]) -> list[str]:
    """Trainee names, stripped; an empty name, a control character or a name given twice (in any case) is an error."""
    cleaned = [" ".join(n.split()) for n in names]
    if any(not n for n in cleaned):
        raise CourseError(_("a trainee's name is empty"))
    for name in cleaned:
        _check_printable(name, _("a trainee's name"))
    seen: dict[str, str] = {}
    for name in cleaned:
        if name.casefold() in seen:
            raise CourseError(_("'{name}' is named twice").format(name=name))
        seen[name.casefold()] = name
    return cleaned


def _path(root: Path, cid: str) -> Path:
    if not COURSE_ID.match(cid):
        raise CourseError(_("'{id}' is not a course id (lower-case letters, digits and dashes)").format(id=cid))
    return courses_dir(root) / f"{cid}.json"


def create(root: Path, name: str, trainees: list[str], cid: str | None = None) -> Course:
    """A new course, saved; refused when a course with that id exists."""
    name = " ".join(name.split())
    if not name:
        raise CourseError(_("a course needs a name"))
    _check_printable(name, _("the course's name"))
    course = Course(cid or course_id(name), name, check_trainees(trainees))
    path = _path(root, course.id)
    if path.exists():
        raise CourseError(_("a course '{id}' exists already (roleplay course show {id})").format(id=course.id))
    _save(root, course, new=True)
    return course


def _save(root: Path, course: Course, *, new: bool = False) -> None:
    folder = settings.private_dir(courses_dir(root))
    try:
        write_new_file(folder / f"{course.id}.json", course.to_json(), force=not new)
    except WriteError as exc:
        raise CourseError(str(exc)) from None


def load(root: Path, cid: str) -> Course:
    path = _path(root, cid)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(c.id for c in list_courses(root)) or _("none")
        raise CourseError(_("no course '{id}' (courses: {known})").format(id=cid, known=known)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CourseError(_("cannot read {path}: {reason}").format(path=path, reason=exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise CourseError(_("{path} is not a course file").format(path=path))
    if data["format"] > COURSE_FORMAT:
        raise CourseError(_("{path} was written by a newer version of roleplay").format(path=path))
    trainees = data.get("trainees", [])
    if not isinstance(data.get("name"), str) or not isinstance(trainees, list) or not all(isinstance(t, str) for t in trainees):
        raise CourseError(_("{path} is not a course file").format(path=path))
    return Course(cid, data["name"], list(trainees))


def list_courses(root: Path) -> list[Course]:
    """Every readable course, by name; unreadable files are left out (`load` says why)."""
    folder = courses_dir(root)
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            found.append(load(root, path.stem))
        except CourseError:
            continue
    return sorted(found, key=lambda c: c.name.casefold())


def add_trainees(root: Path, cid: str, names: list[str]) -> Course:
    course = load(root, cid)
    course.trainees = check_trainees(course.trainees + names)
    _save(root, course)
    return course


def remove_trainee(root: Path, cid: str, name: str) -> Course:
    course = load(root, cid)
    match = [t for t in course.trainees if t.casefold() == name.strip().casefold()]
    if not match:
        raise CourseError(_("'{name}' is not a trainee of {course} (trainees: {trainees})").format(
            name=name, course=course.name, trainees=", ".join(course.trainees) or _("none")))
    course.trainees.remove(match[0])
    _save(root, course)
    return course


def delete(root: Path, cid: str) -> Course:
    course = load(root, cid)
    _path(root, cid).unlink()
    return course

"""Messages screens post up to the app. Data flows down as arguments and method calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # importing the commands builds pydantic models: too slow for the app's start
    from roleplay.core.commands import Command


class ScenarioChosen(Message):
    """The library (or rehearse screen) wants a session of this scenario."""

    def __init__(self, path: Path, scenario: Any) -> None:
        super().__init__()
        self.path = path
        self.scenario = scenario


@dataclass
class StartOptions:
    participants: list[str]
    language: str | None = None
    seed: int | None = None
    recording: bool = False
    consents: dict[str, bool] = field(default_factory=dict)
    outside_frame: list[str] = field(default_factory=list)  # declined to be filmed: observe from outside the frame
    camera: str = "0"  # a camera index, `synthetic[:WxH@FPS]`, or a video file
    audio: str = "default"  # default | none | synthetic
    passphrase: str | None = field(default=None, repr=False)  # encrypts the session (log and video); never shown or logged
    country: str | None = None  # support resources shown at the end of hard exercises
    projected: bool = True  # this screen is the room's screen: the trainer's private layer stays behind a key
    roles: dict[str, str] = field(default_factory=dict)  # participant -> role id chosen at set-up, kept by the deal
    course: str | None = None  # the course (core/course.py) the session belongs to, chosen at set-up


class StartRequested(Message):
    def __init__(self, scenario: Any, path: Path, options: StartOptions) -> None:
        super().__init__()
        self.scenario = scenario
        self.path = path
        self.options = options


class Execute(Message):
    """Carry out one typed session command (roleplay.core.commands); the app handles every error."""

    def __init__(self, command: Command) -> None:
        super().__init__()
        self.command = command


class CommandLine(Message):
    """A line typed at the `:` prompt, in `roleplay play`'s words (`help` lists them)."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class AssignmentDone(Message):
    """Roles are dealt and briefs handed out: on to the phase screens."""


class OpenSession(Message):
    """Reopen a past session: its report, or resume it where its log stops."""

    def __init__(self, folder: Path, resume: bool) -> None:
        super().__init__()
        self.folder = folder
        self.resume = resume


class ExportReport(Message):
    def __init__(self, fmt: str, folder: Path | None = None) -> None:
        super().__init__()
        self.fmt = fmt
        self.folder = folder


class SyncRequested(Message):
    """A screen came back on top and wants to be brought up to date with the session."""

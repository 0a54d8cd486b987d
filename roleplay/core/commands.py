"""Text commands for a session, one per line: used by `roleplay play` and by tests.

Each command maps onto one Session method; `available()` lists what is valid
in the current phase so an invalid command can say what would work.
"""

from __future__ import annotations

import shlex
from typing import Callable

from pydantic_core import PydanticCustomError

from roleplay.core.engine import CommandError, Session
from roleplay.core.model import parse_duration


def _duration(text: str) -> int:
    try:
        return parse_duration(int(text) if text.isdigit() else text)
    except PydanticCustomError as exc:
        raise CommandError(exc.message()) from None


def _number(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"{what} must be a whole number, got '{text}'") from None


def _yes_no(text: str) -> bool:
    if text.lower() in ("yes", "y", "true"):
        return True
    if text.lower() in ("no", "n", "false", "withdraw"):
        return False
    raise CommandError("consent is yes or no")


def _need(args: list[str], count: int, usage: str) -> None:
    if len(args) < count:
        raise CommandError(f"usage: {usage}")


USAGE = {
    "next": "next",
    "force": "force TRIGGER   (go on although a check is not met)",
    "timeout": "timeout   (the running timer runs out now)",
    "extend": "extend DURATION   (e.g. extend 2m)",
    "pause": "pause [REASON]   (time-out: the timer stops)",
    "resume": "resume",
    "note": "note TEXT",
    "mark": "mark LABEL",
    "inject": "inject EVENT [NAME]   (NAME receives its secret brief)",
    "guess": "guess NAME right|wrong|revealed [TEXT]",
    "tick": "tick CHECKLIST ITEM [BY]",
    "untick": "untick CHECKLIST ITEM",
    "add": "add COLLECTION TEXT",
    "tag": "tag COLLECTION ENTRY CATEGORY",
    "rate": "rate SCALE VALUE [ENTRY]",
    "vote": "vote VOTE OPTION [COUNT]",
    "answer": "answer QUESTION VALUE",
    "consent": "consent NAME yes|no",
    "deal": "deal [SEED]",
    "assign": "assign NAME ROLE",
    "swap": "swap NAME NAME",
    "give": "give NAME DECK CARD",
    "end": "end   (stop the session before its final phase)",
}


def available(session: Session) -> list[str]:
    """Commands valid in the current state, for messages and `help`."""
    if session.ended:
        return []
    phase = session.current
    names = list(session.triggers())
    names += ["force"] if any(r.guard for r in session.scenario.routes(session.phase)) else []
    if session.timer and not session.timer.expired:
        names.append("timeout")
    if session.timer:
        names.append("extend")
    names.append("resume" if session.paused else "pause")
    names += ["note", "mark"]
    if session.injectable():
        names.append("inject")
    if phase.guesses:
        names.append("guess")
    if phase.checklists:
        names += ["tick", "untick"]
    if phase.collection:
        names += ["add", "tag"]
    if phase.ratings or (phase.collection and session.scenario.collection(phase.collection).ratings):
        names.append("rate")
    if phase.votes:
        names.append("vote")
    if phase.form:
        names.append("answer")
    names += ["consent", "deal", "assign", "swap", "give", "end"]
    return names


def run_command(session: Session, line: str) -> None:
    """Carry out one command line; raises CommandError (or GuardWarning) when it cannot."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise CommandError(f"cannot read the command: {exc}") from None
    if not words:
        return
    name, args = words[0], words[1:]
    rest = " ".join(args)
    handlers: dict[str, Callable[[], object]] = {
        "force": lambda: (_need(args, 1, USAGE["force"]), session.fire(args[0], force=True)),
        "timeout": session.expire_timer,
        "extend": lambda: (_need(args, 1, USAGE["extend"]), session.extend(_duration(args[0]))),
        "pause": lambda: session.pause(rest),
        "resume": session.resume,
        "note": lambda: session.note(rest),
        "mark": lambda: session.mark(rest),
        "inject": lambda: (_need(args, 1, USAGE["inject"]), session.inject(args[0], " ".join(args[1:]) or None)),
        "guess": lambda: (_need(args, 2, USAGE["guess"]), session.guess(args[0], args[1], " ".join(args[2:]))),
        "tick": lambda: (_need(args, 2, USAGE["tick"]), session.tick(args[0], args[1], args[2] if len(args) > 2 else None)),
        "untick": lambda: (_need(args, 2, USAGE["untick"]), session.untick(args[0], args[1])),
        "add": lambda: (_need(args, 2, USAGE["add"]), session.add_entry(args[0], " ".join(args[1:]))),
        "tag": lambda: (_need(args, 3, USAGE["tag"]), session.tag_entry(args[0], _number(args[1], "ENTRY"), args[2])),
        "rate": lambda: (
            _need(args, 2, USAGE["rate"]),
            session.rate(args[0], _number(args[1], "VALUE"), _number(args[2], "ENTRY") if len(args) > 2 else None),
        ),
        "vote": lambda: (
            _need(args, 2, USAGE["vote"]),
            session.vote(args[0], args[1], _number(args[2], "COUNT") if len(args) > 2 else 1),
        ),
        "answer": lambda: (_need(args, 2, USAGE["answer"]), session.answer(args[0], " ".join(args[1:]))),
        "consent": lambda: (_need(args, 2, USAGE["consent"]), session.consent(args[0], _yes_no(args[1]))),
        "deal": lambda: session.redeal(_number(args[0], "SEED") if args else None),
        "assign": lambda: (_need(args, 2, USAGE["assign"]), session.assign(args[0], args[1])),
        "swap": lambda: (_need(args, 2, USAGE["swap"]), session.swap(args[0], args[1])),
        "give": lambda: (_need(args, 3, USAGE["give"]), session.give(args[0], args[1], args[2])),
        "end": lambda: session.end(),
    }
    if name in session.triggers():
        session.fire(name)
        return
    if name in handlers:
        handlers[name]()
        return
    valid = available(session)
    if not valid:
        raise CommandError("the session has ended")
    raise CommandError(f"'{name}' is not valid in phase '{session.phase}'; valid now: {', '.join(valid)}")

"""Text commands, one per line, read into typed commands: used by `roleplay play` and by tests.

`parse(session, line)` turns a line into a `Command`; `run_command` parses
and executes. `available(session)` lists the words valid now, derived from
`allowed_commands`, so an invalid word can say what would work.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Callable

from pydantic_core import PydanticCustomError

from roleplay.core import commands as c
from roleplay.core.durations import command_duration
from roleplay.core.i18n import N_, _
from roleplay.core.state import CommandError
from roleplay.core.suggest import did_you_mean

if TYPE_CHECKING:
    from roleplay.core.engine import Session
    from roleplay.core.state import SessionState

# The words are commands (never translated); what follows in brackets is explained in the session's language.
USAGE = {
    "next": "next",
    "force": N_("force TRIGGER   (go on although a check is not met)"),
    "timeout": N_("timeout   (the running timer runs out now)"),
    "extend": N_("extend DURATION   (e.g. extend 2m)"),
    "pause": N_("pause [REASON]   (time-out: the timer stops)"),
    "resume": "resume",
    "note": "note TEXT",
    "mark": "mark LABEL",
    "inject": N_("inject EVENT [NAME]   (NAME receives its secret brief)"),
    "guess": "guess NAME right|wrong|revealed [TEXT]",
    "tick": N_("tick CHECKLIST ITEM [by] [NAME]   (NAME: who was observed; the round is the phase's visit)"),
    "untick": N_("untick CHECKLIST ITEM [by] [NAME]   (takes back a tick of the same NAME and round)"),
    "add": "add COLLECTION TEXT",
    "tag": "tag COLLECTION ENTRY CATEGORY",
    "rate": "rate SCALE VALUE [ENTRY]",
    "vote": "vote VOTE OPTION [COUNT]",
    "answer": "answer QUESTION VALUE",
    "answer-for": N_("answer-for NAME QUESTION VALUE   (a named form, such as a self-assessment: NAME's own answer)"),
    "consent": "consent NAME yes|no",
    "outside": N_("outside NAME   (NAME does not want to be filmed and observes from outside the frame)"),
    "deal": "deal [SEED]",
    "assign": N_("assign NAME ROLE   (a full role is swapped: its holder takes NAME's old role)"),
    "handed": N_("handed NAME   (NAME has seen their private brief and cards)"),
    "swap": "swap NAME NAME",
    "give": "give NAME DECK CARD",
    "end": N_("end   (stop the session before its final phase)"),
}


def _duration(text: str) -> int:
    try:
        return command_duration(text)  # a bare number is seconds here (extend 120)
    except PydanticCustomError as exc:
        raise CommandError(exc.message()) from None


def _number(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(_("{what} must be a whole number, got '{text}'").format(what=what, text=text)) from None


def _yes_no(text: str) -> bool:
    if text.lower() in ("yes", "y", "true"):
        return True
    if text.lower() in ("no", "n", "false", "withdraw"):
        return False
    raise CommandError(_("consent is yes or no"))


def _need(args: list[str], count: int, word: str) -> None:
    if len(args) < count:
        raise CommandError(_("usage: {usage}").format(usage=USAGE[word]))


def _optional(args: list[str], index: int) -> str | None:
    return args[index] if len(args) > index else None


def _observed(words: list[str]) -> str | None:
    """Who a tick is about: `Ana`, `by Ana`, or a name of several words (`by Ana Maria`)."""
    if len(words) > 1 and words[0] == "by":
        words = words[1:]
    return " ".join(words) or None


_PARSERS: dict[str, tuple[int, Callable[[list[str]], c.Command]]] = {
    "force": (1, lambda a: c.Go(trigger=a[0], force=True)),
    "timeout": (0, lambda a: c.ExpireTimer()),
    "extend": (1, lambda a: c.ExtendTimer(seconds=_duration(a[0]))),
    "pause": (0, lambda a: c.Pause(reason=" ".join(a))),
    "resume": (0, lambda a: c.Resume()),
    "note": (0, lambda a: c.AddNote(text=" ".join(a))),
    "mark": (0, lambda a: c.AddMarker(label=" ".join(a))),
    "inject": (1, lambda a: c.Inject(event=a[0], to=" ".join(a[1:]) or None)),
    "guess": (2, lambda a: c.RecordGuess(participant=a[0], outcome=a[1], text=" ".join(a[2:]))),
    "tick": (2, lambda a: c.TickItem(checklist=a[0], item=a[1], by=_observed(a[2:]))),
    "untick": (2, lambda a: c.UntickItem(checklist=a[0], item=a[1], by=_observed(a[2:]))),
    "add": (2, lambda a: c.AddEntry(collection=a[0], text=" ".join(a[1:]))),
    "tag": (3, lambda a: c.TagEntry(collection=a[0], entry=_number(a[1], "ENTRY"), category=a[2])),
    "rate": (2, lambda a: c.Rate(
        scale=a[0], value=_number(a[1], "VALUE"), entry=_number(a[2], "ENTRY") if len(a) > 2 else None)),
    "vote": (2, lambda a: c.CastVote(vote=a[0], option=a[1], count=_number(a[2], "COUNT") if len(a) > 2 else 1)),
    "answer": (2, lambda a: c.AnswerForm(question=a[0], value=" ".join(a[1:]))),
    "answer-for": (3, lambda a: c.AnswerForm(question=a[1], value=" ".join(a[2:]), by=a[0])),
    "consent": (2, lambda a: c.SetConsent(participant=a[0], given=_yes_no(a[1]))),
    "outside": (1, lambda a: c.ObserveOutsideFrame(participant=" ".join(a))),
    "deal": (0, lambda a: c.Redeal(seed=_number(a[0], "SEED") if a else None)),
    "assign": (2, lambda a: c.AssignRole(participant=a[0], role=a[1])),
    "handed": (1, lambda a: c.MarkHandedOut(participant=" ".join(a))),
    "swap": (2, lambda a: c.SwapParticipants(first=a[0], second=a[1])),
    "give": (3, lambda a: c.GiveCard(participant=a[0], deck=a[1], card=a[2])),
    "end": (0, lambda a: c.EndSession()),
}


# Correcting a collection (issue 15): entries keep the numbers they were shown with.
USAGE.update({
    "edit": N_("edit COLLECTION ENTRY TEXT   (ENTRY: its number as shown)"),
    "remove": N_("remove COLLECTION ENTRY   (the other entries keep their numbers)"),
})
_PARSERS.update({
    "edit": (3, lambda a: c.EditEntry(collection=a[0], entry=_number(a[1], "ENTRY"), text=" ".join(a[2:]))),
    "remove": (2, lambda a: c.RemoveEntry(collection=a[0], entry=_number(a[1], "ENTRY"))),
})


# The room (issue 11): the trainer accepts, refuses and removes devices, and locks joining.
# `remove NAME` (one word after it, or a participant's name) takes a device out; `remove COLLECTION ENTRY`
# still takes out an entry.
USAGE.update({
    "accept": N_("accept NAME   (let the device waiting to join as NAME in)"),
    "refuse": N_("refuse NAME   (turn away the device waiting to join as NAME)"),
    "remove": N_("remove NAME   (take NAME's devices out of the room)  |  remove COLLECTION ENTRY   (the other entries keep their numbers)"),
    "lock": N_("lock   (no new device may join; devices in the room stay)"),
    "unlock": N_("unlock   (devices may ask to join again)"),
    "room-open": N_("(the room's server logs where it listens; not typed)"),
    "room-join": N_("(a device asks to join from the room's page; not typed)"),
    "room-link": N_("(a participant's own link was opened; not typed)"),
    "room-voters": N_("(the room notes which phones voted, never how; not typed)"),
})
_remove_entry = _PARSERS["remove"][1]


def _remove(session: "SessionState", args: list[str]) -> c.Command:
    name = " ".join(args)
    if len(args) == 1 or any(name.casefold() == p.casefold() for p in session.participants):
        return c.RemoveDevice(participant=name)
    return _remove_entry(args)


_PARSERS.update({
    "accept": (1, lambda a: c.AcceptDevice(participant=" ".join(a))),
    "refuse": (1, lambda a: c.RefuseDevice(participant=" ".join(a))),
    "lock": (0, lambda a: c.LockRoom()),
    "unlock": (0, lambda a: c.UnlockRoom()),
})


# Replay on phones (issue 11): `replay on` lets each phone show its person the recorded scenes they
# were in, `replay off` stops it. Reflections come from the phones' replay pages.
USAGE.update({
    "replay": N_("replay on|off   (phones show each person the recorded scenes they were in, with their reflections; off stops it)"),
    "room-reflect": N_("(a phone adds its person's reflection from the replay page; not typed)"),
})


def _replay(word: str) -> c.Command:
    if word.lower() == "on":
        return c.AllowReplay()
    if word.lower() == "off":
        return c.StopReplay()
    raise CommandError(_("usage: {usage}").format(usage=USAGE["replay"]))


_PARSERS["replay"] = (1, lambda a: _replay(a[0]) if len(a) == 1 else _replay(""))


# Psychodrama (issue 12): the names after a technique are the participants it involves, the
# protagonist first; whatever follows the names is the note (`--` ends the names early, for a note
# that starts with a name).
USAGE.update({
    "technique": N_("technique TECHNIQUE [NAME...] [-- NOTE]   (in an action phase; the protagonist first, e.g. technique doubling Ana Ben)"),
    "deroled": N_("deroled NAME [ROLE]   (in a de-roling phase: NAME stepped out of ROLE, or of every role they played)"),
})


def _technique(session: "SessionState", args: list[str]) -> c.Command:
    known = {p.casefold() for p in session.participants}
    names = []
    for word in args[1:]:
        if word.casefold() not in known:
            break
        names.append(word)
    rest = args[1 + len(names):]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    return c.UseTechnique(technique=args[0], who=names, note=" ".join(rest))


def available(session: "SessionState") -> list[str]:
    """Command words valid in the current state, for messages and `help`."""
    if session.ended:
        return []
    words: list[str] = []
    for kind in c.allowed_commands(session):
        if kind is c.Go:
            words += session.triggers()
            if any(r.guard for r in session.scenario.routes(session.phase)):
                words.append("force")
        else:
            words.append(kind.word)
    return list(dict.fromkeys(words))  # `remove` is a device's word and an entry's


def parse(session: "SessionState", line: str) -> c.Command | None:
    """The command a text line asks for (None for an empty line). Raises CommandError."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise CommandError(_("cannot read the command: {exc}").format(exc=exc)) from None
    if not words:
        return None
    name, args = words[0], words[1:]
    if name in session.triggers():
        return c.Go(trigger=name)
    if name == "remove" and args:
        return _remove(session, args)  # a device (room) or an entry (collection)
    if name == "technique":
        _need(args, 1, name)
        return _technique(session, args)  # psychodrama (issue 12): names, then the note
    if name == "deroled":
        _need(args, 1, name)
        return c.MarkDeRoled(participant=args[0], role=" ".join(args[1:]) or None)
    if name in _PARSERS:
        count, build = _PARSERS[name]
        _need(args, count, name)
        return build(args)
    valid = available(session)
    if not valid:
        raise CommandError(_("the session has ended"))
    guess = did_you_mean(name, valid) if name not in _PARSERS else ""  # a misspelt trigger or command
    raise CommandError(_("'{name}' is not valid in phase '{phase}'; valid now: {valid}").format(name=name, phase=session.phase, valid=', '.join(valid)) + guess)


def run_command(session: "Session", line: str) -> None:
    """Carry out one command line; raises CommandError (or GuardWarning) when it cannot."""
    command = parse(session, line)
    if command is not None:
        session.execute(command)

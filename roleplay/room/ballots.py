"""The ballot box: anonymous phone actions (the quality-control sheet, votes) held, then written in shuffled batches.

Why. A sheet's answers carry no name, but a log line also says *when* it was written and *after
what*: answers written the moment a phone sends them could be matched to the person seen pressing
"Send", or to the order in which phones answered. So the room holds them (in memory, on the
session's owner thread) and writes them only

- when at least `batch` phones (3 by default) have sent the same sheet, or voted in the same vote
  in this visit of the phase: all those held are written at once, every answer (or vote) of every
  phone in one random order; the log's times and order then say nothing about who sent what;
- right before the session leaves the phase or ends (the engine's `before_leaving` hook): whatever
  is still held is written then, at a moment no phone chose.

The trainer's live count ("N answers so far") therefore lags by at most `batch - 1` sheets, and is
whole as soon as the phase ends.

Votes. So that a restart of the program does not let a phone vote twice, a batch of votes is
written with one `voters_noted` event naming the batch's devices, sorted: which phones voted, never
what any of them chose (there are at least `batch` of them, and their votes are shuffled). What is
still held at the end of the phase is written without it (the vote is closed then; naming one or
two devices next to their votes would give them away). A held vote is lost with the program, and
so is its marker: that phone may vote again after a restart, and its vote counts once.

The sheet keeps no marker at all: the log never says who answered. The room remembers which phones
sent it in memory only, so after a restart a phone whose sheet was written could send it again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Hashable

from roleplay.core import commands as c
from roleplay.core.i18n import _
from roleplay.core.standard_forms import find_form

BATCH = 3  # phones per written batch: the fewest among whom an answer cannot be told apart


@dataclass
class Held:
    device: str
    commands: list[c.Command]


@dataclass
class BallotBox:
    """What phones sent anonymously and is not written yet, by group: ("form", id) or ("vote", id, visit)."""

    batch: int = BATCH
    rng: Any = field(default_factory=secrets.SystemRandom)
    _held: dict[Hashable, list[Held]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.batch < 2:
            raise ValueError("a batch needs at least 2 phones, or it would name the one who sent it")

    def hold(self, group: Hashable, device: str, commands: list[c.Command]) -> list[Held] | None:
        """Keep a phone's commands; returns the whole group, taken out, once it holds `batch` phones."""
        held = self._held.setdefault(group, [])
        held.append(Held(device, list(commands)))
        if len(held) < self.batch:
            return None
        return self._held.pop(group)

    def take_all(self) -> dict[Hashable, list[Held]]:
        """Everything still held (the phase is ending), taken out."""
        held, self._held = self._held, {}
        return held

    def count(self, group: Hashable) -> int:
        """How many phones' sends are held in `group` (not written yet)."""
        return len(self._held.get(group, []))

    def mixed(self, held: list[Held]) -> list[c.Command]:
        """Every command of every phone in `held`, in one random order."""
        commands = [command for item in held for command in item.commands]
        self.rng.shuffle(commands)
        return commands


def held_refusal(session: Any, command: c.Command) -> str | None:
    """What the engine would refuse about a command the room holds, said now, while the phone still waits
    for an answer (once held, a refusal could reach no one). None when it will be carried out."""
    if isinstance(command, c.CastVote):
        vote = session.scenario.vote(command.vote)
        if command.option not in {o.id for o in vote.options}:
            return _("That is not one of this vote's choices.")
        return None
    if isinstance(command, c.AnswerForm):
        form = find_form(session.scenario, session.current.form)
        question = next((q for q in form.questions if q.id == command.question), None)
        if question is None:
            return _("That question is not on the sheet.")
        if question.answer == "rating":
            value = command.value.strip()
            if not (value.isdigit() and question.min <= int(value) <= question.max):
                return _("Answer with a number from {min} to {max}.").format(min=question.min, max=question.max)
        elif not command.value.strip():
            return _("An answer needs some text.")
        return None
    return _("Phones cannot do that.")

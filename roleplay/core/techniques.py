"""Psychodrama techniques the trainer calls during the action, and the format checks that go with them.

A technique is a moment in the scene, not a phase: in any action phase (kind `enactment`,
`role-reversal` or `time-out`, `model.ACTION_KINDS`) the trainer may call any of them; a phase's
`techniques` list only puts the ones that suit it first. Each call is logged as `technique_used`
with the people it involved and the time into the scene; the replay timeline, the report and the
de-roling list (core/deroling.py) read it from there.

A technique never changes the roles the session holds: a role reversal called this way is a
glimpse the trainer starts and ends by voice (de-roling still lists the roles it lent). Phases of
kind `role-reversal` with `swap_roles`, reached by a route, still swap the roles as before.

The log holds the technique's id; the names here are shown through the catalogue (report,
`play`, timeline). The console adds a trainer's explanation of each (roleplay/ui/technique_flow.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterator, Literal, get_args

from roleplay.core.i18n import N_, LazyText, _, ngettext
from roleplay.core.model import ACTION_KINDS, Phase, Scenario, TechniqueId
from roleplay.core.problems import Severity

#: How the people a technique involves take on roles for a while (what de-roling must undo):
#: `swap`: the first two take each other's roles; `first`: the helpers play the first person;
#: `double`: the helpers become the first person's double; None: nobody takes on a role.
Lends = Literal["swap", "first", "double"]


@dataclass(frozen=True)
class Technique:
    id: str
    name: LazyText  # for the report, `play` and the timeline (in the language in use when shown)
    fewest: int  # people it involves at least
    most: int | None  # at most (None: no limit)
    who: LazyText  # what the names given mean, in order
    lends: Lends | None = None


TECHNIQUES: dict[str, Technique] = {
    t.id: t
    for t in (
        Technique("role-reversal", N_("Role reversal"), 2, 2, N_("the protagonist, then the person they swap roles with"), "swap"),
        Technique("doubling", N_("Doubling"), 2, None, N_("the protagonist, then who stands behind them as the double"), "double"),
        Technique("mirroring", N_("Mirroring"), 2, None, N_("the protagonist, then who plays them back (the mirror)"), "first"),
        Technique("soliloquy", N_("Soliloquy"), 1, None, N_("who speaks their thoughts aloud")),
        Technique("empty-chair", N_("Empty chair"), 1, None, N_("who speaks to the empty chair")),
        Technique("freeze", N_("Freeze"), 0, None, N_("nobody needs naming: the whole scene stops")),
    )
}
assert tuple(TECHNIQUES) == get_args(TechniqueId)  # the format's list and this one are the same


def is_action(phase: Phase) -> bool:
    return phase.kind in ACTION_KINDS


def offered(phase: Phase) -> list[str]:
    """Technique ids in the order to offer them here: the phase's suggestions first."""
    suggested = list(dict.fromkeys(phase.techniques))
    return suggested + [t for t in TECHNIQUES if t not in suggested]


def find(name: str) -> Technique:
    """The technique called `name` (its id, or its name in any case: "Empty chair"); CommandError if none."""
    wanted = name.strip().casefold().replace(" ", "-").replace("_", "-")
    for technique in TECHNIQUES.values():
        if wanted in (technique.id, str(technique.name).casefold().replace(" ", "-")):
            return technique
    from roleplay.core.state import CommandError  # here: validating a scenario need not import the session state

    message = _("no technique '{name}' (techniques: {techniques})").format(name=name, techniques=", ".join(TECHNIQUES))
    close = difflib.get_close_matches(wanted, list(TECHNIQUES), n=1)
    if close:
        message += _("; did you mean '{technique}'?").format(technique=close[0])
    raise CommandError(message)


def check_use(phase_id: str, phase: Phase, technique: str, who: list[str]) -> Technique:
    """The technique, if it can be called now with these people (names already checked); else CommandError."""
    from roleplay.core.state import CommandError  # here: validating a scenario need not import the session state

    found = find(technique)
    if not is_action(phase):
        raise CommandError(_("techniques are called in action phases (kind {kinds}); '{phase}' is a phase of kind {kind}").format(
            kinds=", ".join(ACTION_KINDS), phase=phase_id, kind=phase.kind))
    twice = sorted({n for n in who if who.count(n) > 1})
    if twice:
        raise CommandError(_("{names} named twice for {technique}").format(names=", ".join(twice), technique=str(found.name).lower()))
    facts = {"technique": str(found.name).lower(), "who": found.who, "example": f"technique {found.id}" + " NAME" * found.fewest}
    if len(who) < found.fewest:
        raise CommandError(ngettext(
            "{technique} involves at least one person: {who} (e.g. {example})",
            "{technique} involves at least {count} people: {who} (e.g. {example})", found.fewest,
        ).format(count=found.fewest, **facts))
    if found.most is not None and len(who) > found.most:
        raise CommandError(_("{technique} involves {count} people: {who} (e.g. {example})").format(count=found.most, **facts))
    return found


# ----- format checks (the loader runs these with the others in checks.py) -----

Finding = tuple[tuple[Any, ...], Severity, str, bool]

#: A sharing phase is for speaking from one's own experience: these tools ask the group to judge.
JUDGING_TOOLS = ("votes", "ratings")
_TOOL_WORDS = {"votes": N_("vote"), "ratings": N_("rating"), "collection": N_("rating of the collection's entries")}


def check_psychodrama(s: Scenario) -> Iterator[Finding]:
    for i, role in enumerate(s.roles):
        if role.chosen_by == "group" and not (isinstance(role.count, int) and role.count >= 1):
            yield (
                ("roles", i, "chosen_by"), "error",
                _("a role the group chooses needs a count of 1 or more (it has count '{count}'); "
                  "for a protagonist write count: 1").format(count=role.count), False,
            )
    for pid, phase in s.phases.items():
        at = ("phases", pid)
        if phase.techniques and not is_action(phase):
            yield (
                at + ("techniques",), "error",
                _("techniques are for action phases (kind {kinds}), and this phase is '{kind}': "
                  "leave the list out or move it to an action phase").format(kinds=", ".join(ACTION_KINDS), kind=phase.kind), True,
            )
        seen: set[str] = set()
        for j, technique in enumerate(phase.techniques):
            if technique in seen:
                yield (at + ("techniques", j), "warning", _("technique '{technique}' is listed twice").format(technique=technique), False)
            seen.add(technique)
        if phase.kind == "sharing":
            judging = [key for key in JUDGING_TOOLS if getattr(phase, key)]
            if phase.collection in {c.id for c in s.collections if c.ratings}:
                judging.append("collection")  # its entries are rated
            for key in judging:
                yield (
                    at + (key,), "warning",
                    _("a sharing phase is for speaking from one's own experience, without advice or judgement; "
                      "the {tool} here asks the group to judge: move it to a debrief phase").format(tool=_TOOL_WORDS[key]), True,
                )

"""`d` on a phase screen in an action phase: call a psychodrama technique (issue 12).

The trainer picks the technique (the phase's suggestions first, each with a short explanation),
then whom it is for and, where it takes a helper, who helps; the console logs `UseTechnique`.
The rules (which phases, how many people) are core's: roleplay/core/techniques.py.
"""

from __future__ import annotations

from roleplay.core import commands as c
from roleplay.core.state import CommandError
from roleplay.core.techniques import TECHNIQUES, check_use, offered
from roleplay.ui.i18n import LazyText, N_, _
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.widgets.tools import who_label

# What each technique is, for the trainer choosing one, said plainly (its name is core's).
EXPLANATIONS: dict[str, LazyText] = {
    "role-reversal": N_("The protagonist and another player swap roles for a moment: each speaks and acts from the other's place."),
    "doubling": N_("Someone stands behind the protagonist and says aloud thoughts or feelings left unspoken; "
                   "the protagonist keeps what fits and corrects what does not."),
    "mirroring": N_("Someone plays the protagonist's behaviour back while the protagonist watches from outside, "
                    "to see themselves as others do."),
    "soliloquy": N_("The protagonist speaks their thoughts aloud, as if alone, while the scene waits."),
    "empty-chair": N_("The protagonist speaks to someone or something imagined in an empty chair: a person, a part of themselves, a feeling."),
    "freeze": N_("The scene stops and everyone holds still, like a photograph, so the group can look at the moment. "
                 "To stop the timer as well, use time-out (p)."),
}
assert set(EXPLANATIONS) == set(TECHNIQUES)

# Who helps, for the techniques that take a helper.
ASK_HELPER: dict[str, LazyText] = {
    "role-reversal": N_("Who swaps roles with {name}?"),
    "doubling": N_("Who doubles {name}?"),
    "mirroring": N_("Who mirrors {name}?"),
}


def technique_name(technique_id: str) -> str:
    return str(TECHNIQUES[technique_id].name) if technique_id in TECHNIQUES else technique_id


def people(session, leave_out: str | None = None) -> list[tuple[str, str]]:
    """Participants as (name, "Ana (Protagonist)"), whoever holds a role the group chose first."""
    s = session
    chosen = {r.id for r in s.scenario.roles if r.chosen_by == "group"}
    names = sorted((n for n in s.participants if n != leave_out), key=lambda n: s.roles.get(n) not in chosen)
    return [(n, who_label(s, n, s.role_name(s.roles.get(n)) if s.roles.get(n) else None)) for n in names]


def choose_technique(screen) -> None:
    """Run the flow on `screen` (a PhaseScreen): technique, then the people, then the command."""
    s = screen.session
    suggested = set(s.current.techniques)
    options = []
    for tid in offered(s.current):
        tag = " · " + _("suggested here") if tid in suggested else ""
        options.append((tid, f"{technique_name(tid)}{tag}: {EXPLANATIONS[tid]}"))

    def finish(tid: str, who: list[str]) -> None:
        try:
            check_use(s.phase, s.current, tid, who)
        except CommandError as exc:
            screen.notify(str(exc), severity="warning")
            return
        screen.act(c.UseTechnique(technique=tid, who=who))
        names = ", ".join(who)
        done = _("{technique} logged").format(technique=technique_name(tid))
        screen.notify(f"{done}: {names}" if names else done)

    def chosen(tid: str | None) -> None:
        if not tid:
            return
        if TECHNIQUES[tid].fewest == 0:
            finish(tid, [])
            return

        def first_chosen(name: str | None) -> None:
            if not name:
                return
            if TECHNIQUES[tid].fewest < 2:
                finish(tid, [name])
                return
            ask = ASK_HELPER.get(tid, N_("Who helps {name}?"))
            screen.app.push_screen(
                ChoiceScreen(ask.format(name=name), people(s, leave_out=name)),
                lambda helper: helper and finish(tid, [name, helper]),
            )

        screen.app.push_screen(
            ChoiceScreen(_("{technique}: whom is it for?").format(technique=technique_name(tid)), people(s),
                         hint=_("The protagonist, or whoever the technique centres on")),
            first_chosen,
        )

    screen.app.push_screen(ChoiceScreen(_("Technique"), options, hint=_("Logged with the time, for the replay and the report")), chosen)

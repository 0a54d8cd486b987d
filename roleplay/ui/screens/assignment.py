"""Role assignment: deal, re-deal, choosing who plays a role, swaps, and handing out private briefs and cards.

The app shows this screen when the session enters its dealing phase (or at the start, for a
scenario without one); `b` brings it back at any time. Before the deal it says when roles will
be dealt and lets the trainer choose who plays a role (`o`), which the deal keeps. Who has seen
their private texts is logged (`handed_out`), so a resumed session shows it too. On a screen
the group can see, the trainer is asked to freeze or blank it before the first private text.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core import commands as c
from roleplay.ui.i18n import _, N_, ngettext
from roleplay.ui.messages import Execute, AssignmentDone
from roleplay.ui.phase_info import secrets_for
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.reveal import RevealScreen, confirm_private, needs_cover
from roleplay.ui.text import plain, update_if_changed
from roleplay.ui.widgets.footer import CalmFooter


def reveal_steps(session, name: str) -> list[tuple[str, str, list]]:
    items = secrets_for(session, name)
    steps = []
    for audience in ("holder", "others", "everyone"):
        chosen = [i for i in items if i.audience == audience]
        if chosen:
            steps.append((name, audience, chosen))
    return steps


def hand_out_wanted(session) -> bool:
    """Whether the roles screen comes up after a deal: something private to hand out, or several roles to show."""
    if not session.dealt:
        return False
    nothing_private = all(not reveal_steps(session, n) for n in session.participants)
    return not (nothing_private and len(session.scenario.roles) == 1)


def not_dealt_text(session) -> str:
    """Before the deal: when it comes, and what the trainer can do now."""
    when = session.deal_timing()
    return _("Nothing is dealt yet: {when}.").format(when=when)


class AssignmentScreen(Screen):
    BINDINGS = [
        Binding("enter", "reveal", N_("Hand out")),
        Binding("d", "redeal", N_("Re-deal")),
        Binding("s", "swap", N_("Swap two")),
        Binding("o", "assign", N_("Set role")),
        Binding("ctrl+t", "trainer_view", N_("Trainer view")),
        Binding("n", "done", N_("Continue")),
    ]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.from_live = False
        self.cleared = False  # on a projected screen: the trainer said the room's view is frozen or blank

    @property
    def seen(self) -> set[str]:
        """Who has seen their private brief and cards (from the log: it survives a resume)."""
        return self.session.handed_out

    def compose(self) -> ComposeResult:
        yield Static(_("Roles and cards"), id="screen-title")
        yield Static("", id="assignment-help")
        yield OptionList(id="assignment-list")
        yield Static("", id="assignment-warnings")
        yield CalmFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.refresh_session()

    def _help_text(self) -> str:
        s = self.session
        if not s.dealt:
            return (
                not_dealt_text(s)
                + " "
                + _(
                    "o chooses who plays a role now (ask for volunteers first); "
                    "the deal keeps it and deals the other places at random. n goes back."
                )
            )
        return _(
            "Enter hands the highlighted person their private brief or card (pass the laptop). "
            "o sets a role (a full role swaps with its holder). "
            "Role names are public; briefs and cards stay hidden here."
        )

    def _rows(self) -> list[Option]:
        s = self.session
        if not s.dealt:
            rows = []
            for name in s.participants:
                chosen = s.chosen.get(name)
                what = _("will play {role} (chosen)").format(role=s.role_name(chosen)) if chosen else _("dealt at random")
                rows.append(Option(plain(_("{name}: {role}").format(name=name, role=what)), id=name))
            return rows
        rows = []
        for number, group in enumerate(s.groups, 1):
            for name in group:
                role = s.role_name(s.roles.get(name))
                where = _("group {number}").format(number=number) + " · " if len(s.groups) > 1 else ""
                steps = reveal_steps(s, name)
                if not steps:
                    status = _("nothing private")
                elif name in self.seen:
                    status = "✓ " + _("handed out")
                else:
                    status = "… " + _("to hand out")
                rows.append(Option(plain(f"{name}: {where}{role} · {status}"), id=name))
        return rows

    def refresh_session(self) -> None:
        s = self.session
        update_if_changed(self.query_one("#screen-title", Static), _("Roles and cards") if s.dealt else _("Roles and cards: not dealt yet"))
        update_if_changed(self.query_one("#assignment-help", Static), plain(self._help_text()))
        rows = self._rows()
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        listing.set_options(rows)
        if rows:
            listing.highlighted = min(keep or 0, len(rows) - 1)
        warnings = self.query_one("#assignment-warnings", Static)
        update_if_changed(warnings, plain("\n".join(f"⚠ {w}" for w in s.warnings[-3:])))
        self.refresh_bindings()

    def highlighted(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_reveal()

    def _refuse_before_deal(self) -> bool:
        if self.session.dealt:
            return False
        self.notify(not_dealt_text(self.session) + " " + _("o chooses who plays a role now."), timeout=8)
        return True

    def action_reveal(self) -> None:
        name = self.highlighted()
        if not name or self._refuse_before_deal():
            return
        steps = reveal_steps(self.session, name)
        if not steps:
            self.notify(_("{name} has nothing private to see.").format(name=name))
            return

        def finished(done: bool | None) -> None:
            if done:
                self.post_message(Execute(c.MarkHandedOut(participant=name)))  # logged: a resume knows
            self.refresh_session()

        def show() -> None:
            self.cleared = True
            self.app.push_screen(RevealScreen(steps, cleared=True), finished)

        if self.cleared or not needs_cover(self.app, steps):
            self.app.push_screen(RevealScreen(steps, cleared=self.cleared), finished)
        else:
            confirm_private(self.app, show)

    def action_redeal(self) -> None:
        if self._refuse_before_deal():
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.post_message(Execute(c.Redeal()))

        warning = _("Deal roles and cards again? Roles chosen by hand stay.")
        if self.seen:
            warning += " " + ngettext(
                "{count} people have seen their brief already; they will need the new one.",
                "{count} people have seen their brief already; they will need the new one.",
                len(self.seen),
            ).format(count=len(self.seen))
        self.app.push_screen(ConfirmScreen(warning), confirmed)

    def action_swap(self) -> None:
        s = self.session
        first = self.highlighted()
        if not first or self._refuse_before_deal():
            return
        others = [(n, n) for n in s.participants if n != first]

        def chosen(second: str | None) -> None:
            if second:
                self.post_message(Execute(c.SwapParticipants(first=first, second=second)))

        self.app.push_screen(ChoiceScreen(_("Swap {name}'s role and cards with").format(name=first), others), chosen)

    def _role_label(self, role) -> str:
        """A role with who holds it now (or was chosen for it), so a swap is no surprise."""
        s = self.session
        holders = s.holders(role.id) if s.dealt else [p for p, r in s.chosen.items() if r == role.id]
        places = ngettext("{count} place", "{count} places", role.count).format(count=role.count) if isinstance(role.count, int) and role.count else ""
        held = ", ".join(holders) if holders else (_("nobody yet") if s.dealt or places else "")
        extra = " · ".join(x for x in (places, held) if x)
        return f"{s.text(role.name)} ({extra})" if extra else s.text(role.name)

    def action_assign(self) -> None:
        s = self.session
        name = self.highlighted()
        if not name:
            return

        def chosen(role: str | None) -> None:
            if role:
                self.post_message(Execute(c.AssignRole(participant=name, role=role)))

        if s.dealt:
            hint = _("A role that is full swaps: its holder takes {name}'s role ({role}).").format(name=name, role=s.role_name(s.roles.get(name)))
        else:
            hint = _("Kept when roles are dealt. A role that is full: the person chosen before is dealt at random instead.")
        options = [(r.id, self._role_label(r)) for r in s.scenario.roles]
        self.app.push_screen(ChoiceScreen(_("Role for {name}").format(name=name), options, hint=hint), chosen)

    def action_trainer_view(self) -> None:
        self.app.action_trainer_view()

    def action_done(self) -> None:
        if not self.session.dealt:
            self.post_message(AssignmentDone())
            return
        waiting = [n for n in self.session.participants if reveal_steps(self.session, n) and n not in self.seen]
        if waiting:
            self.app.push_screen(
                ConfirmScreen(_("Not handed out yet: {names}. Continue anyway?").format(names=", ".join(waiting))),
                lambda ok: ok and self.post_message(AssignmentDone()),
            )
        else:
            self.post_message(AssignmentDone())

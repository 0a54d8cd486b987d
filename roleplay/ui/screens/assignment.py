"""Role assignment: deal, re-deal, manual swap, and handing out private briefs and cards."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core import commands as c
from roleplay.ui.messages import Execute, AssignmentDone
from roleplay.ui.phase_info import secrets_for
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.reveal import RevealScreen
from roleplay.ui.text import plain
from roleplay.ui.widgets.footer import CalmFooter


def reveal_steps(session, name: str) -> list[tuple[str, str, list]]:
    items = secrets_for(session, name)
    steps = []
    for audience in ("holder", "others", "everyone"):
        chosen = [i for i in items if i.audience == audience]
        if chosen:
            steps.append((name, audience, chosen))
    return steps


class AssignmentScreen(Screen):
    BINDINGS = [
        Binding("enter", "reveal", "Hand out"),
        Binding("d", "redeal", "Re-deal"),
        Binding("s", "swap", "Swap two"),
        Binding("o", "assign", "Set role"),
        Binding("ctrl+t", "trainer_view", "Trainer view"),
        Binding("n", "done", "Continue"),
    ]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.seen: set[str] = set()
        self.from_live = False

    def compose(self) -> ComposeResult:
        yield Static("Roles and cards", id="screen-title")
        yield Static(
            "Enter hands the highlighted person their private brief or card (pass the laptop). "
            "Role names are public; briefs and cards stay hidden here.",
            id="assignment-help",
        )
        yield OptionList(id="assignment-list")
        yield Static("", id="assignment-warnings")
        yield CalmFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.refresh_session()

    def refresh_session(self) -> None:
        s = self.session
        rows = []
        for number, group in enumerate(s.groups, 1):
            for name in group:
                role_id = s.roles.get(name)
                role = s.text(s.scenario.role(role_id).name) if role_id else "no role"
                where = f"group {number} · " if len(s.groups) > 1 else ""
                steps = reveal_steps(s, name)
                if not steps:
                    status = "nothing private"
                elif name in self.seen:
                    status = "✓ handed out"
                else:
                    status = "… to hand out"
                rows.append(Option(plain(f"{name}: {where}{role} · {status}"), id=name))
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        listing.set_options(rows)
        if rows:
            listing.highlighted = min(keep or 0, len(rows) - 1)
        warnings = self.query_one("#assignment-warnings", Static)
        warnings.update(plain("\n".join(f"⚠ {w}" for w in s.warnings[-3:])))
        self.refresh_bindings()

    def highlighted(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_reveal()

    def action_reveal(self) -> None:
        name = self.highlighted()
        if not name:
            return
        steps = reveal_steps(self.session, name)
        if not steps:
            self.notify(f"{name} has nothing private to see.")
            return

        def finished(done: bool | None) -> None:
            if done:
                self.seen.add(name)
            self.refresh_session()

        self.app.push_screen(RevealScreen(steps), finished)

    def action_redeal(self) -> None:
        def confirmed(ok: bool | None) -> None:
            if ok:
                self.seen.clear()
                self.post_message(Execute(c.Redeal()))

        warning = "Deal roles and cards again?"
        if self.seen:
            warning += f" {len(self.seen)} people have seen their brief already; they will need the new one."
        self.app.push_screen(ConfirmScreen(warning), confirmed)

    def action_swap(self) -> None:
        s = self.session
        first = self.highlighted()
        if not first:
            return
        others = [(n, n) for n in s.participants if n != first]

        def chosen(second: str | None) -> None:
            if second:
                self.seen.discard(first)
                self.seen.discard(second)
                self.post_message(Execute(c.SwapParticipants(first=first, second=second)))

        self.app.push_screen(ChoiceScreen(f"Swap {first}'s role and cards with", others), chosen)

    def action_assign(self) -> None:
        s = self.session
        name = self.highlighted()
        if not name:
            return

        def chosen(role: str | None) -> None:
            if role:
                self.seen.discard(name)
                self.post_message(Execute(c.AssignRole(participant=name, role=role)))

        self.app.push_screen(ChoiceScreen(f"Role for {name}", [(r.id, s.text(r.name)) for r in s.scenario.roles]), chosen)

    def action_trainer_view(self) -> None:
        self.app.action_trainer_view()

    def action_done(self) -> None:
        waiting = [n for n in self.session.participants if reveal_steps(self.session, n) and n not in self.seen]
        if waiting:
            self.app.push_screen(
                ConfirmScreen(f"Not handed out yet: {', '.join(waiting)}. Continue anyway?"),
                lambda ok: ok and self.post_message(AssignmentDone()),
            )
        else:
            self.post_message(AssignmentDone())

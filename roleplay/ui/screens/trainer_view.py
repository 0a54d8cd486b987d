"""Every assignment with its secret texts, for the trainer's eyes only (behind ctrl+t and a yes)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain, reflow
from roleplay.ui.widgets.scroll import TextScroll


def trainer_lines(session) -> str:
    s = session
    lines: list[str] = []
    if not getattr(s, "dealt", True):  # before the dealing phase: say when, and what was chosen by hand
        lines.append(_("Nothing is dealt yet: {when}.").format(when=s.deal_timing()))
        for name, role_id in s.chosen.items():
            lines.append(_("{name} will play {role} (chosen)").format(name=name, role=s.role_name(role_id)))
        return "\n".join(lines)
    for number, group in enumerate(s.groups, 1):
        if len(s.groups) > 1:
            lines.append(_("Group {number}").format(number=number))
        for name in group:
            role_id = s.roles.get(name)
            role = s.scenario.role(role_id) if role_id else None
            lines.append(_("{name}: {role}").format(name=name, role=s.text(role.name) if role else _("no role")))
            if role and role.brief:
                lines.append("    " + _("brief ({visible_to}): {text}").format(visible_to=role.brief_visible_to, text=reflow(s.text(role.brief))))
            for deck in s.scenario.decks:
                card_id = s.cards.get(deck.id, {}).get(name)
                if card_id:
                    card = next(c for c in deck.cards if c.id == card_id)
                    lines.append(f"    {s.text(deck.title)} ({deck.visible_to}): {reflow(s.text(card.text))}")
                    if card.trainer_note:
                        lines.append("    " + _("note: {text}").format(text=s.text(card.trainer_note)))
    if s.warnings:
        lines += ["", _("Dealing warnings:")] + [f"• {w}" for w in s.warnings]
    return "\n".join(lines)


class TrainerViewScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,ctrl+t,space,enter,q", "close", N_("Hide"))]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with TextScroll(classes="dialog wide") as box:
            box.border_title = _("Trainer only · any of Escape/Space/Enter hides this")
            yield Static(plain(trainer_lines(self.session)), id="trainer-lines")

    def action_close(self) -> None:
        self.dismiss(None)

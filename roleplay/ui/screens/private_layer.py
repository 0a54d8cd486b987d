"""The trainer's private layer: the script, event notes, notes, individual answers, roles and briefs.

On a screen shown to the group it opens only from the cover (after a deliberate key) and
hides itself again: when its dialog is done, on Escape, or after a while without a key.
It covers the whole screen, so nothing of the room's view shows behind it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from roleplay.core.names import filled
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.private_flows import Flow, inject_flow, note_flow
from roleplay.ui.screens.trainer_view import trainer_lines
from roleplay.ui.text import plain, reflow
from roleplay.ui.widgets.scroll import TextScroll


def private_sections(session, question: int | None = None) -> list[tuple[str, str]]:
    """(title, text) of everything private about the current phase, in reading order."""
    s = session
    p = s.current
    sections: list[tuple[str, str]] = [(_("Trainer's script"), reflow(filled(s, p.script)) or _("(no script for this phase)"))]
    watch = []
    for item in (i for i in s.injected if i.get("phase") == s.phase):
        event = s.scenario.event(item["event"])
        watch.append(f"• {s.text(event.title)}: {reflow(filled(s, event.script))}")
    if watch:
        sections.append((_("Events brought in"), "\n".join(watch)))
    ready = [s.scenario.event(e) for e in s.injectable()]
    if ready:
        sections.append((_("Events you can bring in (i)"), "\n".join(f"• {s.text(e.title)}" for e in ready)))
    notes = [n for n in s.notes if n.get("phase") == s.phase]
    if notes:
        lines = []
        for n in notes:
            where = _("question {number}: ").format(number=n["question"] + 1) if n.get("question") is not None else ""
            lines.append(f"• {where}{n['text']}")
        sections.append((_("Notes in this phase"), "\n".join(lines)))
    if p.form:
        answers = [a for a in s.answers if a.get("form") == p.form and a.get("phase", s.phase) == s.phase]
        if answers:
            sections.append((_("Answers so far (one line each, no names)"), "\n".join(f"• {a['question']}: {a['value']}" for a in answers)))
    roles = trainer_lines(s)
    if roles.strip():
        sections.append((_("Roles, briefs and cards"), roles))
    return sections


class PrivateLayerScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,s", "hide", N_("Hide")),
        Binding("a", "note", N_("Note")),
        Binding("i", "inject", N_("Inject event")),
    ]

    def __init__(self, session, *, run: Flow | None = None, question: int | None = None, hide_after: float = 60.0) -> None:
        super().__init__()
        self.session = session
        self.run = run  # a dialog to run at once; the layer hides when it is done
        self.question = question
        self.hide_after = hide_after
        self._timer = None

    def compose(self) -> ComposeResult:
        with TextScroll(id="private-layer"):
            yield Static("", id="private-heading")
            yield Static("", id="private-body")

    def on_mount(self) -> None:
        self.refresh_session()
        if self.run is not None:
            self.run(self, self.action_hide)
        elif self.hide_after > 0:
            self._timer = self.set_timer(self.hide_after, self._hide_when_idle)

    def on_key(self) -> None:
        if self._timer is not None:
            self._timer.reset()  # hides itself only after a while without a key

    def refresh_session(self) -> None:
        s = self.session
        heading = _("Private · {phase} · Escape hides this").format(phase=s.text(s.current.title))
        if self.run is None and self.hide_after > 0:
            heading += " " + _("(by itself after {seconds} s without a key)").format(seconds=int(self.hide_after))
        self.query_one("#private-heading", Static).update(plain(heading))
        body = "\n\n".join(f"{title}\n{text}" for title, text in private_sections(s, self.question))
        self.query_one("#private-body", Static).update(plain(body))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "inject":
            return not self.session.ended and bool(self.session.injectable())
        if action == "note":
            return not self.session.ended
        return True

    def action_note(self) -> None:
        note_flow(self.session, self.question)(self, self.refresh_session)

    def action_inject(self) -> None:
        inject_flow(self.session)(self, self.refresh_session)

    def _hide_when_idle(self) -> None:
        if self.app.screen is self:
            self.dismiss(None)
        else:  # the trainer is in a dialog opened from here: wait for another quiet spell
            self._timer = self.set_timer(self.hide_after, self._hide_when_idle)

    def action_hide(self) -> None:
        if self.is_attached and self.app.screen is self:
            self.dismiss(None)
        elif self.is_attached:
            # A dialog is still open above: hide once it closes.
            self.call_after_refresh(self.action_hide)

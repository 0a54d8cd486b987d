"""The live session: script for the trainer, large text for the group, and the phase's tools."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.ui.i18n import _
from roleplay.ui.screens.phase import PhaseScreen
from roleplay.core.names import filled
from roleplay.ui.text import as_written, group_prose, plain, prose, reflow
from roleplay.ui.widgets.assignments import AssignmentsView


class LiveScreen(PhaseScreen):
    def compose_main(self) -> ComposeResult:
        with VerticalScroll(id="phase-main"):
            yield Static("", id="group-text")
            yield AssignmentsView("", id="assignments")  # who plays which role (show_groups): public only
            yield Static("", id="event-text")
            yield Static("", id="event-note", classes="private")
            yield Static("", id="script", classes="private")
            yield Static("", id="questions")

    def refresh_session(self) -> None:
        if not self.ready:
            return
        s = self.session
        p = s.current
        group = self.query_one("#group-text", Static)
        group.update(group_prose(filled(s, p.group_text)))  # names filled, the author's lines kept
        group.display = bool(p.group_text)
        group.border_title = _("For the group")
        script = self.query_one("#script", Static)
        script.update(prose(filled(s, p.script) or _("(no script for this phase)")))
        script.border_title = _("Trainer's script")
        events = [e for e in s.injected if e.get("phase") == s.phase]
        # The event's group text is for the room; what the trainer watches for is private.
        event_box = self.query_one("#event-text", Static)
        note_box = self.query_one("#event-note", Static)
        event = s.scenario.event(events[-1]["event"]) if events else None
        if event is not None:
            event_box.update(plain((_("Event: {title}").format(title=s.text(event.title)) + f"\n{as_written(filled(s, event.group_text))}").rstrip()))
            note_box.update(plain(_("Trainer · {title}: {script}").format(title=s.text(event.title), script=reflow(filled(s, event.script)))))
        event_box.display = event is not None and bool(event.group_text)
        note_box.display = event is not None and bool(event.script)
        questions = self.query_one("#questions", Static)
        questions.update(plain("\n".join(f"{n}. {reflow(filled(s, q))}" for n, q in enumerate(p.questions, 1))))
        questions.display = bool(p.questions)
        questions.border_title = _("Questions")
        self.query_one("#assignments", AssignmentsView).show(s)
        super().refresh_session()

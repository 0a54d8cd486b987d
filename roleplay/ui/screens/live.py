"""The live session: script for the trainer, large text for the group, and the phase's tools."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.ui.screens.phase import PhaseScreen
from roleplay.ui.text import plain, prose, reflow


class LiveScreen(PhaseScreen):
    def compose_main(self) -> ComposeResult:
        with VerticalScroll(id="phase-main"):
            yield Static("", id="group-text")
            yield Static("", id="event-text")
            yield Static("", id="script")
            yield Static("", id="questions")

    def refresh_session(self) -> None:
        if not self.ready:
            return
        s = self.session
        p = s.current
        group = self.query_one("#group-text", Static)
        group.update(prose(s.text(p.group_text)))
        group.display = bool(p.group_text)
        group.border_title = "For the group"
        script = self.query_one("#script", Static)
        script.update(prose(s.text(p.script) or "(no script for this phase)"))
        script.border_title = "Trainer's script"
        events = [e for e in s.injected if e.get("phase") == s.phase]
        event_box = self.query_one("#event-text", Static)
        if events:
            event = s.scenario.event(events[-1]["event"])
            lines = [f"Event: {s.text(event.title)}"]
            if event.group_text:
                lines.append(reflow(s.text(event.group_text)))
            lines.append(f"Trainer: {reflow(s.text(event.script))}")
            event_box.update(plain("\n".join(lines)))
        event_box.display = bool(events)
        questions = self.query_one("#questions", Static)
        questions.update(plain("\n".join(f"{n}. {reflow(s.text(q))}" for n, q in enumerate(p.questions, 1))))
        questions.display = bool(p.questions)
        questions.border_title = "Questions"
        super().refresh_session()

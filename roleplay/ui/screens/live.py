"""The live session: script for the trainer, large text for the group, and the phase's tools."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from roleplay.ui.i18n import _
from roleplay.ui.screens.phase import PhaseScreen
from roleplay.core.names import assignments_text, filled
from roleplay.ui.text import as_written, group_prose, plain, prose, reflow, update_if_changed
from roleplay.ui.widgets.assignments import AssignmentsView, assignments_title
from roleplay.ui.widgets.tools import OneLayoutScroll


class LiveScreen(PhaseScreen):
    _assignments_shown: tuple[str, str] | None = None  # (text, title) last given to the assignments view

    def __init__(self, session) -> None:
        super().__init__(session)
        self._titles: dict[str | None, str] = {}  # border titles as last set, by widget id

    def compose_main(self) -> ComposeResult:
        with OneLayoutScroll(id="phase-main"):  # laid out once when the banner comes or goes
            yield Static("", id="group-text")
            yield AssignmentsView("", id="assignments")  # who plays which role (show_groups): public only
            yield Static("", id="event-text")
            yield Static("", id="event-note", classes="private")
            yield Static("", id="script", classes="private")
            yield Static("", id="questions")

    def _title(self, widget: Static, title: str) -> None:
        """Set a border title only when it differs: each setting redraws the widget."""
        if self._titles.get(widget.id) != title:
            widget.border_title = title
            self._titles[widget.id] = title

    def refresh_session(self) -> None:
        if not self.ready:
            return
        s = self.session
        p = s.current
        group = self.query_one("#group-text", Static)
        update_if_changed(group, group_prose(filled(s, p.group_text)))  # names filled, the author's lines kept
        group.display = bool(p.group_text)
        self._title(group, _("For the group"))
        script = self.query_one("#script", Static)
        update_if_changed(script, prose(filled(s, p.script) or _("(no script for this phase)")))
        self._title(script, _("Trainer's script"))
        events = [e for e in s.injected if e.get("phase") == s.phase]
        # The event's group text is for the room; what the trainer watches for is private.
        event_box = self.query_one("#event-text", Static)
        note_box = self.query_one("#event-note", Static)
        event = s.scenario.event(events[-1]["event"]) if events else None
        if event is not None:
            update_if_changed(event_box, plain((_("Event: {title}").format(title=s.text(event.title)) + f"\n{as_written(filled(s, event.group_text))}").rstrip()))
            update_if_changed(note_box, plain(_("Trainer · {title}: {script}").format(title=s.text(event.title), script=reflow(filled(s, event.script)))))
        event_box.display = event is not None and bool(event.group_text)
        note_box.display = event is not None and bool(event.script)
        questions = self.query_one("#questions", Static)
        update_if_changed(questions, plain("\n".join(f"{n}. {reflow(filled(s, q))}" for n, q in enumerate(p.questions, 1))))
        questions.display = bool(p.questions)
        self._title(questions, _("Questions"))
        # Shown again only when it changed: `show` updates the text, which lays the screen out again.
        shown = (assignments_text(s) if p.show_groups else "", assignments_title(s))
        if shown != self._assignments_shown:
            self.query_one("#assignments", AssignmentsView).show(s)
            self._assignments_shown = shown
        super().refresh_session()

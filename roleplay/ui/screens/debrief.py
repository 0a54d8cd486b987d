"""Debrief: the questions one at a time with notes for each, and the session's tallies as bars."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.screens.phase import PhaseScreen
from roleplay.core.names import filled
from roleplay.ui.text import group_prose, plain, prose, update_if_changed
from roleplay.ui.widgets.bars import BarChart
from roleplay.ui.widgets.scroll import TextScroll


def tallies(session) -> list[tuple[str, list[tuple[str, int]]]]:
    """(title, rows) for every checklist, collection and vote used so far."""
    s = session
    charts = []
    for checklist in s.scenario.checklists:
        rows = [(s.text(i.text), s.ticks[(checklist.id, i.id)]) for i in checklist.items]
        if any(v for _, v in rows):
            charts.append((_("Checklist · {title}").format(title=s.text(checklist.title)), rows))
    for collection in s.scenario.collections:
        entries = [e for _, e in s.live_entries(collection.id)]  # entries taken out do not count (issue 15)
        if not entries:
            continue
        if collection.categories:
            counts = Counter(e.category for e in entries)
            rows = [(s.text(c.name), counts[c.id]) for c in collection.categories]
            if counts[None]:
                rows.append((_("(no category)"), counts[None]))
        else:
            rows = [(_("entries"), len(entries))]
        charts.append((_("Collection · {title}").format(title=s.text(collection.title)), rows))
    for vote in s.scenario.votes:
        counts = s.votes.get(vote.id, Counter())
        if sum(counts.values()):
            charts.append((_("Vote · {question}").format(question=s.text(vote.question)), [(s.text(o.label), counts[o.id]) for o in vote.options]))
    return charts


class DebriefScreen(PhaseScreen):
    BINDINGS = [
        Binding("right,l", "question(1)", N_("Next question")),
        Binding("left,h", "question(-1)", N_("Previous question")),
    ]

    def __init__(self, session) -> None:
        super().__init__(session)
        self.index = 0

    def compose_main(self) -> ComposeResult:
        with TextScroll(id="phase-main"):
            yield Static("", id="group-text")  # for the room: the list or prompt the questions point at
            yield Static("", id="question-number")
            yield Static("", id="question")
            yield Static("", id="question-notes", classes="private")
            yield Static("", id="script", classes="private")
            yield TextScroll(id="tallies")

    def note_question(self) -> int | None:
        return self.index

    def action_question(self, step: int) -> None:
        count = len(self.session.current.questions)
        self.index = max(0, min(count - 1, self.index + step))
        self.refresh_session()

    def on_mount(self) -> None:
        self._mount_tallies()
        super().on_mount()

    def _mount_tallies(self) -> None:
        box = self.query_one("#tallies", TextScroll)
        box.border_title = _("So far")
        charts = tallies(self.session)
        if not charts:
            box.mount(Static(_("No ticks, entries or votes were recorded in this session.")))
        for title, rows in charts:
            box.mount(BarChart(title, rows))

    def refresh_session(self) -> None:
        if not self.ready:
            return
        s = self.session
        p = s.current
        count = len(p.questions)
        group = self.query_one("#group-text", Static)
        update_if_changed(group, group_prose(filled(s, p.group_text)))
        group.display = bool(p.group_text)
        group.border_title = _("For the group")
        update_if_changed(
            self.query_one("#question-number", Static),
            _("Question {number} of {count} · ← → to move, a adds a note").format(number=self.index + 1, count=count),
        )
        update_if_changed(self.query_one("#question", Static), prose(filled(s, p.questions[self.index])))
        notes = [n["text"] for n in s.notes if n.get("phase") == s.phase and n.get("question") == self.index]
        box = self.query_one("#question-notes", Static)
        update_if_changed(box, plain("\n".join(f"• {n}" for n in notes) or _("(no notes for this question yet)")))
        box.border_title = _("Notes")
        script = self.query_one("#script", Static)
        update_if_changed(script, prose(filled(s, p.script)))
        script.display = bool(p.script)
        script.border_title = _("Trainer's script")
        super().refresh_session()

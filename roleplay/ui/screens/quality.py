"""The quality-control sheet (or any form): one question at a time, answers logged as given."""

from __future__ import annotations

from roleplay.core import commands as c

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from roleplay.core.standard_forms import find_form
from roleplay.core.names import filled
from roleplay.ui.i18n import _, N_, ngettext
from roleplay.ui.screens.phase import PhaseScreen
from roleplay.ui.private_flows import answer_flow
from roleplay.ui.text import plain, prose, reflow
from roleplay.ui.widgets.bars import BarChart
from roleplay.ui.widgets.scroll import TextScroll


class QualityScreen(PhaseScreen):
    BINDINGS = [
        Binding("right,l", "question(1)", N_("Next question")),
        Binding("left,h", "question(-1)", N_("Previous question")),
        Binding("enter", "answer_text", N_("Answer"), show=False),
        Binding("o", "next_person", N_("Whose answers")),  # a named form (a self-assessment): answered per person
        Binding("1", "answer(1)", "1", show=False),
        Binding("2", "answer(2)", "2", show=False),
        Binding("3", "answer(3)", "3", show=False),
        Binding("4", "answer(4)", "4", show=False),
        Binding("5", "answer(5)", "5", show=False),
        Binding("6", "answer(6)", "6", show=False),
        Binding("7", "answer(7)", "7", show=False),
        Binding("8", "answer(8)", "8", show=False),
        Binding("9", "answer(9)", "9", show=False),
    ]

    def __init__(self, session) -> None:
        super().__init__(session)
        self.form = find_form(session.scenario, session.current.form)
        self.index = 0
        self.person = 0  # whose answers the keys give, on a named form

    def compose_main(self) -> ComposeResult:
        with TextScroll(id="phase-main"):
            yield Static("", id="form-intro")
            yield Static("", id="question-number")
            yield Static("", id="question")
            yield Static("", id="answer-count")
            yield BarChart(id="answers", classes="private")
            yield Static("", id="script", classes="private")

    @property
    def question(self):
        return self.form.questions[self.index]

    @property
    def answering_for(self) -> str | None:
        """On a named form, the participant whose answers the keys give; None on an anonymous sheet."""
        people = self.session.participants
        return None if self.form.anonymous or not people else people[self.person % len(people)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_person":  # only a named form is answered person by person
            return not self.form.anonymous
        return super().check_action(action, parameters)

    def action_next_person(self) -> None:
        if self.form.anonymous:
            self.notify(_("This sheet is anonymous: its answers carry no name."))
            return
        self.person = (self.person + 1) % max(1, len(self.session.participants))
        self.refresh_session()

    def action_question(self, step: int) -> None:
        self.index = max(0, min(len(self.form.questions) - 1, self.index + step))
        self.refresh_session()

    def action_answer(self, value: int) -> None:
        q = self.question
        if q.answer != "rating":
            self.action_answer_text()
            return
        if not q.min <= value <= q.max:
            self.notify(_("This question is answered from {low} to {high}.").format(low=q.min, high=q.max))
            return
        self.act(c.AnswerForm(question=q.id, value=str(value), by=self.answering_for))

    def action_answer_text(self) -> None:
        # A typed answer is private: on a projected screen it is typed behind the cover.
        self.privately(answer_flow(self.session, self.question, self.answering_for))

    def refresh_session(self) -> None:
        if not self.ready:
            return
        s = self.session
        q = self.question
        intro = self.query_one("#form-intro", Static)
        intro.update(plain(f"{s.text(self.form.title)}\n{reflow(s.text(self.form.intro))}" if self.form.intro else s.text(self.form.title)))
        how = _("press {low}–{high} for each answer").format(low=q.min, high=q.max) if q.answer == "rating" else _("Enter types an answer")
        self.query_one("#question-number", Static).update(
            _("Question {number} of {count} · ← → to move, {how}").format(number=self.index + 1, count=len(self.form.questions), how=how)
        )
        question = s.text(q.text)
        if q.levels:
            question += "\n" + "  ".join(f"{value} {s.text(level)}" for value, level in zip(range(q.min, q.max + 1), q.levels))
        whose = self.answering_for
        if whose is not None:
            question = _("Answers of {name} (o: next person)").format(name=whose) + "\n\n" + question
        self.query_one("#question", Static).update(prose(question))
        given = [a for a in s.answers if a.get("form") == self.form.id and a.get("question") == q.id]
        # The room sees only how many answered; the answers themselves are the trainer's (private).
        self.query_one("#answer-count", Static).update(
            ngettext("{count} answer(s) so far to this question", "{count} answer(s) so far to this question", len(given)).format(count=len(given))
        )
        chart = self.query_one("#answers", BarChart)
        if q.answer == "rating":
            counts = Counter(a["value"] for a in given)
            chart.chart_title = ngettext("{count} answer(s)", "{count} answer(s)", len(given)).format(count=len(given))
            chart.set_rows([(str(v), counts[v]) for v in range(q.min, q.max + 1)])
        else:
            chart.chart_title = ngettext("{count} answer(s)", "{count} answer(s)", len(given)).format(count=len(given))
            chart.set_lines([f"• {a['value']}" for a in given[-5:]])
        script = self.query_one("#script", Static)
        script.update(prose(filled(s, s.current.script)))
        script.display = bool(s.current.script)
        script.border_title = _("Trainer's script")
        super().refresh_session()

"""The trainer's private dialogs (a note, an event to bring in, a typed answer).

The phase screens run them in place when the screen is the trainer's own, and inside
the private layer when the screen is shown to the group. Each ends by calling
`finished()`, so the private layer can hide itself again. Commands go straight to
the app, which stays up while the dialog's host screen closes.
"""

from __future__ import annotations

from typing import Callable

from textual.screen import Screen

from roleplay.core import commands as c
from roleplay.core.names import filled
from roleplay.ui.i18n import _
from roleplay.ui.messages import Execute
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.text import reflow

Flow = Callable[[Screen, Callable[[], None]], None]


def _execute(host: Screen, command: c.Command) -> None:
    host.app.post_message(Execute(command))


def note_flow(session, question: int | None) -> Flow:
    def run(host: Screen, finished: Callable[[], None]) -> None:
        def done(text: str | None) -> None:
            if text:
                _execute(host, c.AddNote(text=text, question=question))
            finished()

        hint = _("Saved in the log at once") if question is None else _("Note for question {number}").format(number=question + 1)
        host.app.push_screen(PromptScreen(_("Note"), hint=hint), done)

    return run


def inject_flow(session) -> Flow:
    def run(host: Screen, finished: Callable[[], None]) -> None:
        s = session
        options = [(eid, s.text(s.scenario.event(eid).title)) for eid in s.injectable()]

        def chosen(event_id: str | None) -> None:
            if not event_id:
                finished()
                return
            event = s.scenario.event(event_id)

            def confirmed(ok: bool | None) -> None:
                if ok:
                    _execute(host, c.Inject(event=event_id))
                finished()

            host.app.push_screen(
                ConfirmScreen(
                    f"{s.text(event.title)}\n\n{reflow(filled(s, event.script))}\n\n" + _("Bring this event in now?"),
                    title=_("Inject event"),
                ),
                confirmed,
            )

        host.app.push_screen(ChoiceScreen(_("Inject an event"), options), chosen)

    return run


def answer_flow(session, question, by: str | None = None) -> Flow:
    """One person's typed answer to a form question (an anonymous sheet: no name; a named form: `by`'s own)."""

    def run(host: Screen, finished: Callable[[], None]) -> None:
        def done(text: str | None) -> None:
            if text:
                _execute(host, c.AnswerForm(question=question.id, value=text, by=by))
            finished()

        hint = (
            _("A number from {low} to {high}").format(low=question.min, high=question.max)
            if question.answer == "rating"
            else _("One person's answer")
        )
        host.app.push_screen(PromptScreen(session.text(question.text), hint=hint), done)

    return run

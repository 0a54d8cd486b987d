"""What every phase screen shares: the header with progress and countdown, and the trainer's keys.

Screens read the session passed down to them and post typed commands up
(`Execute`) for every change; the app carries them out, so errors are handled in one place.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from roleplay.ui import phase_info
from roleplay.core import commands as c
from roleplay.core.commands import allowed_commands
from roleplay.ui.messages import CommandLine, Execute, SyncRequested
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.text import plain, reflow
from roleplay.ui.widgets.countdown import Countdown
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.recording import RecordingBadge, RecordingNotice
from roleplay.ui.widgets.tools import ToolsPanel, has_tools


class PhaseScreen(Screen):
    BINDINGS = [
        Binding("n", "next", "Next"),
        Binding("p", "pause", "Time-out/resume"),
        Binding("t", "timeout_scene", "Time-out scene"),
        Binding("r", "reverse", "Role reversal"),
        Binding("g", "routes", "Go to…"),
        Binding("i", "inject", "Inject event"),
        Binding("m", "mark", "Marker"),
        Binding("a", "note", "Note"),
        Binding("c", "add_entry", "Add entry", show=False),
        Binding("y", "tag_entry", "Tag entry", show=False),
        Binding("k", "rate", "Rate", show=False),
        Binding("v", "vote", "Vote", show=False),
        Binding("w", "guess", "Guess", show=False),
        Binding("minus,backspace", "untick", "Take back tick", show=False),
        Binding("e", "extend", "+1 min", show=False),
        Binding("x", "expire", "Time's up now", show=False),
        Binding("b", "briefs", "Hand out briefs", show=False),
        Binding("ctrl+t", "trainer_view", "Trainer-only view", show=False),
        Binding("colon", "command_line", "Command line", show=False),
        Binding("ctrl+x", "end_session", "End session early", show=False),
        Binding("ctrl+r", "toggle_recording", "Rec on/off"),
        Binding("ctrl+w", "withdraw_consent", "Consent withdrawn"),
    ]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.phase_id = session.phase
        self.visit = len(session.history)
        self.country: str | None = None  # support resources; the app sets it before showing the screen

    # ----- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="phase-header"):
            with Vertical(id="phase-titles"):
                yield Static("", id="phase-title")
                yield Static("", id="phase-progress")
            yield RecordingBadge(id="rec-indicator")
            yield Countdown(id="countdown")
        yield Static("", id="timeout-banner")
        yield RecordingNotice(id="rec-notice")
        with Horizontal(id="phase-body"):
            yield from self.compose_main()
            if has_tools(self.session):
                yield ToolsPanel(self.session, country=self.country, id="tools")
        yield CalmFooter(compact=True)

    def compose_main(self) -> ComposeResult:
        yield from ()

    @property
    def ready(self) -> bool:
        """Composed and mounted: a screen can be asked to refresh before its widgets exist."""
        return self.is_mounted and bool(self.query("#phase-body")) and bool(self.query(Countdown))

    def on_mount(self) -> None:
        self.refresh_session()

    def on_screen_resume(self) -> None:
        self.post_message(SyncRequested())

    def refresh_session(self) -> None:
        """Bring everything shown up to date with the session (the app calls this after each change)."""
        if not self.ready:
            return  # on_mount does it
        s = self.session
        phase = s.current
        title = f"{s.text(phase.title)} · {phase.kind}"
        self.query_one("#phase-title", Static).update(plain(title))
        self.query_one("#phase-progress", Static).update(plain(phase_info.progress_text(s)))
        banner = self.query_one("#timeout-banner", Static)
        banner.update("‖ TIME-OUT: the session is paused (p resumes)" if s.paused else "")
        banner.display = s.paused
        self.refresh_timer()
        for tools in self.query(ToolsPanel):
            tools.refresh_from()
        self.show_recording(getattr(self.app, "recording_view", None))
        self.refresh_bindings()

    def show_recording(self, view) -> None:
        """The app calls this twice a second while the session is recorded (None: not recorded)."""
        if not self.ready:
            return
        self.query_one(RecordingBadge).show(view)
        self.query_one(RecordingNotice).show(view)

    def refresh_timer(self) -> None:
        if not self.ready:
            return
        s = self.session
        timer = s.timer
        countdown = self.query_one(Countdown)
        if timer is None:
            countdown.show(None)
            return
        warn = s.current.timer.warn_before if s.current.timer else 60
        countdown.show(s.timer_remaining(), warn_before=warn, expired=timer.expired, paused=s.paused)

    # ----- which keys apply -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.session
        if action in ("toggle_recording", "withdraw_consent"):
            return getattr(self.app, "recording", None) is not None and not s.ended
        allowed = allowed_commands(s)  # the one place that decides; keys only add what the screen can show
        kinds = {
            "next": c.Go, "timeout_scene": c.Go, "reverse": c.Go, "routes": c.Go, "pause": c.Pause if not s.paused else c.Resume,
            "inject": c.Inject, "add_entry": c.AddEntry, "tag_entry": c.TagEntry, "rate": c.Rate, "vote": c.CastVote,
            "guess": c.RecordGuess, "untick": c.UntickItem, "extend": c.ExtendTimer, "expire": c.ExpireTimer,
            "note": c.AddNote, "mark": c.AddMarker, "end_session": c.EndSession,
            "answer": c.AnswerForm, "answer_text": c.AnswerForm,
        }
        kind = kinds.get(action)
        if kind is not None and kind not in allowed:
            return False
        if s.ended:
            return kind is not None
        rules = {
            "next": lambda: "next" in s.triggers(),
            "timeout_scene": lambda: phase_info.timeout_route(s) is not None,
            "reverse": lambda: phase_info.reversal_route(s) is not None,
            "routes": lambda: bool(phase_info.other_routes(s)),
        }
        rule = rules.get(action)
        return rule() if rule else True

    # ----- actions: routes --------------------------------------------------------

    def act(self, command: c.Command) -> None:
        self.post_message(Execute(command))

    def action_next(self) -> None:
        self.act(c.Go(trigger="next"))

    def action_pause(self) -> None:
        if self.session.paused:
            self.act(c.Resume())
        else:
            self.act(c.Pause(reason="time-out"))

    def action_timeout_scene(self) -> None:
        route = phase_info.timeout_route(self.session)
        if route:
            self.act(c.Go(trigger=route.trigger))

    def action_reverse(self) -> None:
        route = phase_info.reversal_route(self.session)
        if route:
            self.act(c.Go(trigger=route.trigger))

    def action_routes(self) -> None:
        choices = phase_info.other_routes(self.session)
        if not choices:
            return

        def chosen(trigger: str | None) -> None:
            if trigger:
                self.act(c.Go(trigger=trigger))

        self.app.push_screen(ChoiceScreen("Go to", [(c.trigger, c.label) for c in choices]), chosen)

    # ----- actions: events, markers, notes --------------------------------------

    def action_inject(self) -> None:
        s = self.session
        options = [(eid, s.text(s.scenario.event(eid).title)) for eid in s.injectable()]

        def chosen(event_id: str | None) -> None:
            if not event_id:
                return
            event = s.scenario.event(event_id)

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.act(c.Inject(event=event_id))

            self.app.push_screen(
                ConfirmScreen(f"{s.text(event.title)}\n\n{reflow(s.text(event.script))}\n\nBring this event in now?", title="Inject event"),
                confirmed,
            )

        self.app.push_screen(ChoiceScreen("Inject an event", options), chosen)

    def action_mark(self) -> None:
        def done(label: str | None) -> None:
            if label:
                self.act(c.AddMarker(label=label))

        self.app.push_screen(PromptScreen("Marker", hint="A short label for this moment", placeholder="e.g. strong moment"), done)

    def note_question(self) -> int | None:
        return None

    def action_note(self) -> None:
        question = self.note_question()

        def done(text: str | None) -> None:
            if text:
                self.act(c.AddNote(text=text, question=question))

        hint = "Saved in the log at once"
        if question is not None:
            hint = f"Note for question {question + 1}"
        self.app.push_screen(PromptScreen("Note", hint=hint), done)

    # ----- actions: tools ------------------------------------------------------------

    def _focused(self):
        for tools in self.query(ToolsPanel):
            return tools.focused_item()
        return None

    def on_tools_panel_picked(self, message: ToolsPanel.Picked) -> None:
        message.stop()
        if message.kind == "tick":
            checklist, item = message.key.split(":", 1)
            self.act(c.TickItem(checklist=checklist, item=item))
        elif message.kind == "entry":
            self._tag(int(message.key))
        elif message.kind == "guess":
            self._guess(message.key)

    def action_untick(self) -> None:
        item = self._focused()
        if item and item[0] == "tick":
            checklist, tick = item[1].split(":", 1)
            self.act(c.UntickItem(checklist=checklist, item=tick))
        else:
            self.notify("Move to a checklist item first (Tab), then press - to take a tick back.")

    def action_add_entry(self) -> None:
        s = self.session
        collection = s.scenario.collection(s.current.collection)

        def done(text: str | None) -> None:
            if text:
                self.act(c.AddEntry(collection=collection.id, text=text))

        hint = s.text(collection.prompt) if collection.prompt else ""
        self.app.push_screen(PromptScreen(f"Add to {s.text(collection.title)}", hint=hint), done)

    def action_tag_entry(self) -> None:
        item = self._focused()
        if item and item[0] == "entry":
            self._tag(int(item[1]))
        else:
            count = len(self.session.entries.get(self.session.current.collection, []))
            if count:
                self._tag(count)
            else:
                self.notify("No entries to tag yet.")

    def _tag(self, number: int) -> None:
        s = self.session
        collection = s.scenario.collection(s.current.collection)
        if not collection.categories:
            return
        entry = s.entries[collection.id][number - 1]

        def chosen(category: str | None) -> None:
            if category:
                self.act(c.TagEntry(collection=collection.id, entry=number, category=category))

        options = [(c.id, s.text(c.name)) for c in collection.categories]
        self.app.push_screen(ChoiceScreen(f"Category for entry {number}", options, hint=entry.text), chosen)

    def action_rate(self) -> None:
        s = self.session
        p = s.current
        item = self._focused()
        scales: list[tuple[object, int | None]] = []
        if p.collection and s.scenario.collection(p.collection).ratings and item and item[0] == "entry":
            scales = [(scale, int(item[1])) for scale in s.scenario.collection(p.collection).ratings]
        elif p.ratings:
            scales = [(scale, None) for scale in p.ratings]
        elif p.collection and s.scenario.collection(p.collection).ratings:
            count = len(s.entries.get(p.collection, []))
            if not count:
                self.notify("Add an entry first, then rate it.")
                return
            scales = [(scale, count) for scale in s.scenario.collection(p.collection).ratings]
        if not scales:
            return

        def ask_value(index: str | None) -> None:
            if index is None:
                return
            scale, entry = scales[int(index)]

            def done(text: str | None) -> None:
                if text is None:
                    return
                try:
                    value = int(text)
                except ValueError:
                    self.notify(f"A rating is a whole number from {scale.min} to {scale.max}.", severity="warning")
                    return
                self.act(c.Rate(scale=scale.id, value=value, entry=entry))

            what = f" for entry {entry}" if entry else ""
            self.app.push_screen(
                PromptScreen(f"{s.text(scale.label)}{what}", hint=f"A number from {scale.min} to {scale.max}", restrict=r"-?[0-9]*"),
                done,
            )

        if len(scales) == 1:
            ask_value("0")
        else:
            self.app.push_screen(ChoiceScreen("Rate", [(str(i), s.text(sc.label)) for i, (sc, _) in enumerate(scales)]), ask_value)

    def action_vote(self) -> None:
        s = self.session
        votes = s.current.votes

        def ask_option(vote_id: str | None) -> None:
            if not vote_id:
                return
            vote = s.scenario.vote(vote_id)

            def chosen(option: str | None) -> None:
                if option:
                    self.act(c.CastVote(vote=vote_id, option=option))

            self.app.push_screen(ChoiceScreen(s.text(vote.question), [(o.id, s.text(o.label)) for o in vote.options], hint="One vote per press"), chosen)

        if len(votes) == 1:
            ask_option(votes[0])
        else:
            self.app.push_screen(ChoiceScreen("Which vote", [(v, s.text(s.scenario.vote(v).question)) for v in votes]), ask_option)

    def action_guess(self) -> None:
        item = self._focused()
        if item and item[0] == "guess":
            self._guess(item[1])
            return
        holders = self.session.deck_holders(self.session.current.guesses)

        def chosen(name: str | None) -> None:
            if name:
                self._guess(name)

        self.app.push_screen(ChoiceScreen("Whose guess?", [(n, n) for n in holders]), chosen)

    def _guess(self, name: str) -> None:
        def chosen(outcome: str | None) -> None:
            if outcome:
                self.act(c.RecordGuess(participant=name, outcome=outcome))

        options = [("right", "Right"), ("wrong", "Wrong, keeps trying"), ("revealed", "Gave up: card revealed")]
        self.app.push_screen(ChoiceScreen(f"{name}'s guess", options), chosen)

    # ----- actions: timer, briefs, trainer view, command line, end ----------------------

    def action_extend(self) -> None:
        self.act(c.ExtendTimer(seconds=60))

    def action_expire(self) -> None:
        def confirmed(ok: bool | None) -> None:
            if ok:
                self.act(c.ExpireTimer())

        self.app.push_screen(ConfirmScreen("End the timer now? The phase's time-up step follows."), confirmed)

    def action_toggle_recording(self) -> None:
        self.app.action_toggle_recording()

    def action_withdraw_consent(self) -> None:
        self.app.action_withdraw_consent()

    def action_briefs(self) -> None:
        self.app.action_hand_out_briefs()

    def action_trainer_view(self) -> None:
        self.app.action_trainer_view()

    def action_command_line(self) -> None:
        def done(line: str | None) -> None:
            if line:
                self.post_message(CommandLine(line))

        self.app.push_screen(PromptScreen("Command", hint="A text command, as in `roleplay play` (help lists them)"), done)

    def action_end_session(self) -> None:
        def confirmed(ok: bool | None) -> None:
            if ok:
                self.act(c.EndSession(reason="stopped"))

        self.app.push_screen(ConfirmScreen("End the session now, before its last phase? This cannot be undone."), confirmed)

"""What every phase screen shares: the header with progress and countdown, and the trainer's keys.

Screens read the session passed down to them and post typed commands up
(`Execute`) for every change; the app carries them out, so errors are handled in one place.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from roleplay.ui import phase_info
from roleplay.core import commands as c
from roleplay.core.commands import allowed_commands
from roleplay.ui.i18n import _, N_
from roleplay.ui.messages import CommandLine, Execute, SyncRequested
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.private_flows import Flow, inject_flow, note_flow
from roleplay.ui.text import plain, update_if_changed
from roleplay.ui.widgets.countdown import Countdown
from roleplay.ui.widgets.psychodrama import DeRolingPanel, SharingReminder
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.recording import RecordingBadge, RecordingNotice
from roleplay.ui.widgets.tools import OneLayout, ToolsPanel, has_tools
from roleplay.ui.widgets.tools import NOBODY, observe_choices, observed, set_observed  # issue 15: who is observed



class OneLayoutRow(OneLayout, Horizontal):
    """The phase's body: its main text and tools side by side, laid out once when its size changes."""


PRIVATE_HINT = N_("Your script, notes and events: s (a cover hides the room's view first)")
NARROW_WIDTH = 100  # columns: below this the phase's tools sit under the main text


class PhaseScreen(Screen):
    BINDINGS = [
        # The phase's own tools first: each shows in the footer only where the phase has it (check_action).
        Binding("w", "guess", N_("Guess")),
        Binding("c", "add_entry", N_("Add entry")),
        Binding("y", "tag_entry", N_("Tag entry")),
        Binding("k", "rate", N_("Rate")),
        Binding("v", "vote", N_("Vote")),
        Binding("n", "next", N_("Next")),
        Binding("e", "extend", N_("+1 min")),
        Binding("x", "expire", N_("Time's up")),
        Binding("p", "pause", N_("Time-out/resume")),
        Binding("t", "timeout_scene", N_("Time-out scene")),
        Binding("r", "reverse", N_("Role reversal")),
        Binding("d", "technique", N_("Technique…")),  # issue 12: psychodrama techniques in action phases
        Binding("g", "routes", N_("Go to…")),
        Binding("s", "private", N_("Private view")),
        Binding("a", "note", N_("Note")),
        Binding("i", "inject", N_("Inject event")),
        Binding("m", "mark", N_("Marker")),
        Binding("minus,backspace", "untick", N_("Take back tick"), show=False),
        Binding("b", "briefs", N_("Hand out briefs"), show=False),
        Binding("ctrl+t", "trainer_view", N_("Trainer-only view"), show=False),
        Binding("colon", "command_line", N_("Command line"), show=False),
        Binding("ctrl+x", "end_session", N_("End session early"), show=False),
        Binding("ctrl+r", "toggle_recording", N_("Rec on/off")),
        Binding("ctrl+w", "withdraw_consent", N_("Consent withdrawn")),
        # Correcting entries, who is observed (issue 15): actions at the end of the class.
        Binding("E", "edit_entry", N_("Edit entry"), show=False),
        Binding("delete", "remove_entry", N_("Take out entry"), show=False),
        Binding("f", "observe", N_("Who is observed"), show=False),
        Binding("l,L", "room_panel", N_("Room (phones)"), show=False),  # issue 11; L where l pages questions
    ]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.phase_id = session.phase
        self.visit = len(session.history)
        self.country: str | None = None  # support resources; the app sets it before showing the screen

    # ----- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Before the children exist: set later, the class would restyle every widget of the screen again.
        self.set_class(self.projected, "projected")
        with Horizontal(id="phase-header"):
            with Vertical(id="phase-titles"):
                yield Static("", id="phase-title")
                yield Static("", id="phase-progress")
            yield RecordingBadge(id="rec-indicator")
            yield Countdown(id="countdown")
        yield Static("", id="timeout-banner")
        yield RecordingNotice(id="rec-notice")
        if self.session.current.kind == "sharing":  # issue 12: the same reminder in every sharing phase
            yield SharingReminder(id="sharing-reminder")
        with OneLayoutRow(id="phase-body"):  # laid out once when the banner comes or goes (issue 14)
            yield from self.compose_main()
            if has_tools(self.session):
                yield ToolsPanel(self.session, country=self.country, id="tools")
            if self.session.current.kind == "de-roling":  # issue 12: who steps out of which role
                yield DeRolingPanel(self.session, id="deroling")
        yield Static(_(PRIVATE_HINT), id="private-hint")
        yield CalmFooter(compact=True)

    def compose_main(self) -> ComposeResult:
        yield from ()

    @property
    def projected(self) -> bool:
        """This screen is the room's screen: the trainer's private layer stays behind a key."""
        return bool(getattr(self.app, "projected", True))

    _found: tuple[Widget, Widget] | None = None  # the body and the countdown, once `ready` has found them
    _panels: list[ToolsPanel | DeRolingPanel] | None = None  # the tools and de-roling panels, once found

    @property
    def ready(self) -> bool:
        """Composed and mounted: a screen can be asked to refresh before its widgets exist,
        and after they are removed (the screen is closing).

        The widgets found are remembered, and only checked to be still attached: the app's poll
        asks four times a second, and a query walks the whole screen."""
        found = self._found
        if found is not None and found[0].is_attached and found[1].is_attached:
            return True
        body, countdown = self.query("#phase-body"), self.query(Countdown)
        if self.is_mounted and body and countdown:
            self._found = (body.first(), countdown.first())
            return True
        return False

    def on_resize(self, event) -> None:
        # Below 100 columns (80x24) the tools go under the main text instead of beside it.
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        self.refresh_session()
        # Enter works on a tool from the start: the first list (guesses, a checklist, entries) has focus.
        lists = self.query(".tool-list")
        if lists:
            lists.first().focus()

    def on_screen_resume(self) -> None:
        self.post_message(SyncRequested())

    def refresh_session(self) -> None:
        """Bring everything shown up to date with the session (the app calls this after each change)."""
        if not self.ready:
            return  # on_mount does it
        s = self.session
        phase = s.current
        title = f"{s.text(phase.title)} · {phase.kind}"
        update_if_changed(self.query_one("#phase-title", Static), plain(title))
        routes = phase_info.routes_text(s)  # where n and g lead from here, so a branch is never hidden
        progress = phase_info.progress_text(s) + (f" · {routes}" if routes else "")
        update_if_changed(self.query_one("#phase-progress", Static), plain(progress))
        banner = self.query_one("#timeout-banner", Static)
        update_if_changed(banner, "‖ " + _("TIME-OUT: the session is paused (p resumes)") if s.paused else "")
        banner.display = s.paused
        self.refresh_timer()
        if self._panels is None:  # composed once with the screen: found once, not by a query per key
            self._panels = [*self.query(ToolsPanel), *self.query(DeRolingPanel)]
        for panel in self._panels:
            if panel.is_attached:
                panel.refresh_from()
        self.show_recording(getattr(self.app, "recording_view", None))
        self.hide_private()
        self.refresh_bindings()

    def hide_private(self) -> None:
        """On a projected screen the trainer's private widgets are never drawn (they open behind `s`)."""
        projected = self.projected
        self.set_class(projected, "projected")
        self.query_one("#private-hint").display = projected
        if projected:
            for widget in self.query(".private"):
                widget.display = False

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

    # The command each key needs (`pause`: Pause or Resume, see check_action).
    KEY_COMMANDS: dict[str, type[c.Command]] = {
        "next": c.Go, "timeout_scene": c.Go, "reverse": c.Go, "routes": c.Go,
        "inject": c.Inject, "add_entry": c.AddEntry, "tag_entry": c.TagEntry, "rate": c.Rate, "vote": c.CastVote,
        "guess": c.RecordGuess, "untick": c.UntickItem, "extend": c.ExtendTimer, "expire": c.ExpireTimer,
        "note": c.AddNote, "mark": c.AddMarker, "end_session": c.EndSession,
        "answer": c.AnswerForm, "answer_text": c.AnswerForm,
        "technique": c.UseTechnique,
        # issue 15: correcting entries, who is observed
        "edit_entry": c.EditEntry, "remove_entry": c.RemoveEntry, "observe": c.TickItem,
    }
    _allowed: tuple[int, frozenset] = (-1, frozenset())

    def _allowed_now(self) -> frozenset:
        """`allowed_commands`, worked out again only when the session has logged something new.

        Textual asks `check_action` for every key each time the bindings are refreshed: many
        times a key. The session's state changes only by logged events, so their count is the key."""
        count = len(self.session.events)
        if self._allowed[0] != count:
            self._allowed = (count, frozenset(allowed_commands(self.session)))
        return self._allowed[1]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.session
        if action in ("toggle_recording", "withdraw_consent"):
            return getattr(self.app, "recording", None) is not None and not s.ended
        allowed = self._allowed_now()  # the one place that decides; keys only add what the screen can show
        kind = (c.Resume if s.paused else c.Pause) if action == "pause" else self.KEY_COMMANDS.get(action)
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

    def action_technique(self) -> None:
        from roleplay.ui.technique_flow import choose_technique

        choose_technique(self)  # issue 12: technique, whom, logged

    def action_routes(self) -> None:
        choices = phase_info.other_routes(self.session)
        if not choices:
            return

        def chosen(trigger: str | None) -> None:
            if trigger:
                self.act(c.Go(trigger=trigger))

        self.app.push_screen(ChoiceScreen(_("Go to"), [(c.trigger, c.label) for c in choices]), chosen)

    # ----- actions: events, markers, notes --------------------------------------

    def privately(self, flow: Flow | None = None) -> None:
        """Run a private dialog (or just show the private layer): in place on the trainer's own
        screen; on a projected screen only behind the cover, in the private layer."""
        from roleplay.ui.screens.cover import CoverScreen
        from roleplay.ui.screens.private_layer import PrivateLayerScreen

        if flow is not None and not self.projected:
            flow(self, lambda: None)
            return
        hide_after = float(getattr(getattr(self.app, "options", None), "private_seconds", 60.0))

        def show(ok: bool | None) -> None:
            if ok:
                self.app.push_screen(PrivateLayerScreen(self.session, run=flow, question=self.note_question(), hide_after=hide_after))

        if self.projected:
            self.app.push_screen(CoverScreen(), show)
        else:
            show(True)

    def action_private(self) -> None:
        self.privately()

    def action_inject(self) -> None:
        self.privately(inject_flow(self.session))

    def action_mark(self) -> None:
        def done(label: str | None) -> None:
            if label:
                self.act(c.AddMarker(label=label))

        self.app.push_screen(PromptScreen(_("Marker"), hint=_("A short label for this moment"), placeholder=_("e.g. strong moment")), done)

    def note_question(self) -> int | None:
        return None

    def action_note(self) -> None:
        self.privately(note_flow(self.session, self.note_question()))

    # ----- actions: tools ------------------------------------------------------------

    def _focused(self):
        for tools in self.query(ToolsPanel):
            return tools.focused_item()
        return None

    def on_tools_panel_picked(self, message: ToolsPanel.Picked) -> None:
        message.stop()
        if message.kind == "tick":
            checklist, item = message.key.split(":", 1)
            self.act(c.TickItem(checklist=checklist, item=item, by=observed(self.session)))
        elif message.kind == "entry":
            self._tag(int(message.key))
        elif message.kind == "guess":
            self._guess(message.key)

    def action_untick(self) -> None:
        item = self._focused()
        if item and item[0] == "tick":
            checklist, tick = item[1].split(":", 1)
            self.act(c.UntickItem(checklist=checklist, item=tick, by=observed(self.session)))
        else:
            self.notify(_("Move to a checklist item first (Tab), then press - to take a tick back."))

    def action_add_entry(self) -> None:
        s = self.session
        collection = s.scenario.collection(s.current.collection)

        def done(text: str | None) -> None:
            if text:
                self.act(c.AddEntry(collection=collection.id, text=text))

        hint = s.text(collection.prompt) if collection.prompt else ""
        self.app.push_screen(PromptScreen(_("Add to {title}").format(title=s.text(collection.title)), hint=hint), done)

    def action_tag_entry(self) -> None:
        item = self._focused()
        if item and item[0] == "entry":
            self._tag(int(item[1]))
        else:
            s = self.session
            live = s.live_entries(s.current.collection)
            if len(live) == 1:
                self._tag(live[0][0])
            elif live:  # which one: never silently the last

                def chosen(number: str | None) -> None:
                    if number:
                        self._tag(int(number))

                options = [(str(n), f"{n}. {e.text}") for n, e in live]
                self.app.push_screen(ChoiceScreen(_("Tag which entry?"), options), chosen)
            else:
                self.notify(_("No entries to tag yet."))

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
        self.app.push_screen(ChoiceScreen(_("Category for entry {number}").format(number=number), options, hint=entry.text), chosen)

    def action_rate(self) -> None:
        s = self.session
        p = s.current
        item = self._focused()
        # The phase's own scales, and the highlighted entry's scales: several of them ask which one.
        scales: list[tuple[object, int | None]] = [(scale, None) for scale in p.ratings]
        if p.collection and s.scenario.collection(p.collection).ratings and item and item[0] == "entry":
            scales += [(scale, int(item[1])) for scale in s.scenario.collection(p.collection).ratings]
        elif not scales and p.collection and s.scenario.collection(p.collection).ratings:
            count = self._last_entry()
            if not count:
                self.notify(_("Add an entry first, then rate it."))
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
                    self.notify(_("A rating is a whole number from {low} to {high}.").format(low=scale.min, high=scale.max), severity="warning")
                    return
                self.act(c.Rate(scale=scale.id, value=value, entry=entry))

            what = " " + _("for entry {number}").format(number=entry) if entry else ""
            self.app.push_screen(
                PromptScreen(
                    f"{s.text(scale.label)}{what}",
                    hint=_("A number from {low} to {high}").format(low=scale.min, high=scale.max),
                    restrict=r"-?[0-9]*",
                ),
                done,
            )

        if len(scales) == 1:
            ask_value("0")
        else:
            labels = [s.text(sc.label) + (" · " + _("entry {number}").format(number=entry) if entry else "") for sc, entry in scales]
            self.app.push_screen(ChoiceScreen(_("Rate"), [(str(i), label) for i, label in enumerate(labels)]), ask_value)

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

            self.app.push_screen(
                ChoiceScreen(s.text(vote.question), [(o.id, s.text(o.label)) for o in vote.options], hint=_("One vote per press")), chosen
            )

        if len(votes) == 1:
            ask_option(votes[0])
        else:
            self.app.push_screen(ChoiceScreen(_("Which vote"), [(v, s.text(s.scenario.vote(v).question)) for v in votes]), ask_option)

    def action_guess(self) -> None:
        item = self._focused()
        if item and item[0] == "guess":
            self._guess(item[1])
            return
        holders = self.session.deck_holders(self.session.current.guesses)

        def chosen(name: str | None) -> None:
            if name:
                self._guess(name)

        self.app.push_screen(ChoiceScreen(_("Whose guess?"), [(n, n) for n in holders]), chosen)

    def _guess(self, name: str) -> None:
        def chosen(outcome: str | None) -> None:
            if outcome:
                self.act(c.RecordGuess(participant=name, outcome=outcome))

        options = [("right", _("Right")), ("wrong", _("Wrong, keeps trying")), ("revealed", _("Gave up: card revealed"))]
        self.app.push_screen(ChoiceScreen(_("{name}'s guess").format(name=name), options), chosen)

    # ----- actions: timer, briefs, trainer view, command line, end ----------------------

    def action_extend(self) -> None:
        self.act(c.ExtendTimer(seconds=60))

    def action_expire(self) -> None:
        def confirmed(ok: bool | None) -> None:
            if ok:
                self.act(c.ExpireTimer())

        self.app.push_screen(ConfirmScreen(_("End the timer now? The phase's time-up step follows.")), confirmed)

    def action_toggle_recording(self) -> None:
        self.app.action_toggle_recording()

    def action_withdraw_consent(self) -> None:
        self.app.action_withdraw_consent()

    def action_briefs(self) -> None:
        self.app.action_hand_out_briefs()

    def action_trainer_view(self) -> None:
        self.app.action_trainer_view()

    def action_room_panel(self) -> None:
        self.app.action_room_panel()  # the room for phones (roleplay/ui/screens/room_panel.py)

    def action_command_line(self) -> None:
        def done(line: str | None) -> None:
            if line:
                self.post_message(CommandLine(line))

        self.app.push_screen(PromptScreen(_("Command"), hint=_("A text command, as in `roleplay play` (help lists them)")), done)

    def action_end_session(self) -> None:
        def confirmed(ok: bool | None) -> None:
            if ok:
                self.act(c.EndSession(reason="stopped"))

        self.app.push_screen(ConfirmScreen(_("End the session now, before its last phase? This cannot be undone.")), confirmed)

    # ----- issue 15: correcting entries (E, Del) and who is observed (f) ------------------------

    def _last_entry(self) -> int:
        """The number of the last entry not taken out (0: none)."""
        live = self.session.live_entries(self.session.current.collection or "")
        return live[-1][0] if live else 0

    def _pick_entry(self, title: str, then) -> None:
        """The focused entry, else the trainer picks one from the list."""
        s = self.session
        item = self._focused()
        if item and item[0] == "entry-out":
            self.notify(_("Entry {number} was taken out already.").format(number=item[1]))
            return
        if item and item[0] == "entry":
            then(int(item[1]))
            return
        live = s.live_entries(s.current.collection or "")
        if not live:
            self.notify(_("No entries yet."))
            return
        self.app.push_screen(
            ChoiceScreen(title, [(str(n), f"{n}. {e.text}") for n, e in live]),
            lambda key: key and then(int(key)),
        )

    def action_edit_entry(self) -> None:
        s = self.session
        collection = s.current.collection or ""

        def edit(number: int) -> None:
            def done(text: str | None) -> None:
                if text:
                    self.act(c.EditEntry(collection=collection, entry=number, text=text))

            old = s.entries[collection][number - 1].text
            self.app.push_screen(PromptScreen(_("Edit entry {number}").format(number=number), hint=_("It keeps its number and category"), value=old), done)

        self._pick_entry(_("Edit which entry?"), edit)

    def action_remove_entry(self) -> None:
        s = self.session
        collection = s.current.collection or ""

        def remove(number: int) -> None:
            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.act(c.RemoveEntry(collection=collection, entry=number))

            text = s.entries[collection][number - 1].text
            self.app.push_screen(
                ConfirmScreen(_("Take out entry {number}?\n\n{text}\n\nThe other entries keep their numbers.").format(number=number, text=text)), confirmed
            )

        self._pick_entry(_("Take out which entry?"), remove)

    def action_observe(self) -> None:
        s = self.session

        def chosen(name: str | None) -> None:
            if name is not None:
                set_observed(s, None if name == NOBODY else name)
                self.refresh_session()

        self.app.push_screen(
            ChoiceScreen(
                _("Whom are the ticks about?"), observe_choices(s), hint=_("Until you change it, each tick counts for them (and their pair)")
            ),
            chosen,
        )

"""Session set-up: participants (or saved rosters), language, seed, recording and its consent step.

Content notes and the opt-out are on this screen, and read out once more
(a confirmation step) before the session starts.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from roleplay.ui.messages import StartOptions, StartRequested
from roleplay.ui.rosters import parse_participants
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.consent import ConsentScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.text import plain


class SetupScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start session"),
        Binding("ctrl+r", "save_roster", "Save roster"),
        Binding("escape", "back", "Back to library"),
    ]

    def __init__(self, scenario, path, *, participants: str = "", language: str | None = None, seed: int | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.path = path
        self.initial_participants = participants
        self.initial_language = language
        self.initial_seed = seed
        self.rosters: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        from roleplay.core.text import localize

        s = self.scenario
        t = lambda v: localize(v, self.initial_language or s.fallback, s.fallback)  # noqa: E731
        size = f"{s.group_size.min}–{s.group_size.max}" if s.group_size.max else f"{s.group_size.min} or more"
        yield Static(plain(f"Set up: {t(s.title)}"), id="screen-title")
        with VerticalScroll(id="setup-form"):
            yield Label(f"Participants ({size}): names separated by commas, or a number")
            with Horizontal(classes="form-row"):
                yield Input(self.initial_participants, placeholder="Ana, Ben, Cleo   or   6", id="participants")
                yield Select([], prompt="Saved rosters", id="roster")
            with Horizontal(classes="form-row"):
                with Vertical(classes="form-cell"):
                    yield Label("Language")
                    languages = [(lang, lang) for lang in s.languages]
                    yield Select(languages, value=self.initial_language or s.fallback, allow_blank=False, id="language")
                with Vertical(classes="form-cell"):
                    yield Label("Seed (blank: random)")
                    yield Input("" if self.initial_seed is None else str(self.initial_seed), restrict=r"[0-9]*", id="seed")
                with Vertical(classes="form-cell"):
                    yield Label("Record video")
                    yield Switch(False, id="recording")
            notes = "\n".join(f"• {t(n)}" for n in s.content_notes) or "No content notes for this exercise."
            box = Static(plain(notes), id="content-notes")
            box.border_title = "Content notes: read these to the group"
            yield box
            if s.opt_out:
                opt = Static(plain(t(s.opt_out)), id="opt-out")
                opt.border_title = "Opting out"
                yield opt
            with Horizontal(classes="form-row"):
                yield Button("Start (ctrl+s)", id="start", variant="primary")
                yield Button("Save roster (ctrl+r)", id="save-roster")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#participants", Input).focus()
        self.run_worker(self._load_rosters, thread=True, group="rosters")

    def _load_rosters(self) -> None:
        from roleplay.ui.rosters import load_rosters

        rosters = load_rosters()
        self.app.call_from_thread(self._show_rosters, rosters)

    def _show_rosters(self, rosters: dict[str, list[str]]) -> None:
        self.rosters = rosters
        self.query_one("#roster", Select).set_options([(f"{name} ({len(people)})", name) for name, people in sorted(rosters.items())])

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "roster" and isinstance(event.value, str) and event.value in self.rosters:
            self.query_one("#participants", Input).value = ", ".join(self.rosters[event.value])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "save-roster":
            self.action_save_roster()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "participants":
            self.action_start()

    @property
    def participants(self) -> list[str]:
        return parse_participants(self.query_one("#participants", Input).value)

    def action_save_roster(self) -> None:
        people = self.participants
        if not people:
            self.notify("Type the participants first.", severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self.run_worker(lambda: self._save(name, people), thread=True, group="rosters")

        self.app.push_screen(PromptScreen("Save roster", hint=f"A name for these {len(people)} people", placeholder="e.g. Tuesday group"), named)

    def _save(self, name: str, people: list[str]) -> None:
        from roleplay.ui.rosters import load_rosters, save_roster

        try:
            path = save_roster(name, people)
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Could not save the roster: {exc}", severity="error")
            return
        self.app.call_from_thread(self._show_rosters, load_rosters())
        self.app.call_from_thread(self.notify, f"Roster '{name}' saved in {path}")

    def action_back(self) -> None:
        if self.query_one("#participants", Input).value.strip() and self.query_one("#participants", Input).value != self.initial_participants:

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.app.pop_screen()

            self.app.push_screen(ConfirmScreen("Go back to the library? The names typed here are lost (save a roster to keep them)."), confirmed)
        else:
            self.app.pop_screen()

    def action_start(self) -> None:
        people = self.participants
        s = self.scenario
        if not people:
            self.notify("Add participants first: names separated by commas, or a number.", severity="warning")
            self.query_one("#participants", Input).focus()
            return
        repeated = sorted({p for p in people if people.count(p) > 1})
        if repeated:
            self.notify(f"Each name once please: {', '.join(repeated)} given twice.", severity="warning")
            return
        seed_text = self.query_one("#seed", Input).value.strip()
        options = StartOptions(
            participants=people,
            language=str(self.query_one("#language", Select).value),
            seed=int(seed_text) if seed_text else None,
            recording=self.query_one("#recording", Switch).value,
        )
        too_few = len(people) < s.group_size.min
        too_many = bool(s.group_size.max and len(people) > s.group_size.max)
        if too_few or too_many:
            size = f"{s.group_size.min}–{s.group_size.max}" if s.group_size.max else f"at least {s.group_size.min}"
            self.app.push_screen(
                ConfirmScreen(f"This exercise is made for {size} people; you have {len(people)}. Start anyway?"),
                lambda ok: ok and self._content_notes(options),
            )
        else:
            self._content_notes(options)

    def _content_notes(self, options: StartOptions) -> None:
        from roleplay.core.text import localize

        s = self.scenario
        t = lambda v: localize(v, options.language or s.fallback, s.fallback)  # noqa: E731
        text = "\n".join(f"• {t(n)}" for n in s.content_notes) or "No content notes for this exercise."
        if s.opt_out:
            text += f"\n\nOpting out: {t(s.opt_out)}"
        text += "\n\nHave these been read to the group?"
        self.app.push_screen(
            ConfirmScreen(text, title="Before we start", yes="Read, start", no="Not yet"),
            lambda ok: ok and self._consent(options),
        )

    def _consent(self, options: StartOptions) -> None:
        if not options.recording:
            self.post_message(StartRequested(self.scenario, self.path, options))
            return

        def answered(consents: dict[str, bool] | None) -> None:
            if consents is None:
                return
            options.consents = consents
            if not all(consents.get(p) for p in options.participants):
                options.recording = False
                self.notify("Not everyone said yes: the session runs without recording.", severity="warning", timeout=8)
            self.post_message(StartRequested(self.scenario, self.path, options))

        self.app.push_screen(ConsentScreen(options.participants), answered)

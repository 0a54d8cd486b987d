"""Session set-up: participants (or saved rosters, or a course's trainees: the session then belongs to the course), who plays the named roles, language, seed, support country,
whether this screen is shown to the group, recording and its consent step.

Roles with a number (the person in crisis, the supporter...) each have a choice here: "dealt at
random" or a participant (volunteers first). The deal keeps these choices when the session
reaches its dealing phase.

With "Record video" on, the camera and sound are asked here too. An optional
passphrase (typed twice, never shown or saved) encrypts everything the session
writes: the log with every name, note and answer, and the recording.

Content notes and the opt-out are on this screen, and read out once more
(a confirmation step) before the session starts.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from roleplay.ui.i18n import _, N_, ngettext
from roleplay.ui.messages import StartOptions, StartRequested
from roleplay.core.participants import parse_participants
from roleplay.core.sealing import MIN_PASSPHRASE
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.core.consent import OUTSIDE, YES, outside_possible
from roleplay.ui.screens.consent import ConsentScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.room_service import DEFAULT_ADDRESS
from roleplay.ui.text import plain, plain_text, reflow
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.scroll import TextScroll

COURSE_PREFIX = "course:"  # a course in the roster list; a roster's name never starts with it


class SetupScreen(Screen):
    DEFAULT_CSS = """
    SetupScreen #role-hint {
        height: auto;
        margin: -1 0 1 0;
        color: $text-muted;
    }
    SetupScreen #projected-label, SetupScreen #room-label {
        padding: 1 1 0 1;
    }
    SetupScreen #room-address {
        width: 28;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", N_("Start session")),
        Binding("ctrl+r", "save_roster", N_("Save roster")),
        Binding("escape", "back", N_("Back to library")),
    ]

    def __init__(
        self,
        scenario,
        path,
        *,
        participants: str = "",
        language: str | None = None,
        seed: int | None = None,
        camera: str = "0",
        audio: str = "default",
        country: str | None = None,
    ) -> None:
        super().__init__()
        self.initial_camera = camera or "0"
        self.initial_audio = audio or "default"
        self.initial_country = country.upper() if country else None
        self._default_countries: dict[str | None, str] = {}  # language -> its country of support lines
        self.scenario = scenario
        self.path = path
        self.initial_participants = participants
        self.initial_language = language
        self.initial_seed = seed
        self.rosters: dict[str, list[str]] = {}
        self.courses: dict[str, Any] = {}  # select value -> Course
        self.course: Any = None  # the course chosen in the roster list, if any
        # Roles with a number get a "who plays it" choice; 'rest' and 'each' roles are what is left.
        self.named_roles = [r for r in scenario.roles if isinstance(r.count, int) and r.count > 0]

    def compose(self) -> ComposeResult:
        from roleplay.core.text import localize

        s = self.scenario
        t = lambda v: reflow(localize(v, self.initial_language or s.fallback, s.fallback))  # noqa: E731
        size = f"{s.group_size.min}–{s.group_size.max}" if s.group_size.max else _("{low} or more").format(low=s.group_size.min)
        yield Static(plain(_("Set up: {title}").format(title=t(s.title))), id="screen-title")
        with TextScroll(id="setup-form"):
            yield Label(_("Participants ({size}): names separated by commas, or a number").format(size=size))
            with Horizontal(classes="form-row"):
                yield Input(self.initial_participants, placeholder=_("Ana, Ben, Cleo   or   6"), id="participants")
                yield Select([], prompt=_("Saved rosters"), id="roster")
            if self.named_roles:
                with Horizontal(classes="form-row", id="role-choices"):
                    for role in self.named_roles:
                        with Vertical(classes="form-cell"):
                            yield Label(plain(_("Who plays {role}").format(role=t(role.name))))
                            yield Select(self._people_options(), prompt=_("dealt at random"), id=f"role-{role.id}")
                yield Static(plain(self._roles_hint()), id="role-hint")
            with Horizontal(classes="form-row"):
                with Vertical(classes="form-cell"):
                    yield Label(_("Language"))
                    languages = [(plain_text(lang), lang) for lang in s.languages]
                    yield Select(languages, value=self.initial_language or s.fallback, allow_blank=False, id="language")
                with Vertical(classes="form-cell"):
                    yield Label(_("Seed"))
                    yield Input("" if self.initial_seed is None else str(self.initial_seed), placeholder=_("random"), restrict=r"[0-9]*", id="seed")
                with Vertical(classes="form-cell"):
                    yield Label(_("Support lines"))
                    yield Select(self._country_options([]), value=self._first_country(), allow_blank=False, id="country")
                with Vertical(classes="form-cell"):
                    yield Label(_("Record video"))
                    yield Switch(False, id="recording")
            with Horizontal(classes="form-row", id="recording-options") as row:
                row.display = False
                with Vertical(classes="form-cell"):
                    yield Label(_("Camera"))
                    yield Input(self.initial_camera, id="camera")
                with Vertical(classes="form-cell"):
                    yield Label(_("Sound"))
                    audio = [(_("microphone"), "default"), (_("no sound"), "none")]
                    if self.initial_audio not in ("default", "none"):
                        audio.append((self.initial_audio, self.initial_audio))
                    yield Select(audio, value=self.initial_audio, allow_blank=False, id="audio")
            hint = Static(_("Camera: 0, 1… or a video file."), id="recording-hint")
            hint.display = False
            yield hint
            with Horizontal(classes="form-row", id="projected-row"):
                yield Switch(self._initial_projected(), id="projected")
                yield Label(_("This screen is shown to the group (projector or shared screen)"), id="projected-label")
            with Horizontal(classes="form-row", id="room-row"):  # issue 11: phones join; l on a phase screen shows the room
                yield Switch(False, id="room")
                yield Label(_("Open a room for phones (l on the phase screens shows it)"), id="room-label")
                address = Input(DEFAULT_ADDRESS, placeholder=_("HOST:PORT"), id="room-address")
                address.display = False  # shown while the switch is on
                yield address
            with Horizontal(classes="form-row", id="privacy-options"):
                with Vertical(classes="form-cell"):
                    yield Label(_("Passphrase (encrypts the session)"))
                    yield Input(password=True, placeholder=_("optional, 12+ characters"), id="passphrase")
                with Vertical(classes="form-cell"):
                    yield Label(_("Passphrase again"))
                    yield Input(password=True, id="passphrase-again")
            yield Static(
                _(
                    "With a passphrase, names, notes, answers and video are stored encrypted; "
                    "without it nobody can open this session again, so keep it safe. It is never shown or saved."
                ),
                id="privacy-hint",
            )
            notes = "\n".join(f"• {t(n)}" for n in s.content_notes) or _("No content notes for this exercise.")
            box = Static(plain(notes), id="content-notes")
            box.border_title = _("Content notes: read these to the group")
            yield box
            if s.opt_out:
                opt = Static(plain(t(s.opt_out)), id="opt-out")
                opt.border_title = _("Opting out")
                yield opt
            with Horizontal(classes="form-row"):
                yield Button(_("Start (ctrl+s)"), id="start", variant="primary")
                yield Button(_("Save roster (ctrl+r)"), id="save-roster")
        yield CalmFooter(compact=True)

    def _use_language(self, code: str | None) -> None:
        """The session's language for the app's own words from here on: the footer, the content-notes and
        consent questions to the group, then the session's screens (the app switches again at the start)."""
        use_language = getattr(self.app, "use_language", None)
        if use_language is not None:
            use_language(code)

    def on_mount(self) -> None:
        self._use_language(self.initial_language or self.scenario.fallback)
        self.query_one("#participants", Input).focus()
        self.run_worker(self._load_rosters, thread=True, group="rosters")

    def _load_rosters(self) -> None:
        from roleplay.core.resources import available_countries
        from roleplay.ui.rosters import load_rosters
        from roleplay.ui.room_service import saved_room
        from roleplay.ui.settings import saved_country, saved_projected

        rosters = load_rosters()
        from roleplay.core.course import list_courses

        courses = list_courses(self.app.root) if hasattr(self.app, "root") else []
        self.app.call_from_thread(self._show_rosters, rosters, courses)
        countries, saved = available_countries(), saved_country()
        self.app.call_from_thread(self._show_countries, countries, saved)
        self.app.call_from_thread(self._show_projected, saved_projected())
        self.app.call_from_thread(self._show_room, *saved_room())

    # ----- is this screen the room's screen? -------------------------------------------

    def _given_projected(self) -> bool | None:
        """The app's --projected/--not-projected choice, if it was given (then it wins over the remembered one)."""
        return getattr(getattr(self.app, "options", None), "projected", None)

    def _initial_projected(self) -> bool:
        given = self._given_projected()
        return True if given is None else bool(given)  # the safe side until the remembered choice is read

    def _show_projected(self, saved: bool) -> None:
        if self._given_projected() is not None:
            return
        switch = self.query_one("#projected", Switch)
        with switch.prevent(Switch.Changed):
            switch.value = saved

    def _show_room(self, on: bool, address: str) -> None:
        """The room choice remembered from last time (a worker read it)."""
        field = self.query_one("#room-address", Input)
        if field.value == DEFAULT_ADDRESS:  # unless the trainer typed one meanwhile
            field.value = address
        if on:
            self.query_one("#room", Switch).value = True  # its Changed shows the address

    # ----- who plays the named roles ------------------------------------------------------

    def _people_options(self) -> list[tuple[Text, str]]:
        return [(plain_text(name), name) for name in parse_participants(self.initial_participants)]

    def _roles_hint(self) -> str:
        s = self.scenario
        when = _("when the session starts")
        deal_phase = s.deal_phase
        if deal_phase is not None:
            from roleplay.core.text import localize

            title = localize(s.phases[deal_phase].title, self.initial_language or s.fallback, s.fallback)
            when = _("in the phase '{title}'").format(title=title)
        return _(
            "Ask the group for volunteers first; nobody has to play a role they do not want. "
            "Roles left on 'dealt at random' are dealt {when}; o on the roles screen changes any role later."
        ).format(when=when)

    def _refresh_role_choices(self) -> None:
        people = self.participants
        options = [(plain_text(name), name) for name in people]
        for role in self.named_roles:
            found = self.query(f"#role-{role.id}").results(Select)
            select = next(found, None)
            if select is None:
                continue  # not composed yet
            keep = select.value
            select.set_options(options)
            if isinstance(keep, str) and keep in people:
                select.value = keep

    def chosen_roles(self) -> dict[str, str]:
        """participant -> role id, for the roles given a person here."""
        chosen: dict[str, str] = {}
        for role in self.named_roles:
            value = self.query_one(f"#role-{role.id}", Select).value
            if isinstance(value, str) and value:
                chosen.setdefault(value, role.id)
        return chosen

    def _twice_chosen(self) -> list[str]:
        values = [self.query_one(f"#role-{r.id}", Select).value for r in self.named_roles]
        names = [v for v in values if isinstance(v, str) and v]
        return sorted({n for n in names if names.count(n) > 1})

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "participants" and self.named_roles:
            self._refresh_role_choices()

    _saved_country: str | None = None  # the country remembered from last time (read in a worker)
    _countries: list[str] = []  # countries with a support-lines file

    def _first_country(self) -> str:
        from roleplay.core.resources import default_country

        if self.initial_country:
            return self.initial_country
        language = self.initial_language or self.scenario.fallback
        if self.is_mounted and self.query("#language"):
            language = str(self.query_one("#language", Select).value)
        # Support lines in the session's language unless chosen. Asked several times per opening and
        # change of language: the folders of support lines are looked through once per language.
        if language not in self._default_countries:
            self._default_countries[language] = default_country(language)
        return self._default_countries[language]

    def _country_options(self, available: list[str], *also: str | None) -> list[tuple[Text, str]]:
        codes = sorted({c.upper() for c in [*available, self._first_country(), *also] if c})
        return [(plain_text(code), code) for code in codes]

    def _show_countries(self, available: list[str], saved: str | None) -> None:
        self._saved_country = saved
        self._countries = list(available)
        select = self.query_one("#country", Select)
        current = str(select.value)
        chosen = current if (self.initial_country or current != self._first_country()) else (saved or current).upper()
        select.set_options(self._country_options(available, saved, current))
        select.value = chosen

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id == "room":
            self.query_one("#room-address").display = event.value
        if event.switch.id == "recording":
            self.query_one("#recording-options").display = event.value
            self.query_one("#recording-hint").display = event.value

    def _show_rosters(self, rosters: dict[str, list[str]], courses: list | None = None) -> None:
        # Courses come first: a session started from one belongs to it (its growth is followed, core/growth.py).
        self.rosters = rosters
        self.courses = {COURSE_PREFIX + c.id: c for c in courses or []}
        self.query_one("#roster", Select).set_options(
            [(plain_text(_("Course: {name} ({count})").format(name=c.name, count=len(c.trainees))), key)
             for key, c in self.courses.items()]
            + [(plain_text(f"{name} ({len(people)})"), name) for name, people in sorted(rosters.items())]
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "language" and isinstance(event.value, str):
            self._use_language(event.value)
        if event.select.id == "roster" and isinstance(event.value, str) and event.value in self.courses:
            self.course = self.courses[event.value]
            self.query_one("#participants", Input).value = ", ".join(self.course.trainees)
        elif event.select.id == "roster" and isinstance(event.value, str) and event.value in self.rosters:
            self.course = None
            self.query_one("#participants", Input).value = ", ".join(self.rosters[event.value])
        elif event.select.id == "language" and not self.initial_country and not self._saved_country:
            # No country chosen on the command line or remembered: the support lines follow the language.
            country = self.query_one("#country", Select)
            wanted = self._first_country()
            country.set_options(self._country_options(self._countries, wanted))
            country.value = wanted

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
            self.notify(_("Type the participants first."), severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self.run_worker(lambda: self._save(name, people), thread=True, group="rosters")

        self.app.push_screen(
            PromptScreen(
                _("Save roster"),
                hint=ngettext("A name for these {count} people", "A name for these {count} people", len(people)).format(count=len(people)),
                placeholder=_("e.g. Tuesday group"),
            ),
            named,
        )

    def _save(self, name: str, people: list[str]) -> None:
        from roleplay.ui.rosters import load_rosters, save_roster

        try:
            path = save_roster(name, people)
        except OSError as exc:
            self.app.call_from_thread(self.notify, _("Could not save the roster: {error}").format(error=exc), severity="error")
            return
        self.app.call_from_thread(self._show_rosters, load_rosters())
        self.app.call_from_thread(self.notify, _("Roster '{name}' saved in {path}").format(name=name, path=path))

    def action_back(self) -> None:
        if self.query_one("#participants", Input).value.strip() and self.query_one("#participants", Input).value != self.initial_participants:

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.app.pop_screen()

            self.app.push_screen(ConfirmScreen(_("Go back to the library? The names typed here are lost (save a roster to keep them).")), confirmed)
        else:
            self.app.pop_screen()

    def action_start(self) -> None:
        people = self.participants
        s = self.scenario
        if not people:
            self.notify(_("Add participants first: names separated by commas, or a number."), severity="warning")
            self.query_one("#participants", Input).focus()
            return
        repeated = sorted({p for p in people if people.count(p) > 1})
        if repeated:
            self.notify(_("Each name once please: {names} given twice.").format(names=", ".join(repeated)), severity="warning")
            return
        twice = self._twice_chosen()
        if twice:
            self.notify(_("One role per person: {names} is chosen for two roles.").format(names=", ".join(twice)), severity="warning")
            return
        seed_text = self.query_one("#seed", Input).value.strip()
        recording = self.query_one("#recording", Switch).value
        passphrase = self.query_one("#passphrase", Input).value
        if passphrase and len(passphrase) < MIN_PASSPHRASE:
            self.notify(_("A passphrase needs at least {count} characters, or leave it empty.").format(count=MIN_PASSPHRASE), severity="warning")
            self.query_one("#passphrase", Input).focus()
            return
        if passphrase != self.query_one("#passphrase-again", Input).value:
            self.notify(_("The two passphrases are not the same. Type them again."), severity="warning")
            self.query_one("#passphrase", Input).value = ""
            self.query_one("#passphrase-again", Input).value = ""
            self.query_one("#passphrase", Input).focus()
            return
        camera = self.query_one("#camera", Input).value.strip() or "0"
        options = StartOptions(
            participants=people,
            language=str(self.query_one("#language", Select).value),
            seed=int(seed_text) if seed_text else None,
            recording=recording,
            camera=camera,
            audio=str(self.query_one("#audio", Select).value),
            passphrase=passphrase or None,
            country=str(self.query_one("#country", Select).value),
            projected=self.query_one("#projected", Switch).value,
            roles=self.chosen_roles(),
            course=self.course.id if self.course is not None else None,
        )
        room_on = self.query_one("#room", Switch).value
        room_address = self.query_one("#room-address", Input).value.strip() or DEFAULT_ADDRESS
        options.room = room_address if room_on else None  # the app opens it (roleplay/ui/room_service.py)
        too_few = len(people) < s.group_size.min
        too_many = bool(s.group_size.max and len(people) > s.group_size.max)
        if too_few or too_many:
            size = f"{s.group_size.min}–{s.group_size.max}" if s.group_size.max else _("at least {low}").format(low=s.group_size.min)
            self.app.push_screen(
                ConfirmScreen(_("This exercise is made for {size} people; you have {count}. Start anyway?").format(size=size, count=len(people))),
                lambda ok: ok and self._content_notes(options),
            )
        else:
            self._content_notes(options)

    def _content_notes(self, options: StartOptions) -> None:
        from roleplay.core.text import localize

        s = self.scenario
        t = lambda v: reflow(localize(v, options.language or s.fallback, s.fallback))  # noqa: E731
        text = "\n".join(f"• {t(n)}" for n in s.content_notes) or _("No content notes for this exercise.")
        if s.opt_out:
            text += "\n\n" + _("Opting out: {text}").format(text=t(s.opt_out))
        text += "\n\n" + _("Have these been read to the group?")
        self.app.push_screen(
            ConfirmScreen(text, title=_("Before we start"), yes=_("Read, start"), no=_("Not yet")),
            lambda ok: ok and self._consent(options),
        )

    def _remember_projected(self, projected: bool) -> None:
        def save() -> None:
            from roleplay.ui.settings import save_setting

            try:
                save_setting("projected", "yes" if projected else "no")
            except OSError:
                pass  # only a convenience for next time

        self.app.run_worker(save, thread=True, group="settings")

    def _consent(self, options: StartOptions) -> None:
        self._remember_projected(options.projected)  # the room choice is remembered once the session started
        if not options.recording:
            self.post_message(StartRequested(self.scenario, self.path, options))
            return

        def answered(answers: dict[str, str] | None) -> None:
            if answers is None:
                return
            options.consents = {name: answer == YES for name, answer in answers.items()}
            options.outside_frame = [name for name, answer in answers.items() if answer == OUTSIDE]
            if any(answers.get(p) not in (YES, OUTSIDE) for p in options.participants) or not any(
                    answer == YES for answer in answers.values()):
                options.recording = False
                options.outside_frame = []
                self.notify(_("Not everyone said yes: the session runs without recording."), severity="warning", timeout=8)
            elif options.outside_frame:
                self.notify(_("Observing outside the frame: {names}. They are not filmed; the others are.").format(
                    names=", ".join(options.outside_frame)), timeout=8, markup=False)
            self.post_message(StartRequested(self.scenario, self.path, options))

        self.app.push_screen(ConsentScreen(options.participants, outside_possible(self.scenario)), answered)

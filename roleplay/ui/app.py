"""The trainer's app: screen flow, the live session, and the one place session commands run.

Screens post messages up (`ScenarioChosen`, `StartRequested`, `Execute`, ...);
the app carries them out against the `Session` and passes the session down
for the screens to read. Disk work (discovering scenarios, starting and
replaying sessions, reports, rosters) runs in thread workers.

Recording: when the trainer switched it on and everyone consented, a
`SessionRecording` is built in a worker once the session has started; the app
polls its `state()` twice a second for the indicator and notices, and closes it
(which waits for the last segment) in a worker when the session ends, is left,
or the app quits.
"""

from __future__ import annotations

import gc
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from roleplay.ui.i18n import _, N_
from roleplay.ui.messages import (
    CommandLine,
    Execute,
    AssignmentDone,
    ExportReport,
    OpenSession,
    ScenarioChosen,
    StartRequested,
    SyncRequested,
)
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.recording_controls import RecordingControls
from roleplay.ui.room_service import RoomControls
from roleplay.ui.text import PlainNotifications
from roleplay.ui.theme import CONTRAST_CYCLE, DEFAULT_THEME, THEMES


@dataclass
class AppOptions:
    scenario: Path | None = None  # open the set-up screen for this scenario
    rehearse: bool = False
    participants: str = ""
    seed: int | None = None
    language: str | None = None
    theme: str | None = None
    out: Path | None = None  # where session folders go (default: recordings_root())
    resume: Path | None = None  # a session folder to resume at start
    clock: Any = None  # a roleplay.core.clock.Clock; FakeClock in tests
    poll_interval: float = 0.25
    watch_interval: float = 1.0
    look_seconds: float = 10.0
    camera: str = "0"  # recording source: camera index, `synthetic[:WxH@FPS]` or a video file
    audio: str = "default"  # default | none | synthetic
    country: str | None = None  # support resources (else the remembered choice, $ROLEPLAY_COUNTRY, GB)
    sound: bool = True  # replay plays sound
    recording_poll: float = 0.5
    projected: bool | None = None  # this screen is shown to the group (None: as chosen last time, else yes)
    private_seconds: float = 60.0  # the private layer hides itself after this long without a key


def _valid_now_provider():
    from roleplay.ui.palette import ValidNowProvider  # imported when the palette first opens

    return ValidNowProvider


class RoleplayApp(PlainNotifications, RecordingControls, RoomControls, App):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = N_("Role-play trainer")
    COMMANDS = App.COMMANDS | {_valid_now_provider}  # ctrl+p: Textual's own commands and every action valid now
    BINDINGS = [
        Binding("f1", "how_it_works", N_("Help")),
        Binding("question_mark", "toggle_help", N_("Keys"), key_display="?"),
        Binding("f2", "toggle_contrast", N_("Contrast")),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
        Binding("ctrl+l", "library", N_("Library"), show=False),
    ]

    def __init__(self, options: AppOptions | None = None) -> None:
        super().__init__()
        self.options = options or AppOptions()
        self.session = None  # the live roleplay.core.engine.Session
        self.live = False
        self.crashed = False
        self.bells = 0  # for tests: how often the app rang
        self.announcements: list[str] = []
        self._rehearse_mtime: float | None = None
        self._rehearse_dir: Path | None = None
        self.country: str | None = self.options.country  # for the live session's support resources
        self.recording = None  # roleplay.video.session_recording.SessionRecording while recording
        self.recording_view = None  # widgets.recording.RecordingView, what the indicators show
        self._recording_timer = None
        self._take: tuple[float, float] | None = None  # (monotonic start, seconds before) of the take
        self._deletion_offered = False
        self._passphrases: dict[Path, str] = {}  # recordings encrypted in this run (kept in memory only)
        self._hand_out_due = False  # roles were just dealt: the next _sync shows the roles screen
        self._projected: bool | None = self.options.projected
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self.options.theme or DEFAULT_THEME

    # ----- places ---------------------------------------------------------------

    @property
    def root(self) -> Path:
        if self.options.out:
            return Path(self.options.out)
        if self.options.rehearse:
            if self._rehearse_dir is None:
                self._rehearse_dir = Path(tempfile.mkdtemp(prefix="roleplay-rehearse-"))
            return self._rehearse_dir
        from roleplay.core.settings import recordings_root

        return recordings_root()

    @property
    def projected(self) -> bool:
        """Whether this screen is the room's screen (a projector or a shared screen).

        Then the trainer's private layer (script, notes, events, briefs, answers) opens only
        behind the cover. Asked at set-up; a resumed session uses the last answer.
        """
        # Until the remembered answer is read (a worker at start-up), the safe side: shown to the group.
        return True if self._projected is None else self._projected

    @projected.setter
    def projected(self, value: bool) -> None:
        self._projected = bool(value)

    @property
    def clock(self):
        if self.options.clock is None:
            from roleplay.core.clock import Clock

            self.options.clock = Clock()
        return self.options.clock

    # ----- start-up -----------------------------------------------------------------

    # ----- the app's own words -------------------------------------------------------

    def use_language(self, code: str | None) -> None:
        """Show the app's own texts in `code` (None: the default) from now on (roleplay/ui/i18n.py).

        A session's screens follow its language: the app switches when a session starts or is
        resumed, the set-up screen when its language is chosen, the library back to the default.
        Screens drawn already keep their words until they are drawn again; the footer and the key
        panel follow at once.
        """
        from roleplay.ui.i18n import language, set_language

        before = language()
        if set_language(code) != before:
            for screen in self.screen_stack:
                screen.refresh_bindings()

    def action_show_help_panel(self) -> None:
        """`?`: Textual's panel of every key that works now, in the current language."""
        from textual.widgets import HelpPanel

        from roleplay.ui.widgets.keys_panel import KeysHelpPanel

        if not self.screen.query(HelpPanel):
            self.screen.mount(KeysHelpPanel())

    def on_mount(self) -> None:
        o = self.options
        self.use_language(None)  # the library and everything before a session: the default language
        if o.rehearse and o.scenario:
            from roleplay.ui.screens.rehearse import RehearseScreen

            self.push_screen(RehearseScreen(o.scenario))
            self.reload_rehearsal(force=True)
            self.set_interval(o.watch_interval, self.reload_rehearsal)
        else:
            self.push_screen(LibraryScreen(wait_until_seen=bool(o.scenario and not o.resume)))
            if o.scenario and not o.resume:
                self.run_worker(lambda: self._load_for_setup(o.scenario), thread=True, group="load")
        if o.resume:
            self.open_session(Path(o.resume), resume=True)
        elif not o.scenario and not o.rehearse:
            self.run_worker(self._find_cut_off, thread=True, group="cut-off")
        if self._projected is None:
            self.run_worker(self._read_projected, thread=True, group="settings")
        self.set_interval(o.poll_interval, self._poll)
        self.call_after_refresh(gc.freeze)

    def _read_projected(self) -> None:
        from roleplay.ui.settings import saved_projected

        saved = saved_projected()  # the settings file: read off the UI thread
        self.call_from_thread(self._remembered_projected, saved)

    def _remembered_projected(self, saved: bool) -> None:
        if self._projected is None:  # a choice made meanwhile (set-up) wins
            self._projected = saved
            self.post_message(SyncRequested())

    def _find_cut_off(self) -> None:
        """A session cut off by a crash or a closed lid is offered for resuming, not left to be found."""
        from roleplay.core.sessions import list_sessions

        try:
            cut_off = [info for info in list_sessions(self.root) if info.resumable]
        except OSError:
            return
        if cut_off:
            self.call_from_thread(self._offer_resume, cut_off[0])

    def _offer_resume(self, info) -> None:
        from roleplay.ui.services import started_text

        if self.session is not None or not isinstance(self.screen, LibraryScreen):
            return  # the trainer has moved on already

        def answered(ok: bool | None) -> None:
            if ok:
                self.open_session(info.folder, resume=True)

        self.push_screen(
            ConfirmScreen(
                _(
                    "A session was cut off before it ended:\n\n{title}, started {started}, "
                    "in '{phase}'.\n\nResume it now? (Past sessions, ctrl+o, has it later too.)"
                ).format(title=info.title or info.scenario, started=started_text(info), phase=info.last_phase),
                yes=_("Resume"),
                no=_("Not now"),
                title=_("Resume a session?"),
            ),
            answered,
        )

    def _load_for_setup(self, path: Path) -> None:
        from roleplay.core.loader import load_scenario

        result = load_scenario(path)
        if result.ok:
            self.call_from_thread(self.post_message, ScenarioChosen(Path(path), result.scenario))
        else:
            first = "; ".join(str(p) for p in result.problems[:3])
            self.call_from_thread(self.notify, _("{path} is not a valid scenario: {problems}").format(path=path, problems=first), severity="error", timeout=20)
            self.call_from_thread(self._library_after_all)

    def _library_after_all(self) -> None:
        """The scenario asked for could not be set up: the library is what the trainer sees instead."""
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.show_everything()

    # ----- rehearsal: reload on save ---------------------------------------------------

    def reload_rehearsal(self, force: bool = False) -> None:
        self.run_worker(lambda: self._check_file(force), thread=True, exclusive=True, group="rehearse")

    def _check_file(self, force: bool) -> None:
        from datetime import datetime

        from roleplay.core.loader import load_scenario

        path = Path(self.options.scenario)
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = -1.0
        if not force and mtime == self._rehearse_mtime:
            return
        first = self._rehearse_mtime is None
        self._rehearse_mtime = mtime
        result = load_scenario(path)
        when = datetime.fromtimestamp(self.clock.wall()).strftime("%H:%M:%S")
        self.call_from_thread(self._rehearsal_loaded, result, when, not first and not force)

    def _rehearsal_loaded(self, result, when: str, changed: bool) -> None:
        from roleplay.ui.screens.rehearse import RehearseScreen

        for screen in self.screen_stack:
            if isinstance(screen, RehearseScreen):
                screen.show_result(result, when)
        if changed and not isinstance(self.screen, RehearseScreen):
            if result.ok:
                self.notify(_("The scenario file was saved and reloaded. ctrl+l goes back to restart the walk-through."), timeout=8)
            else:
                errors = "\n".join(str(p) for p in result.problems if p.severity == "error")
                self.notify(_("The saved file has errors:\n{errors}").format(errors=errors), severity="error", timeout=20, markup=False)

    # ----- messages from screens -----------------------------------------------------------

    def on_scenario_chosen(self, message: ScenarioChosen) -> None:
        from roleplay.ui.screens.setup import SetupScreen

        o = self.options
        participants = o.participants
        if o.rehearse and not participants:
            participants = str(message.scenario.group_size.min)
        language = o.language if o.language in message.scenario.languages else None
        self.push_screen(
            SetupScreen(
                message.scenario,
                message.path,
                participants=participants,
                language=language,
                seed=o.seed,
                camera=o.camera,
                audio=o.audio,
                country=o.country,
            )
        )
        self.run_worker(self._offer_pre_session, thread=True, group="pre-session")

    def _offer_pre_session(self) -> None:
        """Before the first session of the day, the trainer's checklist over the set-up (read in a worker: a disk)."""
        import datetime

        from roleplay.ui.settings import pre_session_due

        today = datetime.date.today().isoformat()
        if pre_session_due(today):
            self.call_from_thread(self._show_pre_session, today)

    def _show_pre_session(self, today: str) -> None:
        from roleplay.ui.screens.pre_session import PreSessionScreen

        def answered(result: tuple[bool, bool] | None) -> None:
            ready, daily = result or (False, True)
            if ready or not daily:
                self.run_worker(lambda: self._remember_pre_session("off" if not daily else today), thread=True, group="pre-session")

        self.push_screen(PreSessionScreen(), answered)

    def _remember_pre_session(self, value: str) -> None:
        from roleplay.ui.settings import PRE_SESSION, save_setting

        try:
            save_setting(PRE_SESSION, value)
        except OSError as exc:
            self.call_from_thread(self.notify, _("Could not save the setting: {error}").format(error=exc), severity="warning", markup=False)

    def on_start_requested(self, message: StartRequested) -> None:
        self.run_worker(lambda: self._start(message), thread=True, exclusive=True, group="start")

    def _start(self, message: StartRequested) -> None:
        from roleplay.core.engine import CommandError, Session
        from roleplay.core.log import LogError
        from roleplay.core.sealing import SealingError

        o = message.options
        try:
            session = Session.start(
                message.scenario,
                o.participants,
                root=self.root,
                seed=o.seed,
                language=o.language,
                clock=self.clock,
                scenario_path=str(message.path),
                recording=o.recording,
                passphrase=o.passphrase,
                roles=getattr(o, "roles", None),  # chosen at set-up; the deal keeps them
                outside_frame=list(getattr(o, "outside_frame", [])),  # declined at set-up: logged before the deal
                course=o.course,
            )
            if o.passphrase and session.folder is not None:
                self._passphrases[Path(session.folder)] = o.passphrase
            for name, given in o.consents.items():
                if name not in session.outside_frame:
                    session.consent(name, given)
        except (CommandError, LogError, SealingError, OSError) as exc:
            self.call_from_thread(self.notify, _("Could not start: {error}").format(error=exc), severity="error", timeout=15, markup=False)
            return
        if o.country:
            from roleplay.ui.settings import save_setting

            try:
                save_setting("country", o.country)
            except OSError:
                pass  # only a convenience for next time
        self.call_from_thread(self._started, session, o)

    def _started(self, session, options=None) -> None:
        from roleplay.ui.screens.assignment import AssignmentScreen, hand_out_wanted
        from roleplay.ui.screens.setup import SetupScreen

        self._adopt(session)
        self.use_language(session.language)
        if options is not None:
            self.country = options.country or self.country
            self.projected = getattr(options, "projected", True)
            from roleplay.core.consent import everyone_answered

            if options.recording and everyone_answered(session):  # or observes from outside the frame
                self._begin_recording(session, options.camera, options.audio, options.passphrase)
            room = getattr(options, "room", None)  # "Open a room for phones" at set-up: its address, or None
            if room:
                self.open_room(session, room)
            self.remember_room_choice(room)
        if isinstance(self.screen, SetupScreen):
            self.pop_screen()
        if hand_out_wanted(session):  # dealt at the start (the scenario has no dealing phase)
            self._show(AssignmentScreen(session))
        else:
            self._sync()  # roles are dealt later, on entering the dealing phase (see _sync)

    def _adopt(self, session) -> None:
        if self.session is not None and self.session is not session:
            self.close_room()
            self._close_recording(then=self.session.close)
        self.session = session
        self.live = not session.ended
        session.listeners.append(self._on_log_event)
        # What is loaded by now (Textual, the scenario, the session) lives as long as the session: keep the
        # garbage collector from walking it again and again, which showed as 50-200 ms pauses on key presses.
        gc.freeze()

    def on_assignment_done(self, message: AssignmentDone) -> None:
        from roleplay.ui.screens.assignment import AssignmentScreen

        if isinstance(self.screen, AssignmentScreen) and getattr(self.screen, "from_live", False):
            self.pop_screen()
        self._sync(replace=True)

    def on_sync_requested(self, message: SyncRequested) -> None:
        self._sync()

    def on_execute(self, message: Execute) -> None:
        self._carry_out(message.command)

    def on_command_line(self, message: CommandLine) -> None:
        from roleplay.core.command_line import available, parse
        from roleplay.core.engine import CommandError

        if self.session is None:
            return
        if message.line.strip() == "help":
            self.notify(_("Valid now: {commands}").format(commands=", ".join(available(self.session))), timeout=10)
            return
        try:
            command = parse(self.session, message.line)
        except CommandError as exc:
            self.notify(str(exc), severity="warning", timeout=8)
            return
        if command is not None:
            self._carry_out(command)

    def _carry_out(self, command) -> None:
        """Execute a typed command on the session; every error becomes a message, never a crash."""
        from roleplay.core import commands as c
        from roleplay.core.engine import CommandError, GuardWarning
        from roleplay.core.log import LogError

        s = self.session
        if s is None:
            return
        try:
            s.execute(command)
        except GuardWarning as warning:
            trigger = warning.trigger
            self.push_screen(
                ConfirmScreen(f"{warning.message}\n\n" + _("Go on anyway?"), yes=_("Go on"), no=_("Stay"), title=_("Not everything is done")),
                lambda ok: ok and self.post_message(Execute(c.Go(trigger=trigger, force=True))),
            )
        except CommandError as exc:
            self.notify(str(exc), severity="warning", timeout=8)
        except LogError as exc:
            self.notify(_("The session log could not be written: {error}").format(error=exc), severity="error", timeout=30)
        else:
            if isinstance(command, c.Inject):
                self._event_briefs(command.event)
        self._sync()

    def _event_briefs(self, event_id: str) -> None:
        from roleplay.ui.phase_info import event_briefs
        from roleplay.ui.screens.reveal import RevealScreen

        briefs = event_briefs(self.session, event_id)
        if briefs:
            steps = [(name, "holder", [item]) for name, item in briefs]
            self.push_screen(RevealScreen(steps, look_seconds=self.options.look_seconds))

    def on_export_report(self, message: ExportReport) -> None:
        session = self.session
        if session is None:
            return

        def export() -> None:
            from roleplay.ui.services import export_report

            try:
                path = export_report(session, message.fmt, message.folder)
            except Exception as exc:  # noqa: BLE001 - tell the trainer, keep the app
                self.call_from_thread(self.notify, _("Could not save the report: {error}").format(error=exc), severity="error", markup=False)
                return
            self.call_from_thread(self.notify, _("Report saved: {path}").format(path=path), timeout=10, markup=False)

        self.run_worker(export, thread=True, group="export")

    def on_open_session(self, message: OpenSession) -> None:
        self.open_session(message.folder, message.resume)

    def open_session(self, folder: Path, resume: bool) -> None:
        """Rebuild a past session from its log (its report, or resumed); an encrypted one asks for its passphrase."""
        from roleplay.core.folder import SessionFolder

        folder = Path(folder)

        def replay(passphrase: str | None) -> None:
            from roleplay.core.engine import CommandError, Session
            from roleplay.core.log import LogError
            from roleplay.core.sealing import SealingError, opener_if_sealed

            try:
                opener = opener_if_sealed(SessionFolder(folder), passphrase)  # scrypt: about a second
                if resume:
                    session = Session.reopen(folder, clock=self.clock, opener=opener)
                else:
                    session = Session.replay(folder, clock=self.clock, opener=opener)
            except (CommandError, LogError, SealingError, OSError, ValueError) as exc:
                self.call_from_thread(self.notify, _("Cannot open {folder}: {error}").format(folder=folder, error=exc), severity="error", timeout=15)
                return
            if passphrase:
                self._passphrases[folder] = passphrase
            self.call_from_thread(self._reopened, session, resume, folder)

        def start(passphrase: str | None) -> None:
            self.run_worker(lambda: replay(passphrase), thread=True, exclusive=True, group="open")

        if not SessionFolder(folder).sealed or folder in self._passphrases:
            start(self._passphrases.get(folder))
            return
        from roleplay.ui.screens.prompt import PromptScreen

        self.push_screen(
            PromptScreen(_("Passphrase"), hint=_("The session {name} is encrypted.").format(name=folder.name), password=True),
            lambda passphrase: passphrase and start(passphrase),
        )

    def _reopened(self, session, resume: bool, folder: Path) -> None:
        from roleplay.ui.screens.summary import SummaryScreen

        self.use_language(session.language)  # a resumed session, or a past one's summary, in its language
        if resume and not session.ended:
            self._adopt(session)
            self.notify(
                _("Resumed in '{phase}'. Everything logged before is back.").format(phase=session.text(session.current.title)),
                timeout=8,
                markup=False,
            )
            self._sync(replace=True)
            self._resume_recording(session, Path(folder))
        else:
            if self.session is not None and self.live:
                self.close_room()
                self.session.close()
            self.session = session
            self.live = False
            self._show(SummaryScreen(session, folder=Path(folder)))

    # ----- keeping the screens in step with the session ---------------------------------

    def _on_log_event(self, event) -> None:
        if event.type == "timer_expired":
            phase = self.session.current if self.session else None
            title = self.session.text(phase.title) if phase else ""
            self.ring(_("Time is up: {phase}").format(phase=title))
        elif event.type == "roles_swapped":
            self.notify(_("Roles were swapped: b hands out the briefs again if players need them."), timeout=8)
        elif event.type == "roles_dealt":
            self._hand_out_due = True  # _sync shows the roles screen (unless it is showing already)
        elif event.type == "role_assigned" and self.session is not None:
            self.notify(self.session.assignment_text(event.body) + ".", timeout=10)

    def ring(self, text: str) -> None:
        self.bells += 1
        self.announcements.append(text)
        self.bell()
        self.notify(text, title="⏰ " + _("Timer"), severity="warning", timeout=15, markup=False)

    def _poll(self) -> None:
        s = self.session
        if s is None or not self.live or s.ended:
            return
        from roleplay.core.log import LogError  # after the check: at start-up a worker may hold the import lock

        try:
            moved = s.poll()
        except LogError as exc:
            self.notify(_("The session log could not be written: {error}").format(error=exc), severity="error", markup=False)
            return
        if moved:
            self._sync()
        from roleplay.ui.screens.phase import PhaseScreen

        for screen in self.screen_stack:
            if isinstance(screen, PhaseScreen):
                screen.refresh_timer()

    def _base_on_top(self) -> bool:
        from roleplay.ui.screens.rehearse import RehearseScreen

        return isinstance(self.screen, (LibraryScreen, RehearseScreen)) or len(self.screen_stack) <= 1

    def _show(self, screen: Screen) -> None:
        """Show a session screen: above the library (or rehearse) screen, replacing another session screen."""
        if self._base_on_top():
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def _sync(self, replace: bool = False) -> None:
        """Show the screen the session's state calls for, or refresh the one showing."""
        s = self.session
        if s is None or not self.live:
            return
        # Imported here, after the check: at start-up (no session) they would cost the first frame.
        from roleplay.ui.phase_info import screen_kind
        from roleplay.ui.screens.assignment import AssignmentScreen, hand_out_wanted
        from roleplay.ui.screens.debrief import DebriefScreen
        from roleplay.ui.screens.live import LiveScreen
        from roleplay.ui.screens.phase import PhaseScreen
        from roleplay.ui.screens.quality import QualityScreen
        from roleplay.ui.screens.summary import SummaryScreen

        top = self.screen
        if isinstance(top, ModalScreen):
            refresh = getattr(top, "refresh_session", None)
            if refresh is not None and not s.ended:
                refresh()  # the private layer follows the session while it is open
            return  # the screen below is brought up to date when the dialog closes
        hand_out, self._hand_out_due = self._hand_out_due, False
        if isinstance(top, AssignmentScreen) and not replace:
            top.refresh_session()
            return
        if hand_out and not s.ended and hand_out_wanted(s):  # the session entered its dealing phase
            self._show(AssignmentScreen(s))
            return
        if s.ended:
            self.live = False
            self._close_recording()
            if not isinstance(top, SummaryScreen):
                self._show(SummaryScreen(s))
            return
        cls = {"live": LiveScreen, "debrief": DebriefScreen, "quality": QualityScreen}[screen_kind(s.current)]
        if type(top) is cls and isinstance(top, PhaseScreen) and top.visit == len(s.history):
            top.refresh_session()
            return
        screen = cls(s)
        screen.visit = len(s.history)
        screen.country = self.country
        self._show(screen)

    # ----- app-wide actions --------------------------------------------------------------

    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_how_it_works(self) -> None:
        from roleplay.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_contrast(self) -> None:
        names = list(CONTRAST_CYCLE)
        self.theme = names[(names.index(self.theme) + 1) % len(names)] if self.theme in names else names[1]
        self.notify(_("Theme: {name}").format(name=self.theme))

    def action_trainer_view(self) -> None:
        from roleplay.ui.screens.cover import CoverScreen
        from roleplay.ui.screens.trainer_view import TrainerViewScreen

        session = self.session
        if session is None:
            return
        if not self.projected:
            self.push_screen(TrainerViewScreen(session))
            return
        self.push_screen(CoverScreen(), lambda ok: ok and self.push_screen(TrainerViewScreen(session)))

    def action_hand_out_briefs(self) -> None:
        from roleplay.ui.screens.assignment import AssignmentScreen

        if self.session is None:
            return
        screen = AssignmentScreen(self.session)
        screen.from_live = True
        self.push_screen(screen)

    def action_library(self) -> None:
        from roleplay.ui.screens.rehearse import RehearseScreen

        def go() -> None:
            if self.session is not None:
                self.close_room()  # the server stops in a thread
                self._close_recording(then=self.session.close)  # the recorder logs its stop first
            self.session = None
            self.live = False
            while len(self.screen_stack) > 2 and not isinstance(self.screen, (LibraryScreen, RehearseScreen)):
                self.pop_screen()

        if self.live and self.session is not None and not self.session.ended:
            self.push_screen(
                ConfirmScreen(_("Leave this session? It is saved and can be resumed from Past sessions (ctrl+o).")),
                lambda ok: ok and go(),
            )
        else:
            go()

    def action_sessions(self) -> None:
        from roleplay.ui.screens.sessions import SessionsScreen

        self.push_screen(SessionsScreen(self.root))

    async def action_quit(self) -> None:
        if self.live and self.session is not None and not self.session.ended:

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self._quit_after_recording()

            self.push_screen(
                ConfirmScreen(_("Quit? The session is saved and can be resumed later from Past sessions."), yes=_("Quit"), no=_("Stay")),
                confirmed,
            )
        else:
            self._quit_after_recording()

    def _quit_after_recording(self) -> None:
        if self.recording is None:
            self.exit()
            return
        self.notify(_("Finishing the recording (a few seconds)…"), timeout=10)
        self._close_recording(then=self.exit)

    # ----- never lose the log --------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        self.crashed = True
        try:
            if self.session is not None:
                self.session.close()  # every event is already fsync'd; this only releases the file
        except Exception:  # noqa: BLE001
            pass
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        self.close_room()  # the room's server stops in a thread of its own: the app does not wait for it
        recording, self.recording = self.recording, None
        if recording is not None:
            recording.close()  # the last resort (the app is going): waits up to 10 s for the last segment
        if self.session is not None:
            self.session.close()

    @property
    def session_folder(self) -> Path | None:
        return self.session.folder if self.session is not None else None


def make_app(
    scenario: str | Path | None = None,
    *,
    rehearse: bool = False,
    participants: str | list[str] = "",
    seed: int | None = None,
    language: str | None = None,
    theme: str | None = None,
    out: str | Path | None = None,
    resume: str | Path | None = None,
    clock: Any = None,
    **extra: Any,
) -> RoleplayApp:
    """The app as the CLI and the tests build it."""
    if isinstance(participants, list):
        participants = ", ".join(participants)
    options = AppOptions(
        scenario=Path(scenario) if scenario else None,
        rehearse=rehearse,
        participants=participants or "",
        seed=seed,
        language=language,
        theme=theme,
        out=Path(out) if out else None,
        resume=Path(resume) if resume else None,
        clock=clock,
        **extra,
    )
    return RoleplayApp(options)

"""The trainer's app records: building the recorder, the indicator, the switch, consent withdrawal.

A mixin of `RoleplayApp`, kept in its own module so the app holds the flow of
a session and this holds everything about video. Blocking work (opening the
camera, closing the recorder, loading a replay) runs in workers; the UI thread
only reads the recorder's status twice a second.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual.screen import ModalScreen

from roleplay.ui.i18n import _
from roleplay.ui.screens.confirm import ConfirmScreen


class RecordingControls:
    """Video recording for a live session. Expects the App's methods and the attributes set in RoleplayApp.__init__."""

    recording: Any
    recording_view: Any
    _passphrases: dict[Path, str]

    def _resume_recording(self, session, folder: Path) -> None:
        """A session that was being recorded records again after a resume (consent is in the log)."""
        from roleplay.core.consent import everyone_answered

        started = session.started
        if started is None or not started.recording or not everyone_answered(session):
            return
        from roleplay.core.folder import SessionFolder

        paths = SessionFolder(folder)
        if not paths.video_key.is_file() and not paths.sealed:
            self._begin_recording(session, self.options.camera, self.options.audio, None)
            return
        if folder in self._passphrases:  # given to open the sealed log: the same one encrypts the video
            self._begin_recording(session, self.options.camera, self.options.audio, self._passphrases[folder])
            return
        from roleplay.ui.screens.prompt import PromptScreen

        def with_passphrase(passphrase: str | None) -> None:
            if passphrase and self.session is session:
                self._begin_recording(session, self.options.camera, self.options.audio, passphrase)
            elif self.session is session:
                self.notify(_("Recording stays off: its encryption passphrase was not given."), timeout=10)

        self.push_screen(
            PromptScreen(_("Passphrase"), hint=_("This session's recording is encrypted: the passphrase lets it go on recording."), password=True),
            with_passphrase,
        )

    def _begin_recording(self, session, source: str, audio: str, passphrase: str | None) -> None:
        """Build the session's recorder in a worker (importing the video stack takes a moment)."""

        def make() -> None:
            try:
                from roleplay.video.session_recording import SessionRecording

                recording = SessionRecording(session, source=source, audio=audio, passphrase=passphrase)
            except Exception as exc:  # noqa: BLE001 - a camera problem must not stop the session
                self.call_from_thread(
                    self.notify,
                    _("Recording is not possible ({error}). The session goes on without it.").format(error=f"{type(exc).__name__}: {exc}"),
                    severity="warning",
                    timeout=20,
                    markup=False,
                )
                return
            self.call_from_thread(self._recording_ready, session, recording, passphrase)

        self.run_worker(make, thread=True, group="recording")

    def _recording_ready(self, session, recording, passphrase: str | None) -> None:
        if self.session is not session or not self.live or session.ended:
            self.run_worker(recording.close, thread=True, group="recording-close")
            return
        self.recording = recording
        if passphrase and session.folder is not None:
            self._passphrases[Path(session.folder)] = passphrase
        self._take = None
        self._deletion_offered = False
        if session.current.record and session.may_record():
            recording.follow_current_phase()  # the phase was entered before the recorder was listening
        self._recording_timer = self.set_interval(self.options.recording_poll, self._poll_recording)
        self._poll_recording()
        for screen in self.screen_stack:
            screen.refresh_bindings()

    def _poll_recording(self) -> None:
        """Twice a second: what the recorder says, onto every indicator; deletion offered after a withdrawal."""
        from roleplay.ui.widgets.recording import recording_view

        recording = self.recording
        if recording is None:
            return
        state = recording.state()
        status = state.status
        now = time.monotonic()
        if status is not None and status.active and status.recording:
            if self._take is None:
                self._take = (now, status.seconds)
            started, before = self._take
            elapsed = max(status.seconds, before + now - started)
        else:
            self._take = None
            elapsed = status.seconds if status is not None else 0.0
        self.recording_view = recording_view(state, elapsed)
        self._show_recording_view()
        if status is not None and status.offer_deletion:
            if not self._deletion_offered and not isinstance(self.screen, ModalScreen):
                self._offer_deletion()
        else:
            self._deletion_offered = False

    def _show_recording_view(self) -> None:
        from roleplay.ui.screens.phase import PhaseScreen
        from roleplay.ui.widgets.recording import RecordingBadge

        view = self.recording_view
        for screen in self.screen_stack:
            if isinstance(screen, PhaseScreen):
                screen.show_recording(view)
            else:
                for badge in screen.query(RecordingBadge):
                    badge.show(view)
        top = self.screen
        if view is not None and not isinstance(top, (PhaseScreen, ModalScreen)) and not top.query(RecordingBadge):
            badge = RecordingBadge(classes="floating")
            top.mount(badge)
            badge.show(view)

    def action_toggle_recording(self) -> None:
        recording = self.recording
        if recording is None:
            self.notify(_("This session is not being recorded."), markup=False)
            return
        was_on = recording.state().status.active
        now_on = recording.toggle()
        if now_on:
            self.notify(_("Recording started."), timeout=4)
        elif was_on:
            self.notify(_("Recording stopped. ctrl+r starts it again."), timeout=6)
        else:
            self.notify(recording.state().notice or _("Recording could not start."), severity="warning", timeout=8, markup=False)
        self._poll_recording()

    def action_withdraw_consent(self) -> None:
        from roleplay.ui.screens.choice import ChoiceScreen

        recording, session = self.recording, self.session
        if recording is None or session is None:
            return
        names = [n for n in session.participants if session.consents.get(n)]

        def chosen(name: str | None) -> None:
            if name and self.recording is recording:
                recording.withdraw(name)  # logged; the recorder stops at once and keeps nothing unwritten
                self._deletion_offered = False
                self.notify(_("{name} withdrew consent: recording stopped.").format(name=name), timeout=8, markup=False)
                self._poll_recording()

        self.push_screen(
            ChoiceScreen(
                _("Who withdraws consent to being recorded?"),
                [(n, n) for n in names],
                hint=_("Recording stops at once. You can then delete what was recorded."),
            ),
            chosen,
        )

    def _offer_deletion(self) -> None:
        recording = self.recording
        self._deletion_offered = True

        def answered(ok: bool | None) -> None:
            if ok and recording is not None:
                recording.delete_recording()
                self.notify(_("The recording of this session is being deleted."), timeout=8)

        self.push_screen(
            ConfirmScreen(
                _(
                    "Consent was withdrawn and recording has stopped.\n\n"
                    "Delete everything recorded in this session so far? This cannot be undone."
                ),
                yes=_("Delete"),
                no=_("Keep"),
                title=_("Recording"),
            ),
            answered,
        )

    def _close_recording(self, then=None) -> None:
        """Stop polling and close the recorder in a worker (it waits for the last segment); then `then()`."""
        recording = self.recording
        self.recording = None
        self.recording_view = None
        if self._recording_timer is not None:
            self._recording_timer.stop()
            self._recording_timer = None
        if recording is None:
            if then is not None:
                then()
            return
        self._show_recording_view()

        def close() -> None:
            try:
                recording.close()
            finally:
                try:
                    self.call_from_thread(self._recording_closed, then)
                except RuntimeError:  # the app is gone already
                    if then is not None:
                        then()

        self.run_worker(close, thread=True, group="recording-close")

    def _recording_closed(self, then) -> None:
        from roleplay.ui.screens.summary import SummaryScreen

        if then is not None:
            then()
        for screen in self.screen_stack:
            if isinstance(screen, SummaryScreen):
                screen.check_video()

    def watch_recording(self, folder: Path) -> None:
        """The replay screen for a session's recording, asking for the passphrase first if it is encrypted."""
        from roleplay.ui.screens.prompt import PromptScreen
        from roleplay.ui.services import recording_encrypted

        folder = Path(folder)

        def open_with(passphrase: str | None) -> None:
            def load() -> None:
                from roleplay.ui.screens.replay import ReplayScreen  # the video stack: import off the UI thread

                self.call_from_thread(self.push_screen, ReplayScreen(folder, passphrase, sound=self.options.sound))

            self.run_worker(load, thread=True, group="replay")

        if not recording_encrypted(folder):
            open_with(None)
        elif folder in self._passphrases:
            open_with(self._passphrases[folder])
        else:
            self.push_screen(
                PromptScreen(_("Passphrase"), hint=_("The recording of {name} is encrypted.").format(name=folder.name), password=True),
                lambda passphrase: passphrase and open_with(passphrase),
            )


"""Recording driven by a live session: phases that ask for it, a manual toggle, consent.

The app creates one `SessionRecording` per session. It listens to the
session's events: entering a phase with `record: true` starts the recorder
(only if every participant's consent is in the log, or they observe from
outside the frame and are not in it: roleplay/core/consent.py), leaving it
stops it, and a withdrawn consent stops it at once. Nothing here blocks the caller: the
recorder's own threads open the camera and write; stopping is not waited for.

Work that outlives the call (stopping after a withdrawn consent, deleting the
recording) runs on threads that `close()` waits for: whoever quits cannot cut
a deletion short, and `recording_deleted` is in the log before the app lets
go of the session. `delete_recording()` returns a Future that is done once
the files are gone and the event is logged.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Callable

from roleplay.core.consent import recording_problems
from roleplay.core.engine import Session
from roleplay.core.events import Consent, PhaseEntered, SessionEnded
from roleplay.core.i18n import _
from roleplay.core.log import LogEvent
from roleplay.video.consent import ConsentMissing
from roleplay.video.recorder import Recorder, RecorderStatus


@dataclass(frozen=True)
class RecordingState:
    enabled: bool  # the trainer chose to record this session
    indicator: str  # what the always-visible indicator says ("" when not recording)
    notice: str | None  # a message for the trainer (waiting for consent, no microphone, camera lost...)
    status: RecorderStatus | None


class SessionRecording:
    def __init__(
        self,
        session: Session,
        source: str = "0",
        audio: str = "default",
        passphrase: str | None = None,
        recorder_factory: Callable[..., Recorder] = Recorder,
    ):
        if session.folder is None or session.log is None:
            raise ValueError(_("recording needs a session with a folder and a log"))
        self.session = session
        self.enabled = True
        self.notice: str | None = None
        self.recorder = recorder_factory(session.folder, session.log, source, audio=audio, passphrase=passphrase,
                                         clock=session.clock, session_events=lambda: list(session.events))
        self._tasks: list[threading.Thread] = []
        self._tasks_lock = threading.Lock()
        session.listeners.append(self._on_event)

    # -- what the UI calls -----------------------------------------------

    def state(self) -> RecordingState:
        status = self.recorder.status()
        indicator = ""
        if status.active:
            indicator = "● " + (_("REC") if status.recording else _("REC (waiting for camera)"))
        notice = status.error or status.notice or self.notice
        return RecordingState(self.enabled, indicator, notice, status)

    def toggle(self) -> bool:
        """The trainer's manual switch; returns whether recording is now on."""
        if self.recorder.status().active:
            self._stop("manual")
            return False
        return self._start("manual")

    def follow_current_phase(self) -> None:
        """Start now if the current phase records (it was entered before this recording existed)."""
        if self.enabled and self.session.current.record and not self.recorder.status().active:
            self._start("phase")

    def withdraw(self, participant: str) -> None:
        """Log a withdrawn consent; recording stops at once (the event listener does it)."""
        self.session.consent(participant, False)

    def delete_recording(self) -> "Future[tuple[int, int]]":
        """Delete what was recorded, off the caller's thread. The Future's result is (files, bytes),
        set once the files are gone and `recording_deleted` is logged; `close()` waits for it too."""
        return self._in_background(self.recorder.delete_recording, "video-delete")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for work started in the background (withdrawal, deletion); True if all of it ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._tasks_lock:
                running = [t for t in self._tasks if t.is_alive()]
                self._tasks = running
            if not running:
                return True
            for thread in running:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                thread.join(remaining)
                if thread.is_alive():
                    return False

    def close(self, timeout: float = 120.0) -> bool:
        """Stop recording and wait for the last segment and for any withdrawal or deletion still
        running (a deletion is never cut short); True if everything finished in time."""
        self._stop("session_closed")
        tasks_done = self.wait(timeout)
        recorder_done = self.recorder.wait(timeout=10)
        return tasks_done and recorder_done

    def _in_background(self, target: Callable[..., Any], name: str, *args: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            future.set_running_or_notify_cancel()
            try:
                future.set_result(target(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the Future
                future.set_exception(exc)

        thread = threading.Thread(target=run, name=name, daemon=True)
        with self._tasks_lock:  # started under the lock: `wait` never sees it not yet alive
            self._tasks.append(thread)
            thread.start()
        return future

    # -- reacting to the session ------------------------------------------

    def _on_event(self, event: LogEvent) -> None:
        body = event.body
        if isinstance(body, PhaseEntered):
            wants = self.session.scenario.phases[body.phase].record
            if wants and self.enabled:
                self._start("phase")
            elif not wants and self.recorder.status().active:
                self._stop("phase")
        elif isinstance(body, Consent):
            if not body.given and not body.outside_frame:
                name = body.participant
                self.notice = _("{name} withdrew consent: recording stopped").format(name=name)
                self._in_background(self.recorder.consent_withdrawn, "video-withdraw", name)
            elif self.session.current.record and self.enabled and self.session.may_record():
                self._start("phase")
        elif isinstance(body, SessionEnded):
            self._stop("session_ended")
        # Someone observing outside the frame must never be filmed: whatever moved them into it (a phase
        # where the whole group is in the frame, a mark while they play), recording stops at once.
        if self.session.outside_frame and not isinstance(body, SessionEnded) and self.recorder.status().active:
            problems = recording_problems(self.session)
            if problems:
                self.notice = _("recording stopped: {problems}").format(problems="; ".join(problems))
                self._stop("outside_frame")

    def _start(self, reason: str) -> bool:
        try:
            self.recorder.start(reason)
        except ConsentMissing:
            self.notice = _("not recording: {problems}").format(problems="; ".join(recording_problems(self.session)))
            return False
        self.notice = None
        return True

    def _stop(self, reason: str) -> None:
        self.recorder.stop(reason, wait=False)

"""Recording driven by a live session: phases that ask for it, a manual toggle, consent.

The app creates one `SessionRecording` per session. It listens to the
session's events: entering a phase with `record: true` starts the recorder
(only if every participant's consent is in the log), leaving it stops it, and
a withdrawn consent stops it at once. Nothing here blocks the caller: the
recorder's own threads open the camera and write; stopping is not waited for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from roleplay.core.engine import Session
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
            raise ValueError("recording needs a session with a folder and a log")
        self.session = session
        self.enabled = True
        self.notice: str | None = None
        self.recorder = recorder_factory(session.folder, session.log, source, audio=audio, passphrase=passphrase, clock=session.clock)
        session.listeners.append(self._on_event)

    # -- what the UI calls -----------------------------------------------

    def state(self) -> RecordingState:
        status = self.recorder.status()
        indicator = ""
        if status.active:
            indicator = "● REC" if status.recording else "● REC (waiting for camera)"
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

    def delete_recording(self) -> None:
        threading.Thread(target=self.recorder.delete_recording, name="video-delete", daemon=True).start()

    def close(self) -> None:
        self._stop("session_closed")
        self.recorder.wait(timeout=10)

    # -- reacting to the session ------------------------------------------

    def _on_event(self, event: LogEvent) -> None:
        if event.type == "phase_entered":
            wants = self.session.scenario.phases[event.data["phase"]].record
            if wants and self.enabled:
                self._start("phase")
            elif not wants and self.recorder.status().active:
                self._stop("phase")
        elif event.type == "consent":
            if not event.data.get("given"):
                name = event.data["participant"]
                self.notice = f"{name} withdrew consent: recording stopped"
                threading.Thread(target=self.recorder.consent_withdrawn, args=(name,), name="video-withdraw", daemon=True).start()
            elif self.session.current.record and self.enabled and self.session.all_consented():
                self._start("phase")
        elif event.type == "session_ended":
            self._stop("session_ended")

    def _start(self, reason: str) -> bool:
        try:
            self.recorder.start(reason)
        except ConsentMissing:
            waiting = [p for p in self.session.participants if not self.session.consents.get(p)]
            self.notice = f"not recording: no consent yet from {', '.join(waiting)}"
            return False
        self.notice = None
        return True

    def _stop(self, reason: str) -> None:
        self.recorder.stop(reason, wait=False)

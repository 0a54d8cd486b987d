"""The recording indicator: `● REC 01:23` while recording, in words and a symbol, never colour alone.

The app polls the recorder (`SessionRecording.state()`) twice a second and
hands every indicator on screen a `RecordingView`; nothing here touches the
recorder, so drawing never waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static

from roleplay.ui.i18n import _
from roleplay.ui.text import clock_text, plain, update_if_changed


@dataclass(frozen=True)
class RecordingView:
    on: bool  # the recorder is on: the indicator must show
    text: str  # "● REC 01:23", "● REC (waiting for camera) 00:00", "○ not recording"
    notice: str | None = None  # a calm line for the trainer (waiting for consent, no microphone, camera lost...)


def recording_view(state, elapsed: float) -> RecordingView:
    """From a `RecordingState` and the seconds recorded so far."""
    status = state.status
    notice = state.notice
    if status is not None and status.active:
        return RecordingView(True, f"{state.indicator or '● ' + _('REC')} {clock_text(elapsed)}", notice)
    recorded = " · " + _("{time} recorded").format(time=clock_text(elapsed)) if elapsed >= 1 else ""
    return RecordingView(False, "○ " + _("not recording") + recorded, notice)


class RecordingBadge(Static):
    """One line; hidden while the session is not being recorded at all."""

    DEFAULT_CSS = """
    RecordingBadge { width: auto; height: 1; padding: 0 1; display: none; color: $text-muted; }
    RecordingBadge.-on { color: $error; text-style: bold; }
    RecordingBadge.floating { dock: top; width: 100%; content-align: right middle; background: $panel; }
    """

    def show(self, view: RecordingView | None) -> None:
        self.display = view is not None
        if view is None:
            return
        self.set_class(view.on, "-on")
        update_if_changed(self, plain(view.text))  # shown twice a second: the text changes once a second at most


class RecordingNotice(Static):
    """What the recorder has to say, said calmly: one line under the header, gone when there is nothing."""

    DEFAULT_CSS = """
    RecordingNotice { height: auto; padding: 0 1; display: none; color: $warning; }
    """

    def show(self, view: RecordingView | None) -> None:
        notice = view.notice if view is not None else None
        self.display = bool(notice)
        if notice:
            update_if_changed(self, plain("ℹ " + _("Recording: {notice}").format(notice=notice)))

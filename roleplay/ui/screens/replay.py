"""Watching a recorded session: the picture, a timeline of its marks, and reflections.

The screen takes a session folder (and the passphrase if it is encrypted);
opening it (reading the index, unlocking the key) runs on a thread worker.
Playback state lives in `Playback`; the picture is decoded on the video
view's own worker; this screen only reacts to keys and redraws the timeline a
few times a second.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.text import plain
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.video.player import Playback, Player
from roleplay.video.timeline import Mark, add_reflection, format_time

SEEK_SECONDS = 5.0
KIND_GLYPHS = {"phase": "◆", "marker": "▼", "note": "✎", "event": "⚡", "pause": "‖", "resume": "▶",
               "reflection": "●", "take": "┃", "technique": "✦"}


def timeline_bar(width: int, position: float, duration: float, marks: list[Mark]) -> Text:
    """One line: marks as glyphs at their places, the played part highlighted, a cursor at `position`."""
    width = max(10, width)
    cells = ["─"] * width
    styles = [""] * width

    def place(at: float) -> int:
        return min(width - 1, int(at / duration * width)) if duration > 0 else 0

    for mark in marks:
        cells[place(mark.at)] = KIND_GLYPHS.get(mark.kind, "•")
    cursor = place(position)
    text = Text()
    for i, cell in enumerate(cells):
        style = "bold reverse" if i == cursor else ("bold" if i < cursor else "dim")
        text.append(cell, style=styles[i] or style)
    return text


class ReplayScreen(Screen):
    AUTO_FOCUS = ""  # keys go to the screen; the reflection input takes focus only when opened
    BINDINGS = [
        Binding("space", "toggle_play", N_("Play/pause")),
        Binding("left", "seek(-5)", N_("−5 s")),
        Binding("right", "seek(5)", N_("+5 s")),
        Binding("left_square_bracket", "mark(-1)", N_("Prev mark"), key_display="["),
        Binding("right_square_bracket", "mark(1)", N_("Next mark"), key_display="]"),
        Binding("1", "speed(0.5)", N_("0.5x"), show=False),
        Binding("2", "speed(1)", N_("1x"), show=False),
        Binding("3", "speed(2)", N_("2x"), show=False),
        Binding("minus", "faster(-1)", N_("Slower"), key_display="-"),
        Binding("plus,equals_sign", "faster(1)", N_("Faster"), key_display="+"),
        Binding("m", "mute", N_("Mute")),
        Binding("r", "reflect", N_("Reflection")),
        Binding("escape", "cancel", N_("Cancel"), show=False),
        Binding("q", "leave", N_("Quit")),
    ]
    DEFAULT_CSS = """
    ReplayScreen #replay-title { height: 1; padding: 0 1; text-style: bold; }
    ReplayScreen #replay-bar { height: 1; padding: 0 1; }
    ReplayScreen #replay-marks { height: 5; padding: 0 1; }
    ReplayScreen #replay-notice { height: auto; max-height: 3; padding: 0 1; color: $warning; }
    ReplayScreen #replay-input { display: none; }
    ReplayScreen #replay-input.-open { display: block; }
    ReplayScreen #replay-empty { width: 1fr; height: 1fr; content-align: center middle; }
    """

    def __init__(self, folder: Path | None = None, passphrase: str | None = None, *, player: Player | None = None,
                 viewer: str | None = None, sound: bool = True, refresh_every: float = 0.2) -> None:
        super().__init__()
        self.folder = Path(folder) if folder else (player.folder if player else None)
        self.passphrase = passphrase
        self.player = player
        self.viewer = (viewer or "").strip() or None
        self.sound = sound
        self.refresh_every = refresh_every
        self.playback: Playback | None = None
        self._sound_out = None
        self._asking: str | None = None  # "name" or "text" while the reflection input is open
        self._reflect_at = 0.0
        self._was_playing = False
        self.notices: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Opening the recording…"), id="replay-title")
        yield Static("", id="replay-body")
        yield Static("", id="replay-bar")
        yield Static("", id="replay-marks")
        yield Static("", id="replay-notice")
        yield Input(id="replay-input")
        yield CalmFooter()

    def on_mount(self) -> None:
        if self.player is None:
            self.run_worker(self._open, thread=True, exit_on_error=False, name="open recording")
        else:
            self._ready(self.player)

    def _open(self) -> None:
        from roleplay.video.reader import ReadError

        try:
            player = Player(self.folder, self.passphrase)
        except ReadError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._ready, player)

    def _failed(self, message: str) -> None:
        self.query_one("#replay-title", Static).update(plain(_("Cannot replay {name}").format(name=self.folder.name if self.folder else "")))
        self._notice(message)

    def _ready(self, player: Player) -> None:
        from roleplay.ui.widgets.video_view import VideoView

        self.player = player
        player.on_notice = lambda message: self.app.call_from_thread(self._notice, message)
        self.playback = Playback(player.duration)
        body = self.query_one("#replay-body", Static)
        if player.timeline.has_video:
            self.mount(VideoView(player, self.playback, id="replay-video"), before=body)
        else:
            self.mount(Static(_("This session has no video: its timeline and notes are below."), id="replay-empty"),
                       before=body)
            self.query_one("#replay-marks", Static).styles.height = "1fr"
        body.remove()
        for notice in player.notices:
            self._notice(notice)
        if self.sound and player.timeline.has_video:
            self._start_sound()
        self.set_interval(self.refresh_every, self._refresh_status)
        self._refresh_status()

    def _start_sound(self) -> None:
        from roleplay.video.sound_out import SoundFeed, SoundOutput, SoundUnavailable

        output = SoundOutput(SoundFeed(self.player, self.playback))
        try:
            output.start()
        except SoundUnavailable as exc:
            self._notice(str(exc))
            return
        self._sound_out = output

    def on_unmount(self) -> None:
        if self._sound_out is not None:
            self._sound_out.stop()
        if self.playback is not None:
            self.playback.pause()

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        self.query_one("#replay-notice", Static).update(plain("\n".join(f"⚠ {n}" for n in self.notices[-3:])))

    def _refresh_status(self) -> None:
        if self.player is None or self.playback is None:
            return
        pb, timeline = self.playback, self.player.timeline
        at = pb.position()
        state = "▶" if pb.playing else "‖"
        sound = _("muted") if pb.muted else (_("sound") if self._sound_out and pb.speed == 1 else _("no sound"))
        name = self.folder.name if self.folder else ""
        self.query_one("#replay-title", Static).update(
            plain(f"{state} {format_time(at)} / {format_time(timeline.duration)}   " + _("{speed:g}x").format(speed=pb.speed) + f"   {sound}   {name}"))
        bar = self.query_one("#replay-bar", Static)
        bar.update(timeline_bar(bar.size.width - 2, at, timeline.duration, timeline.marks))
        self.query_one("#replay-marks", Static).update(self._marks_text(at))

    def _marks_text(self, at: float) -> Text:
        marks = self.player.timeline.marks
        if not marks:
            return Text(_("No marks in this session."), style="dim")
        rows = self.query_one("#replay-marks", Static).size.height or 5
        current = max((i for i, m in enumerate(marks) if m.at <= at + 0.05), default=-1)
        first = max(0, min(current - rows // 2, len(marks) - rows))
        text = Text()
        for i, mark in enumerate(marks[first : first + rows], first):
            style = "bold reverse" if i == current else ("" if mark.on_camera else "dim")
            off = "" if mark.on_camera else " " + _("(off camera)")
            line = f"{format_time(mark.at)} {KIND_GLYPHS.get(mark.kind, '•')} {mark.label}{off}"
            text.append(line + "\n", style=style)
        text.rstrip()
        return text

    # -- keys ---------------------------------------------------------------------

    def _can_act(self) -> bool:
        return self.playback is not None and self._asking is None

    def action_toggle_play(self) -> None:
        if self._can_act():
            self.playback.toggle()
            self._refresh_status()

    def action_seek(self, seconds: float) -> None:
        if self._can_act():
            self.playback.step(seconds)
            self._refresh_status()

    def action_mark(self, direction: int) -> None:
        if not self._can_act():
            return
        timeline, at = self.player.timeline, self.playback.position()
        mark = timeline.next_mark(at) if direction > 0 else timeline.previous_mark(at)
        if mark is not None:
            self.playback.seek(mark.at)
            self._refresh_status()

    def action_speed(self, speed: float) -> None:
        if self._can_act():
            self.playback.set_speed(float(speed))
            self._refresh_status()

    def action_faster(self, steps: int) -> None:
        if self._can_act():
            self.playback.faster(steps)
            self._refresh_status()

    def action_mute(self) -> None:
        if self._can_act():
            self.playback.toggle_mute()
            self._refresh_status()

    def action_reflect(self) -> None:
        """Pause at this moment and ask for the reflection (and, the first time, the viewer's name)."""
        if not self._can_act():
            return
        self._reflect_at = self.playback.position()
        self._was_playing = self.playback.playing
        self.playback.pause()
        self._ask("name" if self.viewer is None else "text")

    def _ask(self, what: str) -> None:
        self._asking = what
        field = self.query_one("#replay-input", Input)
        field.value = ""
        field.placeholder = (_("Your name (kept with your reflections)") if what == "name" else
                             _("Your reflection at {time} — Enter saves, Esc cancels").format(time=format_time(self._reflect_at)))
        field.add_class("-open")
        field.focus()

    def action_cancel(self) -> None:
        if self._asking is not None:
            self._close_input()

    def _close_input(self) -> None:
        self._asking = None
        field = self.query_one("#replay-input", Input)
        field.remove_class("-open")
        self.set_focus(None)
        if self._was_playing:
            self.playback.play()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if self._asking == "name":
            if value:
                self.viewer = value
                self._ask("text")
            return
        if self._asking == "text":
            if not value:
                self._close_input()
                return
            try:
                add_reflection(self.player.folder, self.player.timeline, self.viewer, value, self._reflect_at)
            except Exception as exc:  # noqa: BLE001 - a full disk must not end the replay
                self._notice(_("the reflection was not saved: {error}").format(error=exc))
            else:
                self.notify(_("Reflection saved at {time}").format(time=format_time(self._reflect_at)))
            self._close_input()
            self._refresh_status()

    def action_leave(self) -> None:
        if self._asking is not None:
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

"""A recording's picture in terminal cells, drawn with half blocks.

Decoding and turning pixels into cells happen on a worker thread
(`run_playback`); the UI thread only swaps in the newest lines and repaints.
At most one "frame ready" message is in flight: a frame that arrives while
the UI is busy replaces the waiting one, so a slow terminal shows fewer
frames, never late ones.
"""

from __future__ import annotations

import threading

from rich.segment import Segment
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from roleplay.video.halfblock import segment_lines
from roleplay.video.player import Playback, PlaybackStats, Player, VideoFrame, run_playback


class VideoView(Widget):
    DEFAULT_CSS = """
    VideoView { width: 1fr; height: 1fr; background: black; }
    """

    class FrameReady(Message):
        """The worker has a new frame waiting in the view."""

    def __init__(self, player: Player, playback: Playback, **kwargs) -> None:
        super().__init__(**kwargs)
        self.player = player
        self.playback = playback
        self.stats = PlaybackStats()
        self.frame: VideoFrame | None = None  # the frame on screen
        self.painted = 0  # frames put on screen (for tests and the benchmark)
        self._lines: list[list[Segment]] = []
        self._lock = threading.Lock()
        self._waiting: tuple[VideoFrame, list[list[Segment]]] | None = None
        self._posted = False
        self._stop = threading.Event()

    def on_mount(self) -> None:
        if self.player.timeline.has_video:
            self.run_worker(self._decode, thread=True, exclusive=True, group="video-decode",
                            name="video decoding")

    def on_unmount(self) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self.playback.wake()

    def _decode(self) -> None:
        run_playback(self.player, self.playback, self._offer, self._stop, self.stats)

    def _offer(self, frame: VideoFrame) -> None:
        """Worker thread: draw the frame into cells and hand it over, replacing any not yet shown."""
        size = self.size
        lines = segment_lines(frame.image, max(1, size.width), max(1, size.height))
        with self._lock:
            self._waiting = (frame, lines)
            if self._posted:
                return
            self._posted = True
        self.post_message(self.FrameReady())

    def on_video_view_frame_ready(self, message: FrameReady) -> None:
        message.stop()
        with self._lock:
            waiting, self._waiting, self._posted = self._waiting, None, False
        if waiting is None:
            return
        self.frame, self._lines = waiting
        self.painted += 1
        self.refresh()

    def on_resize(self) -> None:
        if self.frame is not None:  # redraw the still picture at the new size (one frame: cheap)
            self._lines = segment_lines(self.frame.image, max(1, self.size.width), max(1, self.size.height))
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        top = (height - len(self._lines)) // 2
        row = y - top
        if not 0 <= row < len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = Strip(self._lines[row])
        left = max(0, (width - strip.cell_length) // 2)
        blank = Segment(" " * left, self.rich_style)
        return Strip([blank, *self._lines[row]]).adjust_cell_length(width, self.rich_style)

"""Watching what the app sends to the terminal: every frame, every layout, and a model terminal to apply
the frames to, compared with a fresh render of the whole screen (tests/ui/test_library_redraw.py,
tests/ui/test_live_redraw.py; issue 14)."""

from __future__ import annotations

from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.screen import Screen
from textual.strip import Strip

from . import fast_textual


def cells(strip: Strip) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for segment in strip:
        if segment.control:
            continue
        style = segment.style.clear_meta_and_links() if segment.style else None
        for char in segment.text:
            out.append((char, style))
            out.extend([("", style)] * (Segment(char).cell_length - 1))  # a wide character takes two cells
    return out


def full_redraw(screen) -> list[list[tuple[str, object]]]:
    """The whole screen rendered afresh from every widget's state, none of their cached lines; what the
    next frames will redraw is left as it was, so this check cannot hide a region a frame should send."""
    for widget in list(screen._compositor.visible_widgets):
        pending = set(widget._repaint_regions)
        widget._layout_cache.clear()  # its last visual
        widget._set_dirty()  # its rendered lines
        widget._repaint_regions.clear()
        widget._repaint_regions.update(pending)
    return ModelTerminal(screen._compositor.render_strips()).lines


class ModelTerminal:
    """The screen as the terminal has it: each update written where ChopsUpdate/LayoutUpdate put it."""

    def __init__(self, strips: list[Strip]) -> None:
        self.lines = [cells(strip) for strip in strips]

    def write(self, y: int, x: int, strip: Strip) -> None:
        new = cells(strip)
        self.lines[y][x:x + len(new)] = new

    def apply(self, update: object) -> None:
        if isinstance(update, LayoutUpdate):
            self.lines = [cells(Strip.join(line)) for line in update.strips]
        elif isinstance(update, ChopsUpdate):  # the same walk as ChopsUpdate.render_segments
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    self.write(y, x, strip if (x2 > x >= x1 and end <= x2) else strip.crop(0, min(end, x2) - x))


class FrameWatch:
    """Counts the layouts and keeps the frames (Compositor updates) the app sends while it is installed."""

    def __init__(self, monkeypatch) -> None:
        self.sent: list[object] = []
        self.layouts = 0
        render_update = fast_textual.RENDER_UPDATE  # every frame drawn, as for a terminal
        refresh_layout = Screen._refresh_layout
        watch = self

        def recording_render_update(self, *args, **kwargs):
            update = render_update(self, *args, **kwargs)
            if update is not None:
                watch.sent.append(update)
            return update

        def counting_refresh_layout(self, *args, **kwargs):
            watch.layouts += 1
            return refresh_layout(self, *args, **kwargs)

        monkeypatch.setattr(Compositor, "render_update", recording_render_update)
        monkeypatch.setattr(Screen, "_refresh_layout", counting_refresh_layout)

    async def drawn(self, pilot, what: str = "the app") -> None:
        """Until the app has nothing more to lay out or draw: a pause that brings no frame and no layout."""
        for _ in range(20):
            before = (len(self.sent), self.layouts)
            await pilot.pause()
            if (len(self.sent), self.layouts) == before:
                return
        raise AssertionError(f"{what} kept redrawing")

    def apply_to(self, terminal: ModelTerminal) -> None:
        """Write every frame sent so far onto `terminal`, and forget them."""
        for update in self.sent:
            terminal.apply(update)
        self.sent.clear()

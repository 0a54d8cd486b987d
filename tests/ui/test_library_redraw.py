"""Moving along the library redraws only what changed, in one layout, and the terminal ends up showing
exactly what a full redraw would (issue 14: the preview skips Textual's second layout and its scrollbar's
extra frame, and the list repaints only the two options the highlight leaves and reaches).

The frames the app sends are applied to a model terminal (cells of text and style), as a terminal
emulator would, and compared with a fresh render of the whole screen after every key.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.screen import Screen
from textual.strip import Strip

from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.widgets.preview import ScenarioPreview

from .driver import settle

ROOT = Path(__file__).resolve().parents[2]
# Previews of different lengths (so the scroll extent and the scrollbar change) and one invalid file.
FILES = ["tests/data/valid/branching.yaml", "tests/data/valid/psychodrama.yaml", "tests/data/valid/self-assessment.yaml"]


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


async def test_each_highlight_change_is_one_layout_and_draws_what_a_full_redraw_shows(tmp_path, monkeypatch):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    for name in FILES:
        shutil.copy(ROOT / name, builtin / Path(name).name)
    (builtin / "zz-broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr("roleplay.core.library.builtin_dir", lambda: builtin)

    sent: list[object] = []
    layouts = [0]
    render_update = Compositor.render_update
    refresh_layout = Screen._refresh_layout

    def recording_render_update(self, *args, **kwargs):
        update = render_update(self, *args, **kwargs)
        if update is not None:
            sent.append(update)
        return update

    def counting_refresh_layout(self, *args, **kwargs):
        layouts[0] += 1
        return refresh_layout(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", recording_render_update)
    monkeypatch.setattr(Screen, "_refresh_layout", counting_refresh_layout)

    async def drawn(pilot) -> None:
        """Until the app has nothing more to lay out or draw: a pause that brings no frame and no layout."""
        for _ in range(20):
            before = (len(sent), layouts[0])
            await pilot.pause()
            if (len(sent), layouts[0]) == before:
                return
        raise AssertionError("the library kept redrawing")

    app = make_app(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and len(screen.shown) == len(FILES) + 1
        await drawn(pilot)
        terminal = ModelTerminal(screen._compositor.render_strips())
        sent.clear()
        keys = ["down"] * len(FILES) + ["up"] * len(FILES) + ["end", "home"]
        preview = screen.query_one(ScenarioPreview)
        for key in keys:
            layouts[0] = 0
            scrollbar = preview.show_vertical_scrollbar
            await pilot.press(key)
            await drawn(pilot)
            for update in sent:
                terminal.apply(update)
            # A preview that starts or stops needing a scrollbar is narrower or wider: laid out again.
            again = int(preview.show_vertical_scrollbar != scrollbar)
            assert layouts[0] == 1 + again, f"{key}: {layouts[0]} layouts"
            assert len(sent) <= 2 + again, f"{key}: {len(sent)} frames (the list, then the preview)"
            sent.clear()
            assert terminal.lines == full_redraw(screen), f"after {key}"

        # Scrolled down in a long preview, then a shorter one: drawn from its top, nothing left over.
        listing = screen.query_one("#library-list")
        names = [entry.path.name for entry in screen.shown]
        listing.highlighted = names.index("psychodrama.yaml")  # the longest preview
        await drawn(pilot)
        for update in sent:
            terminal.apply(update)
        sent.clear()
        preview.scroll_end(animate=False, immediate=True)
        await drawn(pilot)
        assert preview.scroll_y > 0
        listing.highlighted = names.index("branching.yaml")
        await drawn(pilot)
        for update in sent:
            terminal.apply(update)
        assert preview.scroll_y == 0
        assert terminal.lines == full_redraw(screen)

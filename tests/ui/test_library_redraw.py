"""Moving along the library redraws only what changed, in one layout, and the terminal ends up showing
exactly what a full redraw would (issue 14: the preview skips Textual's second layout and its scrollbar's
extra frame, and the list repaints only the two options the highlight leaves and reaches).

The frames the app sends are applied to a model terminal (cells of text and style), as a terminal
emulator would, and compared with a fresh render of the whole screen after every key.
"""

from __future__ import annotations

import shutil
from pathlib import Path


from roleplay.core.clock import FakeClock
from roleplay.ui.app import make_app
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.widgets.preview import ScenarioPreview

from .driver import settle
from .frames import FrameWatch, ModelTerminal, full_redraw

ROOT = Path(__file__).resolve().parents[2]
# Previews of different lengths (so the scroll extent and the scrollbar change) and one invalid file.
FILES = ["tests/data/valid/branching.yaml", "tests/data/valid/psychodrama.yaml", "tests/data/valid/self-assessment.yaml"]


async def test_each_highlight_change_is_one_layout_and_draws_what_a_full_redraw_shows(tmp_path, monkeypatch):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    for name in FILES:
        shutil.copy(ROOT / name, builtin / Path(name).name)
    (builtin / "zz-broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr("roleplay.core.library.builtin_dir", lambda: builtin)

    watch = FrameWatch(monkeypatch)

    app = make_app(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and len(screen.shown) == len(FILES) + 1
        await watch.drawn(pilot, "the library")
        terminal = ModelTerminal(screen._compositor.render_strips())
        watch.sent.clear()
        keys = ["down"] * len(FILES) + ["up"] * len(FILES) + ["end", "home"]
        preview = screen.query_one(ScenarioPreview)
        for key in keys:
            watch.layouts = 0
            scrollbar = preview.show_vertical_scrollbar
            await pilot.press(key)
            await watch.drawn(pilot, "the library")
            for update in watch.sent:
                terminal.apply(update)
            # A preview that starts or stops needing a scrollbar is narrower or wider: laid out again.
            again = int(preview.show_vertical_scrollbar != scrollbar)
            assert watch.layouts == 1 + again, f"{key}: {watch.layouts} layouts"
            assert len(watch.sent) <= 2 + again, f"{key}: {len(watch.sent)} frames (the list, then the preview)"
            watch.sent.clear()
            assert terminal.lines == full_redraw(screen), f"after {key}"

        # Scrolled down in a long preview, then a shorter one: drawn from its top, nothing left over.
        listing = screen.query_one("#library-list")
        names = [entry.path.name for entry in screen.shown]
        listing.highlighted = names.index("psychodrama.yaml")  # the longest preview
        await watch.drawn(pilot, "the library")
        for update in watch.sent:
            terminal.apply(update)
        watch.sent.clear()
        preview.scroll_end(animate=False, immediate=True)
        await watch.drawn(pilot, "the library")
        assert preview.scroll_y > 0
        listing.highlighted = names.index("branching.yaml")
        await watch.drawn(pilot, "the library")
        for update in watch.sent:
            terminal.apply(update)
        assert preview.scroll_y == 0
        assert terminal.lines == full_redraw(screen)

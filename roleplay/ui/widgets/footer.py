"""The key bar: Textual's footer, redrawn only when the keys it shows change.

Textual's `Footer` rebuilds every key widget whenever a screen's bindings are
refreshed (each dialog opening and closing, each session change), and each
rebuilt key restyles itself: a third of the time of a key press in a live
session. The keys shown rarely change, so compare first.

On a narrow terminal (80x24) not every key fits: the keys are kept in their order (the
phase's own tools first) and the last ones give way, but `?` (every key) and F1 (how it
works) always stay, so the rest can always be found.

Key descriptions are the English source (`N_()` in each screen's BINDINGS); this footer and
the key panel (`?`, `KeysHelpPanel` in keys_panel.py, imported only when it opens) show them
in the current language (roleplay/ui/i18n.py), and redraw when the language changes.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from roleplay.ui.i18n import LazyText, _, language

ALWAYS_SHOWN = ("toggle_help", "how_it_works")  # `?` and F1: the way to every other key
PALETTE_WIDTH = 12  # Textual's "^p palette", docked at the right


class CalmFooter(Footer):
    _shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    def compose(self):
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey):
                # Each key's compact watcher adds this class when it starts, restyling the key once
                # more (a tenth of a screen change): set it before the key is styled at all.
                widget.set_class(self.compact, "-compact", update=False)
            if isinstance(widget, FooterKey) and widget.description:
                description = widget.description  # the binding holds the English source
                widget.description = str(description) if isinstance(description, LazyText) else _(description)
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        budget = (self.size.width or self.app.size.width) - PALETTE_WIDTH

        def width(key: FooterKey) -> int:
            return len(key.key_display) + len(key.description) + 2

        while keys and sum(width(k) for k in keys) > budget:
            droppable = [k for k in keys if k.action not in ALWAYS_SHOWN]
            if not droppable:
                break
            keys.remove(droppable[-1])
        kept = set(map(id, keys))
        self.styles.grid_size_columns = len(keys)
        yield from (w for w in widgets if not isinstance(w, FooterKey) or w.has_class("-command-palette") or id(w) in kept)

    def on_resize(self) -> None:
        self.call_after_refresh(self._recompose_if_changed)

    def _keys(self) -> tuple:
        app = self.app
        return (self.size.width, language()) + tuple(
            (binding.key, binding.action, binding.description, app.get_key_display(binding), enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()


"""The key bar: Textual's footer, redrawn only when the keys it shows change.

Textual's `Footer` rebuilds every key widget whenever a screen's bindings are
refreshed (each dialog opening and closing, each session change), and each
rebuilt key restyles itself: a third of the time of a key press in a live
session. The keys shown rarely change, so compare first; when only whether keys
are enabled changed (a tool that becomes available), the keys on screen are
updated in place. Several binding changes before one refresh are looked at once.

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
    _check_pending = False

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._check_after_refresh()

    def _check_after_refresh(self) -> None:
        if not self._check_pending:
            self._check_pending = True
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
        self._check_after_refresh()

    def _keys(self) -> tuple:
        app = self.app
        return (self.size.width, language()) + tuple(
            (binding.key, binding.action, binding.description, app.get_key_display(binding), enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    async def _recompose_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        shown, self._shown = self._shown, keys
        if shown is not None and _without_state(shown) == _without_state(keys) and self._update_state(keys):
            return
        await self.recompose()

    def _update_state(self, keys: tuple) -> bool:
        """Enable, disable and re-tooltip the keys on screen as compose would make them; False if a key
        on screen is not among `keys` (then the footer is composed again)."""
        state: dict[str, tuple[bool, str | None, str]] = {}
        for _key, action, description, _display, enabled, tooltip in keys[2:]:
            state.setdefault(action, (enabled, tooltip, description))  # compose shows each action's first binding
        shown = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]  # not in `keys`
        if any(widget.action not in state for widget in shown):
            return False
        for widget in shown:
            enabled, tooltip, description = state[widget.action]
            if widget._disabled != (not enabled):
                widget._disabled = not enabled
                widget.set_class(not enabled, "-disabled")
            wanted = ((tooltip or description) if widget.has_class("-grouped") else tooltip) or None
            if widget.tooltip != wanted:
                widget.tooltip = wanted
        return True


def _without_state(keys: tuple) -> tuple:
    """What decides which keys the footer shows and how wide they are: not whether they are enabled."""
    return keys[:2] + tuple(entry[:4] for entry in keys[2:])


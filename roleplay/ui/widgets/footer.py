"""The key bar: Textual's footer, redrawn only when the keys it shows change.

Textual's `Footer` rebuilds every key widget whenever a screen's bindings are
refreshed (each dialog opening and closing, each session change), and each
rebuilt key restyles itself: a third of the time of a key press in a live
session. The keys shown rarely change, so compare first.
"""

from __future__ import annotations

from textual.widgets import Footer


class CalmFooter(Footer):
    _shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    def _keys(self) -> tuple:
        app = self.app
        return tuple(
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

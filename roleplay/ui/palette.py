"""The command palette (ctrl+p): every action valid now on the screen below, by name.

The same list the footer draws from (the screen's bindings, with `check_action` saying
what applies now), so the palette never offers what the session would refuse.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from roleplay.ui.i18n import _


class ValidNowProvider(Provider):
    def _actions(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        app = self.app
        seen: set[str] = set()
        found = []
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = app.get_key_display(binding)
            found.append((_(binding.description), key, partial(node.run_action, binding.action)))
        return found

    async def discover(self) -> Hits:
        for name, key, run in self._actions():
            yield DiscoveryHit(name, run, help=_("key: {key}").format(key=key))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, key, run in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=_("key: {key}").format(key=key))

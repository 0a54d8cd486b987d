"""The key bar (CalmFooter): a key that becomes available or not is redrawn in place, and the bar then
shows what composing it afresh would; keys that come or go compose it again."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from roleplay.ui.widgets.footer import CalmFooter

from .driver import screen_text, settle


class Tools(Screen):
    BINDINGS = [Binding("n", "next", "Next"), Binding("v", "vote", "Vote"), Binding("x", "extra", "Extra")]
    vote_state: bool | None = True  # True: enabled; None: shown dimmed; False: hidden
    extra_shown = False

    def compose(self):
        yield Static("tools")
        yield CalmFooter()

    def check_action(self, action, parameters):
        if action == "vote":
            return self.vote_state
        if action == "extra":
            return self.extra_shown
        return True

    def action_next(self) -> None: ...
    def action_vote(self) -> None: ...
    def action_extra(self) -> None: ...


class KeysApp(App):
    def on_mount(self) -> None:
        self.push_screen(Tools())


def keys(app) -> dict[str, FooterKey]:
    return {key.action: key for key in app.screen.query(FooterKey) if not key.has_class("-command-palette")}


async def test_enabling_a_key_redraws_it_in_place_as_a_fresh_bar_would_show_it():
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await settle(pilot)
        first = keys(app)
        assert set(first) == {"next", "vote"} and not first["vote"].has_class("-disabled")

        app.screen.vote_state = None  # the vote is not possible now: dimmed
        app.screen.refresh_bindings()
        await settle(pilot)
        now = keys(app)
        assert now["vote"] is first["vote"] and now["next"] is first["next"]  # the same widgets: not composed again
        assert now["vote"].has_class("-disabled") and now["vote"]._disabled
        dimmed_line = screen_text(app).splitlines()[-1]

        # Composed afresh, the bar shows the same line.
        footer = app.screen.query_one(CalmFooter)
        footer._shown = None  # as if nothing had been shown: compose again
        footer.call_later(footer._recompose_if_changed)  # in the footer's own context, as its handlers run
        await settle(pilot)
        assert keys(app)["vote"] is not now["vote"] and keys(app)["vote"].has_class("-disabled")
        assert screen_text(app).splitlines()[-1] == dimmed_line

        app.screen.vote_state = True
        app.screen.refresh_bindings()
        await settle(pilot)
        assert not keys(app)["vote"].has_class("-disabled") and not keys(app)["vote"]._disabled

        app.screen.extra_shown = True  # a key comes: the bar is composed again, with it
        app.screen.refresh_bindings()
        await settle(pilot)
        assert set(keys(app)) == {"next", "vote", "extra"}
        assert "Extra" in screen_text(app).splitlines()[-1]

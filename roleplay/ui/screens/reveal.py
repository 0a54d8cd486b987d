"""Showing secret texts one person at a time.

Two ways, as in the room:
- holder: "Hand the laptop to Ana. Ana presses space to see it; space hides it."
- others: "Ana, look away. Everyone else, look now." Space shows the card for a
  few seconds, then it hides by itself.
The text is never on screen until space is pressed, and leaving hides it.

On a screen the group can see (a projector or a shared screen: the app's `projected`), a private
text (audience holder) is not handed over until the trainer confirms that the room's view is
frozen or blank, or chooses to use the room's phones instead: nothing private is drawn before.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.phase_info import RevealItem
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.text import plain, reflow
from roleplay.ui.widgets.scroll import TextScroll

LOOK_SECONDS = 10

PROJECTED_WARNING = N_(
    "This screen is shown to the group. A private brief must not reach the room's view.\n\n"
    "Before it is shown here: freeze or blank the projector (Freeze or AV-mute on its remote) "
    "or turn the shared screen away from the group. Or hand the briefs out on the room's phones instead.\n\n"
    "Is the room's view frozen or blank now?"
)


def needs_cover(app: Any, steps: list[tuple[str, str, list[RevealItem]]]) -> bool:
    """A private (holder) text would be shown on a screen the group can see."""
    return bool(getattr(app, "projected", True)) and any(audience == "holder" for _, audience, _ in steps)


def confirm_private(app: Any, then: Callable[[], None], cancelled: Callable[[], None] | None = None) -> None:
    """Ask the trainer to freeze or blank the room's view first; `then` runs only after a yes."""

    def answered(ok: bool | None) -> None:
        if ok:
            then()
        elif cancelled is not None:
            cancelled()

    app.push_screen(
        ConfirmScreen(_(PROJECTED_WARNING), yes=_("Frozen or blank, go on"), no=_("Not now"), title=_("Shown to the group")),
        answered,
    )


class RevealScreen(ModalScreen[bool]):
    """Steps of (participant, audience, items); returns True when every step was gone through."""

    BINDINGS = [
        Binding("space", "toggle", N_("Show / hide")),
        Binding("enter", "done", N_("Done, next")),
        Binding("escape", "cancel", N_("Stop")),
    ]

    def __init__(
        self, steps: list[tuple[str, str, list[RevealItem]]], look_seconds: float = LOOK_SECONDS, *, cleared: bool = False
    ) -> None:
        super().__init__()
        self.steps = steps
        self.step = 0
        self.showing = False
        self.look_seconds = look_seconds
        self.left = 0.0
        self._timer = None
        self.cleared = cleared  # the trainer confirmed the room's view is frozen or blank (or it is not projected)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog reveal") as box:
            box.border_title = _("Private")
            yield Static("", id="reveal-who", classes="dialog-text big")
            with TextScroll(id="reveal-scroll"):  # a long brief scrolls: ↓, PgDn, End
                yield Static("", id="reveal-text", classes="secret")
            yield Static("", id="reveal-help", classes="dialog-help")

    def on_mount(self) -> None:
        self.render_step()
        self.query_one("#reveal-scroll").focus()
        if not self.cleared:
            if needs_cover(self.app, self.steps):
                confirm_private(self.app, self._cleared, cancelled=lambda: self.dismiss(False))
            else:
                self.cleared = True

    def _cleared(self) -> None:
        self.cleared = True

    @property
    def current(self) -> tuple[str, str, list[RevealItem]]:
        return self.steps[self.step]

    def render_step(self) -> None:
        name, audience, items = self.current
        count = " " + _("({number} of {count})").format(number=self.step + 1, count=len(self.steps)) if len(self.steps) > 1 else ""
        if audience == "others":
            who = _("{name}, look away now. Everyone else, look at the screen.").format(name=name) + count
            help_text = _("Space shows {name}'s card for {seconds} seconds · ↓ PgDn End: read on · Enter: next · Escape: stop").format(
                name=name, seconds=int(self.look_seconds)
            )
        elif audience == "everyone":
            who = _("For everyone to see: {name}'s brief.").format(name=name) + count
            help_text = _("Space: show / hide · ↓ PgDn End: read on · Enter: next · Escape: stop")
        else:
            who = (
                _("Hand the laptop to {name}.").format(name=name)
                + count
                + "\n"
                + _("{name} presses space to see it; space hides it.").format(name=name)
            )
            help_text = _("Space: show / hide · ↓ PgDn End: read on · Enter: hide and go on · Escape: stop")
        self.query_one("#reveal-who", Static).update(plain(who))
        self.query_one("#reveal-help", Static).update(plain(help_text))
        self.render_secret()

    def render_secret(self) -> None:
        box = self.query_one("#reveal-text", Static)
        name, audience, items = self.current
        if not self.showing:
            box.update(_("▒▒▒ hidden ▒▒▒"))
            box.set_class(False, "-shown")
            return
        text = "\n\n".join(f"{item.title}\n{reflow(item.text)}" for item in items)
        if audience == "others":
            text += "\n\n" + _("(hides in {seconds} s)").format(seconds=int(self.left + 0.99))
        box.update(plain(text))
        box.set_class(True, "-shown")

    def action_toggle(self) -> None:
        if not self.cleared:
            return  # nothing private before the trainer confirmed the room's view is covered
        self.showing = not self.showing
        name, audience, _items = self.current
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.showing and audience == "others":
            self.left = self.look_seconds
            self._timer = self.set_interval(0.5, self._tick)
        self.render_secret()

    def _tick(self) -> None:
        self.left -= 0.5
        if self.left <= 0:
            self.showing = False
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
        self.render_secret()

    def hide(self) -> None:
        self.showing = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_done(self) -> None:
        self.hide()
        self.step += 1
        if self.step >= len(self.steps):
            self.dismiss(True)
        else:
            self.render_step()

    def action_cancel(self) -> None:
        self.hide()
        self.dismiss(False)

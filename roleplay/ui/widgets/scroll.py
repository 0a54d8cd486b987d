"""The scrolling column every screen uses: its focus restyles only itself."""

from __future__ import annotations

from textual._context import NoActiveAppError
from textual.containers import VerticalScroll


class TextScroll(VerticalScroll):
    """A `VerticalScroll` whose focus changes only its own look.

    Textual restyles a widget and everything inside it whenever it gains or loses focus, because a rule
    such as `OptionList:focus > .option-list--option-highlighted` may style what is inside by the
    container's focus. No rule of this app, nor of the widgets it uses, styles anything by the focus of
    a scrolling column (tests/ui/test_scroll_focus.py reads every rule), so only the column itself is
    restyled: its border and tint. A phase screen or a long brief holds dozens of widgets, and focus
    moves every time a dialog opens or closes over it.
    """

    def watch_has_focus(self, has_focus: bool) -> None:
        try:
            self.app.stylesheet.update_nodes([self], animate=True)
        except NoActiveAppError:
            pass

"""The key panel (`?`): Textual's help panel of every key that works now, in the current language.

Kept apart from the footer because `HelpPanel` brings `Markdown` (markdown-it, pygments):
imported only when the panel first opens, not at the app's start.
"""

from __future__ import annotations

from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from roleplay.ui.i18n import _


class _TranslatedBindingsTable(BindingsTable):
    """Textual's table of keys, with each description in the current language."""

    def render_bindings_table(self):
        table = super().render_bindings_table()
        if len(table.columns) > 1:
            cells = table.columns[1]._cells
            for index, cell in enumerate(cells):
                plain = getattr(cell, "plain", None)
                if plain and _(plain) != plain:
                    cells[index] = type(cell)(_(plain), style=cell.style, end="")
        return table


class _TranslatedKeyPanel(KeyPanel):
    def compose(self):
        yield _TranslatedBindingsTable(shrink=True, expand=False)


class KeysHelpPanel(HelpPanel):
    """Textual's help panel (`?`: every key that works now), with the descriptions translated."""

    def compose(self):
        yield Markdown(id="widget-help")
        yield _TranslatedKeyPanel(id="keys-help")

"""The floor for a Textual library screen: a header, a list of titles, a preview that follows the highlight, a footer.

The baseline of bench/ui_bench.py: the same terminal, the same keys, nothing but Textual doing the work.
The titles come from the command line (the bench passes the built-in exercises' titles), so both lists are as long;
the list is as wide as the library's at 120 columns, so no title wraps.
Adapted from the course's shared tool bare_textual_list.py, which is not shipped with the project.
"""

import sys

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Label, ListItem, ListView, Static

TITLES = sys.argv[1:] or ["Crisis conversation", "GROW coaching", "Guess who you are", "The ideal helper", "Peer drift"]


class Bare(App):
    CSS = "#list { width: 54; } #preview { width: 1fr; padding: 1 2; }"
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield ListView(*(ListItem(Label(t, markup=False)) for t in TITLES), id="list")
            yield Static(id="preview")
        yield Footer()

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        index = self.query_one(ListView).index or 0
        self.query_one("#preview", Static).update(f"{TITLES[index]}\n\n" + "A summary line of the exercise. " * 12)


if __name__ == "__main__":
    Bare().run()

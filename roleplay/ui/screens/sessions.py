"""Past sessions: reopen to see the report, or resume one that was cut off."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.ui.messages import OpenSession
from roleplay.ui.text import plain


class SessionsScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open report"),
        Binding("u", "resume", "Resume"),
        Binding("f5", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = Path(root)
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Static("Past sessions", id="screen-title")
        yield OptionList(Option("Loading…", id="loading", disabled=True), id="sessions-list")
        yield Static("Enter: report · u: resume a session that did not end", id="sessions-help")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="sessions")

    def _load(self) -> None:
        from roleplay.ui.services import list_sessions

        rows = list_sessions(self.root)
        self.app.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: list) -> None:
        from roleplay.ui.services import started_text

        self.rows = rows
        options = []
        for n, row in enumerate(rows):
            state = f"ended: {row.ended}" if row.ended else f"▶ can resume (stopped in {row.last_phase})"
            label = f"{started_text(row)} · {row.title or row.scenario} · {len(row.participants)} people · {state}"
            options.append(Option(plain(label), id=str(n)))
        listing = self.query_one(OptionList)
        listing.set_options(options or [Option("No sessions yet.", id="none", disabled=True)])
        if options:
            listing.highlighted = 0
        self.refresh_bindings()

    def _row(self):
        option = self.query_one(OptionList).highlighted_option
        if option is None or not (option.id or "").isdigit():
            return None
        return self.rows[int(option.id)]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        row = self._row()
        if row:
            self.post_message(OpenSession(row.folder, resume=False))

    def action_resume(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.ended:
            self.notify("This session ended; Enter opens its report.")
            return
        self.post_message(OpenSession(row.folder, resume=True))

    def action_back(self) -> None:
        self.app.pop_screen()

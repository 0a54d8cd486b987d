"""Past sessions: reopen to see the report, resume one that was cut off, or watch its recording."""

from __future__ import annotations

from roleplay.core.sessions import FolderState

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.ui.i18n import _, N_
from roleplay.ui.messages import OpenSession
from roleplay.ui.text import plain
from roleplay.ui.widgets.footer import CalmFooter


class SessionsScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", N_("Open report")),
        Binding("u", "resume", N_("Resume")),
        Binding("w", "watch", N_("Watch recording")),
        Binding("f5", "reload", N_("Reload")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = Path(root)
        self.rows: list = []
        self.with_video: set = set()  # folders that hold a recording

    def compose(self) -> ComposeResult:
        yield Static(_("Past sessions"), id="screen-title")
        yield OptionList(Option(_("Loading…"), id="loading", disabled=True), id="sessions-list")
        yield Static(_("Enter: report · u: resume a session that did not end · w: watch its recording"), id="sessions-help")
        yield CalmFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="sessions")

    def _load(self) -> None:
        from roleplay.ui.services import list_sessions

        from roleplay.ui.services import has_video

        rows = list_sessions(self.root)
        with_video = {row.folder for row in rows if has_video(row.folder)}
        self.app.call_from_thread(self.show_rows, rows, with_video)

    def show_rows(self, rows: list, with_video: set | None = None) -> None:
        from roleplay.ui.services import started_text

        self.rows = rows
        self.with_video = set(with_video or ())
        options = []
        for n, row in enumerate(rows):
            state = f"▶ {row.describe()}" if row.resumable else row.describe()
            people = _("{count} people").format(count=len(row.participants)) if row.participants is not None else "?"
            label = f"{started_text(row)} · {row.title or row.scenario} · {people} · {state}"
            if row.folder in self.with_video:
                label += " · " + _("video recorded")
            options.append(Option(plain(label), id=str(n)))
        listing = self.query_one(OptionList)
        listing.set_options(options or [Option(_("No sessions yet."), id="none", disabled=True)])
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
        if row and not row.readable and row.state is not FolderState.ENCRYPTED:
            self.notify(_("This session cannot be opened: {reason}").format(reason=row.describe()), markup=False)
        elif row:
            self.post_message(OpenSession(row.folder, resume=False))

    def action_resume(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.state is FolderState.ENCRYPTED:
            self.post_message(OpenSession(row.folder, resume=True))  # the passphrase tells whether it can go on
            return
        if not row.resumable:
            self.notify(_("This session cannot be resumed: {reason}").format(reason=row.describe()), markup=False)
            return
        self.post_message(OpenSession(row.folder, resume=True))

    def action_watch(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.folder not in self.with_video:
            self.notify(_("This session has no recording."))
            return
        self.app.watch_recording(row.folder)

    def action_back(self) -> None:
        self.app.pop_screen()

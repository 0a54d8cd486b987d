"""The session's summary: the same report as `roleplay report`, and exports to the session folder."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from roleplay.ui.messages import ExportReport
from roleplay.ui.text import plain


def has_secrets(scenario) -> bool:
    """Does the report hold anything that was private during the session (cards, private briefs)?"""
    return bool(scenario.decks) or any(r.brief and r.brief_visible_to != "everyone" for r in scenario.roles)


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("ctrl+e", "export('md')", "Save report (md)"),
        Binding("ctrl+w", "export('html')", "Save report (html)"),
        Binding("escape", "library", "Library"),
        Binding("ctrl+o", "sessions", "Past sessions"),
        Binding("space", "toggle_report", "Show / hide report"),
    ]

    def __init__(self, session, folder=None) -> None:
        super().__init__()
        self.session = session
        # A session replayed read-only has no log, so no `folder`: the app passes it down.
        self.folder = folder or session.folder

    def compose(self) -> ComposeResult:
        s = self.session
        state = f"ended ({s.ended})" if s.ended else f"stopped in '{s.phase}', can be resumed"
        yield Static(plain(f"Summary · {s.text(s.scenario.title)} · {state}"), id="screen-title")
        yield Static(plain(f"Session folder: {self.folder.name if self.folder else '-'}"), id="summary-folder")
        yield Static("", id="report-cover")
        with VerticalScroll(id="summary-body"):
            yield Markdown("Building the report…", id="report")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.covered = has_secrets(self.session.scenario)
        self.show_cover()
        self.query_one("#summary-body").focus()
        self.run_worker(self._build, thread=True, group="report")

    def show_cover(self) -> None:
        cover = self.query_one("#report-cover", Static)
        cover.update(
            "The report names roles and the cards people held.\n"
            "Check who can see the screen, then press space to show it. ctrl+e / ctrl+w save it to the session folder."
        )
        cover.display = self.covered
        self.query_one("#summary-body").display = not self.covered

    def action_toggle_report(self) -> None:
        self.covered = not self.covered
        self.show_cover()

    def _build(self) -> None:
        from roleplay.ui.services import report_markdown

        try:
            text = report_markdown(self.session)
        except Exception as exc:  # noqa: BLE001 - show why, never crash the summary
            text = f"The report could not be built: {exc}"
        self.app.call_from_thread(self.query_one("#report", Markdown).update, text)

    def action_export(self, fmt: str) -> None:
        self.post_message(ExportReport(fmt, self.folder))

    def action_library(self) -> None:
        self.app.action_library()

    def action_sessions(self) -> None:
        self.app.action_sessions()

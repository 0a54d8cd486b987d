"""The session's summary: the same report as `roleplay report`, and exports to the session folder.

The report is shown as Markdown laid out by the app, with every text from the scenario, a
participant or a note escaped (`services.summary_markdown`): a note holding `[a](url)`, `**`
or `|` shows as typed, and no link in the report opens anything.

When the report holds anything that was private during the session (cards
people held, private briefs, event briefs) it stays covered until the trainer
presses space: until then the report's text is not in any widget at all, so it
can be neither seen, captured in a screenshot, nor read from the screen.
After the session's last enactment the group may want to watch the recording
together: `w` opens it when the session has video.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Markdown, Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.messages import ExportReport
from roleplay.ui.text import plain
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.scroll import TextScroll


def has_secrets(scenario) -> bool:
    """Does the report hold anything that was private during the session (cards, private briefs, event briefs)?"""
    return (
        bool(scenario.decks)
        or any(r.brief and r.brief_visible_to != "everyone" for r in scenario.roles)
        or any(e.brief for e in scenario.events)
    )


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("ctrl+e", "export('md')", N_("Save report (md)")),
        Binding("ctrl+w", "export('html')", N_("Save report (html)")),
        Binding("escape", "library", N_("Library")),
        Binding("ctrl+o", "sessions", N_("Past sessions")),
        Binding("space", "toggle_report", N_("Show / hide report")),
        Binding("w", "watch", N_("Watch the recording")),
    ]

    def __init__(self, session, folder=None) -> None:
        super().__init__()
        self.session = session
        # A session replayed read-only has no log, so no `folder`: the app passes it down.
        self.folder = folder or session.folder
        self.covered = has_secrets(session.scenario)  # on a projected screen: always (see on_mount)
        self.report_text: str | None = None  # built in a worker; put on screen only when uncovered
        self.has_video = False

    def compose(self) -> ComposeResult:
        s = self.session
        state = _("ended ({reason})").format(reason=s.ended) if s.ended else _("stopped in '{phase}', can be resumed").format(phase=s.phase)
        yield Static(plain(_("Summary · {title} · {state}").format(title=s.text(s.scenario.title), state=state)), id="screen-title")
        yield Static(plain(_("Session folder: {name}").format(name=self.folder.name if self.folder else "-")), id="summary-folder")
        yield Static("", id="report-cover")
        with TextScroll(id="summary-body"):
            yield Markdown(_("Building the report…"), id="report", open_links=False)
        yield CalmFooter(compact=True)

    def on_mount(self) -> None:
        # Notes and typed answers are in every report: on the room's screen it starts covered.
        self.covered = self.covered or bool(getattr(self.app, "projected", False))
        self.show_cover()
        self.query_one("#summary-body").focus()
        self.run_worker(self._build, thread=True, group="report")
        self.check_video()

    def show_cover(self) -> None:
        cover = self.query_one("#report-cover", Static)
        cover.update(
            _(
                "The report holds notes, answers, roles and the cards people held.\n"
                "Check who can see the screen, then press space to show it. ctrl+e / ctrl+w save it to the session folder."
            )
        )
        cover.display = self.covered
        if self.covered:
            self.query_one("#summary-body").display = False
            self.query_one("#report", Markdown).update("")  # nothing private stays in the widget tree while covered
        else:
            self._put_report(self.report_text if self.report_text is not None else _("Building the report…"))

    def action_toggle_report(self) -> None:
        self.covered = not self.covered
        self.show_cover()

    def _build(self) -> None:
        from roleplay.core.report import md_literal
        from roleplay.ui.services import summary_markdown

        try:
            text = summary_markdown(self.session)
        except Exception as exc:  # noqa: BLE001 - show why, never crash the summary
            text = _("The report could not be built: {error}").format(error=md_literal(exc))
        self.app.call_from_thread(self._built, text)

    def _built(self, text: str) -> None:
        self.report_text = text
        if not self.covered:
            self._put_report(text)

    _report_version = 0  # which _put_report is the latest: only that one shows the report

    def _put_report(self, text: str) -> None:
        """Show the report once all its blocks are mounted. A report is hundreds of widgets that the
        Markdown widget mounts in stages; shown meanwhile, each stage would lay the whole report out
        again (about 0.15 s each on a laptop), and the trainer would see it build up."""
        self._report_version += 1
        version = self._report_version
        self.query_one("#summary-body").display = False
        mounted = self.query_one("#report", Markdown).update(text)

        async def show_when_mounted() -> None:
            await mounted  # never cancelled: cancelling would stop the Markdown half-way through its blocks
            if version == self._report_version and self.is_attached:
                self.query_one("#summary-body").display = not self.covered

        self.run_worker(show_when_mounted(), group="report-view")

    # ----- the recording ---------------------------------------------------------

    def check_video(self) -> None:
        """Look (in a worker) whether the session folder holds video; the app calls this again once recording closed."""
        self.run_worker(self._check_video, thread=True, exclusive=True, group="video-check")

    def _check_video(self) -> None:
        from roleplay.ui.services import has_video

        found = has_video(self.folder)
        self.app.call_from_thread(self._video_checked, found)

    def _video_checked(self, found: bool) -> None:
        self.has_video = found
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "watch":
            return self.has_video
        return True

    def action_watch(self) -> None:
        if self.has_video and self.folder is not None:
            self.app.watch_recording(self.folder)

    # ----- the rest ----------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        self.post_message(ExportReport(fmt, self.folder))

    def action_library(self) -> None:
        self.app.action_library()

    def action_sessions(self) -> None:
        self.app.action_sessions()

"""Rehearse: an author walks through their own scenario; saving the file reloads it here.

The file's modification time is polled (no extra dependency); loading runs in a worker.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_, ngettext
from roleplay.ui.messages import ScenarioChosen
from roleplay.ui.text import plain
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.preview import ScenarioPreview


class RehearseScreen(Screen):
    BINDINGS = [
        Binding("enter", "walk", N_("Walk through")),
        Binding("f5", "reload", N_("Reload now")),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.result = None
        self.mtime: float | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain(_("Rehearse · {path}").format(path=self.path)), id="screen-title")
        yield Static(_("Loading…"), id="rehearse-status")
        yield ScenarioPreview(id="preview")
        yield CalmFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(ScenarioPreview).focus()

    def action_reload(self) -> None:
        self.app.reload_rehearsal(force=True)

    def show_result(self, result, when: str) -> None:
        self.result = result
        status = self.query_one("#rehearse-status", Static)
        errors = [p for p in result.problems if p.severity == "error"]
        warnings = [p for p in result.problems if p.severity != "error"]
        if result.ok:
            text = (
                "✓ "
                + _("valid · loaded {when}").format(when=when)
                + (" · " + ngettext("{count} warning(s)", "{count} warning(s)", len(warnings)).format(count=len(warnings)) if warnings else "")
                + " · "
                + _("Enter walks through it")
            )
        else:
            text = "✗ " + ngettext(
                "{count} error(s) · loaded {when} · fix the file and save: it reloads here",
                "{count} error(s) · loaded {when} · fix the file and save: it reloads here",
                len(errors),
            ).format(count=len(errors), when=when)
        status.update(plain(text))
        status.set_class(not result.ok, "-error")
        preview = self.query_one(ScenarioPreview)
        if result.ok and not warnings:
            preview.show_scenario(result.scenario)
        elif result.ok:
            preview.show_scenario(result.scenario)
            preview.query_one("#preview-facts", Static).update(plain("\n".join(str(p) for p in warnings)))
        else:
            preview.show_problems(str(self.path), result.problems)

    def action_walk(self) -> None:
        if self.result is None or not self.result.ok:
            self.notify(_("Fix the errors first; they are listed here."), severity="warning")
            return
        self.post_message(ScenarioChosen(self.path, self.result.scenario))

"""The room's view of the deal: who plays which role, by pair or group (phases with `show_groups`).

Public facts only: names, groups and the roles' public names. Briefs and cards never come here.
"""

from __future__ import annotations

from textual.widgets import Static

from roleplay.core.names import assignments_text
from roleplay.ui.i18n import _
from roleplay.ui.text import plain, update_if_changed


def assignments_title(session) -> str:
    grouping = session.scenario.grouping
    if grouping and len([g for g in session.groups if g]) > 1:
        return _("Pairs and roles") if grouping.size == 2 else _("Groups and roles")
    return _("Who plays which role")


class AssignmentsView(Static):
    DEFAULT_CSS = """
    AssignmentsView {
        height: auto;
        padding: 0 2;
        border: round $accent;
    }
    """

    def show(self, session) -> None:
        text = assignments_text(session) if session.current.show_groups else ""
        update_if_changed(self, plain(text))
        self.border_title = assignments_title(session)
        self.display = bool(text)

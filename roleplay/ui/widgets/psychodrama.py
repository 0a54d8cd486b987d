"""Psychodrama on the phase screens (issue 12): the sharing reminder and the de-roling list.

Sharing phases show one standard line, in the app's words: speak from your own experience, no
advice, no judging. De-roling phases list each player stepping out of each role by name: one line per person, built from the roles they actually played (roleplay/core/deroling.py):
"Ana, you are no longer Alex and the helper; you are Ana." Enter marks that the person has
stepped out (`MarkDeRoled`, logged); a tick shows it. Names and public role names only, so the
room may see it.
"""

from __future__ import annotations

from textual.widgets import OptionList, Static

from roleplay.core import commands as c
from roleplay.core.deroling import DOUBLE, PersonToDerole, RoleToLeave, roles_to_leave
from roleplay.core.names import join_names
from roleplay.ui.i18n import N_, _
from roleplay.ui.messages import Execute
from roleplay.ui.widgets.tools import ToolList
from roleplay.ui.widgets.scroll import TextScroll

SHARING_REMINDER = N_("Sharing: speak from your own experience. No advice, no judging. You may pass.")
NOBODY_YET = "-"  # the key of the line shown when nobody played a role


def role_words(session, item: RoleToLeave) -> str:
    if item.key == DOUBLE:
        return _("the double of {names}").format(names=join_names(item.doubled, session.language))
    return item.role


def deroling_line(session, person: PersonToDerole) -> str:
    """ "✓ Ana, you are no longer Alex and the helper; you are Ana." """
    left = sum(r.done for r in person.roles)
    mark = "✓" if person.done else ("◐" if left else "○")
    roles = join_names([role_words(session, r) for r in person.roles], session.language)
    return f"{mark} " + _("{name}, you are no longer {roles}; you are {name}.").format(name=person.participant, roles=roles)


class DeRolingPanel(TextScroll):
    SCOPED_CSS = False
    DEFAULT_CSS = """
    DeRolingPanel { width: 2fr; min-width: 30; border-left: vkey $panel; padding: 0 1; }
    PhaseScreen.-narrow DeRolingPanel { width: 100%; min-width: 0; height: auto; max-height: 45%; border-left: none; border-top: hkey $panel; }
    """

    def __init__(self, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.can_focus = False

    def compose(self):
        yield Static(_("Stepping out of the roles (Enter when a person has)"), classes="tool-heading")
        yield ToolList(id="deroling-list", classes="tool-list")

    def on_mount(self) -> None:
        self.refresh_from()

    def refresh_from(self) -> None:
        s = self.session
        people = roles_to_leave(s)
        items = [(p.participant, deroling_line(s, p)) for p in people] or [(NOBODY_YET, _("Nobody has played a role yet."))]
        self.query_one(ToolList).set_items(items)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = event.option.id
        person = next((p for p in roles_to_leave(self.session) if p.participant == name), None)
        if person is None:
            return
        if person.done:
            self.notify(_("{name} has stepped out of every role already.").format(name=name))
            return
        self.post_message(Execute(c.MarkDeRoled(participant=name)))


class SharingReminder(Static):
    DEFAULT_CSS = """
    SharingReminder { height: auto; padding: 0 2; color: $accent; text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(_(SHARING_REMINDER), **kwargs)

"""F1: how the app works (the trainer's guide in short), beside `?` which lists the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.ui.i18n import _, N_
from roleplay.ui.widgets.scroll import TextScroll

HELP_SECTIONS: list[tuple[str, str]] = [
    (
        N_("The room's screen and yours"),
        N_(
            "At set-up you say whether this screen is shown to the group (a projector or a shared screen). "
            "If it is, the phase screens show only what the room may see: the group text, the timer, the "
            "questions, and the public tools and tallies. Your script, notes, the events you can bring in, "
            "individual answers and everyone's briefs and cards are your private layer: press s (or a for a "
            "note, i for an event). A cover comes first; freeze or blank the projector, then press Enter. "
            "The private layer hides itself when you are done, on Escape, or after a quiet minute. "
            "For one shared screen, print the trainer's script beforehand: p in the library, or "
            "`roleplay script SCENARIO -o script.html`."
        ),
    ),
    (
        N_("Roles and handing out"),
        N_(
            "Role names are public; briefs and cards may be private. Roles are dealt in the phase the "
            "scenario names (after consent and safety). Choose who plays a named role at set-up or on the "
            "assignment screen (o), asking for volunteers first. Enter on a person hands out what is "
            "private to them: either the laptop is passed to them (space shows, space hides), or, for "
            "cards everyone but the holder may see, the holder looks away while the others look. On a "
            "projected screen, freeze or blank the projector before any hand-out."
        ),
    ),
    (
        N_("Keys, focus and tools"),
        N_(
            "The footer shows the keys that work now, the phase's own tools first; ? lists every key and "
            "ctrl+p searches every action that is valid now. Tab moves between lists (checklists, entries, "
            "guesses); Enter acts on the highlighted item: it ticks a checklist item, tags an entry, "
            "records a guess. - takes a tick back. Headings on each tool name their keys."
        ),
    ),
    (
        N_("The command line"),
        N_(
            "Press : to type a command the way `roleplay play` reads them, for example `next`, "
            "`note Ana asked for a pause`, `tick listening eye-contact`, `extend 120`. `help` lists "
            "the commands valid now."
        ),
    ),
    (
        N_("Time-out, timers and the end"),
        N_(
            "p stops the timer for the whole room (a time-out) and resumes it; e adds a minute, x ends "
            "the time now. When time is up the app rings. The last phase (the closing round, support "
            "lines after hard exercises) is shown like any other; n there ends the session."
        ),
    ),
    (
        N_("If the laptop dies"),
        N_(
            "Every step is on disk at once. Open the app again: it offers to resume the session that "
            "was cut off, with its timer right to within a few seconds (Past sessions, ctrl+o, has it "
            "too). An encrypted session asks for its passphrase first."
        ),
    ),
    (
        N_("Phones and the room"),
        N_(
            "Switch on 'Open a room for phones' at set-up, or press l on a phase screen (L on the debrief "
            "and quality screens). The room panel shows the address, its QR code and the join code for the "
            "group; a accepts and r refuses whoever is waiting, x takes a phone out, k locks joining. A notice "
            "tells you when someone asks to join, and the phase header counts who waits. The room closes "
            "with the session."
        ),
    ),
]


def help_text() -> str:
    return "\n\n".join(f"{_(title)}\n{_(body)}" for title, body in HELP_SECTIONS)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", N_("Close help"))]

    def compose(self) -> ComposeResult:
        with TextScroll(classes="dialog wide", id="help-box") as box:
            box.border_title = _("How it works · Escape closes · ? lists the keys")
            for title, body in HELP_SECTIONS:
                yield Static(_(title), classes="help-title")
                yield Static(_(body), classes="dialog-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)

"""The room panel (l on a phase screen): open a room for phones, let people in, lock joining, take phones out.

Whoever sees this screen may see all of it, projector included: the address and its QR code, the join
code (it is meant for the room), the stage's address on this computer, and who joined. It never shows a
participant's own link. The stage's link for another computer holds the stage key, so it shows only on
the trainer's own screen, or behind the cover (t) on a projected one.

The panel reads the session and a `RoomView` passed down (roleplay/ui/room_service.py) and posts its
requests up: `OpenRequested` to open a room, `Execute` with a typed command for everything else.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core import commands as c
from roleplay.ui.i18n import _, N_
from roleplay.ui.messages import Execute
from roleplay.ui.room_service import DEFAULT_ADDRESS, DeviceRow, RoomView, device_rows
from roleplay.ui.text import plain
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.room_qr import RoomQR
from roleplay.ui.widgets.scroll import TextScroll


def row_text(row: DeviceRow) -> str:
    how = _("by link") if row.via == "link" else _("by code")
    if row.state == "waiting":
        return _("{name} · waiting ({how})").format(name=row.name, how=how)
    if row.state == "in":
        return _("{name} · in ({how})").format(name=row.name, how=how)
    if row.state == "refused":
        return _("{name} · refused").format(name=row.name)
    if row.state == "removed":
        return _("{name} · removed").format(name=row.name)
    return _("{name} · not joined").format(name=row.name)


def spaced_code(code: str) -> str:
    """The join code as it is read out: spaced, in two halves."""
    half = len(code) // 2
    return " ".join(code[:half]) + "   " + " ".join(code[half:])


class RoomPanelScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    #room-panel { width: 100%; height: 100%; padding: 0 1; }
    #room-heading { text-style: bold; color: $primary; }
    #room-open-row { height: auto; }
    #room-open-row Label { padding: 1 1 0 0; }
    #room-address { width: 32; }
    #room-status { height: auto; color: $text-muted; }
    #room-body { height: 1fr; }
    #room-qr { margin: 0 2 0 0; }
    #room-info { width: 1fr; height: 1fr; }
    #room-code { width: auto; border: round $accent; padding: 0 2; text-style: bold; color: $accent; }
    #room-warning { color: $warning; }
    #room-people { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("a", "accept", N_("Accept")),
        Binding("r", "refuse", N_("Refuse")),
        Binding("x", "remove", N_("Remove phone")),
        Binding("k", "lock", N_("Lock/unlock joining")),
        Binding("t", "stage_link", N_("Stage link")),
    ]

    class OpenRequested(Message):
        """Open a room for the live session at `address` ([HOST:]PORT)."""

        def __init__(self, address: str) -> None:
            super().__init__()
            self.address = address

    def __init__(self, session, view: RoomView | None, *, opening: bool = False) -> None:
        super().__init__()
        self.session = session
        self.view = view
        self.opening = opening

    def compose(self) -> ComposeResult:
        with Vertical(id="room-panel"):
            yield Static(_("Room for phones · Escape closes"), id="room-heading")
            with Horizontal(id="room-open-row"):
                yield Label(_("Address"))
                yield Input(DEFAULT_ADDRESS, placeholder=_("HOST:PORT"), id="room-address")
                yield Button(_("Open the room"), id="room-open", variant="primary")
            yield Static("", id="room-status")
            with Horizontal(id="room-body"):
                yield RoomQR(id="room-qr")
                with TextScroll(id="room-info"):
                    yield Static("", id="room-url")
                    yield Static("", id="room-code")
                    yield Static("", id="room-stage")
                    yield Static("", id="room-warning")
                    yield Static("", id="room-lock")
                    yield OptionList(id="room-people")
        yield CalmFooter(compact=True)

    def on_mount(self) -> None:
        self._redraw()
        if self.view is None:
            self.query_one("#room-address", Input).focus()
            self.run_worker(self._read_saved, thread=True, group="settings")
        else:
            self.query_one("#room-people", OptionList).focus()

    def _read_saved(self) -> None:
        from roleplay.ui.room_service import saved_room

        _on, address = saved_room()
        self.app.call_from_thread(self._show_saved, address)

    def _show_saved(self, address: str) -> None:
        if not self.is_attached or self.view is not None:
            return
        field = self.query_one("#room-address", Input)
        if field.value == DEFAULT_ADDRESS:  # unless the trainer typed one meanwhile
            field.value = address

    # ----- data passed down -----

    def show_room(self, view: RoomView | None, *, opening: bool = False) -> None:
        """The app calls this when the room opens, closes, or a phone's state changes."""
        was_open = self.view is not None
        self.view = view
        self.opening = opening
        if self.is_mounted:
            self._redraw()
            if view is not None and not was_open:
                self.query_one("#room-people", OptionList).focus()
            elif view is None and not opening and self.session.ended is None:
                self.query_one("#room-address", Input).focus()  # it did not open: the address again

    def refresh_session(self) -> None:
        """The app calls this after each change to the session while the panel is on top."""
        if self.is_mounted:
            self._redraw()

    def on_screen_resume(self) -> None:
        self.refresh_session()

    @property
    def projected(self) -> bool:
        return bool(getattr(self.app, "projected", True))

    def _redraw(self) -> None:
        s = self.session
        view = self.view
        ended = s.ended is not None
        self.query_one("#room-open-row").display = view is None and not self.opening and not ended
        status = self.query_one("#room-status", Static)
        if ended:
            status.update(_("The session has ended: the room is closed."))
        elif self.opening:
            status.update(_("Opening the room…"))
        elif view is None:
            status.update(
                _(
                    "No room is open. Phones join the session at this address: 0.0.0.0 lets phones on the "
                    "local network in, 127.0.0.1 only this computer (for the stage on a projector). "
                    "Port 0 picks a free port."
                )
            )
        status.display = ended or self.opening or view is None
        self.query_one("#room-body").display = view is not None and not ended
        self.query_one(RoomQR).show(view.url if view is not None and not ended else None)
        if view is not None and not ended:
            self._render_room(view)
        self.refresh_bindings()

    def _render_room(self, view: RoomView) -> None:
        s = self.session
        self.query_one("#room-url", Static).update(plain(_("Phones open {url} (or scan the code)").format(url=view.url)))
        code = self.query_one("#room-code", Static)
        code.border_title = _("Join code")
        code.update(plain(spaced_code(view.join_code)))
        stage = []
        if view.stage_here:
            stage.append(_("Stage for the projector: {url} in a browser on this computer").format(url=view.stage_here))
        if self.projected:
            stage.append(_("From another computer: t shows its link (behind the cover)"))
        else:
            stage.append(_("From another computer: {url} (keep this link private)").format(url=view.stage_link))
        self.query_one("#room-stage", Static).update(plain("\n".join(stage)))
        warning = self.query_one("#room-warning", Static)
        warning.display = view.beyond_loopback
        warning.update(
            plain(
                "⚠ "
                + _(
                    "The room listens on {address}, beyond this computer: anyone on the network can open the "
                    "join page (they still need the join code and your acceptance)."
                ).format(address=view.listens_on)
            )
        )
        locked = _("Joining is locked: no new phone can ask to join (k unlocks).") if s.room_locked else _("Joining is open (k locks it).")
        self.query_one("#room-lock", Static).update(plain(locked))
        self._render_people(device_rows(s))

    def _render_people(self, rows: list[DeviceRow]) -> None:
        people = self.query_one("#room-people", OptionList)
        before = self._highlighted()
        waiting = [row.name for row in rows if row.state == "waiting"]
        people.clear_options()
        people.add_options([Option(plain(row_text(row)), id=row.name) for row in rows])
        names = [row.name for row in rows]
        keep = before if before in names else None
        if waiting and (keep is None or keep not in waiting):
            keep = waiting[0]  # someone is waiting: they are what the trainer acts on next
        if names:
            people.highlighted = names.index(keep) if keep in names else 0

    # ----- which keys apply -----

    def _rows(self) -> dict[str, DeviceRow]:
        return {row.name: row for row in device_rows(self.session)}

    def _highlighted(self) -> str | None:
        people = self.query_one("#room-people", OptionList)
        index = people.highlighted
        if index is None or index >= people.option_count:
            return None
        return people.get_option_at_index(index).id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return True
        if self.view is None or self.session.ended is not None:
            return False
        states = {row.state for row in device_rows(self.session)}
        if action in ("accept", "refuse"):
            return "waiting" in states
        if action == "remove":
            return bool(states & {"waiting", "in"})
        if action == "stage_link":
            return self.projected
        return True

    # ----- requests posted up -----

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "room-address":
            self._open()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "room-open":
            self._open()

    def _open(self) -> None:
        if self.view is None and not self.opening:
            self.post_message(self.OpenRequested(self.query_one("#room-address", Input).value))

    def _waiting_one(self) -> str | None:
        name = self._highlighted()
        row = self._rows().get(name or "")
        if row is None or row.state != "waiting":
            self.notify(_("Highlight someone who is waiting (↑↓) first."), severity="warning")
            return None
        return row.name

    def action_accept(self) -> None:
        name = self._waiting_one()
        if name:
            self.post_message(Execute(c.AcceptDevice(participant=name)))

    def action_refuse(self) -> None:
        name = self._waiting_one()
        if name:
            self.post_message(Execute(c.RefuseDevice(participant=name)))

    def action_remove(self) -> None:
        from roleplay.ui.screens.confirm import ConfirmScreen

        row = self._rows().get(self._highlighted() or "")
        if row is None or row.state not in ("waiting", "in"):
            self.notify(_("Highlight someone whose phone is in the room or waiting (↑↓) first."), severity="warning")
            return
        name = row.name

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.post_message(Execute(c.RemoveDevice(participant=name)))

        self.app.push_screen(
            ConfirmScreen(
                _("Take {name}'s phone out of the room? It shows nothing more; {name} can join again with your acceptance.").format(name=name),
                yes=_("Remove"),
                no=_("Keep"),
            ),
            confirmed,
        )

    def action_lock(self) -> None:
        self.post_message(Execute(c.UnlockRoom() if self.session.room_locked else c.LockRoom()))

    def action_stage_link(self) -> None:
        from roleplay.ui.screens.confirm import ConfirmScreen
        from roleplay.ui.screens.cover import CoverScreen

        view = self.view
        if view is None:
            return
        text = _("Open this address in the browser of the computer that drives the projector:\n\n{url}\n\nKeep it private: it opens the stage.").format(
            url=view.stage_link
        )

        def show(ok: bool | None) -> None:
            if ok:
                self.app.push_screen(ConfirmScreen(text, yes=_("Done"), no=_("Hide"), title=_("Stage link")))

        self.app.push_screen(CoverScreen(), show)

    def action_close(self) -> None:
        self.dismiss(None)

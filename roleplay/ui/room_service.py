"""The room for the app's live session (issue 11): its server started and stopped off the UI thread.

Threads. The session belongs to the Textual thread. The room's web server hands each phone's command
to it as a `RoomCall` message: posting a message is safe from any thread and never waits, and the app
runs the job between key presses, then brings the screens up to date. Starting the server (it waits
until uvicorn listens) runs in a worker; stopping it (it waits for open connections to end) runs in a
thread of its own, so neither holds up the UI, not even when the app quits.

`RoomService` holds the one room of the live session and knows nothing of screens. `RoomControls`,
mixed into the app, turns what the room says into notifications, the count of waiting phones in the
phase header, and the room panel (roleplay/ui/screens/room_panel.py), which gets its data passed down
and posts its requests up.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from textual.message import Message

from roleplay.ui.i18n import _, ngettext

DEFAULT_ADDRESS = "0.0.0.0:0"  # every network, a free port: phones can join; the panel shows where


# ----- what the room says to the app ------------------------------------------------------------


class RoomCall(Message):
    """Run `job` on the UI thread, the session's owner (a phone's command, from the web server)."""

    def __init__(self, job: Callable[[], None]) -> None:
        super().__init__()
        self.job = job


class RoomJoinAsked(Message):
    """A phone asks to join as `participant`; the trainer accepts or refuses it in the room panel."""

    def __init__(self, participant: str) -> None:
        super().__init__()
        self.participant = participant


class RoomChanged(Message):
    """The room opened, closed or failed, or a phone's state changed; `notice` is said to the trainer."""

    def __init__(self, notice: str | None = None, severity: str = "information") -> None:
        super().__init__()
        self.notice = notice
        self.severity = severity


# ----- what the panel shows (plain data) ----------------------------------------------------------


@dataclass(frozen=True)
class RoomView:
    url: str  # what phones open (the QR code says the same)
    join_code: str
    listens_on: str  # host:port as bound
    beyond_loopback: bool
    stage_here: str | None  # the stage in a browser on this computer (no key needed from loopback)
    stage_link: str  # the stage from another computer: it holds the stage key, keep it private


@dataclass(frozen=True)
class DeviceRow:
    name: str
    state: str  # none, waiting, in, refused, removed
    via: str  # join (with the code) or link (their own link)


def device_rows(session: Any) -> list[DeviceRow]:
    """Each participant once, with the state of their phone: waiting first wins, then in, then the last."""
    rows = []
    for name in session.participants:
        devices = [d for d in session.devices.values() if d.participant == name]
        waiting = [d for d in devices if d.status == "waiting"]
        accepted = [d for d in devices if d.status == "accepted"]
        if waiting:
            rows.append(DeviceRow(name, "waiting", waiting[-1].via))
        elif accepted:
            rows.append(DeviceRow(name, "in", accepted[-1].via))
        elif devices:
            rows.append(DeviceRow(name, devices[-1].status, devices[-1].via))
        else:
            rows.append(DeviceRow(name, "none", ""))
    return rows


def waiting_names(session: Any) -> list[str]:
    return [row.name for row in device_rows(session) if row.state == "waiting"]


def badge_text(session: Any) -> tuple[str, int]:
    """The phase header's line while the room is open, and how many phones wait."""
    rows = device_rows(session)
    inside = sum(1 for row in rows if row.state == "in")
    waiting = sum(1 for row in rows if row.state == "waiting")
    text = _("Room: {count} in").format(count=inside)
    if waiting:
        text += " · " + ngettext("{count} waiting", "{count} waiting", waiting).format(count=waiting)
    return text, waiting


def stage_here(host: str, port: int) -> str | None:
    """The stage's address in a browser on this computer, when the room listens on loopback there."""
    if host in ("", "0.0.0.0", "localhost"):
        return f"http://127.0.0.1:{port}/stage"
    if host == "::":
        return f"http://[::1]:{port}/stage"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.is_loopback:
        return f"http://{host}:{port}/stage" if address.version == 4 else f"http://[{address}]:{port}/stage"
    return None


def saved_room() -> tuple[bool, str]:
    """Whether the trainer opened a room last time, and where (read in a worker: it is a file)."""
    from roleplay.ui.settings import load_settings

    settings = load_settings()
    return settings.get("room") == "yes", settings.get("room_address") or DEFAULT_ADDRESS


def remember_room(on: bool | None, address: str | None = None) -> None:
    """Remember the choice for the next set-up (None: the switch as it was); a failure is ignored."""
    from roleplay.ui.settings import save_setting

    try:
        if on is not None:
            save_setting("room", "yes" if on else "no")
        if address:
            save_setting("room_address", address)
    except OSError:
        pass


# ----- starting and stopping ------------------------------------------------------------------------


class RoomService:
    """The room of the app's live session: at most one, opened on request, closed with the session.

    `open` and `close` are called on the UI thread and return at once.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.session: Any = None
        self.room: Any = None  # roleplay.room.room.Room while open
        self.server: Any = None  # roleplay.room.server.RoomServer while open
        self.view: RoomView | None = None
        self.opening = False
        self.stoppers: list[threading.Thread] = []  # threads stopping servers (tests wait for them)

    @property
    def is_open(self) -> bool:
        return self.view is not None

    def open(self, session: Any, address: str) -> bool:
        """Start opening a room for `session` at `address` ([HOST:]PORT). False if one is open or opening."""
        if self.opening or self.view is not None or session is None or session.ended:
            return False
        self.opening = True
        self.session = session
        self.app.run_worker(lambda: self._start(session, address.strip()), thread=True, group="room")
        return True

    def _start(self, session: Any, address: str) -> None:
        """In a worker: the room's modules are imported and its server started here, never on the UI thread."""
        from roleplay.room.room import Room  # noqa: F401 - imported here, used on the UI thread
        from roleplay.room.server import RoomServer, RoomServerError, parse_address

        try:
            host, port = parse_address(address)
        except ValueError as exc:
            self._report(session, None, None, "", _("The room did not open: {error}.").format(error=exc))
            return
        room = self._call_ui(self._make_room, session)
        if room is None:
            return
        try:
            server = RoomServer(room, host, port)
            server.start()
        except (RoomServerError, OSError, ValueError) as exc:
            self._report(session, room, None, host, _("The room did not open: {error}.").format(error=exc))
            return
        self._report(session, room, server, host, None)

    def _call_ui(self, work: Callable[..., Any], *args: Any) -> Any:
        try:
            return self.app.call_from_thread(work, *args)
        except RuntimeError:  # the app has stopped meanwhile
            return None

    def _report(self, session: Any, room: Any, server: Any, host: str, error: str | None) -> None:
        if self._call_ui(self._started, session, room, server, host, error) is None and server is not None:
            server.stop()  # the app stopped meanwhile: nobody else will (this is a worker thread)

    def _make_room(self, session: Any) -> Any:
        """On the UI thread: the Room adds its session listener here, where the session's events happen."""
        from roleplay.room.room import Room, RoomClosed

        if session is not self.session or session.ended:
            self.opening = False
            if self.session is session:
                self.session = None
            return None

        def dispatch(job: Callable[[], None]) -> None:
            if not self.app.post_message(RoomCall(job)):
                raise RoomClosed("the app is closing")

        # An encrypted recording plays on phones only with the key this run already has (never asked again).
        folder = getattr(session, "folder", None)
        passphrase = self.app._passphrases.get(Path(folder)) if folder is not None else None
        return Room(session, dispatch=dispatch, video_passphrase=passphrase)

    def _started(self, session: Any, room: Any, server: Any, host: str, error: str | None) -> bool:
        """On the UI thread, once the server listens (or could not)."""
        from roleplay.core import commands as c
        from roleplay.core.engine import CommandError
        from roleplay.core.log import LogError
        from roleplay.room.server import url_host

        self.opening = False
        stale = session is not self.session or session.ended
        if error is None and not stale:
            try:
                session.execute(c.OpenRoom(address=f"{url_host(host)}:{server.port}"))
            except (CommandError, LogError) as exc:
                error = _("The room did not open: {error}.").format(error=exc)
        if error is not None or stale:
            if self.session is session:
                self.session = None
            if room is not None:
                room.close()
            if server is not None:
                self._stop_in_thread(server)
            if error is not None and not stale:
                self.app.post_message(RoomChanged(error, "error"))
            return True
        self.room, self.server = room, server
        url = server.url
        self.view = RoomView(
            url=url,
            join_code=room.join_code,
            listens_on=f"{url_host(host)}:{server.port}",
            beyond_loopback=server.beyond_loopback,
            stage_here=stage_here(host, server.port),
            stage_link=f"{url}/stage?key={room.stage_key}",
        )
        session.listeners.append(self._on_event)
        self.app.post_message(RoomChanged(_("The room is open: {url} · join code {code}").format(url=url, code=room.join_code)))
        return True

    def _on_event(self, event: Any) -> None:
        """A session listener (on the UI thread): joins, phones' states, the end of the session."""
        from roleplay.core import events as ev

        body = event.body
        if isinstance(body, ev.DeviceJoined):
            self.app.post_message(RoomJoinAsked(body.participant))
        elif isinstance(body, ev.ROOM_EVENTS):
            self.app.post_message(RoomChanged())
        elif isinstance(body, ev.SessionEnded):
            # Not here, in the middle of the session's listeners: right after, as a message.
            self.app.post_message(RoomCall(self.close))

    def close(self) -> None:
        """Close the room (UI thread, returns at once): no more commands; the server stops in a thread."""
        session, room, server, had = self.session, self.room, self.server, self.view is not None
        self.session = self.room = self.server = self.view = None
        if session is not None:
            try:
                session.listeners.remove(self._on_event)
            except ValueError:
                pass
        if room is not None:
            room.close()  # every event stream ends; a phone's late command gets "the room is closing"
        if server is not None:
            self._stop_in_thread(server)
        if had:
            self.app.post_message(RoomChanged(_("The room is closed: phones show nothing more.")))

    def _stop_in_thread(self, server: Any) -> None:
        thread = threading.Thread(target=server.stop, name="roleplay-room-stop", daemon=True)
        thread.start()
        self.stoppers = [t for t in self.stoppers if t.is_alive()] + [thread]


# ----- the app's side ---------------------------------------------------------------------------------


class RoomControls:
    """Mixed into RoleplayApp: the room key, join notices, the waiting count, the panel. Expects the App."""

    session: Any
    _room_service: RoomService | None = None
    _room_watching = False

    @property
    def room_service(self) -> RoomService:
        if self._room_service is None:
            self._room_service = RoomService(self)
        return self._room_service

    def open_room(self, session: Any, address: str) -> None:
        if not self.room_service.open(session, address):
            if self.room_service.is_open or self.room_service.opening:
                self.notify(_("The room is open already (l shows it)."), timeout=6)
            return
        self._watch_screens()
        self._room_refresh()

    def remember_room_choice(self, address: str | None) -> None:
        """The set-up's room choice, for next time. Saved once the session started: the settings file is
        rewritten whole on each save, and the start has just saved the support-lines country in its worker."""
        self.run_worker(lambda: remember_room(address is not None, address), thread=True, group="settings")

    def close_room(self) -> None:
        """Close the live session's room, if any (its RoomChanged message then updates what shows)."""
        if self._room_service is not None:
            self._room_service.close()

    def action_room_panel(self) -> None:
        from roleplay.ui.screens.room_panel import RoomPanelScreen

        if self.session is None or isinstance(self.screen, RoomPanelScreen):
            return
        service = self.room_service
        self.push_screen(RoomPanelScreen(self.session, service.view, opening=service.opening))

    # ----- messages -----

    def on_room_call(self, message: RoomCall) -> None:
        message.job()
        self._sync()

    def on_room_join_asked(self, message: RoomJoinAsked) -> None:
        from roleplay.ui.screens.room_panel import RoomPanelScreen

        name = message.participant
        if isinstance(self.screen, RoomPanelScreen):
            text = _("{name} asks to join: a accepts, r refuses.").format(name=name)
        else:
            key = self._room_key()
            if key:
                text = _("{name} asks to join — press {key} to accept or refuse").format(name=name, key=key)
            else:
                text = _("{name} asks to join — the room panel (l on the phase screens) accepts or refuses").format(name=name)
        self.notify(text, title=_("Room"), timeout=12)
        self._room_refresh()

    def on_room_changed(self, message: RoomChanged) -> None:
        if message.notice:
            self.notify(message.notice, severity=message.severity, timeout=10 if message.severity == "information" else 20)
        self._room_refresh()

    def on_room_panel_screen_open_requested(self, message: Any) -> None:
        address = message.address.strip() or DEFAULT_ADDRESS
        if self.session is None or self.session.ended:
            return
        self.open_room(self.session, address)
        self.run_worker(lambda: remember_room(None, address), thread=True, group="settings")  # the address only

    # ----- keeping what shows in step -----

    def _room_key(self) -> str | None:
        """The key that opens the room panel on the screen showing now, if any."""
        for key, active in self.screen.active_bindings.items():
            if active.binding.action == "room_panel" and active.enabled:
                return str(key)
        return None

    def _watch_screens(self) -> None:
        """A phase screen shown later gets the waiting count too."""
        if not self._room_watching:
            self._room_watching = True
            self.screen_change_signal.subscribe(self, lambda screen: self.call_after_refresh(self._room_refresh))

    def _room_refresh(self) -> None:
        from roleplay.ui.screens.phase import PhaseScreen
        from roleplay.ui.screens.room_panel import RoomPanelScreen
        from roleplay.ui.widgets.room_badge import RoomBadge

        service = self.room_service
        session = service.session if service.is_open else None
        text, waiting = badge_text(session) if session is not None else (None, 0)
        for screen in self.screen_stack:
            if isinstance(screen, RoomPanelScreen):
                screen.show_room(service.view, opening=service.opening)
            elif isinstance(screen, PhaseScreen) and screen.is_mounted:
                badges = list(screen.query(RoomBadge))
                headers = screen.query("#phase-header")
                if not badges and text is not None and headers:
                    badge = RoomBadge()
                    headers.first().mount(badge, before="#rec-indicator")
                    badges = [badge]
                for badge in badges:
                    badge.show(text, waiting)

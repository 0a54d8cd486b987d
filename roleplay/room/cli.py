"""What `roleplay play --room` adds: open the room on the session, say where it is, tell of joins.

The headless contract (scripts and tests rely on it): standard output gets `room: URL` and, with
`--room-links`, one `link NAME URL` line per participant, after the JSON line of the `room_opened`
event. Everything for the person at the terminal goes to standard error: the join code, the QR code,
the stage's address, a warning when the room listens beyond this computer, and `join: NAME waiting
(accept NAME / refuse NAME)` whenever a phone asks to join.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from roleplay.cli.errors import CliError
from roleplay.cli.output import note, out, unguarded, warn
from roleplay.core import commands as c
from roleplay.core import events as ev
from roleplay.core.i18n import _
from roleplay.room.room import Room
from roleplay.room.server import RoomServer, RoomServerError, parse_address, url_host


def join_notes(event: Any) -> None:
    """A session listener: tells the trainer when a phone asks to join, and what became of it."""
    body = event.body
    if isinstance(body, ev.DeviceJoined):
        note(_("join: {participant} waiting (accept {participant} / refuse {participant})").format(participant=body.participant))
    elif isinstance(body, ev.DeviceAccepted):
        if body.via == "link":
            note(_("room: {participant} is in (by their link)").format(participant=body.participant))
        else:
            note(_("room: {participant} is in").format(participant=body.participant))
    elif isinstance(body, ev.DeviceRemoved):
        note(_("room: a device of {participant} was removed").format(participant=body.participant))
    elif isinstance(body, ev.ReplayAllowed):
        note(_("room: replay on: each phone can watch the recorded scenes its person was in (replay off stops it)"))
    elif isinstance(body, ev.ReplayStopped):
        note(_("room: replay off: phones show no recording"))


def open_room(session: Any, address: str, *, links: bool, dispatch: Callable[[Callable[[], None]], None]) -> RoomServer:
    """Start the room's server for `session` (on this, the owner, thread) and print where it is."""
    try:
        host, port = parse_address(address)
    except ValueError as exc:
        raise CliError(f"--room {exc}") from None
    room = Room(session, dispatch=dispatch)
    server = RoomServer(room, host, port)
    try:
        server.start()
    except RoomServerError as exc:
        raise CliError(str(exc)) from None
    session.listeners.append(join_notes)
    session.execute(c.OpenRoom(address=f"{url_host(host)}:{server.port}"))
    url = server.url
    out(f"room: {url}", flush=True)
    if links:
        for name, token in room.link_tokens.items():
            out(f"link {name} {url}/link/{token}", flush=True)
    if server.beyond_loopback:
        warn(_("the room listens on {host}:{port}, beyond this computer: anyone on the network can open the join page (they still need the join code and your acceptance)").format(host=url_host(host), port=server.port))
    note(_("join code: {join_code}   (participants open {url} and type it; accept NAME / refuse NAME, remove NAME, lock, unlock)").format(join_code=room.join_code, url=url))
    stage_key_url = f"{url}/stage?key={room.stage_key}"
    if server.local_url:
        note(_("stage for the projector: {local}/stage on this computer, or {url} from another").format(
            local=server.local_url, url=stage_key_url))
    else:
        note(_("stage for the projector: {url} (this address needs the key, on this computer too)").format(url=stage_key_url))
    note(_("trainer: {link}   (your script and notes on a phone or tablet; keep it to yourself)").format(
        link=room.trainer_link(url)))
    _qr(url)
    return server


def _qr(url: str) -> None:
    try:
        import segno
    except ImportError:  # pragma: no cover - segno is a dependency
        return
    with unguarded(stdout=False):
        segno.make(url, error="m").terminal(out=sys.stderr, compact=True)
    sys.stderr.flush()

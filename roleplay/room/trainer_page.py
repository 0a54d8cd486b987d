"""The trainer's page (issue 11): the current phase's script, the events' notes and the trainer's notes
so far, on a phone or tablet, with a form to add a note privately and a switch for the replay on phones.

It opens only with the trainer's token, made for this run of the room (`Room.trainer_token`):
`play --room` prints its address on standard error as `trainer: URL`, and the app asks
`room.trainer_link(base_url)`. Opened with `?key=TOKEN`, the page puts the token into an HttpOnly,
SameSite=Strict cookie, as a phone's token is kept, and every request (page, fragment, event stream,
form) checks that cookie. Nothing else opens it: not the loopback address (unlike the stage), not a
participant's cookie, not the stage key. Wrong keys count against the address's join attempts.

The page is rendered on the server from the room's snapshot (`snapshot.trainer`, built on the
session's owner thread: see trainer_view.py) and is readable without JavaScript; room.js keeps it
live through `/trainer/events`, like a phone's page. It stays open after the session has ended: the
trainer may still note something and open the replay. Notes are the typed `AddNote` command, carried
out on the owner thread like the console's; forms carry a CSRF token made from the cookie.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from roleplay.core import commands as c
from roleplay.core.i18n import _
from roleplay.core.state import CommandError
from roleplay.room.forms import read_form
from roleplay.room.room import Room, RoomClosed, csrf_for, csrf_ok
from roleplay.room.stream import change_stream

TRAINER_COOKIE = "roleplay_trainer"
COOKIE_AGE = 24 * 3600
MAX_NOTE_CHARS = 2000


def trainer_routes(room: Room) -> list[Route]:
    """The trainer's page, its live fragment, its event stream and its forms."""
    from roleplay.room.server import _html, message_page  # the room's page helpers (server.py imports this module)

    def token_of(request: Request) -> str | None:
        token = request.cookies.get(TRAINER_COOKIE)
        return token if room.trainer_ok(token) else None

    def client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def not_yours() -> HTMLResponse:
        return message_page(403, _("Not the trainer's page"), _("This page opens only with the trainer's own link."))

    def context(token: str, error: str = "") -> dict[str, Any]:
        snap = room.snapshot
        return {"view": snap.trainer, "phase": snap.stage, "version": snap.version, "now": room.session.clock.wall(),
                "csrf": csrf_for(token), "error": error, "max_note": MAX_NOTE_CHARS}

    def page(token: str, status: int = 200, error: str = "") -> HTMLResponse:
        return _html("trainer.html", status, script=True, refresh=30, **context(token, error))

    async def show(request: Request) -> Response:
        key = request.query_params.get("key")
        if key is not None:
            if not room.trainer_ok(key):
                if not room.limiter.allow(client(request)):
                    return message_page(429, _("Too many tries"), _("Please wait a minute, then try again."))
                return not_yours()
            response = page(key)  # served here, not after a redirect: a Strict cookie set by one is not sent
            response.set_cookie(TRAINER_COOKIE, key, max_age=COOKIE_AGE, path="/", httponly=True, samesite="strict")
            return response
        token = token_of(request)
        if token is None:
            return not_yours()
        return page(token)

    async def fragment(request: Request) -> Response:
        token = token_of(request)
        if token is None:
            return PlainTextResponse("", status_code=403)
        return _html("trainer_live.html", **context(token))

    async def events(request: Request) -> Response:
        if token_of(request) is None or room.closing.is_set():
            return PlainTextResponse("", status_code=403)
        return change_stream(room, request)

    async def run(command: c.Command) -> str | None:
        """Carry out a command on the session's owner thread; why it was refused, or None."""
        try:
            await run_in_threadpool(room.run, command)
        except CommandError as exc:
            return str(exc)
        except TimeoutError:
            return _("The trainer's computer is busy. Please try again in a moment.")
        except RoomClosed:
            return _("The room is closing.")
        return None

    async def posted(request: Request) -> tuple[str, dict[str, str]] | Response:
        token = token_of(request)
        if token is None:
            return not_yours()
        form = await read_form(request)
        if form is None:
            return page(token, 400, _("That form could not be read."))
        if not csrf_ok(token, form.get("csrf")):
            return page(token, 403, _("This form has expired. Please try again."))
        return token, form

    async def note(request: Request) -> Response:
        got = await posted(request)
        if isinstance(got, Response):
            return got
        token, form = got
        text = form.get("text", "").strip()
        if not text or len(text) > MAX_NOTE_CHARS:
            return page(token, 409, _("Write something, at most {count} characters.").format(count=MAX_NOTE_CHARS))
        refused = await run(c.AddNote(text=text))
        if refused is not None:
            return page(token, 409, refused)
        return RedirectResponse("/trainer", status_code=303)

    async def replay(request: Request) -> Response:
        got = await posted(request)
        if isinstance(got, Response):
            return got
        token, form = got
        command: c.Command = c.AllowReplay() if form.get("replay") == "on" else c.StopReplay()
        refused = await run(command)
        if refused is not None:
            return page(token, 409, refused)
        return RedirectResponse("/trainer", status_code=303)

    return [
        Route("/trainer", show, methods=["GET"]),
        Route("/trainer/fragment", fragment, methods=["GET"]),
        Route("/trainer/events", events, methods=["GET"]),
        Route("/trainer/note", note, methods=["POST"]),
        Route("/trainer/replay", replay, methods=["POST"]),
    ]

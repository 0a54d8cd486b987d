"""The room's web server: a Starlette app (`make_room_app`) and uvicorn in a background thread (`RoomServer`).

Pages are rendered on the server from `roleplay/pages/templates/room/` with the project's one Jinja2
environment (autoescape, StrictUndefined), only from the room's snapshot (see `room.py`), and are
readable without JavaScript. `static/room.js` (plain JS, vendored, no build step) keeps them live: it
listens to `/events` (server-sent events: a `changed` ping after each new log event) and fetches the
page's fragment again, and counts the timer down between pings.

Security: a device's token is a `secrets.token_urlsafe(32)` in an HttpOnly, SameSite=Strict cookie;
every page, fragment and event stream looks its SHA-256 up among the devices the log accepted.
Forms carry a CSRF token derived from the browser's own cookie (compared with `hmac.compare_digest`).
Join and link attempts are rate-limited per client address. Requests must name the server by an IP
address or `localhost` (no DNS rebinding). Error pages never show a traceback. A removed device, a
refused one, and every device once the session has ended, get a 403 page and nothing else.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
import threading
import time
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from roleplay.core import commands as c
from roleplay.core.i18n import _, in_language
from roleplay.core.state import CommandError
from roleplay.pages.render import render
from roleplay.room.room import (
    Refused,
    Room,
    RoomClosed,
    csrf_for,
    csrf_ok,
    new_device_id,
    new_token,
    normal_code,
    token_hash,
)
from roleplay.room.stream import change_stream
from roleplay.room.visibility import PHONE_MARKER_LABEL

DEVICE_COOKIE = "roleplay_device"
JOIN_COOKIE = "roleplay_join"  # before joining: the browser's own secret, from which the form's CSRF token is made
STAGE_COOKIE = "roleplay_stage"
COOKIE_AGE = 24 * 3600
MAX_FORM_BYTES = 32 * 1024  # the quality sheet's 1000-character answers, percent-encoded
MARK_EVERY = 10.0  # seconds: a phone marks at most one moment in each such window

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; media-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def _static(name: str) -> bytes:
    return resources.files("roleplay.room").joinpath("static", name).read_bytes()


def _host_ok(host_header: str, extra: frozenset[str]) -> bool:
    """The Host header names this server by an IP address or localhost (a DNS name could be a rebinding)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host in extra or host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Guard:
    """Outermost layer inside the error handler: the Host check and the security headers on every response."""

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str] = frozenset(), language: str | None = None):
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.language = language  # the session's: every page and message of this request is in it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
            await send(message)

        with in_language(self.language):  # this request's task only: other sessions' requests are not affected
            if not _host_ok(Headers(scope=scope).get("host", ""), self.allowed_hosts):
                response = message_page(400, _("Wrong address"), _("Open the room by the address the trainer shows."))
                await response(scope, receive, send_with_headers)
                return
            await self.app(scope, receive, send_with_headers)


def _html(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("script", False)
    context.setdefault("refresh", 0)
    return HTMLResponse(render(f"room/{template}", **context), status_code=status)


def message_page(status: int, title: str, text: str, link: tuple[str, str] | None = None) -> HTMLResponse:
    return _html("message.html", status, title=title, text=text, link=link)


def _fragment_403() -> PlainTextResponse:
    return PlainTextResponse("", status_code=403)


def make_room_app(room: Room, *, allowed_hosts: frozenset[str] = frozenset()) -> Starlette:
    """The room's ASGI app. `allowed_hosts`: host names accepted besides IP addresses and localhost."""

    # ----- who is asking ----------------------------------------------------------------------------

    def device_of(request: Request) -> Any:
        return room.snapshot.device(request.cookies.get(DEVICE_COOKIE))

    def client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def stage_allowed(request: Request) -> bool:
        if is_loopback(client(request)):
            return True
        return key_ok(request.cookies.get(STAGE_COOKIE))

    def key_ok(given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(token_hash(given or ""), token_hash(room.stage_key))

    def ended_page() -> HTMLResponse:
        return message_page(403, _("The session has ended"), _("Thank you for taking part. This page shows nothing more."))

    def gone_page(status: str) -> HTMLResponse:
        if status == "refused":
            text = _("The trainer did not let this phone in. If that was a mistake, ask them and join again.")
        elif status == "removed":
            text = _("The trainer took this phone out of the room. Ask them if you need to join again.")
        else:
            text = _("This page is for phones that have joined the room.")
        response = message_page(403, _("Not in the room"), text, ("/", _("Join the room")))
        response.delete_cookie(DEVICE_COOKIE, path="/")
        return response

    def set_device_cookie(response: Response, token: str) -> None:
        response.set_cookie(DEVICE_COOKIE, token, max_age=COOKIE_AGE, path="/", httponly=True, samesite="strict")
        response.delete_cookie(JOIN_COOKIE, path="/")

    def phone_state(device: Any, view: Any) -> dict[str, Any]:
        """What the room remembers of this phone's actions (votes, the sheet, whom it observes)."""
        actions = view.actions
        if actions is None:
            return {"voted": set(), "answered": False, "observing": None}
        choices = [name for name, _ in actions.checklists[0].observable] if actions.checklists else []
        return {
            "voted": {v.id for v in actions.votes if room.has_done(device, ("vote", v.id, actions.visit))},
            "answered": bool(actions.form) and room.has_done(device, ("form", actions.form.id)),
            "observing": room.observing(device, choices),
        }

    def me_context(device: Any, token: str) -> dict[str, Any]:
        snap = room.snapshot
        view = snap.people[device.participant]
        return {"view": view, "version": snap.version, "now": room.session.clock.wall(), "csrf": csrf_for(token),
                "phone": phone_state(device, view),
                "replay_open": bool(snap.replay and snap.replay.allowed and snap.replay.consented)}  # replay_pages.py

    def me_page(device: Any, token: str, status: int = 200) -> HTMLResponse:
        return _html("me.html", status, script=True, refresh=30, **me_context(device, token))

    async def run(command: c.Command) -> str | None:
        """Hand a command to the session's owner; the reason it was refused, or None."""
        try:
            await run_in_threadpool(room.run, command)
        except CommandError as exc:
            return str(exc)
        except TimeoutError:
            return _("The trainer's computer is busy. Please try again in a moment.")
        except RoomClosed:
            return _("The room is closing.")
        return None

    # ----- pages ----------------------------------------------------------------------------------------

    async def join_page(request: Request) -> Response:
        snap = room.snapshot
        if snap.ended:
            return ended_page()
        device = device_of(request)
        if device is not None:
            if device.status == "accepted":
                return RedirectResponse("/me", status_code=303)
            if device.status == "waiting":
                return _html("waiting.html", name=device.participant, version=snap.version, script=True, refresh=5)
            return gone_page(device.status)
        if snap.locked:
            return message_page(403, _("The room is closed"), _("The trainer is not letting new phones in right now. "
                                "Ask them if you need to join."))
        secret = request.cookies.get(JOIN_COOKIE) or ""
        fresh = not (20 <= len(secret) <= 100)
        if fresh:
            secret = new_token()
        response = _html("join.html", names=snap.free_names(), csrf=csrf_for(secret), error="")
        if fresh:
            response.set_cookie(JOIN_COOKIE, secret, max_age=3600, path="/", httponly=True, samesite="strict")
        return response

    async def read_form(request: Request) -> dict[str, str] | None:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                return None
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=60)
        except (UnicodeDecodeError, ValueError):
            return None
        return {key: values[0] for key, values in fields.items()}

    async def join(request: Request) -> Response:
        snap = room.snapshot
        if snap.ended:
            return ended_page()
        if not room.limiter.allow(client(request)):
            return message_page(429, _("Too many tries"), _("Please wait a minute, then try again."), ("/", _("Back")))
        form = await read_form(request)
        if form is None:
            return message_page(400, _("Something went wrong"), _("That form could not be read."), ("/", _("Back")))
        secret = request.cookies.get(JOIN_COOKIE)
        if not csrf_ok(secret, form.get("csrf")):
            return message_page(403, _("Please start again"), _("This form has expired. Open the join page again."),
                                ("/", _("Join the room")))
        existing = device_of(request)
        if existing is not None and existing.status in ("waiting", "accepted"):
            return RedirectResponse("/", status_code=303)
        assert secret is not None

        def again(error: str, status: int) -> HTMLResponse:
            return _html("join.html", status, names=room.snapshot.free_names(), csrf=csrf_for(secret), error=error)

        if normal_code(form.get("code", "")) != room.join_code:
            return again(_("That code is not right. Check the code on the screen."), 403)
        name = form.get("name", "")
        if name not in snap.participants:
            return again(_("Choose your name from the list."), 400)
        if name in snap.taken:
            return again(_("{name} has already joined. If that is you, tell the trainer.").format(name=name), 409)
        token = new_token()
        refused = await run(c.AskToJoin(participant=name, device=new_device_id(), token_sha256=token_hash(token)))
        if refused is not None:
            return again(refused, 409)
        # Post/redirect/get: the waiting page is "/", so reloading it (by hand, by its refresh or its script)
        # never sends the join form again.
        response = RedirectResponse("/", status_code=303)
        set_device_cookie(response, token)
        return response

    async def me(request: Request) -> Response:
        snap = room.snapshot
        if snap.ended:
            ended_device = device_of(request)
            if snap.replay and snap.replay.allowed and ended_device is not None and ended_device.status == "accepted":
                return RedirectResponse("/me/replay", status_code=303)  # after the end, the replay (replay_pages.py)
            return ended_page()
        device = device_of(request)
        if device is None or device.status != "accepted":
            if device is not None and device.status == "waiting":
                return RedirectResponse("/", status_code=303)
            return gone_page(device.status if device else "")
        return me_page(device, request.cookies.get(DEVICE_COOKIE, ""))

    async def me_fragment(request: Request) -> Response:
        snap = room.snapshot
        device = device_of(request)
        if snap.ended or device is None or device.status != "accepted":
            return _fragment_403()
        return _html("_me_live.html", **me_context(device, request.cookies.get(DEVICE_COOKIE, "")))

    async def link(request: Request) -> Response:
        snap = room.snapshot
        if snap.ended:
            return ended_page()
        token = request.path_params["token"]
        known = snap.device(token)
        if known is not None:
            if known.status != "accepted":
                return gone_page(known.status)
            response = me_page(known, token)
            set_device_cookie(response, token)
            return response
        if not room.limiter.allow(client(request)):
            return message_page(429, _("Too many tries"), _("Please wait a minute, then try again."))
        name = room.link_owner(token)
        if name is None:
            return message_page(403, _("This link opens nothing"), _("Ask the trainer for your link, or join with the code."),
                                ("/", _("Join the room")))
        refused = await run(c.SignInByLink(participant=name, device=new_device_id(), token_sha256=token_hash(token)))
        if refused is not None:
            return message_page(409, _("Not signed in"), refused, ("/", _("Join the room")))
        now_known = room.snapshot.device(token)
        if now_known is None:  # pragma: no cover - the command was carried out, so the snapshot knows it
            return message_page(409, _("Not signed in"), _("Please open your link again."))
        response = me_page(now_known, token)  # not a redirect: a Strict cookie set by a redirect is not sent
        set_device_cookie(response, token)
        return response

    async def stage(request: Request) -> Response:
        key = request.query_params.get("key")
        if key is not None and not key_ok(key):
            return message_page(403, _("Not the stage"), _("This key does not open the stage."))
        if key is None and not stage_allowed(request):
            return message_page(403, _("Not the stage"), _("The stage opens on the trainer's computer, or with the stage link."))
        snap = room.snapshot
        if snap.ended:
            return ended_page()
        response = _html("stage.html", view=snap.stage, version=snap.version, now=room.session.clock.wall(),
                         join_code=room.join_code, script=True, refresh=30)
        if key is not None:  # the page is served here, not after a redirect: a Strict cookie set by one is not sent
            response.set_cookie(STAGE_COOKIE, key, max_age=COOKIE_AGE, path="/", httponly=True, samesite="strict")
        return response

    async def stage_fragment(request: Request) -> Response:
        snap = room.snapshot
        if not stage_allowed(request) or snap.ended:
            return _fragment_403()
        return _html("_stage_live.html", view=snap.stage, version=snap.version, now=room.session.clock.wall())

    async def events(request: Request) -> Response:
        device = device_of(request)
        is_stage = device is None and stage_allowed(request)
        if room.snapshot.ended or (not is_stage and (device is None or device.status not in ("waiting", "accepted"))):
            return _fragment_403()
        token = request.cookies.get(DEVICE_COOKIE)
        def still_in() -> bool:
            snap = room.snapshot
            if snap.ended:
                return False
            if is_stage:
                return True
            now = snap.device(token)
            return now is not None and now.status in ("waiting", "accepted")

        return change_stream(room, request, still_in)

    # ----- what phones do (issue 11): typed commands, checked on the owner thread (Room.act) ----------

    def refused_page(status: int, text: str) -> HTMLResponse:
        title = _("Not yours to do") if status == 403 else _("Not now")
        return message_page(status, title, text, ("/me", _("Back to your page")))

    async def act(request: Request) -> Response:
        snap = room.snapshot
        if snap.ended:
            return ended_page()
        token = request.cookies.get(DEVICE_COOKIE)
        device = snap.device(token)
        if device is None or device.status != "accepted":
            return gone_page(device.status if device else "")
        form = await read_form(request)
        if form is None:
            return message_page(400, _("Something went wrong"), _("That form could not be read."), ("/me", _("Back")))
        if not csrf_ok(token, form.get("csrf")):
            return message_page(403, _("Please try again"), _("This form has expired. Your page shows it again."),
                                ("/me", _("Back to your page")))
        name = device.participant
        view = snap.people[name]
        actions = view.actions
        action = request.path_params["action"]
        once: Any = None
        already = _("This phone has done that already.")
        anonymous = False  # votes and the sheet: held and written in shuffled batches (room/ballots.py)
        commands: list[c.Command]
        try:
            if action == "observe":
                choices = [p for cl in (actions.checklists if actions else []) for p, _ in cl.observable]
                if form.get("by") not in choices:
                    return refused_page(403, _("Choose someone you observe."))
                room.observe(device, form["by"])
                return RedirectResponse("/me", status_code=303)
            if action in ("tick", "untick"):
                kind = c.TickItem if action == "tick" else c.UntickItem
                commands = [kind(checklist=form.get("checklist", ""), item=form.get("item", ""), by=form.get("by") or None)]
            elif action == "vote":
                vote = form.get("vote", "")
                commands = [c.CastVote(vote=vote, option=form.get("option", ""))]
                once = lambda session, vote=vote: ("vote", vote, len(session.history))  # noqa: E731
                already = _("This phone has voted already.")
                anonymous = True
            elif action == "rate":
                commands = [c.Rate(scale=form.get("scale", ""), value=int(form.get("value", "")), by=name)]
            elif action == "entry":
                commands = [c.AddEntry(collection=form.get("collection", ""), text=form.get("text", "").strip(), by=name)]
            elif action == "answer":
                sheet = actions.form if actions else None
                if sheet is None or form.get("form") != sheet.id:
                    return refused_page(409, _("The sheet is not open now."))
                commands = []
                for question in sheet.questions:
                    value = form.get(f"q-{question.id}", "").strip()
                    if not value:
                        continue  # every question may be left out
                    if question.answer == "rating" and not (value.isdigit() and question.min <= int(value) <= question.max):
                        return refused_page(409, _("Answer with a number from {min} to {max}.").format(min=question.min, max=question.max))
                    # An anonymous sheet's answers carry no name; a named form's (a self-assessment) carry the phone's person.
                    commands.append(c.AnswerForm(question=question.id, value=value, by=None if sheet.anonymous else name))
                if not commands:
                    return refused_page(409, _("The sheet was empty: answer at least one question."))
                once = lambda session, form_id=sheet.id: ("form", form_id)  # noqa: E731
                already = _("This phone has sent its answers already. Thank you.")
                anonymous = sheet.anonymous
            elif action == "mark":
                commands = [c.AddMarker(label=str(PHONE_MARKER_LABEL))]  # in the session's language
                window = int(time.monotonic() // MARK_EVERY)  # one mark per phone every few seconds
                once = lambda session, window=window: ("mark", window)  # noqa: E731
                already = _("This moment is marked already.")
            else:
                return message_page(404, _("Not here"), _("There is no such page in the room."), ("/me", _("Back to your page")))
        except (ValueError, ValidationError):
            return refused_page(409, _("That answer could not be read. Please try again."))
        try:
            await run_in_threadpool(room.act, device, commands, once, already, anonymous)
        except Refused as exc:
            return refused_page(exc.status, exc.message)
        except CommandError as exc:
            return refused_page(409, str(exc))
        except TimeoutError:
            return refused_page(409, _("The trainer's computer is busy. Please try again in a moment."))
        except RoomClosed:
            return refused_page(409, _("The room is closing."))
        return RedirectResponse("/me", status_code=303)

    script = _static("room.js")
    style = _static("room.css")

    async def static_js(request: Request) -> Response:
        return Response(script, media_type="text/javascript; charset=utf-8")

    async def static_css(request: Request) -> Response:
        return Response(style, media_type="text/css; charset=utf-8")

    # ----- errors: a plain page, never a traceback ------------------------------------------------------

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            return message_page(404, _("Not here"), _("There is no such page in the room."), ("/", _("Start page")))
        if status == 405:
            return message_page(405, _("Not like that"), _("This page cannot be used that way."), ("/", _("Start page")))
        return message_page(status, _("Something went wrong"), _("Please go back and try again."), ("/", _("Start page")))

    async def server_error(request: Request, exc: Exception) -> Response:
        with in_language(room.session.language):  # outside _Guard: Starlette's outermost layer calls this
            return message_page(500, _("Something went wrong"), _("The room could not show this page. Please try again; "
                                "if it keeps happening, tell the trainer."), ("/", _("Start page")))

    from roleplay.room.replay_pages import replay_routes  # here: they use this module's page helpers
    from roleplay.room.trainer_page import trainer_routes

    routes = [
        Route("/", join_page, methods=["GET"]),
        Route("/join", join, methods=["POST"]),
        Route("/me", me, methods=["GET"]),
        Route("/me/fragment", me_fragment, methods=["GET"]),
        Route("/me/do/{action}", act, methods=["POST"]),
        Route("/events", events, methods=["GET"]),
        Route("/stage", stage, methods=["GET"]),
        Route("/stage/fragment", stage_fragment, methods=["GET"]),
        Route("/link/{token}", link, methods=["GET"]),
        Route("/static/room.js", static_js, methods=["GET"]),
        Route("/static/room.css", static_css, methods=["GET"]),
        *trainer_routes(room),  # the trainer's page: roleplay/room/trainer_page.py
        *replay_routes(room),  # replay on phones: roleplay/room/replay_pages.py
    ]
    return Starlette(
        debug=False,
        routes=routes,
        middleware=[Middleware(_Guard, allowed_hosts=allowed_hosts, language=room.session.language)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )


# ----- running it --------------------------------------------------------------------------------------


class RoomServerError(Exception):
    """The room's server could not start (the address is taken, not this computer's...)."""


def parse_address(text: str) -> tuple[str, int]:
    """`PORT`, `HOST:PORT` or `[IPv6]:PORT` as (host, port); the host defaults to 127.0.0.1."""
    text = text.strip()
    host, port_text = "127.0.0.1", text
    if text.startswith("["):
        inside, _sep, rest = text[1:].partition("]")
        host, port_text = inside, rest.lstrip(":")
    elif ":" in text:
        host, _sep, port_text = text.rpartition(":")
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(_("'{text}' is not PORT or HOST:PORT (a port is 0-65535; 0 picks a free one)").format(text=text))
    if not host:
        raise ValueError(_("'{text}' has no host before the port").format(text=text))
    return host, int(port_text)


def lan_address() -> str | None:
    """This computer's address on the local network (no packet is sent), for a room bound to every address."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
    except OSError:
        return None


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class RoomServer:
    """uvicorn serving a room's app in a background thread; `start()` returns once it listens."""

    def __init__(self, room: Room, host: str = "127.0.0.1", port: int = 0, start_timeout: float = 15.0):
        import uvicorn

        self.room = room
        self.host = host
        self.start_timeout = start_timeout
        self.config = uvicorn.Config(
            make_room_app(room), host=host, port=port, log_level="warning", access_log=False, lifespan="off",
            log_config=None, timeout_graceful_shutdown=3, server_header=False,
        )
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self._serve, name="roleplay-room", daemon=True)
        self.error: BaseException | None = None
        self.port = port

    def _serve(self) -> None:
        try:
            self.server.run()
        except BaseException as exc:  # noqa: BLE001 - reported by start()
            self.error = exc

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if not self.thread.is_alive():
                where = f"{url_host(self.host)}:{self.config.port}"
                if self.error:
                    raise RoomServerError(_("the room could not listen on {address}: {error}").format(address=where, error=self.error))
                raise RoomServerError(_("the room could not listen on {address} (is the address in use, or not this computer's?)")
                                      .format(address=where))
            if time.monotonic() > deadline:
                self.stop()
                raise RoomServerError(_("the room did not start listening within {seconds:.0f} s").format(seconds=self.start_timeout))
            self.thread.join(0.01)
        sockets = [s for server in self.server.servers for s in server.sockets]
        self.port = sockets[0].getsockname()[1] if sockets else self.config.port

    @property
    def url(self) -> str:
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = lan_address() or "127.0.0.1"
        return f"http://{url_host(host)}:{self.port}"

    @property
    def local_url(self) -> str | None:
        """The address this computer reaches the server by as a loopback client (the stage needs no key then).

        None when the server listens on one non-loopback address only: then even this computer comes
        from that address, and the stage needs its key.
        """
        if self.host in ("0.0.0.0", ""):
            return f"http://127.0.0.1:{self.port}"
        if self.host == "::":
            return f"http://[::1]:{self.port}"
        return f"http://{url_host(self.host)}:{self.port}" if is_loopback(self.host) else None

    @property
    def beyond_loopback(self) -> bool:
        return not is_loopback(self.host)

    def stop(self, timeout: float = 10.0) -> None:
        self.room.close()
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout)

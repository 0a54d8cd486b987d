"""Replay on phones (issue 11): each participant watches the recorded scenes they were in, with their
own reflections, and adds reflections at a moment of the video; only while the trainer allows it
(`replay on` / `replay off`, the typed commands AllowReplay / StopReplay), during the session or after
its end while the room is still open.

Who may watch what: a phone sees only the scenes its person was in (roleplay/room/scenes.py says how
that is worked out from the log); any other scene number is "not here", page and video alike. No
phone gets a recording once anyone has withdrawn their consent to being filmed.

The video: `/me/replay/N/video` serves the scene as one MP4 made on the fly from its segments
(scene_video.py), by HTTP range requests (`Range: bytes=`; 206 with Content-Range; 416 when the range
starts beyond the end). One response carries at most `MAX_RANGE_BYTES`: a video element asks again for
the rest, and each request is checked afresh (the phone still in the room, the replay still open), so
`replay off` or `remove NAME` stops the video within seconds. A range's bytes are made before its answer
starts, so an unreadable segment gets a plain error, never an answer shorter than it promised. A
request without a Range (not a video element's) gets the whole file in chunked encoding, which stops
early the same way. Several ranges in
one header, another unit, or a malformed one: the header is ignored, as HTTP allows. Every read of the
disk, and every decryption, happens in a worker thread, one segment at a time.

Reflections go through the typed `AddReflection` command on the session's owner thread
(`Room.act`, checked again there by visibility.reflection_refusal), into the session log as
`reflection` events with the scene's recording time, as `roleplay replay` writes them.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from typing import Any, AsyncIterator, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from roleplay.core import commands as c
from roleplay.core.i18n import _
from roleplay.core.state import CommandError
from roleplay.room.forms import read_form
from roleplay.room.room import Refused, Room, RoomClosed, csrf_for, csrf_ok
from roleplay.room.scenes import Scene, clock_text, parse_clock, reflections_in, scenes_for
from roleplay.room.visibility import MAX_REFLECTION_CHARS

MAX_RANGE_BYTES = 1024 * 1024  # one response at most, made in memory: the next range request is checked afresh
KEEP_VIDEOS = 6  # scenes whose layout stays in memory (a few numbers per segment each)
REFLECT_EVERY = 2.0  # seconds: a phone adds at most one reflection in such a time
_RANGE = re.compile(r"([0-9]*)-([0-9]*)")
_DIGITS = 18  # more digits than that is beyond any file


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The one byte range a `Range` header asks for, as (first, last); "unsatisfiable" (416); or None
    when the header is absent or to be ignored (another unit, several ranges, malformed: the whole file)."""
    if header is None or len(header) > 200:
        return None
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _RANGE.fullmatch(spec.strip())
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # the last N bytes
        wanted = int(last_text) if len(last_text) <= _DIGITS else size
        if wanted == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - wanted), size - 1
    if len(first_text) > _DIGITS:
        return "unsatisfiable"
    first = int(first_text)
    if last_text and len(last_text) <= _DIGITS and int(last_text) < first:
        return None  # not a valid range: ignored
    if first >= size:
        return "unsatisfiable"
    last = size - 1 if not last_text or len(last_text) > _DIGITS else min(int(last_text), size - 1)
    return first, last


class _Videos:
    """Laid-out scene videos, by scene and segments; one layout at a time per scene (worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._made: OrderedDict[Any, Any] = OrderedDict()
        self._busy: dict[Any, threading.Lock] = {}

    def get(self, folder: Any, scene: Scene, key: Any) -> Any:
        from roleplay.room.scene_video import SceneVideo

        ident = (scene.number, tuple((s.segment, s.file, s.bytes) for s in scene.segments))
        with self._lock:
            made = self._made.get(ident)
            if made is not None:
                self._made.move_to_end(ident)
                return made
            busy = self._busy.setdefault(ident, threading.Lock())
        with busy:  # a second phone of the same scene waits for the first one's layout
            try:
                with self._lock:
                    made = self._made.get(ident)
                if made is None:
                    made = SceneVideo(folder, scene.segments, key)
                    with self._lock:
                        self._made[ident] = made
                        while len(self._made) > KEEP_VIDEOS:
                            self._made.popitem(last=False)
                return made
            finally:
                with self._lock:
                    self._busy.pop(ident, None)


def _read_index(folder: Any) -> list[Any]:
    """The recording's index, in a worker thread (its module loads the video libraries the first time)."""
    from roleplay.video.segments import read_index

    return read_index(folder)


def replay_routes(room: Room) -> list[Route]:
    """The replay pages of a participant's phone."""
    from roleplay.room.server import DEVICE_COOKIE, _html, message_page

    videos = _Videos()
    last_reflection: dict[str, float] = {}  # device id -> when it last added one (this run only)

    # ----- who is asking, and whether the replay is open -------------------------------------------

    def who(request: Request) -> tuple[Any, str] | HTMLResponse:
        """(device, token) of an accepted phone while the replay is open, else the page that says why not."""
        snap = room.snapshot
        token = request.cookies.get(DEVICE_COOKIE, "")
        device = snap.device(token)
        if device is None or device.status != "accepted":
            return message_page(403, _("Not in the room"), _("This page is for phones that have joined the room."),
                                ("/", _("Join the room")))
        replay = snap.replay
        if replay is None or not replay.allowed:
            if snap.ended:
                return message_page(403, _("The session has ended"), _("Thank you for taking part. This page shows nothing more."))
            return message_page(403, _("The replay is not open"),
                                _("The trainer opens the replay when it is time to watch the scenes again."),
                                ("/me", _("Back to your page")))
        if not replay.consented:
            return message_page(403, _("No recordings on phones"),
                                _("The recordings of this session are not shown on phones."), ("/me", _("Back to your page")))
        return device, token

    def still_open(token: str) -> bool:
        snap = room.snapshot
        device = snap.device(token)
        return (device is not None and device.status == "accepted" and snap.replay is not None
                and snap.replay.allowed and snap.replay.consented and not room.closing.is_set())

    async def my_scenes(name: str) -> list[Scene] | HTMLResponse:
        info = room.snapshot.replay
        folder = room.session.folder
        if info is None or folder is None:
            return []
        try:
            entries = await run_in_threadpool(_read_index, folder)
        except (ValueError, OSError):
            return message_page(409, _("The recording cannot be read"),
                                _("Its index is damaged. Tell the trainer."), ("/me", _("Back to your page")))
        return scenes_for(entries, info, name)

    async def my_scene(request: Request, name: str) -> Scene | HTMLResponse:
        scenes = await my_scenes(name)
        if isinstance(scenes, HTMLResponse):
            return scenes
        number = request.path_params["number"]
        scene = next((s for s in scenes if s.number == number), None)
        if scene is None:  # not a scene, or not this person's: the same answer, so nothing is given away
            return message_page(404, _("Not here"), _("There is no such page in the room."), ("/me/replay", _("Your scenes")))
        return scene

    async def key_for(scene: Scene) -> tuple[Any, str | None]:
        """The recording's key when the scene is encrypted: (key, None), or (None, why it cannot be shown)."""
        if not scene.encrypted:
            return None, None
        try:
            key = await run_in_threadpool(room.video_key)
        except Exception:  # noqa: BLE001 - a wrong passphrase or a damaged key: the same plain answer
            key = None
        if key is None:
            return None, _("This recording is encrypted, and the trainer's computer has not unlocked it for phones.")
        return key, None

    # ----- pages ---------------------------------------------------------------------------------------

    async def scene_list(request: Request) -> Response:
        got = who(request)
        if isinstance(got, HTMLResponse):
            return got
        device, _token = got
        scenes = await my_scenes(device.participant)
        if isinstance(scenes, HTMLResponse):
            return scenes
        info = room.snapshot.replay
        rows = [(scene, len(reflections_in(info, scene, device.participant))) for scene in scenes] if info else []
        return _html("replay.html", name=device.participant, rows=rows, clock=clock_text,
                     ended=room.snapshot.ended)

    async def scene_page(request: Request) -> Response:
        got = who(request)
        if isinstance(got, HTMLResponse):
            return got
        device, token = got
        scene = await my_scene(request, device.participant)
        if isinstance(scene, HTMLResponse):
            return scene
        return await render_scene(device, token, scene, request.query_params.get("t"))

    async def render_scene(device: Any, token: str, scene: Scene, start_text: str | None, error: str = "",
                           status: int = 200, text: str = "") -> HTMLResponse:
        start = parse_clock(start_text) if start_text else None
        start = min(max(0.0, start), scene.duration) if start is not None else 0.0
        _key, locked = await key_for(scene)
        info = room.snapshot.replay
        mine = reflections_in(info, scene, device.participant) if info else []
        source = f"/me/replay/{scene.number}/video" + (f"#t={start:.1f}" if start else "")
        return _html("replay_scene.html", status, script=True, name=device.participant, scene=scene, source=source,
                     locked=locked or "", reflections=mine, clock=clock_text, start=clock_text(start),
                     csrf=csrf_for(token), error=error, text=text, max_chars=MAX_REFLECTION_CHARS)

    async def reflect(request: Request) -> Response:
        got = who(request)
        if isinstance(got, HTMLResponse):
            return got
        device, token = got
        scene = await my_scene(request, device.participant)
        if isinstance(scene, HTMLResponse):
            return scene
        form = await read_form(request)
        if form is None:
            return await render_scene(device, token, scene, None, _("That form could not be read."), 400)
        if not csrf_ok(token, form.get("csrf")):
            return await render_scene(device, token, scene, None, _("This form has expired. Please try again."), 403)
        text = form.get("text", "").strip()
        at_text = form.get("at", "")
        local = parse_clock(at_text)
        if local is None:
            return await render_scene(device, token, scene, None, _("Give the time as minutes:seconds, e.g. 01:05."),
                                      409, text)
        local = min(max(0.0, local), scene.duration)
        if not text or len(text) > MAX_REFLECTION_CHARS:
            return await render_scene(device, token, scene, at_text,
                                      _("Write something, at most {count} characters.").format(count=MAX_REFLECTION_CHARS), 409, text)
        now = time.monotonic()
        if now - last_reflection.get(device.device, -REFLECT_EVERY) < REFLECT_EVERY:
            return await render_scene(device, token, scene, at_text, _("One moment: that was quick. Please send it again."),
                                      409, text)
        command = c.AddReflection(by=device.participant, text=text, at=scene.at + local, mono=scene.session_clock(local))
        try:
            await run_in_threadpool(room.act, device, [command])
        except Refused as exc:
            return await render_scene(device, token, scene, at_text, exc.message, exc.status, text)
        except CommandError as exc:
            return await render_scene(device, token, scene, at_text, str(exc), 409, text)
        except TimeoutError:
            return await render_scene(device, token, scene, at_text,
                                      _("The trainer's computer is busy. Please try again in a moment."), 409, text)
        except RoomClosed:
            return await render_scene(device, token, scene, at_text, _("The room is closing."), 409, text)
        last_reflection[device.device] = now
        return RedirectResponse(f"/me/replay/{scene.number}?t={quote(clock_text(local))}", status_code=303)

    # ----- the video, by byte ranges -------------------------------------------------------------------

    async def video(request: Request) -> Response:
        got = who(request)
        if isinstance(got, HTMLResponse):
            return got
        device, token = got
        scene = await my_scene(request, device.participant)
        if isinstance(scene, HTMLResponse):
            return scene
        key, locked = await key_for(scene)
        if locked is not None:
            return message_page(409, _("The recording cannot be shown"), locked, ("/me/replay", _("Your scenes")))
        from roleplay.room.scene_video import SceneVideoError

        folder = room.session.folder
        try:
            movie = await run_in_threadpool(videos.get, folder, scene, key)
        except SceneVideoError as exc:
            return message_page(409, _("The recording cannot be shown"), str(exc), ("/me/replay", _("Your scenes")))
        headers = {"accept-ranges": "bytes", "etag": movie.etag}
        wanted = parse_range(request.headers.get("range"), movie.size)
        if_range = request.headers.get("if-range")
        if if_range is not None and if_range != movie.etag:
            wanted = None  # the file changed since the phone's first part: it gets the whole of it
        if wanted == "unsatisfiable":
            return Response(status_code=416, headers={**headers, "content-range": f"bytes */{movie.size}"})
        if isinstance(wanted, tuple):
            first, last = wanted[0], min(wanted[1], wanted[0] + MAX_RANGE_BYTES - 1)
            headers["content-range"] = f"bytes {first}-{last}/{movie.size}"
            if request.method == "HEAD":
                return Response(status_code=206, headers={**headers, "content-length": str(last - first + 1)})
            # Made whole before the answer starts (at most MAX_RANGE_BYTES): a segment that cannot be read
            # gets a plain error, never a response cut short of the length it promised.
            try:
                data = await run_in_threadpool(lambda: b"".join(movie.chunks(first, last)))
            except (SceneVideoError, OSError):
                return message_page(409, _("The recording cannot be shown"), _("Part of it cannot be read."),
                                    ("/me/replay", _("Your scenes")))
            return Response(data, status_code=206, headers=headers, media_type=movie.content_type)
        if request.method == "HEAD":
            return Response(status_code=200, headers={**headers, "content-length": str(movie.size)})
        # No Range (not a video element): the whole file, chunked, so it can stop when the replay closes.
        return StreamingResponse(_body(movie.chunks(0, movie.size - 1), token), headers=headers,
                                 media_type=movie.content_type)

    async def _body(chunks: Any, token: str) -> AsyncIterator[bytes]:
        from roleplay.room.scene_video import SceneVideoError

        pull: Callable[[], bytes | None] = lambda: next(chunks, None)  # noqa: E731
        while True:
            if not still_open(token):
                return
            try:
                piece = await run_in_threadpool(pull)
            except (SceneVideoError, OSError):
                return  # the headers are sent: the phone sees a shorter video, the page says nothing more
            if piece is None:
                return
            yield piece

    return [
        Route("/me/replay", scene_list, methods=["GET"]),
        Route("/me/replay/{number:int}", scene_page, methods=["GET"]),
        Route("/me/replay/{number:int}/video", video, methods=["GET"]),
        Route("/me/replay/{number:int}/reflect", reflect, methods=["POST"]),
    ]

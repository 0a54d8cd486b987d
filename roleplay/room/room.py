"""The room: the session as its phones and the projector see it, and the way their requests reach it.

A `Room` holds a live `Session`, the join code, each participant's link token (for this run of the
server only) and an immutable `RoomSnapshot` that the web pages are rendered from.

Threads. The session belongs to one thread, its *owner* (in `play`, the main thread; in the app, the
Textual thread). Nothing else calls `session.execute`: the web server hands each typed command to the
owner through `dispatch` (a function that runs a callable on the owner thread: `play` puts it on the
queue its main loop reads) and waits for the result in a worker thread (`run_in_threadpool`), so the
server's event loop never waits on the disk. Without a dispatch function (tests) commands run in the
calling thread under the room's lock.

The snapshot is rebuilt by a session listener, so on the owner thread, right after each event is
written and applied; the web threads only read the latest snapshot (one reference, swapped whole) and
never touch the session's state. Every new event but a heartbeat also wakes the event streams
(`changed`), and the pages fetch their fragment again.

What the room knows of devices (who asked to join, who was accepted, refused or removed, and the
SHA-256 of each device's token) comes from the session log alone: a Room made from a reopened session
lets an accepted phone straight back in. Tokens themselves are never logged.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

from roleplay.core import commands as c
from roleplay.core import events as ev
from roleplay.core.i18n import _, in_language
from roleplay.core.log import LogEvent
from roleplay.core.state import CommandError
from roleplay.room.ballots import BATCH, BallotBox, held_refusal
from roleplay.room.visibility import ParticipantView, PhaseView, participant_view, phone_refusal, stage_view
from roleplay.room.scenes import ReplayInfo, SceneBook
from roleplay.room.trainer_view import TrainerView, trainer_view

# No 0/O, 1/I/L: a code read off a projector is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
COMMAND_TIMEOUT = 10.0  # seconds a web request waits for the trainer's console to carry out a command

Dispatch = Callable[[Callable[[], None]], None]


def make_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """What a person typed as the code, the way it is compared: upper case, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def new_device_id() -> str:
    return secrets.token_hex(4)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_for(secret: str) -> str:
    """A form's CSRF token, derived from the browser's own (HttpOnly) cookie: per device, no server state."""
    return hmac.new(secret.encode("utf-8"), b"roleplay-room-form", hashlib.sha256).hexdigest()[:40]


def csrf_ok(secret: str | None, given: str | None) -> bool:
    if not secret or not given:
        return False
    return hmac.compare_digest(csrf_for(secret).encode("ascii"), given.encode("utf-8", "replace"))


@dataclass(frozen=True)
class DeviceInfo:
    device: str
    participant: str
    status: str  # waiting, accepted, refused, removed
    via: str


@dataclass(frozen=True)
class RoomSnapshot:
    """Everything the pages may show, as of log event `version`. Immutable: web threads read it freely."""

    version: int
    participants: tuple[str, ...]
    stage: PhaseView
    people: dict[str, ParticipantView]
    devices: dict[str, DeviceInfo]  # by the SHA-256 of the device's token
    taken: frozenset[str]  # participants with a device in the room or waiting
    locked: bool
    ended: bool
    trainer: TrainerView | None = None  # the trainer's page only (trainer_page.py)
    replay: ReplayInfo | None = None  # who was in which scene, reflections (scenes.py, replay_pages.py)

    def device(self, token: str | None) -> DeviceInfo | None:
        if not token or len(token) > 200:
            return None
        return self.devices.get(token_hash(token))

    def free_names(self) -> list[str]:
        return [p for p in self.participants if p not in self.taken]


class RateLimiter:
    """At most `limit` attempts per `window` seconds per client address (join and link attempts)."""

    def __init__(self, limit: int = 10, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            if len(self._hits) > 10_000:  # a flood of addresses must not fill the memory
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True


class Broadcaster:
    """Wakes every open event stream when the session changes; safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def subscribe(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._subscribers.add(entry)
        return entry

    def unsubscribe(self, entry: tuple[asyncio.AbstractEventLoop, asyncio.Event]) -> None:
        with self._lock:
            self._subscribers.discard(entry)

    def notify(self) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, event in subscribers:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed: its stream is gone
                self.unsubscribe((loop, event))

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._subscribers)


class RoomClosed(Exception):
    """The room is closing: no more commands are handed to the session."""


class Refused(Exception):
    """A phone's action is not allowed: `status` 403 (not theirs to do) or 409 (not now, or done already)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Room:
    def __init__(
        self,
        session: Any,
        *,
        dispatch: Dispatch | None = None,
        join_code: str | None = None,
        stage_key: str | None = None,
        rate_limit: int = 10,
        rate_window: float = 60.0,
        command_timeout: float = COMMAND_TIMEOUT,
        batch: int = BATCH,
        video_passphrase: str | None = None,
    ):
        self.session = session
        self.join_code = join_code or make_join_code()
        self.stage_key = stage_key or new_token()  # opens /stage from another computer (the projector's)
        self.command_timeout = command_timeout
        self.limiter = RateLimiter(rate_limit, rate_window)
        self.broadcaster = Broadcaster()
        self.closing = threading.Event()
        self._dispatch = dispatch
        self._lock = threading.RLock()
        # Each participant's own link (this run of the server only); once opened, its token is a device's token.
        self.link_tokens: dict[str, str] = {name: new_token() for name in session.participants}
        self._links_by_hash = {token_hash(token): name for name, token in self.link_tokens.items()}
        # What phones did that the log does not say outright, keyed by the device's public id: votes
        # (rebuilt from the log's `voters_noted`, see ballots.py), the anonymous sheet (in memory only:
        # a restart forgets it), marks.
        self._done: set[tuple[str, Any]] = {
            (device, ("vote", e.body.vote, e.body.visit))
            for e in session.events if isinstance(e.body, ev.VotersNoted) for device in e.body.devices
        }
        # The sheet's answers and the votes, held until a batch is full or the phase ends (ballots.py).
        self.ballots = BallotBox(batch)
        self._writing_batch = False
        self._observed: dict[str, str] = {}  # device id -> whom its observer's ticks are about
        # The trainer's own page (trainer_page.py): opened with this token, for this run of the server only.
        self.trainer_token = new_token()
        self.scene_book = SceneBook(session)  # who was cast when: the scenes each phone may replay (scenes.py)
        self._video_secret = video_passphrase  # unlocks an encrypted recording's key on first use, then dropped
        self._video_key: Any = None
        self._video_lock = threading.Lock()
        self.snapshot = self._build()
        # First: by the time any other listener (play's JSON lines, the console) tells of an event, the pages show it.
        session.listeners.insert(0, self._on_event)
        session.before_leaving.append(self._write_held)

    # ----- the snapshot the pages read ------------------------------------------------------

    def _build(self) -> RoomSnapshot:
        session = self.session
        with in_language(session.language):  # the views' own words (tallies) in the session's language
            stage = stage_view(session)
            people = {name: participant_view(session, name, stage) for name in session.participants}
        devices = {
            d.token_sha256: DeviceInfo(d.device, d.participant, d.status, d.via)
            for d in session.devices.values() if d.token_sha256
        }
        taken = frozenset(d.participant for d in session.devices.values() if d.status in ("waiting", "accepted"))
        version = session.events[-1].seq if session.events else 0
        with in_language(session.language):
            trainer = trainer_view(session)
        return RoomSnapshot(
            version, tuple(session.participants), stage, people, devices, taken, session.room_locked,
            session.ended is not None, trainer=trainer, replay=self.scene_book.info(session),
        )

    def _on_event(self, event: LogEvent) -> None:
        """A session listener: runs on the owner thread right after the event is applied."""
        if isinstance(event.body, ev.Heartbeat):
            return  # the timer is counted down by the page; nothing the room shows has changed
        self.scene_book.follow(self.session, event)
        if self._writing_batch:
            return  # a batch of held votes or answers: the pages are rebuilt once, after it (_write)
        self.snapshot = self._build()
        self.broadcaster.notify()

    def refresh(self) -> None:
        """Rebuild the snapshot now (the owner thread calls it after changing the session some other way)."""
        self.snapshot = self._build()
        self.broadcaster.notify()

    # ----- handing commands to the session's owner ----------------------------------------------

    def run(self, command: c.Command) -> Any:
        """Carry out a typed command on the session's owner thread and wait for it (from a worker thread).

        Raises what `session.execute` raises (CommandError, GuardWarning), TimeoutError when the owner
        does not get to it in time, RoomClosed when the room is closing.
        """
        return self._call(lambda: self.session.execute(command))

    def _call(self, work: Callable[[], Any]) -> Any:
        """Run `work` on the session's owner thread (see `run`) and wait for its result."""
        if self.closing.is_set():
            raise RoomClosed(_("the room is closing"))
        language = self.session.language  # refusals and the session's messages in its language, on any thread
        if self._dispatch is None:
            with self._lock, in_language(language):
                return work()
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                with in_language(language):
                    future.set_result(work())
            except BaseException as exc:  # noqa: BLE001 - handed back to the waiting request
                future.set_exception(exc)

        self._dispatch(job)
        try:
            return future.result(timeout=self.command_timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(_("the trainer's console did not answer in time")) from None

    # ----- what phones do (issue 11, phone actions) -----------------------------------------------

    def act(
        self, device: DeviceInfo, commands: list[c.Command], once: Callable[[Any], Any] | None = None,
        already: str | None = None, anonymous: bool = False,
    ) -> None:
        """A phone's action: one or more typed commands, carried out together on the owner thread.

        Right before executing, on that thread: the device must still be accepted, and
        `visibility.phone_refusal` must let its participant send each command; `once(session)` gives
        a key the room remembers for this device (a vote in this visit, the form), so the same
        action is refused the second time. `anonymous` (votes, the sheet; needs `once`): the
        commands are held and written later in a shuffled batch with others of the same key
        (ballots.py). Raises Refused, or what `room.run` raises.
        """

        def work() -> None:
            session = self.session
            known = session.devices.get(device.device)
            if known is None or known.status != "accepted" or known.participant != device.participant:
                raise Refused(403, _("This phone is not in the room."))
            for command in commands:
                refusal = phone_refusal(session, device.participant, command)
                if refusal is not None:
                    raise Refused(*refusal)
            group = once(session) if once is not None else None
            key = (device.device, group) if once is not None else None
            if key is not None and key in self._done:
                raise Refused(409, already or _("This phone has done that already."))
            if anonymous and key is not None:
                for command in commands:
                    refusal = held_refusal(session, command)
                    if refusal is not None:
                        raise Refused(409, refusal)
                self._done.add(key)
                # Nothing else changes for the room until a batch is written: the phone's own page reads
                # `has_done` when it is shown (after the redirect), so no page needs a ping now.
                full = self.ballots.hold(group, device.device, commands)
                if full is not None:
                    self._write(group, full, closing=False)
                return
            for command in commands:
                session.execute(command)
            if key is not None:
                self._done.add(key)

        self._call(work)

    def _write(self, group: Any, held: list[Any], closing: bool) -> None:
        """Write held votes or answers (owner thread): all at once, in a random order (see ballots.py).

        A full batch of votes is followed by the devices that cast them (sorted), so a restart still
        knows who voted; when the phase is closing no one needs that, and a short batch must not name anyone.
        """
        self._writing_batch = True
        try:
            for command in self.ballots.mixed(held):
                try:
                    self.session.execute(command)
                except CommandError:
                    pass  # checked when the phone sent it (held_refusal); nothing can be told to the phone now
            if group[0] == "vote" and not closing and len(held) >= self.ballots.batch:
                self.session.execute(c.NoteVoters(vote=group[1], devices=[item.device for item in held]))
        finally:
            self._writing_batch = False
            self.refresh()  # one new snapshot and one ping for the whole batch, not one per line

    def _write_held(self) -> None:
        """The session is leaving its phase or ending (the engine's `before_leaving`): write everything held."""
        for group, held in self.ballots.take_all().items():
            self._write(group, held, closing=True)

    def held(self, group: Any) -> int:
        """How many phones' votes or sheets in `group` (("form", id) or ("vote", id, visit)) are not written yet."""
        return self.ballots.count(group)

    def has_done(self, device: DeviceInfo | None, key: Any) -> bool:
        """Whether this device has done the action `key` (in memory only: a restart forgets it)."""
        return device is not None and (device.device, key) in self._done

    def observing(self, device: DeviceInfo | None, choices: list[str]) -> str | None:
        """Whom this device's observer ticks about: their last choice while it is still possible, else the first."""
        if device is not None:
            chosen = self._observed.get(device.device)
            if chosen in choices:
                return chosen
        return choices[0] if choices else None

    def observe(self, device: DeviceInfo, name: str) -> None:
        self._observed[device.device] = name

    # ----- the trainer's page and the replay on phones ---------------------------------------------

    def trainer_link(self, base_url: str) -> str:
        """The address that opens the trainer's page (private: it shows the script and the notes)."""
        return f"{base_url.rstrip('/')}/trainer?key={self.trainer_token}"

    def trainer_ok(self, given: str | None) -> bool:
        """Whether `given` is this run's trainer token (compared in constant time, through its hash)."""
        if not given or len(given) > 200:
            return False
        return hmac.compare_digest(token_hash(given), token_hash(self.trainer_token))

    def video_key(self) -> Any:
        """The recording's secret key (a pyrage identity), unlocked once with the passphrase the room was
        given, or None without one. Slow the first time (scrypt): call it from a worker thread.
        Raises roleplay.video.crypto.CryptoError for a wrong passphrase."""
        with self._video_lock:
            if self._video_key is None and self._video_secret is not None and self.session.folder is not None:
                from roleplay.core.folder import SessionFolder
                from roleplay.video.crypto import unlock

                self._video_key = unlock(SessionFolder(self.session.folder).video, self._video_secret)
                self._video_secret = None
            return self._video_key

    # ----- links --------------------------------------------------------------------------------

    def link_owner(self, token: str) -> str | None:
        """Whose link this is (this run's links), or None."""
        if not token or len(token) > 200:
            return None
        return self._links_by_hash.get(token_hash(token))

    def close(self) -> None:
        """No more commands; every event stream ends."""
        self.closing.set()
        self.broadcaster.notify()
        try:
            self.session.listeners.remove(self._on_event)
        except ValueError:
            pass
        try:  # what is still held is lost, as in a crash: those phones may send it again (ballots.py)
            self.session.before_leaving.remove(self._write_held)
        except ValueError:
            pass

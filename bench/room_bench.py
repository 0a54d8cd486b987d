"""Room benchmark: 30 simulated phones on loopback follow a whole session (issue 11).

    python bench/room_bench.py [--phones 30] [--sessions 1] [--json FILE]

A session of the built-in ideal-helper exercise with 30 participants runs in this process the way
`roleplay play --room` runs it: a Room and its RoomServer on 127.0.0.1 (port 0, loopback only), the
trainer's commands carried out on one dispatch thread (the session's owner), the web server in its
own thread. The 30 phones live in a second process (as phones are other devices; their work does
not share this process's interpreter lock or memory): each signs in by its own link, holds an open
`/events` stream and fetches `/me/fragment` after every `changed` ping, one fetch at a time and once
more if a ping came during a fetch, as room.js does. Every phase is gone through; where a phase
has phone actions, every phone acts once, at a random moment within ACT_SPREAD seconds (people do
not all tap at the same millisecond): an entry in each collection phase, the anonymous sheet in the
quality-control phase. The trainer also adds a note in each phase, pauses and resumes a timed phase
and tags entries in a phase that sorts them.

Figures (clocks: time.perf_counter, which is CLOCK_MONOTONIC on Linux and so shared by both
processes):
- trainer to phones, p95: from the moment a trainer's command is handed to the owner thread until
  every phone has fetched a fragment at least as new as the command's last event (goal < 100 ms);
- phone to trainer, p95: from a phone starting its POST /me/do/entry until the session listener on
  the trainer's side sees the entry (goal < 100 ms). Votes and the sheet are left out: the room holds
  them on purpose and writes them in batches (roleplay/room/ballots.py); for the sheet the time until
  the phone's POST is answered is printed instead;
- memory per connected phone: the growth of this process's resident memory while phones 2..N sign
  in, open their streams and fetch their pages, divided by N-1 (phone 1 warms templates and threads).

Every wait has a timeout and every loop a bound; a failure stops the run with a message.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import gc
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_MS = 100.0
ACT_SPREAD = 1.5  # seconds over which the phones' taps of one wave are spread
WAIT = 30.0  # seconds any single wait may take before the run is called failed
SCENARIO = "ideal-helper"


class BenchError(Exception):
    pass


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ----- the phones' process ---------------------------------------------------------------------------


class Phone:
    """One phone: its cookie, a keep-alive connection for pages, one for actions, and its event stream."""

    def __init__(self, index: int, host: str, port: int, token: str, out: Callable[[dict[str, Any]], None]):
        self.index, self.host, self.port, self.token, self.out = index, host, port, token, out
        self.latest = -1  # the newest version a `changed` ping announced
        self.fetched_for = -1
        self.wake = asyncio.Event()
        self.page: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.action: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.tasks: list[asyncio.Task[None]] = []

    async def _request(self, which: str, method: str, path: str, body: bytes = b"", cookie: bool = True,
                       ) -> tuple[int, bytes]:
        conn = getattr(self, which)
        if conn is None:
            conn = await asyncio.open_connection(self.host, self.port)
            setattr(self, which, conn)
        reader, writer = conn
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        if cookie:
            head.append(f"Cookie: roleplay_device={self.token}")
        if body:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body)
        await writer.drain()
        status, headers = await _read_head(reader)
        length = int(headers.get("content-length", "0"))
        data = await reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            writer.close()
            setattr(self, which, None)
        return status, data

    async def sign_in(self) -> None:
        status, _ = await self._request("page", "GET", f"/link/{self.token}", cookie=False)
        if status != 200:
            raise BenchError(f"phone {self.index}: its link answered {status}")
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write((f"GET /events?v=-1 HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                      f"Cookie: roleplay_device={self.token}\r\nAccept: text/event-stream\r\n\r\n").encode("ascii"))
        await writer.drain()
        status, headers = await _read_head(reader)
        if status != 200 or "chunked" not in headers.get("transfer-encoding", ""):
            raise BenchError(f"phone {self.index}: /events answered {status} {headers}")
        self.tasks = [asyncio.create_task(self._listen(reader, writer)), asyncio.create_task(self._fetch())]

    async def _listen(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read the server-sent events (chunked) until the stream ends."""
        buffer = ""
        try:
            while True:
                size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    return
                buffer += (await reader.readexactly(size)).decode("utf-8")
                await reader.readexactly(2)
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line and not line.startswith(":"))
                    if fields.get("event") == "changed":
                        self.latest = max(self.latest, int(fields["data"]))
                        self.wake.set()
                    elif fields.get("event") == "gone":
                        return
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            return
        finally:
            writer.close()

    async def _fetch(self) -> None:
        """room.js's refresh: fetch the fragment after a ping; once more if pinged meanwhile."""
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.latest > self.fetched_for:
                version = self.latest
                status, _ = await self._request("page", "GET", "/me/fragment")
                if status != 200:
                    return  # the session ended (403): nothing more to show
                self.fetched_for = version
                self.out({"op": "fetched", "phone": self.index, "version": version, "t": time.perf_counter()})

    async def act(self, ident: str, path: str, fields: dict[str, str], delay: float) -> None:
        await asyncio.sleep(delay)  # the moment this person taps (a simulated human, not a wait for a condition)
        sent = time.perf_counter()
        status, _ = await self._request("action", "POST", path, urlencode(fields).encode("utf-8"))
        self.out({"op": "sent", "id": ident, "t": sent, "status": status, "answered": time.perf_counter()})

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for conn in (self.page, self.action):
            if conn is not None:
                conn[1].close()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    for _ in range(200):
        line = (await reader.readline()).decode("latin-1").strip()
        if not line:
            return status, headers
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    raise BenchError("a response with more than 200 header lines")


async def phones_main(url: str, deadline: float) -> None:
    """The phones' process: commands as JSON lines on stdin, reports as JSON lines on stdout."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    loop = asyncio.get_running_loop()
    phones: dict[int, Phone] = {}
    pending: set[asyncio.Task[None]] = set()

    def out(message: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    async def join(index: int, token: str) -> None:
        phone = Phone(index, host, port, token, out)
        phones[index] = phone
        await phone.sign_in()
        out({"op": "joined", "phone": index})

    def keep(coro: Any) -> None:
        task = asyncio.create_task(coro)
        pending.add(task)

        def done(t: asyncio.Task[None]) -> None:
            pending.discard(t)
            if not t.cancelled() and t.exception() is not None:
                out({"op": "error", "text": f"{type(t.exception()).__name__}: {t.exception()}"})

        task.add_done_callback(done)

    while time.monotonic() < deadline:
        line = await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline), timeout=deadline - time.monotonic())
        if not line:
            break
        message = json.loads(line)
        if message["op"] == "join":
            keep(join(message["phone"], message["token"]))
        elif message["op"] == "act":
            keep(phones[message["phone"]].act(message["id"], message["path"], message["fields"], message["delay"]))
        elif message["op"] == "quit":
            break
    for phone in phones.values():
        phone.close()
    for task in list(pending):
        task.cancel()
    out({"op": "bye"})


# ----- this process: the session, the room, the trainer -------------------------------------------


class Phones:
    """The phones' process, seen from the trainer's side: what it reported, and waits on it."""

    def __init__(self, url: str, count: int):
        self.count = count
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--phones-of", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            bufsize=1, cwd=ROOT,
        )
        self.cond = threading.Condition()
        self.joined: set[int] = set()
        self.fetches: list[list[tuple[int, float]]] = [[] for _ in range(count)]  # per phone: (version, time)
        self.sent: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        self.ended = False
        threading.Thread(target=self._read, name="bench-phones", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            message = json.loads(line)
            with self.cond:
                op = message["op"]
                if op == "fetched":
                    self.fetches[message["phone"]].append((message["version"], message["t"]))
                elif op == "joined":
                    self.joined.add(message["phone"])
                elif op == "sent":
                    self.sent[message["id"]] = message
                elif op == "error":
                    self.errors.append(message["text"])
                self.cond.notify_all()
        with self.cond:
            self.ended = True
            self.cond.notify_all()

    def tell(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def wait(self, test: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
        with self.cond:
            self.cond.wait_for(lambda: test() or self.ended or bool(self.errors), timeout)
            if self.errors:
                raise BenchError(f"the phones failed: {self.errors[0]}")
            if not test():
                raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")

    def reached(self, phone: int, version: int) -> float | None:
        """When the phone first had a fragment at least as new as `version` (None: not yet)."""
        return next((t for v, t in self.fetches[phone] if v >= version), None)

    def all_reached(self, version: int) -> bool:
        return all(self.reached(i, version) is not None for i in range(self.count))

    def close(self) -> None:
        try:
            self.tell({"op": "quit"})
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=10)


class Owner:
    """The session's owner thread: runs what it is handed, one at a time, as `play`'s main loop does."""

    def __init__(self) -> None:
        self.inbox: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="bench-owner", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.inbox.get()
            if job is None:
                return
            job()

    def call(self, work: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def job() -> None:
            try:
                future.set_result(work())
            except BaseException as exc:  # noqa: BLE001 - handed back to the waiting caller
                future.set_exception(exc)

        self.inbox.put(job)
        return future

    def stop(self) -> None:
        self.inbox.put(None)
        self.thread.join(10)


def run_session(count: int, seed: int, root: Path) -> dict[str, Any]:
    from roleplay.core import commands as c
    from roleplay.core.engine import GuardWarning, Session
    from roleplay.core.events import EntryAdded
    from roleplay.core.loader import load_scenario
    from roleplay.core.standard_forms import find_form
    from roleplay.room.room import Room, csrf_for
    from roleplay.room.server import RoomServer

    result = load_scenario(ROOT / "scenarios" / f"{SCENARIO}.yaml")
    if not result.ok:
        raise BenchError(f"{SCENARIO} does not load: {result.problems[0]}")
    people = [f"Person {i + 1:02d}" for i in range(count)]
    session = Session.start(result.scenario, people, root=root, seed=seed)
    seen: dict[str, float] = {}  # an entry's text -> when the trainer's side saw it
    seen_cond = threading.Condition()

    def listener(event: Any) -> None:
        if isinstance(event.body, EntryAdded):
            with seen_cond:
                seen[event.body.text] = time.perf_counter()
                seen_cond.notify_all()

    session.listeners.append(listener)
    owner = Owner()
    room = Room(session, dispatch=owner.inbox.put, rate_limit=10 * count)  # every phone signs in from 127.0.0.1
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    owner.call(lambda: session.execute(c.OpenRoom(address=f"127.0.0.1:{server.port}"))).result(WAIT)
    phones = Phones(server.url, count)
    rng = random.Random(seed)
    trainer_ms: list[float] = []
    action_ms: list[float] = []
    sheet_ms: list[float] = []
    out: dict[str, Any] = {}
    try:
        def join(index: int) -> None:
            phones.tell({"op": "join", "phone": index, "token": room.link_tokens[people[index]]})

        def settle() -> None:
            """Every phone shows the session as it is now (nothing is moving)."""
            version = owner.call(lambda: session.events[-1].seq).result(WAIT)
            phones.wait(lambda: phones.all_reached(version), f"every phone to show version {version}")

        # Phone 1 warms templates and threads; the others' memory is what a phone costs.
        join(0)
        phones.wait(lambda: 0 in phones.joined and bool(phones.fetches[0]), "the first phone")
        gc.collect()
        before = rss_bytes()
        for index in range(1, count):
            join(index)
        phones.wait(lambda: len(phones.joined) == count, "every phone to sign in")
        settle()
        gc.collect()
        out["memory_per_phone"] = (rss_bytes() - before) / max(1, count - 1)

        def trainer(command: Any) -> None:
            start = time.perf_counter()
            version = owner.call(lambda: (session.execute(command), session.events[-1].seq)[1]).result(WAIT)
            phones.wait(lambda: phones.all_reached(version), f"every phone to show {type(command).__name__}")
            trainer_ms.append(1000 * (max(phones.reached(i, version) or 0.0 for i in range(count)) - start))

        def wave(kind: str, path: str, fields_of: Callable[[int, str], dict[str, str]]) -> list[str]:
            idents = []
            for index in range(count):
                ident = f"{kind}-{len(session.history)}-{index}"
                fields = {"csrf": csrf_for(room.link_tokens[people[index]]), **fields_of(index, ident)}
                phones.tell({"op": "act", "phone": index, "id": ident, "path": path, "fields": fields,
                             "delay": rng.uniform(0, ACT_SPREAD)})
                idents.append(ident)
            phones.wait(lambda: all(i in phones.sent for i in idents), f"every phone's {kind}")
            refused = [phones.sent[i]["status"] for i in idents if phones.sent[i]["status"] != 303]
            if refused:
                raise BenchError(f"{len(refused)} {kind} actions were refused (HTTP {refused[0]})")
            return idents

        for _ in range(len(session.scenario.phases) + 2):  # every phase once, then the end
            if session.ended:
                break
            phase = session.current
            kinds = c.allowed_commands(session)
            trainer(c.AddNote(text=f"bench note in {session.phase}"))
            if phase.timer is not None and c.Pause in kinds:
                trainer(c.Pause(reason="bench"))
                trainer(c.Resume())
            if c.AddEntry in kinds and phase.collection:
                idents = wave("entry", "/me/do/entry",
                              lambda i, ident, collection=phase.collection: {"collection": collection, "text": ident})
                with seen_cond:
                    seen_cond.wait_for(lambda idents=idents: all(i in seen for i in idents), WAIT)
                    missing = [i for i in idents if i not in seen]
                if missing:
                    raise BenchError(f"{len(missing)} entries never reached the trainer's side")
                action_ms.extend(1000 * (seen[i] - phones.sent[i]["t"]) for i in idents)
                settle()
            if c.TagEntry in kinds and phase.collection:
                categories = session.scenario.collection(phase.collection).categories
                for number, _entry in session.live_entries(phase.collection)[:10]:
                    trainer(c.TagEntry(collection=phase.collection, entry=number, category=rng.choice(categories).id))
            if c.AnswerForm in kinds and phase.form:
                form = find_form(session.scenario, phase.form)

                def sheet(index: int, ident: str, form: Any = form) -> dict[str, str]:
                    answers = {f"q-{q.id}": str(rng.randint(q.min, q.max)) if q.answer == "rating" else f"{ident} thanks"
                               for q in form.questions}
                    return {"form": form.id, **answers}

                idents = wave("sheet", "/me/do/answer", sheet)
                sheet_ms.extend(1000 * (phones.sent[i]["answered"] - phones.sent[i]["t"]) for i in idents)
                settle()
            if phase.final:
                break
            try:
                trainer(c.Go(trigger=session.triggers()[0], force=True))
            except GuardWarning:
                raise BenchError(f"a forced move out of {session.phase} was refused") from None
        owner.call(lambda: session.execute(c.EndSession())).result(WAIT)
        if len(session.answers) < count:
            raise BenchError(f"only {len(session.answers)} answers from {count} sheets reached the log")
    finally:
        phones.close()
        server.stop()
        owner.stop()
        session.close()
    out.update(trainer_ms=trainer_ms, action_ms=action_ms, sheet_ms=sheet_ms)
    return out


def figure(value: float, unit: str, goal: str | None, ok: bool | None) -> dict[str, Any]:
    return {"value": round(value, 3), "unit": unit, "baseline": None, "ratio": None, "goal": goal, "ok": ok}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=1, help="whole sessions to run (samples add up)")
    parser.add_argument("--json", metavar="FILE", help='write {"figures": {NAME: {...}}} to FILE')
    parser.add_argument("--phones-of", metavar="URL", help=argparse.SUPPRESS)  # the phones' own process
    args = parser.parse_args()
    if args.phones_of:
        asyncio.run(phones_main(args.phones_of, time.monotonic() + 3600))
        return
    trainer_ms: list[float] = []
    action_ms: list[float] = []
    sheet_ms: list[float] = []
    memory: list[float] = []
    print(f"{args.sessions} whole {SCENARIO} session(s) with {args.phones} phones on 127.0.0.1 ...", flush=True)
    for number in range(args.sessions):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                run = run_session(args.phones, seed=number + 1, root=Path(tmp))
            except BenchError as exc:
                print(f"room bench failed: {exc}", flush=True)
                sys.exit(1)
        trainer_ms += run["trainer_ms"]
        action_ms += run["action_ms"]
        sheet_ms += run["sheet_ms"]
        memory.append(run["memory_per_phone"])
    trainer, action, sheet = p95(trainer_ms), p95(action_ms), p95(sheet_ms)
    per_phone = statistics.median(memory) / 1024
    print(f"trainer's command to all {args.phones} phones updated: p95 {trainer:.1f} ms, median "
          f"{statistics.median(trainer_ms):.1f} ms, {len(trainer_ms)} commands (aim: p95 < {GOAL_MS:.0f} ms)")
    print(f"phone's action to the trainer's side: p95 {action:.1f} ms, median {statistics.median(action_ms):.1f} ms, "
          f"{len(action_ms)} entries (aim: p95 < {GOAL_MS:.0f} ms)")
    print(f"  the anonymous sheet, sent to answered on the phone: p95 {sheet:.1f} ms ({len(sheet_ms)} sheets; "
          f"written in shuffled batches, not at once)")
    print(f"memory per connected phone: {per_phone:.0f} KiB (resident memory of the server's process)")
    if args.json:
        figures = {
            "room_trainer_to_phones_p95_ms": figure(trainer, "ms", f"< {GOAL_MS:.0f}", trainer < GOAL_MS),
            "room_phone_to_trainer_p95_ms": figure(action, "ms", f"< {GOAL_MS:.0f}", action < GOAL_MS),
            "room_sheet_answered_p95_ms": figure(sheet, "ms", None, None),
            "room_memory_per_phone_kib": figure(per_phone, "KiB", None, None),
        }
        Path(args.json).write_text(json.dumps({"figures": figures}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

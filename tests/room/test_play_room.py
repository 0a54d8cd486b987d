"""The headless contract: `play --room 127.0.0.1:0 --room-links` in a subprocess, driven on stdin, read on stdout."""

from __future__ import annotations

import http.cookiejar
import json
import os
import queue
import re
import subprocess
import sys
import threading
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT, SCENARIOS, run_cli
from tests.room.conftest import ROOM

pytestmark = [*ROOM, pytest.mark.slow]

WAIT = 60  # seconds: a bound on every wait, never a sleep


class Play:
    def __init__(self, tmp_path, *extra: str):
        self.stderr = open(tmp_path / "stderr.txt", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "roleplay", "play", str(SCENARIOS / "guess-who.yaml"), "--participants",
             "Ana,Ben,Cleo,Dan,Eve", "--seed", "3", "--out", str(tmp_path / "out"), *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True, cwd=ROOT,
            env={**os.environ, "NO_PROXY": "*"},
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def line(self, predicate) -> str:
        while True:
            line = self.lines.get(timeout=WAIT)
            assert line is not None, "play ended; stderr:\n" + self.err()
            if predicate(line):
                return line

    def event(self, kind: str) -> dict:
        line = self.line(lambda text: text.startswith("{") and json.loads(text)["type"] == kind)
        return json.loads(line)

    def send(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def finish(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=WAIT)

    def err(self) -> str:
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar))


def test_room_links_sign_participants_in_and_stdin_still_drives_the_session(tmp_path):
    play = Play(tmp_path, "--room", "127.0.0.1:0", "--room-links")
    try:
        room_line = play.line(lambda text: text.startswith("room: "))
        url = room_line.split(" ", 1)[1]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and not url.endswith(":0")
        links = {}
        for _ in range(5):
            _, name, link = play.line(lambda text: text.startswith("link ")).split(" ")
            links[name] = link
        assert sorted(links) == ["Ana", "Ben", "Cleo", "Dan", "Eve"]
        assert all(link.startswith(url + "/link/") for link in links.values())

        ana = opener()
        page = ana.open(links["Ana"], timeout=WAIT).read().decode()
        assert "Ana" in page and "Welcome and group rules" in page
        play.event("device_accepted")

        play.send("next")  # the deal: Ana's phone shows the others' cards
        play.event("roles_dealt")
        page = ana.open(url + "/me", timeout=WAIT).read().decode()
        assert "the others' cards" in page and "<strong>Ben</strong>" in page and "<strong>Ana</strong>" not in page

        # a phone joins from the join page: the trainer is told, and accepts on stdin
        ben = opener()
        join = ben.open(url + "/", timeout=WAIT).read().decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', join).group(1)
        code = re.search(r"join code: (\w+)", play.err()).group(1)
        form = urllib.parse.urlencode({"csrf": csrf, "code": code, "name": "Ben"}).encode()
        waiting = ben.open(url + "/join", data=form, timeout=WAIT).read().decode()
        assert "Waiting for the trainer" in waiting
        play.event("device_joined")
        play.send("accept Ben")
        play.event("device_accepted")
        # told on stderr before play read the next line (after the JSON line on stdout)
        assert "join: Ben waiting (accept Ben / refuse Ben)" in play.err()
        assert "<strong>Ana</strong>" in ben.open(url + "/me", timeout=WAIT).read().decode()

        play.send("remove Ben")
        play.event("device_removed")
        with pytest.raises(urllib.error.HTTPError) as refused:
            ben.open(url + "/me", timeout=WAIT)
        assert refused.value.code == 403
        play.send("end")
        assert play.finish() == 0
    finally:
        if play.proc.poll() is None:
            play.proc.kill()
            play.proc.wait(timeout=WAIT)
    errors = play.err()
    play.stderr.close()
    assert "Traceback" not in errors and "join code:" in errors and "warning" not in errors


def test_input_ending_before_the_end_still_exits_as_play_does(tmp_path):
    play = Play(tmp_path, "--room", "127.0.0.1:0")
    try:
        play.line(lambda text: text.startswith("room: "))
        assert play.finish() == 3  # as without a room: input ended before the final phase
    finally:
        if play.proc.poll() is None:
            play.proc.kill()
    assert "input ended in phase" in play.err()
    play.stderr.close()


def test_room_links_need_a_room_and_a_bad_address_is_a_clear_error(tmp_path):
    result = run_cli("play", str(SCENARIOS / "guess-who.yaml"), "--participants", "Ana,Ben,Cleo,Dan,Eve",
                     "--room-links", "--out", str(tmp_path), stdin="")
    assert result.returncode == 2 and "--room-links goes with --room" in result.stderr
    result = run_cli("play", str(SCENARIOS / "guess-who.yaml"), "--participants", "Ana,Ben,Cleo,Dan,Eve",
                     "--room", "nowhere", "--out", str(tmp_path), stdin="")
    assert result.returncode == 1 and "roleplay: error: --room" in result.stderr and "Traceback" not in result.stderr

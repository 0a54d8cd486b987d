"""The trainer's page and the replay on phones in a real browser (issue 11): Chromium, headless, 127.0.0.1 only.

The trainer's tablet and each phone are browser contexts of their own (own cookies) at 375x667; the
console's commands go through `room.run`, as the console's would. The recorded scene comes from the
synthetic camera and tone (tests/room/recorded.py). Screenshots (375x667) go where the other room
screenshots go (`support.artifacts_dir()`).
"""

from __future__ import annotations

import re

import pytest

from roleplay.core import commands as c
from tests.room.browser.support import skip_module_without_chromium
from tests.room.browser.test_room_in_chromium import served, shot
from tests.room.conftest import ROOM, start_session
from tests.room.recorded import observers, players, record_scene

skip_module_without_chromium()  # skipped with the reason, or failed when CI requires the browser tests

from playwright.sync_api import expect  # noqa: E402 - only once Playwright is known to be there

pytestmark = [*ROOM, pytest.mark.browser, pytest.mark.video]
expect.set_options(timeout=10_000)


def test_the_trainers_page_adds_a_note(tmp_path, phones):
    session = start_session(tmp_path, "crisis-conversation", people=["Ana", "Ben", "Cleo", "Dan"])
    try:
        with served(session) as (room, url):
            tablet = phones()
            tablet.goto(room.trainer_link(url))
            expect(tablet.locator(".who .name")).to_have_text("Trainer")
            expect(tablet).to_have_url(re.compile(r"/trainer$"))  # the key left the address bar
            script = next(line for line in session.text(session.current.script).splitlines() if line.strip())
            expect(tablet.locator(".script")).to_contain_text(script.strip())
            shot(tablet, "trainer")
            tablet.fill("#note-text", "Ben checked in with <the group> first")
            tablet.get_by_role("button", name="Save the note").click()
            expect(tablet.locator(".notes li").first).to_contain_text("Ben checked in with <the group> first")
            assert session.notes[-1]["text"] == "Ben checked in with <the group> first"
            # the console moves on: the page follows by itself
            room.run(c.Go(trigger=session.triggers()[0], force=True))
            expect(tablet.locator(".phase h1")).to_have_text(session.text(session.current.title))
            room.run(c.AddNote(text="typed on the console"))
            expect(tablet.locator(".notes li").first).to_contain_text("typed on the console")
            shot(tablet, "trainer-notes", ".notes")
            # a phone of the room does not get it
            phone = phones()
            phone.goto(f"{url}/link/{room.link_tokens['Ana']}")
            expect(phone.locator(".who .name")).to_have_text("Ana")
            phone.goto(f"{url}/trainer")
            expect(phone.get_by_role("heading", name="Not the trainer's page")).to_be_visible()
    finally:
        session.close()


def test_a_phone_plays_its_scene_and_adds_a_reflection(tmp_path, phones):
    session, _ = record_scene(tmp_path, segments=4)
    try:
        with served(session) as (room, url):
            player, watcher = players(session)[0], observers(session)[0]
            page = phones()
            page.goto(f"{url}/link/{room.link_tokens[player]}")
            expect(page.locator(".who .name")).to_have_text(player)
            other = phones()
            other.goto(f"{url}/link/{room.link_tokens[watcher]}")
            room.run(c.AllowReplay())
            page.get_by_role("link", name="Watch your scenes again").click()  # appeared by itself
            expect(page.get_by_role("heading", name="Your scenes")).to_be_visible()
            shot(page, "replay-scenes")
            page.locator("a.scene-link").first.click()
            video = page.locator("#replay-video")
            expect(video).to_be_visible()
            expect(video).to_have_js_property("readyState", 4, timeout=15_000)  # enough of it to play
            duration = video.evaluate("v => v.duration")
            assert duration == pytest.approx(sum(s.duration for s in _scenes(room, player)), abs=0.1)
            video.evaluate("v => { v.muted = true; return v.play(); }")
            expect(video).to_have_js_property("ended", True, timeout=20_000)  # played to the end, by ranges
            assert video.evaluate("v => v.error") is None
            video.evaluate("v => { v.currentTime = 1.2; }")
            expect(page.locator("#reflection-at")).to_have_value("00:01")  # the time follows the video
            shot(page, "replay-scene")
            page.fill("#reflection-text", "Here I started to give advice")
            page.get_by_role("button", name="Add my reflection").click()
            expect(page.locator(".reflection-list li")).to_contain_text("Here I started to give advice")
            reflection = [e for e in session.events if e.type == "reflection"][-1].body
            assert reflection.by == player and reflection.text == "Here I started to give advice"
            assert reflection.at == pytest.approx(_scenes(room, player)[0].at + 1.0)
            shot(page, "replay-reflection", ".reflections")
            # the observer was not in the scene: nothing to watch, and a guessed address shows nothing
            other.goto(f"{url}/me/replay")
            expect(other.get_by_text("No recorded scene has you in it")).to_be_visible()
            other.goto(f"{url}/me/replay/1")
            expect(other.get_by_role("heading", name="Not here")).to_be_visible()
            # replay off: the next part of the video is refused
            room.run(c.StopReplay())
            page.reload()
            expect(page.get_by_role("heading", name="The replay is not open")).to_be_visible()
    finally:
        session.close()


def _scenes(room, name):
    from roleplay.room.scenes import scenes_for
    from roleplay.video.segments import read_index

    return scenes_for(read_index(room.session.folder), room.snapshot.replay, name)

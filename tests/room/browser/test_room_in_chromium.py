"""The room in a real browser (issue 11): Chromium, headless, driven by Playwright, on 127.0.0.1 only.

Each phone is a browser context of its own (its own cookies) at 375x667. The trainer's commands go
through `room.run`, as the console's would. Screenshots of each page (375x667) are kept in the
folder `support.artifacts_dir()` names (printed at the end of `make test`).
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import pytest

from roleplay.core import commands as c
from roleplay.core.engine import Session
from roleplay.room.room import Room
from roleplay.room.server import RoomServer
from tests.room.browser.support import artifacts_dir, skip_module_without_chromium
from tests.room.conftest import ROOM, start_session

skip_module_without_chromium()  # skipped with the reason, or failed when CI requires the browser tests

from playwright.sync_api import Error as PlaywrightError, expect  # noqa: E402 - only once Playwright is known to be there

pytestmark = [*ROOM, pytest.mark.browser]
expect.set_options(timeout=10_000)  # a slow CI machine; a passing wait returns as soon as the page is right


@contextmanager
def served(session):
    room = Room(session)
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    try:
        yield room, server.url
    finally:
        server.stop()


def shot(page, name: str, focus: str | None = None) -> None:
    """Keep a 375x667 screenshot of the page (scrolled to `focus`, a selector); the page must not be wider than the phone."""
    assert page.viewport_size == {"width": 375, "height": 667}
    if focus:
        for attempt in range(5):  # the live part of a page is replaced when the session moves on
            try:
                page.locator(focus).first.scroll_into_view_if_needed()
                break
            except PlaywrightError as exc:
                if "not attached" not in str(exc) or attempt == 4:
                    raise
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} is {width} px wide"
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")


def go_until(room, test, limit: int = 40) -> None:
    """The trainer goes on (forced) until `test(session)` holds."""
    session = room.session
    for _ in range(limit):
        if test(session):
            return
        room.run(c.Go(trigger=session.triggers()[0] if session.triggers() else "next", force=True))
    assert test(session), session.phase


def log_of(session) -> list[dict]:
    lines = (session.folder / "session.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def card_text(session, deck_id: str, name: str) -> str:
    deck = session.scenario.deck(deck_id)
    card_id = session.cards[deck_id][name]
    return session.text(next(card.text for card in deck.cards if card.id == card_id))


def test_join_and_acceptance(tmp_path, phones):
    session = start_session(tmp_path, "guess-who", people=["Ana", "Ben", "Cleo", "Dan", "Eve"])
    try:
        with served(session) as (room, url):
            page = phones()
            page.goto(url + "/")
            expect(page.get_by_role("heading", name="Join the room")).to_be_visible()
            shot(page, "join")
            page.fill("#code", room.join_code.lower())
            page.get_by_label("Ben").check()
            page.get_by_role("button", name="Ask to join").click()
            expect(page.get_by_role("heading", name="Hello, Ben")).to_be_visible()
            shot(page, "waiting")
            assert session.devices and next(iter(session.devices.values())).status == "waiting"
            room.run(c.AcceptDevice(participant="Ben"))
            # the waiting page moves on by itself (the event stream), to Ben's own page
            expect(page).to_have_url(re.compile(r"/me$"))
            expect(page.locator(".who .name")).to_have_text("Ben")
            shot(page, "me-before-the-deal")
            # a second phone cannot take Ben's name
            other = phones()
            other.goto(url + "/")
            expect(other.get_by_label("Ana")).to_be_visible()
            assert other.get_by_label("Ben").count() == 0
    finally:
        session.close()


def test_guess_who_with_three_phones(tmp_path, phones):
    people = ["Ana", "Ben", "Cleo", "Dan", "Eve"]
    session = start_session(tmp_path, "guess-who", people=people)
    try:
        with served(session) as (room, url):
            pages = {}
            for name in people[:3]:
                page = phones()
                page.goto(f"{url}/link/{room.link_tokens[name]}")
                expect(page.locator(".who .name")).to_have_text(name)
                pages[name] = page
            go_until(room, lambda s: s.dealt and bool(s.current.guesses))  # the phones follow by themselves
            deck = session.current.guesses
            for name, page in pages.items():
                others = page.locator(".others")
                expect(others).to_be_visible()
                text = others.inner_text()
                for holder in people:
                    if holder == name:
                        continue
                    assert f"{holder}: {card_text(session, deck, holder)}" in text
                own = card_text(session, deck, name)
                whole = page.locator("body").inner_text()
                if all(card_text(session, deck, p) != own for p in people if p != name):
                    assert own not in whole, f"{name} sees their own card"
                assert f"{name}:" not in text
                expect(page.get_by_text("say your guess aloud")).to_be_visible()
            shot(pages["Ana"], "me-guess-who", ".others")
            room.run(c.RecordGuess(participant="Ana", outcome="right"))
            expect(pages["Ana"].locator(".guess strong")).to_have_text(card_text(session, deck, "Ana"))
    finally:
        session.close()


def test_an_observer_checklist_ticked_on_a_phone(tmp_path, phones):
    session = start_session(tmp_path, "peer-drift")
    try:
        with served(session) as (room, url):
            go_until(room, lambda s: s.dealt)
            observer = next(p for p in session.participants if session.roles[p] == "observer")
            page = phones()
            page.goto(f"{url}/link/{room.link_tokens[observer]}")
            expect(page.locator(".who .name")).to_have_text(observer)
            stage = phones()
            stage.goto(url + "/stage")
            go_until(room, lambda s: bool(s.current.checklists))
            checklist = session.current.checklists[0]
            expect(page.get_by_text("Your checklist")).to_have_count(len(
                [cl for cl in session.current.checklists if session.scenario.checklist(cl).for_role == "observer"]))
            who = page.locator("select[name=by]").first.input_value()
            first = page.locator(".checklist").first.locator("li.item").first
            first.get_by_role("button", name="Seen").click()
            expect(page.locator(".checklist").first.locator("li.item").first.locator(".item-count")).to_have_text("1")
            item = session.scenario.checklist(checklist).items[0].id
            assert session.tick_counts[(checklist, item, 1, who)] == 1
            tick = [e for e in log_of(session) if e["type"] == "tick"][-1]
            assert tick["data"]["by"] == who and tick["data"]["item"] == item
            shot(page, "me-observer-checklist", ".checklist")
            # the stage's tally follows
            expect(stage.locator(".tally").first.locator("td.count").first).to_have_text("1")
            # someone who is not an observer gets no checklist, and a forged tick is refused
            player = next(p for p in session.participants if session.roles[p] == "peer")
            other = phones()
            other.goto(f"{url}/link/{room.link_tokens[player]}")
            expect(other.locator(".who .name")).to_have_text(player)
            assert other.get_by_text("Your checklist").count() == 0
    finally:
        session.close()


def test_the_anonymous_quality_control_sheet(tmp_path, phones):
    session = start_session(tmp_path, "ideal-helper", people=["Ana", "Ben", "Cleo"])
    try:
        with served(session) as (room, url):
            pages = {}
            for name in ("Ana", "Ben"):
                page = phones()
                page.goto(f"{url}/link/{room.link_tokens[name]}")
                pages[name] = page
            go_until(room, lambda s: bool(s.current.form))
            ana, ben = pages["Ana"], pages["Ben"]
            for page in (ana, ben):
                expect(page.get_by_text("Your answers are anonymous")).to_be_visible()
            shot(ana, "me-quality-sheet", ".sheet")
            # Ben is typing when something changes: his page waits, nothing he typed is lost
            ben.check("input[name=q-safety][value='4']")
            ben.fill("textarea[name=q-comments]", "more breaks, please")
            room.run(c.AddNote(text="a note nobody sees"))
            # (not wait_for_function: once it has to poll, it evaluates a string, which the page's CSP forbids)
            expect(ben.locator("body")).to_have_attribute("data-held", "1")
            assert ben.input_value("textarea[name=q-comments]") == "more breaks, please"
            ana.check("input[name=q-safety][value='5']")
            ana.check("input[name=q-time][value='3']")
            ana.get_by_role("button", name="Send my answers").click()
            expect(ana.get_by_text("your answers are in")).to_be_visible()
            ben.get_by_role("button", name="Send my answers").click()
            expect(ben.get_by_text("your answers are in")).to_be_visible()
            shot(ben, "me-quality-sheet-sent", ".sheet")
            # a second sheet from the same phone is refused, plainly
            ana.goto(url + "/me")
            expect(ana.get_by_role("button", name="Send my answers")).to_have_count(0)
            # two sheets are held (fewer than a batch, room/ballots.py): written, shuffled, as the phase ends
            assert not any(e["type"] == "form_answered" for e in log_of(session))
            room.run(c.Go(trigger="next", force=True))
            answers = [e for e in log_of(session) if e["type"] == "form_answered"]
            assert sorted((e["data"]["question"], e["data"]["value"]) for e in answers) == [
                ("comments", "more breaks, please"), ("safety", 4), ("safety", 5), ("time", 3)]
            devices = [d.device for d in session.devices.values()]
            for event in answers:
                assert set(event["data"]) == {"form", "question", "value"}
                line = json.dumps(event)
                assert not any(name in line for name in session.participants)
                assert not any(device in line for device in devices)
    finally:
        session.close()


def _secrets(session) -> list[str]:
    scenario = session.scenario
    found = []
    for role in scenario.roles:
        if role.brief:
            found.append(session.text(role.brief))
    for deck in scenario.decks:
        if deck.visible_to != "everyone":
            found += [session.text(card.text) for card in deck.cards]
        found += [session.text(card.note) for card in deck.cards if getattr(card, "note", None)]
    for event in scenario.events:
        if event.brief:
            found.append(session.text(event.brief))
    for phase in scenario.phases:
        if getattr(phase, "script", None):
            found.append(session.text(phase.script))
    return [text.strip() for text in found if text and len(text.strip()) > 12]


def test_the_stage_shows_no_secret(tmp_path, phones):
    session = start_session(tmp_path, "guess-who", people=["Ana", "Ben", "Cleo", "Dan", "Eve"])
    try:
        with served(session) as (room, url):
            stage = phones()
            stage.goto(url + "/stage")
            expect(stage.locator(".join-hint")).to_contain_text(room.join_code)
            go_until(room, lambda s: s.dealt and bool(s.current.guesses))
            expect(stage.locator("h1")).to_have_text(session.text(session.current.title))
            shot(stage, "stage")
            text = stage.locator("body").inner_text()
            html = stage.content()
            secrets = _secrets(session)
            assert secrets
            for secret in secrets:
                first_line = secret.splitlines()[0].strip()
                assert first_line not in text, f"the stage shows a secret: {first_line!r}"
            for name in session.participants:
                assert card_text(session, session.current.guesses, name) not in text
            assert "/me" not in html and "csrf" not in html
    finally:
        session.close()


def test_a_phone_comes_back_after_the_server_restarts(tmp_path, phones):
    session = start_session(tmp_path, "guess-who", people=["Ana", "Ben", "Cleo", "Dan", "Eve"])
    folder = session.folder
    page = phones()
    with served(session) as (room, url):
        page.goto(url + "/")
        page.fill("#code", room.join_code)
        page.get_by_label("Cleo").check()
        page.get_by_role("button", name="Ask to join").click()
        expect(page.get_by_role("heading", name="Hello, Cleo")).to_be_visible()
        room.run(c.AcceptDevice(participant="Cleo"))
        expect(page.locator(".who .name")).to_have_text("Cleo")
    session.close()
    # the program restarts: the session is reopened from its folder, a new server on a new port
    again = Session.reopen(folder)
    try:
        with served(again) as (room, url):
            assert room.snapshot.taken == frozenset({"Cleo"})
            page.goto(url + "/me")  # the same cookie (cookies do not depend on the port)
            expect(page.locator(".who .name")).to_have_text("Cleo")
            # still live: the trainer deals, Cleo's phone shows her role without a reload
            go_until(room, lambda s: s.dealt)
            expect(page.locator(".mine h2")).to_be_visible()
            shot(page, "me-after-restart")
        kinds = [e["type"] for e in log_of(again)]
        assert kinds.count("device_joined") == 1 and kinds.count("device_accepted") == 1
    finally:
        again.close()


def test_refused_and_ended_pages(tmp_path, phones):
    session = start_session(tmp_path, "guess-who", people=["Ana", "Ben", "Cleo", "Dan", "Eve"])
    try:
        with served(session) as (room, url):
            page = phones()
            page.goto(f"{url}/link/{room.link_tokens['Dan']}")
            expect(page.locator(".who .name")).to_have_text("Dan")
            stranger = phones()
            stranger.goto(url + "/link/not-a-token")
            expect(stranger.get_by_role("heading", name="This link opens nothing")).to_be_visible()
            shot(stranger, "link-opens-nothing")
            room.run(c.EndSession(reason="stopped"))
            expect(page.get_by_role("heading", name="The session has ended")).to_be_visible()
            shot(page, "ended")
    finally:
        session.close()

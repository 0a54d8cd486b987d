"""Privacy, for every built-in exercise: a phone shows its holder only what is theirs to see, the stage no secret.

Each scenario is played through with six participants, every injectable event brought in; at every
phase each participant's page (through the web app, as their phone gets it) and the stage are read,
and none may hold a text that is private to someone else: another role's brief, a card its reader may
not see, a trainer's note, a script, an event's secret brief for someone else.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re

import pytest

from roleplay.core import commands as c
from roleplay.core.engine import CommandError, GuardWarning
from roleplay.core.text import localize
from roleplay.room.room import Room
from roleplay.room.visibility import participant_view, stage_view
from tests.room.conftest import BUILTIN, PEOPLE, ROOM, browser, start_session

pytestmark = ROOM


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@functools.lru_cache(maxsize=None)  # the same texts on every phone, every step and every scenario run
def fragments(text: str) -> tuple[str, ...]:
    """The pieces of a text to look for: each line, and each sentence of it, long enough to mean something."""
    pieces = []
    for line in text.split("\n"):
        line = norm(line)
        if len(line) >= 20 and line.count(" ") >= 2:  # a line-wrap remnant ("words.") is in many texts
            pieces.append(line)
    return tuple(pieces)


def t(session, value) -> str:
    return localize(value, session.language, session.scenario.fallback) if value is not None else ""


def secrets_of(session):
    """Every private text of the scenario: (kind, owner or None, text)."""
    sc = session.scenario
    found = []
    for role in sc.roles:
        if role.brief:
            found.append(("brief", role.id, t(session, role.brief)))
    for deck in sc.decks:
        for card in deck.cards:
            if deck.visible_to != "everyone":
                found.append(("card", (deck.id, card.id), t(session, card.text)))
            if card.trainer_note:
                found.append(("note", None, t(session, card.trainer_note)))
    for phase in sc.phases.values():
        if phase.script:
            found.append(("script", None, t(session, phase.script)))
    for event in sc.events:
        found.append(("script", None, t(session, event.script)))
        if event.brief:
            found.append(("event-brief", event.id, t(session, event.brief)))
    return found


def allowed_for(session, name: str) -> list[str]:
    """What `name` may see, worked out here from the rules (not from the room's code)."""
    sc = session.scenario
    texts = []
    role_id = session.roles.get(name) if session.dealt else None
    if role_id:
        role = sc.role(role_id)
        texts += [t(session, role.name), t(session, role.description)]
        if role.brief and role.brief_visible_to in ("holder", "everyone"):
            texts.append(t(session, role.brief))
    for deck in sc.decks:
        held = session.cards.get(deck.id, {}) if session.dealt else {}
        for holder, card_id in held.items():
            card = next(x for x in deck.cards if x.id == card_id)
            if (deck.visible_to in ("holder", "everyone") and holder == name) or (
                deck.visible_to == "others" and holder != name
            ):
                texts.append(t(session, card.text))
        drawn = session.drawn.get(deck.id, [])
        if deck.visible_to == "everyone" and drawn:
            texts.append(t(session, next(x for x in deck.cards if x.id == drawn[-1]).text))
    since = session.history[-1].entered_wall
    for item in session.injected:
        if item["phase"] == session.phase and item["wall"] >= since:
            if name in session.brief_receivers(item["event"], item.get("to")):
                texts.append(t(session, sc.event(item["event"]).brief))
    return texts


def public_texts(session) -> list[str]:
    phase = session.current
    sc = session.scenario
    texts = [t(session, phase.title), t(session, phase.group_text), t(session, sc.title)]
    texts += [t(session, e.group_text) + t(session, e.title) for e in sc.events]
    return texts


def forbidden_for(session, name: str | None, step=None) -> list[str]:
    """Fragments of private texts that must not appear on `name`'s page (None: the stage).

    `step`: (public, secrets) of this step, worked out once for every page of it (`step_texts`)."""
    public, secrets = step if step is not None else step_texts(session)
    allowed = " ".join(norm(x) for x in (allowed_for(session, name) if name else []))
    pieces = []
    for _kind, _owner, text in secrets:
        for piece in fragments(text):
            if piece not in allowed and piece not in public:
                pieces.append(piece)
    return pieces


def step_texts(session):
    """What every page of one step is checked against: the public texts (normalised) and the secrets."""
    return " ".join(norm(x) for x in public_texts(session)), secrets_of(session)


def advance(session) -> bool:
    """Go on one phase (forced); False at the end."""
    if session.ended or session.current.final:
        return False
    try:
        session.fire("next", force=True)
    except (CommandError, GuardWarning):
        return False
    return not session.ended


def inject_all(session) -> None:
    for event_id in session.injectable():
        event = session.scenario.event(event_id)
        to = PEOPLE[1] if event.brief and not event.brief_for else None
        session.execute(c.Inject(event=event_id, to=to))


def page_text(phone) -> str:
    answer = phone.get("/me")
    assert answer.status_code == 200
    return norm(answer.text)


@pytest.mark.parametrize("scenario_id", BUILTIN)
def test_each_phone_and_the_stage_show_nothing_private_of_anyone_else(tmp_path, scenario_id):
    session = start_session(tmp_path, scenario_id, PEOPLE, seed=11)
    room = Room(session)
    # Each phone is one TestClient session: one event loop in one thread for all its requests (used
    # without `with`, TestClient starts a thread and a loop for every request: a fifth of this file).
    clients = contextlib.ExitStack()
    phones = {}
    for name in PEOPLE:
        phone = clients.enter_context(browser(room))
        assert phone.get(f"/link/{room.link_tokens[name]}").status_code == 200
        phones[name] = phone
    stage = clients.enter_context(browser(room, client=("127.0.0.1", 50001)))
    seen_brief = seen_card = False
    steps = 0
    while True:
        steps += 1
        inject_all(session)
        step = step_texts(session)
        for name, phone in phones.items():
            page = page_text(phone)
            fragment = norm(phone.get("/me/fragment").text)
            for piece in forbidden_for(session, name, step):
                assert piece not in page, (scenario_id, session.phase, name, piece)
                assert piece not in fragment, (scenario_id, session.phase, name, piece)
            view = room.snapshot.people[name]
            if view.brief:
                seen_brief = True
                assert norm(view.brief) in page
            for card in view.own_cards + view.others_cards:
                seen_card = True
                assert norm(card.text) in page
                assert card.holder != name or session.scenario.deck(
                    next(d.id for d in session.scenario.decks if t(session, d.title) == card.deck)).visible_to != "others"
        stage_page = stage.get("/stage")
        assert stage_page.status_code == 200
        stage_text = norm(stage_page.text) + " " + norm(stage.get("/stage/fragment").text)
        for piece in forbidden_for(session, None, step):
            assert piece not in stage_text, (scenario_id, session.phase, "stage", piece)
        if not advance(session):
            break
    assert steps > 3
    expect_private = any(r.brief and r.brief_visible_to in ("holder", "everyone") for r in session.scenario.roles)
    assert seen_brief == expect_private, "the test would not notice a missing brief"
    if any(d.deal_to != "nobody" for d in session.scenario.decks):
        assert seen_card
    clients.close()
    room.close()
    session.close()


@pytest.mark.parametrize("scenario_id", BUILTIN)
def test_views_follow_the_rules_right_after_the_deal(tmp_path, scenario_id):
    """The pure rules, without the web app: own brief when allowed, forehead cards of the others only."""
    session = start_session(tmp_path, scenario_id, PEOPLE, seed=5)
    while not session.dealt:
        session.fire("next", force=True)
    stage = stage_view(session)
    on_stage = norm(repr(stage))
    for name in PEOPLE:
        view = participant_view(session, name, stage)
        role = session.scenario.role(session.roles[name]) if session.roles.get(name) else None
        if role is not None and role.brief and role.brief_visible_to in ("holder", "everyone"):
            assert view.brief == t(session, role.brief)
        else:
            assert view.brief == ""
        for deck in session.scenario.decks:
            held = session.cards.get(deck.id, {})
            mine = [card for card in view.own_cards if card.deck == t(session, deck.title)]
            theirs = [card for card in view.others_cards if card.deck == t(session, deck.title)]
            if deck.visible_to == "others":
                assert not mine and sorted(card.holder for card in theirs) == sorted(h for h in held if h != name)
            elif deck.visible_to in ("holder", "everyone") and name in held:
                assert [card.holder for card in mine] == [name] and not theirs
            else:
                assert not mine and not theirs
        blob = norm(repr(view))
        for _kind, _owner, text in secrets_of(session):
            if _kind in ("note", "script"):
                for piece in fragments(text):
                    if piece not in on_stage:
                        assert piece not in blob, (scenario_id, name, piece)
    session.close()

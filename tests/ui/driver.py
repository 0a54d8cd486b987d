"""Pilot helpers that drive the app the way a trainer does, by keyboard."""

from __future__ import annotations

import re
import time

from textual.pilot import Pilot
from textual.widgets import Markdown
from textual.worker import WorkerCancelled, WorkerFailed

from roleplay.ui.screens.assignment import AssignmentScreen
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.cover import CoverScreen
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.screens.phase import PhaseScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.quality import QualityScreen
from roleplay.ui.screens.reveal import RevealScreen
from roleplay.ui.screens.setup import SetupScreen
from roleplay.ui.screens.summary import SummaryScreen


# What use_tools types as a note and as an answer: private, so never on a projected phase screen.
PRIVATE_NOTE = "note about Q7 person"
PRIVATE_ANSWER = "answer from Q7 sheet"

# Workers that run until their screen closes (video playback): waiting for them would never end.
ENDLESS_WORKERS = {"video-decode"}


async def settle(pilot: Pilot) -> None:
    """Let workers finish and messages run."""
    app = pilot.app
    for _ in range(5):
        pending = [w for w in app.workers if w.is_running and w.group not in ENDLESS_WORKERS]
        if not pending:
            break
        for worker in pending:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                continue  # replaced by a newer exclusive worker, or failed (the app reports that): go on
    await pilot.pause()
    # A Markdown widget parses new text on a thread of the event loop's executor and then mounts it,
    # holding its lock throughout (Markdown.update): under load that outlasts `pause`.
    for markdown in app.screen.query(Markdown):
        if markdown.lock.is_locked:
            async with markdown.lock:
                pass
            await pilot.pause()
    # Work deferred to the screen's next refresh, and then to the animator's next frame, is done before
    # the test looks: End and PgDn scroll only after a refresh (Widget.scroll_end), and the view then
    # moves on an animation frame even with animations off (it jumps, in one frame). Neither is waited
    # for by `pause`. Textual's own flags; waiting for animations costs ~20 ms when there is none.
    animator = app.animator
    for _ in range(100):
        if refresh_pending(app.screen):
            await pilot.pause(0.002)
        elif animator._animations or animator._scheduled:
            await pilot.wait_for_scheduled_animations()
        else:
            break


def refresh_pending(screen) -> bool:
    """The screen has a layout, a repaint or callbacks waiting for its next refresh."""
    return bool(screen._callbacks or screen._layout_required or screen._scroll_required
                or screen._repaint_required or screen._recompose_required)


async def wait_until(pilot: Pilot, predicate, seconds: float = 20.0, what: str = "the condition") -> None:
    """Wait for state that changes on another thread without telling the app (the recorder's status,
    files it writes): workers are awaited as events first, then the state is polled with a deadline.
    Anything a worker or a message brings about needs only `settle`."""
    await settle(pilot)
    deadline = time.monotonic() + seconds
    step = 0.01  # most conditions hold a frame later; longer waits (a recorder's seconds) back off to 50 ms
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        await pilot.pause(step)
        step = min(step * 2, 0.05)
        await settle(pilot)


def wait_until_sync(predicate, seconds: float = 20.0, what: str = "the condition") -> None:
    """The same outside an app: poll, with a deadline, state another thread changes without an event."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(0.02)


def screen_text(app) -> str:
    """What the terminal shows now: the top screen, its dialogs' text and its notifications."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """Text without layout: box lines and wrapping gone, so a wrapped sentence is still found."""
    return re.sub(r"[\s│┃─━╭╮╰╯▁▔▎▊]+", " ", text).strip()


def widget_texts(app) -> str:
    """The text of every Static drawn on the top screen (hidden widgets have no region)."""
    from textual.widgets import Static

    shown = []
    for widget in app.screen.query(Static):
        if widget.region.area:
            content = widget.content
            shown.append(getattr(content, "plain", str(content)))
    return flat(" ".join(shown))


def assert_hidden(app, secret: str, *, shown: tuple[str, str] | None = None) -> None:
    """Neither the widgets drawn nor the terminal's lines carry the secret (its first words).

    `shown`: (widget_texts(app), flat(screen_text(app))) read once for several secrets on one screen."""
    words = flat(secret)[:40]
    assert words, "a secret to look for"
    widgets, terminal = shown if shown is not None else (widget_texts(app), flat(screen_text(app)))
    assert words not in widgets, f"{words!r} is on the room's screen ({type(app.screen).__name__})"
    assert words not in terminal, f"{words!r} is on the room's screen ({type(app.screen).__name__})"


def private_texts(session) -> list[str]:
    """Everything of a session the room must not see on a projected screen."""
    s = session
    sc = s.scenario
    texts = [PRIVATE_NOTE, PRIVATE_ANSWER]
    texts += [s.text(p.script) for p in sc.phases.values() if p.script]
    texts += [s.text(e.script) for e in sc.events if e.script]
    texts += [s.text(e.brief) for e in sc.events if e.brief]
    texts += [s.text(r.brief) for r in sc.roles if r.brief and r.brief_visible_to != "everyone"]
    for deck in sc.decks:
        texts += [s.text(c.trainer_note) for c in deck.cards if c.trainer_note]
        if deck.visible_to != "everyone":
            texts += [s.text(c.text) for c in deck.cards]
    return [t for t in texts if len(flat(t)) >= 12]  # short words (a card's "tea") are everywhere


def assert_room_view_clean(app) -> None:
    shown = (widget_texts(app), flat(screen_text(app)))  # drawing the screen once is enough: nothing runs in between
    for secret in private_texts(app.session):
        assert_hidden(app, secret, shown=shown)


async def live_session_in(pilot: Pilot, scenario_id: str, phase: str, names=("Ana", "Ben", "Cleo", "Dan", "Eve", "Finn")):
    """A built-in exercise started for six people and moved on to `phase` the way `n` goes (past any soft check)."""
    from roleplay.core.engine import Session
    from roleplay.core.loader import load_scenario

    from .conftest import BUILTIN

    app = pilot.app
    await settle(pilot)
    scenario = load_scenario(BUILTIN / f"{scenario_id}.yaml").scenario
    session = Session.start(scenario, list(names), root=app.root, seed=4, clock=app.clock)
    for _ in range(40):
        if session.phase == phase:
            break
        if "next" in session.triggers():
            session.fire("next", force=True)
        else:
            session.expire_timer()
    assert session.phase == phase
    app._adopt(session)
    app._sync()
    await settle(pilot)
    return session


async def press_private(pilot: Pilot, key: str) -> None:
    """Press a key for a private dialog; on a projected screen, go through the cover with Enter."""
    await pilot.press(key)
    await pilot.pause()
    if isinstance(pilot.app.screen, CoverScreen):
        await pilot.press("enter")
        await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type into the focused input (set at once: key by key costs ~0.1 s a key under Pilot)."""
    from textual.widgets import Input

    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
        await pilot.pause()
    else:
        await pilot.press(*[{" ": "space", ",": "comma", "-": "minus", ".": "full_stop"}.get(c, c) for c in text])


async def open_setup(pilot: Pilot, search: str) -> None:
    """From the library: search, choose the first match."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, LibraryScreen)
    await pilot.press("slash")
    await type_text(pilot, search)
    await pilot.press("enter")  # one match: Enter in the search opens it
    await settle(pilot)
    if isinstance(pilot.app.screen, LibraryScreen):  # several: Enter moved to the list, Enter again chooses
        await pilot.press("enter")
        await settle(pilot)
    assert isinstance(pilot.app.screen, SetupScreen), type(pilot.app.screen)


async def start_from_setup(pilot: Pilot, participants: str | None = None) -> None:
    app = pilot.app
    if participants is not None:
        app.screen.query_one("#participants").value = participants
    await pilot.press("ctrl+s")
    await settle(pilot)
    while isinstance(app.screen, ConfirmScreen):  # group size, then content notes
        await pilot.press("y")
        await settle(pilot)
    assert app.session is not None, "the session did not start"


async def hand_out_all(pilot: Pilot) -> int:
    """On the assignment screen: every person's private items, shown and hidden. Returns reveals."""
    app = pilot.app
    if not isinstance(app.screen, AssignmentScreen):
        return 0
    shown = 0
    for index in range(len(app.session.participants)):
        app.screen.query_one("OptionList").highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):  # a projected screen: the room's view is frozen first
            await pilot.press("y")
            await pilot.pause()
        while isinstance(app.screen, RevealScreen):
            await pilot.press("space")
            shown += 1
            await pilot.press("space", "enter")
            await pilot.pause()
    await pilot.press("n")
    await settle(pilot)
    return shown


async def use_tools(pilot: Pilot) -> bool:
    """Do what the phase records, once each, through the keys; False when the phase has nothing to record."""
    app = pilot.app
    s = app.session
    p = s.current
    if not (isinstance(app.screen, QualityScreen) or p.checklists or p.collection or p.votes or p.ratings or p.guesses
            or (p.questions and not p.form)):
        return False
    if isinstance(app.screen, QualityScreen):
        from roleplay.core.standard_forms import find_form

        form = find_form(s.scenario, p.form)
        for q in form.questions:
            if q.answer == "rating":
                await pilot.press(str(q.max))
            else:
                await press_private(pilot, "enter")
                await type_text(pilot, PRIVATE_ANSWER)
                await pilot.press("enter")
            await pilot.press("right")
        await settle(pilot)
        return True
    for cid in p.checklists:
        app.screen.query_one(f"#checklist-{cid}").focus()
        await pilot.press("enter")
    if p.collection:
        await pilot.press("c")
        await type_text(pilot, "listen first")
        await pilot.press("enter")
        await settle(pilot)
        if s.scenario.collection(p.collection).categories:
            await pilot.press("y", "1")
    if p.votes:
        await pilot.press("v")
        if len(p.votes) > 1:
            await pilot.press("1")
        await pilot.press("1")
    if p.ratings:
        await pilot.press("k")
        if len(p.ratings) > 1:
            await pilot.press("1")
        await type_text(pilot, str(p.ratings[0].max))
        await pilot.press("enter")
    if p.guesses:
        for name in list(s.deck_holders(p.guesses)):
            app.screen.set_focus(None)  # w with no guess highlighted asks whose guess it is
            await pilot.press("w")
            await pilot.pause()
            chooser = app.screen
            assert isinstance(chooser, ChoiceScreen)
            index = [k for k, _ in chooser.options].index(name)
            chooser.query_one("OptionList").highlighted = index
            await pilot.press("enter", "1")
    if p.questions and not p.form:
        await press_private(pilot, "a")
        await type_text(pilot, PRIVATE_NOTE)
        await pilot.press("enter")
    await settle(pilot)
    return True


async def run_to_end(pilot: Pilot, max_steps: int = 80, check=None) -> list[str]:
    """Press next (forcing past soft checks) until the summary; returns the phases seen.

    `check(app)` runs on every phase screen and on the summary (for what the room may see)."""
    app = pilot.app
    seen = []
    for _ in range(max_steps):
        await settle(pilot)
        if check is not None and isinstance(app.screen, (PhaseScreen, SummaryScreen)):
            check(app)
        if isinstance(app.screen, SummaryScreen):
            return seen
        if isinstance(app.screen, (ConfirmScreen, PromptScreen, ChoiceScreen)):
            await pilot.press("y" if isinstance(app.screen, ConfirmScreen) else "escape")
            continue
        if isinstance(app.screen, RevealScreen):
            await pilot.press("enter")
            continue
        if isinstance(app.screen, AssignmentScreen):
            await hand_out_all(pilot)
            continue
        assert isinstance(app.screen, PhaseScreen), type(app.screen)
        phase = app.session.phase
        if phase not in seen:
            seen.append(phase)
            used = await use_tools(pilot)
            await settle(pilot)
            if used and check is not None and isinstance(app.screen, PhaseScreen):
                check(app)  # again with what the tools added (with no tools the screen is as just checked)
        if "next" in app.session.triggers():
            await pilot.press("n")
        elif app.session.timer and not app.session.timer.expired:
            await pilot.press("x", "y")
        else:
            raise AssertionError(f"stuck in {phase}: no next and no timer")
    raise AssertionError(f"no end after {max_steps} steps: {seen}")

"""Texts from a scenario, a participant or a note are shown as written: never read as Textual markup.

The scenario `data/literal.yaml` puts something that looks like markup into every text (titles,
phase titles, group texts, role names, briefs, cards, checklist items, collection categories,
events, votes, forms), the participants are named the same way, and the notes, entries and
answers typed during the session too. The app is driven through set-up, every phase, the
summary, past sessions and a resume; it must never stop on a `MarkupError`, never run an
`@click` action, and show every text with its brackets.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Markdown

from roleplay.core.clock import FakeClock
from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario
from roleplay.core.report import to_markdown
from roleplay.ui.app import make_app
from roleplay.ui.screens.assignment import AssignmentScreen
from roleplay.ui.screens.choice import ChoiceScreen
from roleplay.ui.screens.confirm import ConfirmScreen
from roleplay.ui.screens.debrief import DebriefScreen
from roleplay.ui.screens.library import LibraryScreen
from roleplay.ui.screens.live import LiveScreen
from roleplay.ui.screens.prompt import PromptScreen
from roleplay.ui.screens.quality import QualityScreen
from roleplay.ui.screens.reveal import RevealScreen
from roleplay.ui.screens.sessions import SessionsScreen
from roleplay.ui.screens.setup import SetupScreen
from roleplay.ui.screens.summary import SummaryScreen
from roleplay.ui.screens.trainer_view import TrainerViewScreen

from .conftest import DATA
from .driver import settle, type_text

SIZE = (220, 60)
LITERAL = DATA / "literal.yaml"
NAMES = ["Ana [b", "[red]Ben[/red]", "Cleo [/]", "[@click=app.quit]Dee[/]"]
NOTE = "Note [@click=app.quit]quit[/] [/] [link=https://x]y[/link]"
MARKER = "Marker [red]x[/red] [/]"
ENTRY = "Entry [/] [b"
ANSWER = "Answer [@click=app.quit]quit[/]"
DEBRIEF_NOTE = "Debrief note [/] [red]x[/red]"
# Markdown that a note might hold: the summary shows it as typed, not as a link, bold or code.
MARKDOWN_NOTE = "See [this](https://example.org) **now** `code` | pipe <b>x</b>"


def screen_text(app) -> str:
    """What the terminal shows now: the top screen, its dialogs' text and its notifications."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def assert_alive(app) -> None:
    assert app.is_running, "the app stopped"
    assert not getattr(app, "crashed", False) and app._exception is None, "the app raised an exception"


def notifications(app) -> list[str]:
    """The notifications on screen, as their toasts render them (title and message, unwrapped)."""
    from textual.widgets._toast import Toast

    return [str(toast.render()) for toast in app.screen.query(Toast)]


def assert_notified(app, text: str) -> None:
    assert_alive(app)
    shown = notifications(app)
    if not any(text in n for n in shown):
        pytest.fail(f"no notification shows {text!r}: {shown}", pytrace=False)


def assert_shows(app, *texts: str) -> None:
    assert_alive(app)
    shown = screen_text(app)
    missing = [text for text in texts if text not in shown]
    if missing:
        pytest.fail(f"not on screen: {missing}\n{shown}", pytrace=False)


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def type_and_enter(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, PromptScreen), type(pilot.app.screen)
    await type_text(pilot, text)
    await keys(pilot, "enter")


async def click_word(pilot, widget, word: str) -> None:
    """Click on `word` where the widget shows it: an `@click` in data would run here."""
    text = str(widget.render())
    line_no, column = next((n, line.index(word)) for n, line in enumerate(text.splitlines()) if word in line)
    await pilot.click(widget, offset=(column + 1 + widget.styles.padding.left, line_no + widget.styles.padding.top))
    await settle(pilot)


def local_scenario(ui_env) -> Path:
    path = Path(ui_env["local"]) / "literal.yaml"
    shutil.copy(LITERAL, path)
    return path


@pytest.mark.slow  # an end-to-end run: every phase, by the keys
async def test_every_text_is_shown_as_written_from_library_to_report(tmp_path, ui_env):
    local_scenario(ui_env)
    out = tmp_path / "sessions"
    app = make_app(out=out, seed=3, clock=FakeClock(), look_seconds=1, projected=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # ----- library and preview
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await keys(pilot, "slash")
        await type_text(pilot, "literal")
        await settle(pilot)
        assert_shows(
            app,
            "Title [@click=app.quit]quit[/] [b",
            "Summary [red]x[/red] [link=https://x]y[/link]",
            "Content note [/] [b",
            "• Speaker [red]x[/red]: Describes [/]",
            "Scene [red]x[/red] [b [enactment]",
        )
        await keys(pilot, "enter")  # the only match: Enter in the search opens it

        # ----- set-up: a name given twice is named in a notification, a roster is saved under its name
        assert isinstance(app.screen, SetupScreen)
        assert_shows(app, "Set up: Title [@click=app.quit]quit[/] [b", "• Content note [/] [b", "Opt out [red]x[/red]")
        app.screen.query_one("#participants").value = "Cleo [/], Cleo [/], Ana [b"
        await keys(pilot, "ctrl+s")
        assert_notified(app, "Each name once please: Cleo [/] given twice.")
        app.screen.query_one("#participants").value = ", ".join(NAMES)
        await keys(pilot, "ctrl+r")
        await type_and_enter(pilot, "Roster [/] [b")
        assert_notified(app, "Roster 'Roster [/] [b' saved in")
        app.screen.query_one("#participants").value = ""
        app.screen.query_one("#roster").focus()
        await keys(pilot, "enter")  # the saved rosters open, named as typed
        assert_shows(app, "Roster [/] [b (4)")
        await keys(pilot, "down", "enter")
        assert_shows(app, "Roster [/] [b (4)", ", ".join(NAMES))

        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        assert_shows(app, "• Content note [/] [b", "Opting out: Opt out [red]x[/red]")
        await keys(pilot, "y")

        # ----- roles and cards: names, roles, dialogs titled with a name, reveals, the trainer's view
        assert isinstance(app.screen, AssignmentScreen)
        s = app.session
        assert s.participants == NAMES
        for name in NAMES:
            role = s.text(s.scenario.role(s.roles[name]).name)
            assert_shows(app, f"{name}: {role}")
        listing = app.screen.query_one("OptionList")
        listing.highlighted = NAMES.index("Cleo [/]")
        await keys(pilot, "s")
        assert isinstance(app.screen, ChoiceScreen)
        assert_shows(app, "Swap Cleo [/]'s role and cards with", "[@click=app.quit]Dee[/]")
        await keys(pilot, "escape")
        await keys(pilot, "o")
        assert_shows(app, "Role for Cleo [/]", "Listener [/]", "Observer [b")
        await keys(pilot, "escape")
        for index, name in enumerate(NAMES):
            app.screen.query_one("OptionList").highlighted = index
            await keys(pilot, "enter")
            if isinstance(app.screen, ConfirmScreen):  # projected: the room's view is frozen first (once)
                await keys(pilot, "y")
            assert isinstance(app.screen, RevealScreen)
            while isinstance(app.screen, RevealScreen):
                _, audience, items = app.screen.current
                await keys(pilot, "space")
                assert_shows(app, name)
                for item in items:
                    assert_shows(app, item.title, item.text)
                await keys(pilot, "enter")
        await keys(pilot, "ctrl+t")
        assert isinstance(app.screen, TrainerViewScreen)
        assert_shows(app, "Moods [/] (others): Calm [red]x[/red]" if "calm" in s.cards["moods"].values() else "Tense [b")
        assert_shows(app, "Speaker brief [@click=app.quit]quit[/]", "Listener brief [link=https://x]y[/link]")
        await keys(pilot, "escape")
        await keys(pilot, "n")

        # ----- first phase: guesses and a drawn card
        assert isinstance(app.screen, LiveScreen)
        assert_shows(
            app,
            "Guessing [/] phase · assignment",
            "Group text [@click=app.quit]quit[/]",
            "Guessing script [link=https://x]y[/link]",
            "Card drawn (Situations [b): Situation [@click=app.quit]quit[/]",
            "Guesses · Moods [/] (Enter to record)",
            "Cleo [/]: … not yet · 0 tries",
        )
        app.screen.set_focus(None)  # w with no guess highlighted asks whose guess it is
        await keys(pilot, "w")
        chooser = app.screen
        assert isinstance(chooser, ChoiceScreen)
        chooser.query_one("OptionList").highlighted = [k for k, _ in chooser.options].index("[@click=app.quit]Dee[/]")
        await keys(pilot, "enter")
        assert_shows(app, "[@click=app.quit]Dee[/]'s guess")
        await keys(pilot, "1")
        assert_shows(app, "[@click=app.quit]Dee[/]: ✓ guessed · 1 tries")
        await keys(pilot, "n")

        # ----- the scene: checklist, routes, an event with its brief, notes, markers, time's up
        assert_shows(
            app,
            "Scene [red]x[/red] [b · enactment",
            "Scene script [/]",
            "1. Scene question [/]",
            "Checklist · Checklist [@click=app.quit]quit[/] (Enter ticks, - takes back)",
            "[0] Item [/] nods",
            "[0] Item [link=https://x]y[/link]",
        )
        heading = next(w for w in app.screen.query(".tool-heading") if "Checklist" in str(w.render()))
        await click_word(pilot, heading, "quit")  # data never runs an action when clicked
        assert_alive(app)
        assert isinstance(app.screen, LiveScreen), "clicking the heading asked to quit"
        app.screen.query_one("#checklist-listening").focus()
        await keys(pilot, "enter")
        assert_shows(app, "[1] Item [/] nods")
        await keys(pilot, "g")
        assert_shows(app, "1. Route [/] label")
        await keys(pilot, "escape")
        await keys(pilot, "i")
        assert_shows(app, "1. Event [@click=app.quit]quit[/]")
        await keys(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert_shows(app, "Event [@click=app.quit]quit[/]", "Event script [/]")
        await keys(pilot, "y")
        while isinstance(app.screen, RevealScreen):
            await keys(pilot, "space")
            assert_shows(app, "New instruction: Event [@click=app.quit]quit[/]", "Event brief [b")
            await keys(pilot, "enter")
        assert_shows(app, "Event: Event [@click=app.quit]quit[/]", "Event group [red]x[/red]", "Trainer · Event [@click=app.quit]quit[/]: Event script [/]")
        await keys(pilot, "a")
        await type_and_enter(pilot, NOTE)
        await keys(pilot, "a")
        await type_and_enter(pilot, MARKDOWN_NOTE)
        await keys(pilot, "m")
        await type_and_enter(pilot, MARKER)
        await keys(pilot, "colon")
        await type_and_enter(pilot, "tick listening [/]")  # a command error names the text given
        assert_notified(app, "checklist 'listening' has no item '[/]'")
        await keys(pilot, "x", "y")
        assert app.announcements == ["Time is up: Scene [red]x[/red] [b"]
        assert_notified(app, "Time is up: Scene [red]x[/red] [b")
        await keys(pilot, "n")

        # ----- the collection: entries, categories, ratings, a vote
        assert_shows(
            app,
            "Discuss [/] · collection",
            "Collection · Collection [/] ideas (c adds, Enter tags)",
            "Prompt [red]x[/red]",
            "Vote · Vote [/] question (v to count)",
            "Commitment [/] (1–5): 0 rating(s), none yet",
        )
        await keys(pilot, "c")
        assert_shows(app, "Add to Collection [/] ideas", "Prompt [red]x[/red]")
        await type_and_enter(pilot, ENTRY)
        await keys(pilot, "y")
        assert_shows(app, "Category for entry 1", ENTRY, "1. Category [b small", "2. Category [/] big")
        await keys(pilot, "2")
        assert_shows(app, f"1. {ENTRY}  [Category [/] big]", "Category [/] big")
        await keys(pilot, "v")
        assert_shows(app, "Vote [/] question", "1. Yes [b", "2. No [/]")
        await keys(pilot, "2")
        await keys(pilot, "k")  # the phase's scale, and the highlighted entry's: which one
        assert_shows(app, "1. Commitment [/]", "2. Appeal [/] · entry 1")
        await keys(pilot, "1")
        assert_shows(app, "Commitment [/]")
        await type_and_enter(pilot, "4")
        assert_shows(app, "Commitment [/] (1–5): 1 rating(s), average 4.0")
        await keys(pilot, "n")

        # ----- the debrief: questions, notes per question, the tallies
        assert isinstance(app.screen, DebriefScreen)
        assert_shows(app, "Debrief [@click=app.quit]quit[/] · debrief", "Question one [/]", "Checklist · Checklist [@click=app.quit]quit[/]")
        assert_shows(app, "Item [/] nods", "Collection · Collection [/] ideas", "Vote · Vote [/] question")
        await keys(pilot, "a")
        await type_and_enter(pilot, DEBRIEF_NOTE)
        assert_shows(app, f"• {DEBRIEF_NOTE}")
        await keys(pilot, "right")
        assert_shows(app, "Question two [red]x[/red]")
        await keys(pilot, "n")

        # ----- the form
        assert isinstance(app.screen, QualityScreen)
        assert_shows(app, "Sheet [b · quality-check", "Form [/] title", "Form intro [b", "Heard [red]x[/red]")
        await keys(pilot, "5", "right", "enter")
        assert_shows(app, "Wish [/]")
        await type_and_enter(pilot, ANSWER)
        assert_shows(app, f"• {ANSWER}")
        await keys(pilot, "n")

        # ----- the final phase is shown too; the trainer ends the session there
        assert app.session.current.final and not app.session.ended
        await keys(pilot, "n")

        # ----- the summary: the report, with every text as written
        assert isinstance(app.screen, SummaryScreen)
        assert app.session.ended == "final"
        assert_shows(app, "Summary · Title [@click=app.quit]quit[/] [b · ended (final)")
        await keys(pilot, "space")
        report = app.screen.query_one("#report", Markdown)
        assert report.source == app.screen.report_text
        assert_shows(app, "Title [@click=app.quit]quit[/] [b", *NAMES, "Scene [red]x[/red] [b", "Debrief [@click=app.quit]quit[/]")
        assert_shows(app, f"note: {NOTE}", f"note: {MARKDOWN_NOTE}", f"marker: {MARKER}", "Moods [/]: Calm [red]x[/red]")
        app.screen.query_one("#summary-body").scroll_end(animate=False)
        await settle(pilot)
        assert_shows(app, f"1. {ENTRY} [Category [/] big]", "Commitment [/] = 4", f"▪ {ANSWER}", "• Wish [/]")

        # ----- past sessions
        await keys(pilot, "ctrl+o")
        assert isinstance(app.screen, SessionsScreen)
        assert_shows(app, "· Title [@click=app.quit]quit[/] [b · 4 people ·")
        assert_alive(app)
    assert not app.crashed


def cut_off_session(root: Path) -> Path:
    """A session of the literal scenario stopped in its scene (as after a crash); returns its folder."""
    scenario = load_scenario(LITERAL).scenario
    session = Session.start(scenario, NAMES, root=root, seed=3, clock=FakeClock())
    session.guess("Cleo [/]", "wrong", "Guess [/] text")
    session.fire("next")
    session.tick("listening", "nods")
    session.note(NOTE)
    session.note(MARKDOWN_NOTE)
    session.mark(MARKER)
    session.inject("phone")
    folder = session.folder
    session.close()
    return folder


async def test_resume_shows_every_text_as_written(tmp_path):
    out = tmp_path / "sessions"
    folder = cut_off_session(out)
    app = make_app(resume=folder, out=out, clock=FakeClock(wall=1_800_000_600.0), projected=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert app.session.phase == "scene"
        assert_notified(app, "Resumed in 'Scene [red]x[/red] [b'. Everything logged before is back.")
        assert_shows(
            app,
            "Scene [red]x[/red] [b · enactment",
            "Checklist · Checklist [@click=app.quit]quit[/] (Enter ticks, - takes back)",
            "[1] Item [/] nods",
            "Event: Event [@click=app.quit]quit[/]",
            "Event group [red]x[/red]",
        )

    # The same session, resumed from the past sessions screen of another app.
    app = make_app(out=out, clock=FakeClock(wall=1_800_000_900.0), projected=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert_shows(app, "Title [@click=app.quit]quit[/] [b, started")  # the start-up offer to resume
        await keys(pilot, "n")  # not now: from Past sessions instead
        await keys(pilot, "ctrl+o")
        assert isinstance(app.screen, SessionsScreen)
        assert_shows(app, "· Title [@click=app.quit]quit[/] [b · 4 people ·")
        await keys(pilot, "u")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert_notified(app, "Resumed in 'Scene [red]x[/red] [b'.")
        assert_shows(app, "Scene script [/]")
        await keys(pilot, "ctrl+t")
        assert isinstance(app.screen, TrainerViewScreen)
        assert_shows(app, "Cleo [/]: ", "Trainer note [/]" if "calm" in app.session.cards["moods"].values() else "Tense [b")
        await keys(pilot, "escape", "ctrl+x", "y")
        assert isinstance(app.screen, SummaryScreen)
        await keys(pilot, "space")
        assert_shows(app, f"note: {NOTE}", f"marker: {MARKER}", "wrong (Guess [/] text)")
    assert not app.crashed


async def test_notifications_name_files_and_problems_as_written(tmp_path, ui_env):
    """Paths and validation problems are shown as written too: in the library and when a file is opened."""
    broken = Path(ui_env["local"]) / "[b]Broken [@click=app.quit] file.yaml"
    broken.write_text("id: broken\ntitle: '[/] broken'\n", encoding="utf-8")
    app = make_app(scenario=broken, clock=FakeClock())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert_notified(app, f"{broken} is not a valid scenario: {broken}:")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        index = next(n for n, e in enumerate(screen.shown) if e.path == broken)
        assert_shows(app, "✗ [b]Broken [@click=app.quit] file.yaml")
        screen.query_one("#library-list").highlighted = index
        await keys(pilot, "enter")
        assert isinstance(app.screen, LibraryScreen)
        assert_notified(app, "[b]Broken [@click=app.quit] file.yaml has errors: fix them first")
    assert not app.crashed


async def test_replay_shows_folder_names_and_marks_as_written(tmp_path):
    from roleplay.ui.replay_app import ReplayApp

    folder = tmp_path / "Room [b] [@click=app.quit]x"  # no [/]: a slash would be a folder
    shutil.copytree(cut_off_session(tmp_path / "sessions"), folder)
    app = ReplayApp(folder=folder, sound=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert_shows(app, "no sound   Room [b] [@click=app.quit]x", "This session has no video")
        assert_shows(app, NOTE, MARKER, "Scene [red]x[/red] [b")
    assert app._exception is None


def test_the_summary_is_the_report_with_every_text_escaped(tmp_path):
    """The summary shows `roleplay report`'s Markdown, in which every text from the data is escaped."""
    from markdown_it import MarkdownIt

    from roleplay.core.report import md_literal
    from roleplay.ui.services import summary_markdown

    session = Session.replay(cut_off_session(tmp_path / "sessions"))
    shown = summary_markdown(session)
    assert shown == to_markdown(session)  # one layout: the app shows what `roleplay report` writes
    # Nothing from the data becomes a link, emphasis, code or HTML.
    inline = [t for block in MarkdownIt("gfm-like").parse(shown) for t in (block.children or [])]
    own = {("strong_open", ""), ("strong_close", ""), ("code_inline", "literal-test")}  # **kind**, `scenario id`
    assert [(t.type, t.content) for t in inline if t.type not in ("text", "text_special") and (t.type, t.content) not in own] == []
    assert md_literal(MARKDOWN_NOTE) == r"See \[this\]\(https\:\/\/example\.org\) \*\*now\*\* \`code\` \| pipe \<b\>x\<\/b\>"

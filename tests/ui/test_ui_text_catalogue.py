"""Every text the app writes itself goes through the catalogue (roleplay/core/i18n.py, re-exported by
roleplay/ui/i18n.py), so a translation needs no change to a screen (issue 15: "no screen builds text
outside them"; issue 12).

1. A static check over every module of roleplay/ui: a string literal with letters (or an f-string
   with letters in its literal parts) handed straight to a widget or a dialog is an error unless it
   is inside `_()`, `N_()` or `ngettext()`. Checked: the text of `Static`, `Label`, `Button`,
   `Option`, `Markdown`, `.update`, `.notify`, `.ring`, a `Binding`'s description, the title,
   hint and answers of `ConfirmScreen`, `PromptScreen` and `ChoiceScreen`, keyword texts such as
   `title=`, `placeholder=` and `hint=`, and `border_title` / `border_subtitle`. Strings of only
   symbols, digits and punctuation are fine ("—", "•", ": ").
2. A catalogue switches the app's words at run time, the footer included; scenario text never
   passes through it. (That roleplay/locale/roleplay.pot is up to date with the code, the whole
   program's: tests/test_catalogues.py.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "roleplay" / "ui"

WRAPPERS = {"_", "N_", "ngettext"}  # the catalogue's functions (roleplay/ui/i18n.py)
# Calls that only carry text on (a Content that is never markup, a Rich Text, str()): what they
# are given is checked too. Any other call (session.text(...), a helper) returns data.
PASSTHROUGH = {"plain", "prose", "group_prose", "plain_text", "Content", "Text", "str", "from_markup", "assemble"}

# name of the callee -> the positions of its text arguments; keywords in TEXT_KEYWORDS count for all
TEXT_CALLS: dict[str, tuple[int, ...]] = {
    "Static": (0,),
    "Label": (0,),
    "Button": (0,),
    "Option": (0,),
    "Markdown": (0,),
    "update": (0,),
    "notify": (0,),
    "ring": (0,),
    "Binding": (2,),
    "ConfirmScreen": (0,),
    "PromptScreen": (0,),
    "ChoiceScreen": (0,),
    "Input": (),  # placeholder= only (its first argument is the value typed)
    "Select": (),  # prompt= only (its options are checked where they are built)
}
TEXT_KEYWORDS = {"description", "title", "yes", "no", "hint", "placeholder", "prompt", "tooltip", "label", "subtitle", "message"}
# call_from_thread(self.notify, "text") from a worker: the text is the callee's first argument
DEFERRED_CALLS = {"call_from_thread", "call_after_refresh", "call_later"}
TEXT_ATTRIBUTES = {"border_title", "border_subtitle", "title", "sub_title", "TITLE", "SUB_TITLE", "placeholder", "chart_title", "tooltip"}

# Strings with letters that are not words: key names shown as keys, and the like.
ALLOWED = {"^p", "ctrl+p", "x", "y", "n"}
SYMBOLS = "ℹ"  # letters to Unicode, symbols to a reader


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() and ch not in SYMBOLS for ch in text) and text.strip() not in ALLOWED


def _bare_texts(expr: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every literal with letters in `expr` that is not inside the catalogue's functions."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and _has_letters(node.value):
                found.append((node.lineno, repr(node.value)))
        elif isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if _has_letters(literal):
                found.append((node.lineno, "f" + repr(literal)))
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    visit(value.value)
        elif isinstance(node, ast.Call):
            name = _callee(node)
            if name in WRAPPERS:
                return
            if name in ("format", "join") and isinstance(node.func, ast.Attribute):
                visit(node.func.value)  # "Add to {title}".format(...) and ", ".join(...)
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    visit(arg)
            elif name in PASSTHROUGH:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    visit(arg)
        elif isinstance(node, ast.BinOp):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, ast.IfExp):
            visit(node.body)
            visit(node.orelse)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                visit(value)
        elif isinstance(node, (ast.List, ast.Tuple)):
            for element in node.elts:
                visit(element)

    visit(expr)
    return found


def bare_ui_texts(path: Path) -> list[str]:
    """Every UI text in the module at `path` that does not go through the catalogue, as `file:line: text`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT)
    problems: list[str] = []

    def report(expr: ast.AST, what: str) -> None:
        for line, text in _bare_texts(expr):
            problems.append(f"{where}:{line}: {what}: {text}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            positions = TEXT_CALLS.get(name) if name else None
            if name in DEFERRED_CALLS and node.args and isinstance(node.args[0], (ast.Name, ast.Attribute)):
                target = node.args[0].id if isinstance(node.args[0], ast.Name) else node.args[0].attr
                if target in TEXT_CALLS:
                    name, positions = target, tuple(p + 1 for p in TEXT_CALLS[target])
            if positions is None:
                continue
            for position in positions:
                if position < len(node.args):
                    report(node.args[position], f"{name}() text")
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS:
                    report(keyword.value, f"{name}({keyword.arg}=)")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else None
                if name in TEXT_ATTRIBUTES and node.value is not None:
                    report(node.value, name)
    return sorted(problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1])))


def ui_modules() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name not in ("i18n.py", "i18n_extract.py"))


def test_every_ui_text_goes_through_the_catalogue():
    problems = [problem for path in ui_modules() for problem in bare_ui_texts(path)]
    assert not problems, (
        f"{len(problems)} UI text(s) do not go through the catalogue: wrap them in _() from roleplay.ui.i18n "
        "(N_() for texts defined at import time), with named placeholders: _('Add to {title}').format(title=x).\n"
        + "\n".join(problems)
    )


def test_the_check_finds_what_it_should(tmp_path):
    """The static check itself: bare texts in each checked place are found, wrapped ones and data are not."""
    module = tmp_path / "sample.py"
    module.write_text(
        "class S:\n"
        "    BINDINGS = [Binding('q', 'quit', 'Quit'), Binding('h', 'help', N_('Help'))]\n"
        "    def compose(self):\n"
        "        yield Static('Hello')\n"
        "        yield Static(_('Hello'))\n"
        "        yield Static(plain(session.text(phase.title)))\n"
        "        yield Label(f'Add to {title}')\n"
        "        yield Label(_('Add to {title}').format(title=title))\n"
        "        yield Static('—')\n"
        "        self.notify('Saved: ' + path)\n"
        "        box.border_title = plain(f'{name} · notes')\n"
        "        self.app.push_screen(ConfirmScreen(_('Sure?'), yes='Go', no=_('Stay')))\n"
        "        yield Static(', '.join(names))\n"
        "        yield Static(self.data.get('key', 'default'))\n"
        "        self.app.call_from_thread(self.notify, f'Could not save: {exc}', severity='error')\n"
        "        yield Select(options, prompt='Length')\n",
        encoding="utf-8",
    )
    found = [p.split(": ", 1)[1] for p in bare_ui_texts_at(module)]
    assert found == [
        "Binding() text: 'Quit'",
        "Static() text: 'Hello'",
        "Label() text: f'Add to '",
        "notify() text: 'Saved: '",
        "border_title: f' · notes'",
        "ConfirmScreen(yes=): 'Go'",
        "notify() text: f'Could not save: '",
        "Select(prompt=): 'Length'",
    ]


def bare_ui_texts_at(path: Path) -> list[str]:
    global ROOT
    saved = ROOT
    ROOT = path.parent
    try:
        return bare_ui_texts(path)
    finally:
        ROOT = saved


# ----- switching the language at run time ------------------------------------------------------------

SPANISH = {
    "Help": "Ayuda",
    "Keys": "Teclas",
    "Past sessions": "Sesiones anteriores",
    "Next": "Siguiente",
    "Note": "Nota",
    "Nothing is dealt yet: {when}.": "Aún no se ha repartido nada: {when}.",
    # Spanish has three plural forms in CLDR (one, many: a million and more, other)
    ("{count} more phase", "{count} more phases"): ("queda {count} fase", "quedan {count} de fases", "quedan {count} fases"),
    ("at least {count} more phase", "at least {count} more phases"): (
        "queda al menos {count} fase", "quedan al menos {count} de fases", "quedan al menos {count} fases"
    ),
    "Step {number}": "Paso {number}",
}


@pytest.fixture
def test_catalogue(tmp_path, monkeypatch):
    """A tiny Spanish catalogue compiled into a temporary locale folder; English again afterwards."""
    pytest.importorskip("babel")
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from roleplay.core import i18n as core_i18n
    from roleplay.ui import i18n

    catalog = Catalog(locale="es")
    for source, translation in SPANISH.items():
        catalog.add(source, translation)
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "roleplay.mo").open("wb") as handle:
        write_mo(handle, catalog)
    i18n.set_language(None)
    monkeypatch.setattr(core_i18n, "LOCALE_DIR", tmp_path / "locale")  # only this test's catalogue
    yield i18n
    monkeypatch.undo()
    core_i18n.forget_catalogues()
    i18n.set_language(None)


def test_a_catalogue_translates_and_a_missing_one_falls_back_to_english(test_catalogue):
    i18n = test_catalogue
    _, N_, ngettext = i18n._, i18n.N_, i18n.ngettext
    later = N_("Help")  # defined at import time, shown later
    assert _("Help") == "Help" and str(later) == "Help"
    assert i18n.set_language("es") == "es"
    assert _("Help") == "Ayuda"
    assert str(later) == "Ayuda" and f"[{later}]" == "[Ayuda]" and " " + later == " Ayuda" and later + " " == "Ayuda "
    assert later == "Help"  # compares (and looks up) as the English source
    assert _("Nothing is dealt yet: {when}.").format(when="ya") == "Aún no se ha repartido nada: ya."
    assert ngettext("{count} more phase", "{count} more phases", 3).format(count=3) == "quedan 3 fases"
    assert _("Quit") == "Quit"  # not translated yet: the English source
    i18n.set_language("de")  # no German catalogue: everything in English
    assert _("Help") == "Help" and str(later) == "Help"
    assert ngettext("{count} more phase", "{count} more phases", 1).format(count=1) == "1 more phase"
    i18n.set_language(None)
    assert i18n.language() == "en" and _("Help") == "Help"


async def test_the_footer_and_key_panel_follow_the_sessions_language(test_catalogue, tmp_path):
    from textual.widgets._footer import FooterKey

    from roleplay.core.clock import FakeClock
    from roleplay.core.engine import Session
    from roleplay.core.loader import load_scenario
    from roleplay.ui.app import make_app
    from roleplay.ui.screens.library import LibraryScreen
    from roleplay.ui.screens.phase import PhaseScreen

    from .conftest import BUILTIN
    from .driver import screen_text, settle, wait_until

    def footer_labels(app) -> set[str]:
        return {key.description for key in app.screen.query(FooterKey)}

    i18n = test_catalogue
    clock = FakeClock()
    app = make_app(out=tmp_path / "sessions", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert {"Help", "Past sessions"} <= footer_labels(app)
        app.use_language("es")  # as the set-up screen does when Spanish is chosen
        await wait_until(pilot, lambda: "Ayuda" in footer_labels(app), 5, "the footer in Spanish")  # redrawn after a refresh
        labels = footer_labels(app)
        assert {"Ayuda", "Sesiones anteriores"} <= labels and "Help" not in labels
        await pilot.press("question_mark")  # the key panel: every key, in Spanish too
        await settle(pilot)
        assert "Ayuda" in screen_text(app) and "Teclas" in screen_text(app)
        await pilot.press("question_mark")
        app.use_language(None)
        await wait_until(pilot, lambda: {"Help", "Past sessions"} <= footer_labels(app), 5, "the footer in English again")

        # A session in Spanish: the app switches when it starts; its screens are drawn in Spanish.
        scenario = load_scenario(BUILTIN / "crisis-conversation.yaml").scenario
        session = Session.start(scenario, ["Ana", "Ben", "Cleo", "Dan"], root=app.root, seed=4, clock=clock, language="es")
        app._started(session)
        await settle(pilot)
        assert i18n.language() == "es"
        while not isinstance(app.screen, PhaseScreen):  # the roles screen first, if the deal came at the start
            await pilot.press("n")
            await settle(pilot)
        await wait_until(pilot, lambda: "Siguiente" in footer_labels(app), 5, "the phase's footer in Spanish")
        assert "Next" not in footer_labels(app)
        progress = app.screen.query_one("#phase-progress").content.plain
        assert progress.startswith("Paso 1 · ") and "fases" in progress and "more phase" not in progress
        app.action_library()  # leave: the library is in the default language again
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert i18n.language() == "en"
        await wait_until(pilot, lambda: "Past sessions" in footer_labels(app), 5, "the library's footer in English")

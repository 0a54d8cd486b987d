"""The program's own words in gettext catalogues (roleplay/core/i18n.py; issue 12, "Languages").

(a) roleplay/locale/roleplay.pot is up to date with every module and every page template, and the
    pages put a translation only where it cannot break the HTML.
(b) Each course language's catalogue (roleplay/locale/<lang>/LC_MESSAGES/roleplay.po) has every
    message of the template, none fuzzy or empty, with the same {placeholders} (or %(placeholders)s
    in the pages) as the English; its committed .mo says what the .po says. The quality-control
    sheet has that language too. A language whose .po does not exist yet is skipped (named in the
    summary), so these run as each translation arrives.
(c) A scenario that declares a language but lacks a text in it is an error at that text.
(d) A session's language drives what the session shows, whatever the process's language: with a tiny
    catalogue made here, the report's headings, a guard message, the room's pages (rendered from
    worker threads, two sessions in two languages at once) and `play`'s messages come out translated.
"""

from __future__ import annotations

import re
import string
import functools
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT

LOCALE = ROOT / "roleplay" / "locale"
TEMPLATES = ROOT / "roleplay" / "pages" / "templates"

babel = pytest.importorskip("babel")  # a test dependency (make test installs it)
# One worker runs this file: reading every message of the program (_template, cached) costs about a
# second of CPU in each worker that needs it.
pytestmark = pytest.mark.xdist_group("test_catalogues")


def _course_languages() -> list[str]:
    from roleplay.core.i18n import COURSE_LANGUAGES, SOURCE_LANGUAGE

    return [code for code in COURSE_LANGUAGES if code != SOURCE_LANGUAGE]


@functools.cache
def _template():
    """Every message of the program (read from every source file: about a second), once per process; read only."""
    from roleplay.i18n_extract import template_catalog

    return template_catalog()


def _po(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "roleplay.po"


def _needs_catalogue(code: str) -> None:
    if not _po(code).exists():
        pytest.skip(f"{code}: no catalogue yet (roleplay/locale/{code}/LC_MESSAGES/roleplay.po); the program shows English")


# ----- (a) the template -------------------------------------------------------------------------------


def test_the_message_template_is_up_to_date():
    from roleplay.i18n_extract import POT, render_pot

    assert POT.exists(), "roleplay/locale/roleplay.pot is missing: run `make messages`"
    assert POT.read_text(encoding="utf-8") == render_pot(), (
        "roleplay/locale/roleplay.pot is out of date with the code or the pages: run `make messages`"
    )


def test_the_template_covers_the_core_the_command_line_the_room_and_the_pages():
    places = {where for message in _template() if message.id for where, _line in message.locations}
    for part in ("roleplay/core/engine.py", "roleplay/core/report.py", "roleplay/cli/play.py", "roleplay/room/server.py",
                 "roleplay/room/visibility.py", "roleplay/video/recorder.py", "roleplay/ui/app.py",
                 "roleplay/pages/templates/room/join.html", "roleplay/pages/templates/trainer_script.html"):
        assert part in places, f"no message of {part} is in the template"


def test_a_translation_is_put_only_in_text_or_in_a_double_quoted_attribute():
    """The pages escape a translation's < > & and " (roleplay/pages/render.py), not its apostrophes."""
    found = []
    for page in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"='[^']*(\{\{\s*_\(|\{%\s*trans\b|gettext\()", line):
                found.append(f"{page.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "a translation inside a single-quoted attribute (use double quotes):\n" + "\n".join(found)


# ----- (b) each course language's catalogue --------------------------------------------------------------

BRACES = string.Formatter()
PERCENT = re.compile(r"%\((\w+)\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> set[str]:
    """`{name}` (the code's messages) and `%(name)s` (the pages') placeholders of a message."""
    names = {m.group(1) for m in PERCENT.finditer(text.replace("%%", ""))}
    try:
        for _literal, field, _spec, _conversion in BRACES.parse(text):
            if field is not None:
                names.add("{" + re.split(r"[.\[]", field, maxsplit=1)[0] + "}")
    except ValueError:
        names.add("<unbalanced braces>")
    return names


def catalogue_problems(template, catalogue) -> list[str]:
    """Every message of `template` that `catalogue` lacks, has fuzzy or empty, or whose placeholders differ."""
    problems = []
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        shown = key if len(key) < 70 else key[:67] + "..."
        found = catalogue.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {shown!r}")
            continue
        if found.fuzzy:
            problems.append(f"fuzzy (check it, then remove the fuzzy mark): {shown!r}")
        forms = list(found.string) if isinstance(found.string, (list, tuple)) else [found.string]
        if not all(forms):
            problems.append(f"not translated: {shown!r}")
            continue
        sources = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        wanted = placeholders(sources[-1])
        allowed = set().union(*(placeholders(s) for s in sources))
        for number, form in enumerate(forms):
            have = placeholders(form)
            # The general (last) form keeps the plural's placeholders; a form for one may leave the count out.
            if not have <= allowed or (number == len(forms) - 1 and have != wanted):
                problems.append(f"placeholders differ: {shown!r} has {sorted(wanted)}, the translation {sorted(have)}: {form!r}")
    return problems


@pytest.mark.parametrize("code", _course_languages())
def test_a_course_languages_catalogue_has_every_message_translated_with_the_same_placeholders(code):
    _needs_catalogue(code)
    from roleplay.i18n_extract import read_catalog

    catalogue = read_catalog(_po(code))
    assert str(catalogue.locale).split("_")[0] == code, f"{_po(code)} says its language is {catalogue.locale}"
    problems = catalogue_problems(_template(), catalogue)
    assert not problems, (
        f"roleplay/locale/{code}/LC_MESSAGES/roleplay.po: {len(problems)} problem(s) (`make messages` adds new "
        "messages and marks changed ones fuzzy):\n" + "\n".join(problems[:60]) + ("\n..." if len(problems) > 60 else "")
    )


@pytest.mark.parametrize("code", _course_languages())
def test_the_committed_mo_says_what_the_po_says(code):
    _needs_catalogue(code)
    import gettext

    from roleplay.i18n_extract import compiled

    mo = _po(code).with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run `make messages`"
    with mo.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    import io

    fresh = gettext.GNUTranslations(io.BytesIO(compiled(_po(code))))
    assert committed._catalog == fresh._catalog, f"{mo.relative_to(ROOT)} is older than its .po: run `make messages`"


@pytest.mark.parametrize("code", _course_languages())
def test_the_quality_control_sheet_is_in_every_language_that_has_a_catalogue(code):
    """The built-in sheet's texts are language maps (roleplay/core/standard_forms.py) filled from the catalogues
    (or by hand): a language joins the program with its catalogue, and from then on the sheet must be in it too."""
    _needs_catalogue(code)
    from roleplay.core.standard_forms import STANDARD_FORMS

    missing = []
    for form in STANDARD_FORMS.values():
        texts = [("title", form.title), ("intro", form.intro)] + [(f"question {q.id}", q.text) for q in form.questions]
        missing += [f"{form.id}: {where}" for where, text in texts if text is not None and code not in text]
    assert not missing, f"the built-in form lacks '{code}' in: " + ", ".join(missing)


def test_the_placeholder_check_finds_what_it_should():
    from babel.messages.catalog import Catalog

    template = Catalog(locale="en")
    for message in ("Hello {name}", "Step {number}", "%(count)s left", "Plain", "Gone", "Unsure"):
        template.add(message)
    template.add(("{count} entry", "{count} entries"))
    catalogue = Catalog(locale="es")
    catalogue.add("Hello {name}", "Hola {nombre}")
    catalogue.add("Step {number}", "Paso {number}")
    catalogue.add("%(count)s left", "quedan %(count)s")
    catalogue.add("Plain", "")
    catalogue.add("Unsure", "¿Seguro?", flags=["fuzzy"])
    catalogue.add(("{count} entry", "{count} entries"), ("una entrada", "{count} entradas", "{count} entradas"))
    problems = catalogue_problems(template, catalogue)
    assert [p.split(":")[0] for p in problems] == ["placeholders differ", "not translated", "missing", "fuzzy (check it, then remove the fuzzy mark)"]
    assert "'Hello {name}'" in problems[0] and "'Plain'" in problems[1] and "'Gone'" in problems[2]


# ----- (c) a scenario that declares a language must have every text in it -----------------------------------

GERMAN_GAP = """\
id: gap
title: {en: A gap, de: Eine Lücke}
summary: {en: One text lacks German., de: Einem Text fehlt Deutsch.}
duration: 10m
group_size: {min: 2}
languages: [en, de]
roles:
  - id: player
    name: {en: Player, de: Spielerin}
    count: rest
phases:
  start:
    title: {en: Start, de: Anfang}
    kind: warm-up
    group_text:
      en: Only in English.
    final: true
"""


@pytest.mark.slow
def test_a_scenario_lacking_a_text_in_a_language_it_declares_is_an_error_at_that_text(tmp_path):
    path = tmp_path / "gap.yaml"
    path.write_text(GERMAN_GAP, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "roleplay", "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if ":16:" in line]  # group_text's value
    assert lines and "error" in lines[0] and "de" in lines[0], done.stdout


# ----- (d) the session's language drives what the session shows ---------------------------------------------

# A tiny Spanish catalogue: each message is the code's own (a test below checks they are in the template).
SPANISH = {
    "Participants": "Participantes",
    "Timeline": "Cronología",
    "not guessed yet: {waiting}": "aún sin adivinar: {waiting}",
    "'{trigger}' is not a route from '{phase}' (routes: {valid})": "'{trigger}' no sale de '{phase}' (salidas: {valid})",
    "Join the room": "Únete a la sala",
    "The code on the screen": "El código de la pantalla",
    "session folder: {folder}": "carpeta de la sesión: {folder}",
    "'{name}' is not valid in phase '{phase}'; valid now: {valid}": "'{name}' no vale en la fase '{phase}'; ahora valen: {valid}",
}


def make_catalogue(folder: Path, code: str = "es") -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=code)
    for source, translation in SPANISH.items():
        catalog.add(source, translation)
    where = folder / code / "LC_MESSAGES"
    where.mkdir(parents=True)
    with (where / "roleplay.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


@pytest.fixture
def spanish(tmp_path, monkeypatch):
    """The program reads its catalogues from a folder holding only the tiny Spanish one; English is the process's language."""
    from roleplay.core import i18n

    monkeypatch.setattr(i18n, "LOCALE_DIR", make_catalogue(tmp_path / "locale"))
    i18n.set_language(None)
    yield i18n
    monkeypatch.undo()
    i18n.forget_catalogues()
    i18n.set_language(None)


def test_the_test_catalogues_messages_are_the_programs():
    ids = {m.id for m in _template() if m.id}
    assert not [source for source in SPANISH if source not in ids], "update SPANISH: these messages are gone from the code"


def guess_who(language: str, root: Path):
    from roleplay.core.clock import FakeClock
    from roleplay.core.engine import Session
    from roleplay.core.loader import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "guess-who.yaml").scenario
    assert scenario is not None and "es" in scenario.languages
    return Session.start(scenario, ["Ana", "Ben", "Cleo"], root=root, seed=2, clock=FakeClock(), language=language)


def test_the_report_and_the_sessions_messages_follow_its_language_not_the_processes(spanish, tmp_path):
    from roleplay.core import commands as c
    from roleplay.core.engine import CommandError, GuardWarning
    from roleplay.core.report import to_markdown
    from roleplay.pages.report import report_html

    session = guess_who("es", tmp_path)
    assert spanish.language() == "en"  # the process stays in English throughout
    with pytest.raises(CommandError, match=r"^'nowhere' no sale de '"):
        session.execute(c.Go(trigger="nowhere"))
    warned = None
    for _step in range(len(session.scenario.phases)):  # on to the phase whose way out waits for every guess
        try:
            session.execute(c.Go(trigger="next"))
        except GuardWarning as warning:
            warned = warning.message
            break
    assert warned is not None and "aún sin adivinar: " in warned and "not guessed yet" not in warned
    markdown = to_markdown(session)
    assert "## Participantes" in markdown and "## Cronología" in markdown and "## Participants" not in markdown
    page = report_html(session)
    assert "<h2>Participantes</h2>" in page and "<h2>Cronología</h2>" in page
    english = guess_who("en", tmp_path)
    assert "## Participants" in to_markdown(english)
    session.close()
    english.close()


@pytest.mark.room
@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_the_rooms_pages_are_in_each_sessions_language_even_rendered_at_once_from_threads(spanish, tmp_path):
    from roleplay.room.room import Room
    from tests.room.conftest import browser

    rooms = {}
    for language in ("es", "en"):
        session = guess_who(language, tmp_path / language)
        rooms[language] = Room(session)
    wanted = {"es": ("Únete a la sala", "El código de la pantalla"), "en": ("Join the room", "The code on the screen")}
    start = threading.Barrier(4)
    wrong: list[str] = []

    def visit(language: str) -> None:
        phone = browser(rooms[language])  # each request is served on a worker thread of its own
        start.wait(timeout=30)
        for _ in range(15):
            page = phone.get("/").text
            if not all(text in page for text in wanted[language]) or f'<html lang="{language}">' not in page:
                wrong.append(f"{language}: {page[:300]}")

    threads = [threading.Thread(target=visit, args=(language,)) for language in ("es", "en", "es", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not wrong, wrong[:2]
    assert spanish.language() == "en"
    for room in rooms.values():
        room.close()
        room.session.close()


def test_in_language_holds_in_its_own_thread_only(spanish):
    from roleplay.core.i18n import _, in_language

    inside, ready, done = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, str] = {}

    def spanish_thread() -> None:
        with in_language("es"):
            seen["es, before"] = _("Participants")
            inside.set()
            ready.wait(timeout=30)
            seen["es, after"] = _("Participants")
        seen["es, left"] = _("Participants")
        done.set()

    worker = threading.Thread(target=spanish_thread)
    worker.start()
    assert inside.wait(timeout=30)
    seen["main"] = _("Participants")  # while the other thread is inside its Spanish block
    ready.set()
    assert done.wait(timeout=30)
    worker.join(timeout=30)
    assert seen == {"es, before": "Participantes", "es, after": "Participantes", "main": "Participants", "es, left": "Participants"}


CLI = (
    "import sys\n"
    "from pathlib import Path\n"
    "import roleplay.core.i18n as i18n\n"
    "i18n.LOCALE_DIR = Path(sys.argv[1])  # only the test's catalogue\n"
    "from roleplay.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


@pytest.mark.slow
def test_plays_messages_are_in_the_sessions_language(tmp_path):
    locale = make_catalogue(tmp_path / "locale")
    args = ["play", "guess-who", "--participants", "Ana,Ben,Cleo", "--seed", "1", "--out", str(tmp_path / "rec")]

    def play(language: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", CLI, str(locale), *args, "--language", language],
                              input="nowhere\n", capture_output=True, text=True, cwd=ROOT, timeout=120)

    spanish = play("es")
    assert spanish.returncode == 1, spanish.stderr
    assert "carpeta de la sesión: " in spanish.stderr and "session folder:" not in spanish.stderr
    assert "roleplay: error: 'nowhere' no vale en la fase '" in spanish.stderr
    english = play("en")
    assert "session folder: " in english.stderr and "roleplay: error: 'nowhere' is not valid in phase '" in english.stderr


# ----- every message the program makes outside the UI goes through the catalogue ---------------------------
# The UI has its own check (tests/ui/test_ui_text_catalogue.py); this one covers roleplay/core, cli, room,
# video and pages: the text given to an error, a warning or a page is a message, not a bare literal.

# Being rewritten to collect every problem in one run (issue 12): their messages are wrapped after that.
NOT_YET: set[str] = set()
ERRORS = {
    "CommandError", "CliError", "UsageError", "LogError", "FolderError", "SealingError", "WrongPassphrase", "WriteError",
    "WriteRefused", "RetentionError", "SessionInUse", "ClipError", "MarkError", "SourceError", "SourceLost", "SourceEnded",
    "ReadError", "CryptoError", "RoomServerError", "ConsentMissing", "DamagedLog", "NewerLog", "LockedLog", "NotFound",
    "WindowUnavailable", "SoundUnavailable", "AudioUnavailable", "ResourcesError", "CommandFailed", "EventDataError",
    "RecorderError", "RoomClosed",
}
MESSAGE_CALLS: dict[str, tuple[int, ...]] = {
    **{name: (0,) for name in ERRORS},
    "Refused": (1,), "GuardWarning": (1,), "note": (0,), "warn": (0,), "err": (0,), "message_page": (1, 2),
    "refused_page": (1,), "again": (0,), "notice": (0,), "_fail": (1,), "_error": (0,), "_no_terminal": (0,),
    "Tally": (0,), "_error_at": (1,), "_warning_at": (1,),  # the scenario checks (core/checks.py): (path, message)
}
# A command's name before the message it passes on ("record: {exc}"), and the error line's fixed prefix.
PREFIXES = {"record: ", "camera check: ", "clip: ", "replay: ", "delete: ", "prune: ", "roleplay: error: ", "warning: ", "--room "}


def program_modules() -> list[Path]:
    found = []
    for part in ("core", "cli", "room", "video", "pages"):
        found += [p for p in (ROOT / "roleplay" / part).rglob("*.py") if p.name not in NOT_YET and p.name != "i18n.py"]
    return sorted(found)


def bare_messages(path: Path) -> list[str]:
    import ast

    from tests.ui.test_ui_text_catalogue import _bare_texts, _callee

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        positions = MESSAGE_CALLS.get(_callee(node) or "")
        if positions is None:
            continue
        for position in positions:
            if position < len(node.args):
                for line, text in _bare_texts(node.args[position]):
                    if text.lstrip("f").strip("'\"") not in PREFIXES:
                        problems.append(f"{where}:{line}: {_callee(node)}(): {text}")
    return problems


def test_every_message_of_the_core_the_command_line_the_room_and_video_goes_through_the_catalogue():
    problems = [problem for path in program_modules() for problem in bare_messages(path)]
    assert not problems, (
        f"{len(problems)} message(s) do not go through the catalogue: wrap them in _() from roleplay.core.i18n, "
        "with named placeholders: _('no role {role}').format(role=x).\n" + "\n".join(problems)
    )


def test_the_message_check_finds_what_it_should(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "def f(x):\n"
        "    raise CommandError(f'no role {x}')\n"
        "    raise CommandError(_('no role {role}').format(role=x))\n"
        "    note('wrote {path}'.format(path=x))\n"
        "    note(_('wrote {path}').format(path=x))\n"
        "    raise Refused(409, 'Not now.')\n"
        "    return _error(f'record: {x}')\n"
        "    raise CliError(str(x))\n",
        encoding="utf-8",
    )
    assert [p.split(": ", 1)[1] for p in bare_messages(module)] == [
        "CommandError(): f'no role '", "note(): 'wrote {path}'", "Refused(): 'Not now.'",
    ]


def test_make_messages_updates_a_translation_as_msgmerge_would_and_compiles_it(tmp_path):
    """New messages come in empty, a changed one comes back fuzzy with its old translation, a removed one
    is kept as obsolete; the translator's header stays; a second run changes nothing."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from roleplay.i18n_extract import compiled, read_catalog, update_translation

    po = tmp_path / "de" / "LC_MESSAGES" / "roleplay.po"
    po.parent.mkdir(parents=True)
    old = Catalog(locale="de", header_comment="# German, by the course's translators.")
    old.add("Help", "Hilfe")
    old.add("Add to {title}", "Zu {title} hinzufügen")
    old.add("Gone now", "Weg")
    with po.open("wb") as handle:
        write_po(handle, old)
    template = Catalog()
    template.add("Help")
    template.add("Add to the list {title}")  # changed
    template.add("Quit")  # new
    assert update_translation(po, template)
    new = read_catalog(po)
    assert new.get("Help").string == "Hilfe" and not new.get("Help").fuzzy
    assert new.get("Add to the list {title}").fuzzy and new.get("Add to the list {title}").string == "Zu {title} hinzufügen"
    assert new.get("Quit").string == "" and "Gone now" in new.obsolete
    assert "German, by the course's translators." in po.read_text(encoding="utf-8")
    assert not update_translation(po, template)  # nothing changes the second time
    import gettext
    import io

    translations = gettext.GNUTranslations(io.BytesIO(compiled(po)))
    assert translations.gettext("Help") == "Hilfe"
    assert translations.gettext("Add to the list {title}") == "Add to the list {title}"  # fuzzy: not used


def test_a_language_code_is_never_a_path(spanish, tmp_path):
    """A session log read from disk names its language: only a language code is looked up as a catalogue."""
    from roleplay.core.i18n import translations_for

    (tmp_path / "locale" / "x" / "LC_MESSAGES").mkdir(parents=True)
    sneaky = tmp_path / "locale" / "x" / "LC_MESSAGES" / "roleplay.mo"
    sneaky.write_bytes((tmp_path / "locale" / "es" / "LC_MESSAGES" / "roleplay.mo").read_bytes())
    assert translations_for("es").gettext("Participants") == "Participantes"
    assert translations_for("es-MX").gettext("Participants") == "Participantes"  # a region finds its language
    for code in ("../locale/es", "es/../x", "x", ""):
        assert translations_for(code).gettext("Participants") == "Participants", code

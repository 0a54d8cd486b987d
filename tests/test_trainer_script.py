"""The printable trainer's script: every phase's script, events, briefs and cards, escaped, private."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from roleplay.core.loader import load_scenario
from roleplay.pages.trainer_script import trainer_script_html
from tests.conftest import ROOT
from tests.test_report_escaping import HOSTILE, _hostile_scenario

BUILTIN = sorted((ROOT / "scenarios").glob("*.yaml"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def page_text(page: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(page)
    return re.sub(r"\s+", " ", " ".join(parser.parts)), parser.tags


PRIVATE_LINE = ("Trainer's script: for the trainer's eyes only. It holds private briefs, cards and notes; "
                "do not project or share it.")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_every_phase_script_event_brief_and_card_is_in_the_script(path):
    scenario = load_scenario(path).scenario
    for language in scenario.languages:
        text, _ = page_text(trainer_script_html(scenario, language))

        def t(value, language=language):
            from roleplay.core.names import fill_role_names
            from roleplay.core.text import localize

            return flat(fill_role_names(scenario, localize(value, language, scenario.fallback), language))

        for phase in scenario.phases.values():
            assert t(phase.title) in text
            if phase.script:
                assert t(phase.script) in text
            for question in phase.questions:
                assert t(question) in text
        for event in scenario.events:
            assert t(event.script) in text
        for role in scenario.roles:
            if role.brief:
                assert t(role.brief) in text
        for deck in scenario.decks:
            for card in deck.cards:
                assert t(card.text) in text
        from roleplay.core.i18n import translations_for

        warning = translations_for(language).gettext(PRIVATE_LINE)
        assert flat(warning) in text  # the page's own language (English where there is no catalogue)
        if language != "en" and warning != PRIVATE_LINE:
            assert "for the trainer's eyes only" not in text


def test_every_text_is_escaped():
    page = trainer_script_html(_hostile_scenario())
    assert "<script>alert" not in page and "<img" not in page
    text, tags = page_text(page)
    assert set(tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "ol", "li",
                         "div", "span", "section", "strong"}
    assert HOSTILE in text  # shown as written, as text


def test_the_command_writes_a_private_file_and_never_overwrites_without_force(tmp_path):
    target = tmp_path / "script.html"
    run = [sys.executable, "-m", "roleplay", "script", "crisis-conversation", "-o", str(target), "--language", "es"]
    done = subprocess.run(run, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "eyes only" in done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert '<html lang="es">' in target.read_text(encoding="utf-8")
    again = subprocess.run(run, capture_output=True, text=True)
    assert again.returncode == 1 and "--force" in again.stderr
    wrong = subprocess.run([sys.executable, "-m", "roleplay", "script", "crisis-conversation", "--language", "xx"],
                           capture_output=True, text=True)
    assert wrong.returncode == 1 and "not offered in 'xx'" in wrong.stderr and "Traceback" not in wrong.stderr

"""Group texts keep the author's lines: they are written line by line for the big screen."""

from __future__ import annotations

from roleplay.core.loader import load_scenario
from roleplay.core.text import localize
from roleplay.ui.text import as_written, group_prose

from .conftest import builtin_scenarios


def test_every_line_break_and_list_item_stays():
    text = "  GROW\n  Goal · Reality\n\n\n  The coach asks.\n  The coachee decides.   \n  - listen\n    more than advise\n\n"
    assert as_written(text).splitlines() == [
        "GROW", "Goal · Reality", "", "The coach asks.", "The coachee decides.", "- listen", "  more than advise",
    ]


def test_empty_and_never_markup():
    assert as_written(None) == "" and as_written("\n \n") == ""
    assert group_prose("[b]Stop[/b]\n[@click=app.quit]x[/]").plain == "[b]Stop[/b]\n[@click=app.quit]x[/]"


def test_no_built_in_group_text_loses_a_line():
    for path in builtin_scenarios():
        scenario = load_scenario(path).scenario
        texts = [p.group_text for p in scenario.phases.values()] + [e.group_text for e in scenario.events]
        for text in filter(None, texts):
            for language in scenario.languages:
                written = localize(text, language, scenario.fallback)
                lines = [line for line in written.splitlines() if line.strip()]
                assert [line.strip() for line in as_written(written).splitlines() if line] == [line.strip() for line in lines]

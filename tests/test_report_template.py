"""The HTML report is rendered from a template by the one autoescaping Jinja2 environment (issue 11):
a name, an entry, a rating, a vote or an answer that holds markup comes out as text, never as markup."""

from __future__ import annotations

from pathlib import Path

import yaml

from roleplay.core.engine import Session
from roleplay.core.loader import load_scenario_text
from tests.conftest import DATA

MARK = "<b onclick='x()'>bold</b>"
ESCAPED = "&lt;b onclick=&#39;x()&#39;&gt;bold&lt;/b&gt;"


def _scenario_with_markup():
    """The branching test scenario, with markup in the vote's question and options and the rating's label."""
    data = yaml.safe_load((DATA / "valid" / "branching.yaml").read_text(encoding="utf-8"))
    vote = data["votes"][0]
    vote["question"] = f"Stayed peer? {MARK}"
    vote["options"][0]["label"] = f"Yes {MARK}"
    data["phases"]["discuss"]["ratings"][0]["label"] = f"Commitment {MARK}"
    result = load_scenario_text(yaml.safe_dump(data, allow_unicode=True), "markup.yaml")
    assert result.ok, result.problems
    return result.scenario


def test_markup_in_a_name_an_entry_a_rating_a_vote_and_an_answer_comes_out_escaped(clock, tmp_path):
    from roleplay.pages.report import report_html

    people = [f"Ana {MARK}", "Ben", "Cleo", "Dan"]
    s = Session.start(_scenario_with_markup(), people, root=tmp_path, seed=3, clock=clock)
    while s.phase != "discuss":
        s.fire("next", force=True)
    s.add_entry("ideas", f"entry {MARK}", by=people[0])
    s.rate("commitment", 7, by=people[0])
    s.vote("stayed-peer", "yes")
    s.note(f"note {MARK}")
    while s.phase != "closing":
        s.fire("next", force=True)
    s.answer("comments", f"answer {MARK}")
    page = report_html(s)
    s.close()
    assert "<b onclick" not in page and "</b>" not in page and "onclick='" not in page
    for text in (f"Ana {ESCAPED}", f"entry {ESCAPED}", f"Commitment {ESCAPED} = 7 (Ana {ESCAPED})",
                 f"Stayed peer? {ESCAPED}", f"Yes {ESCAPED}", f"note {ESCAPED}", f"answer {ESCAPED}"):
        assert text in page, text


def test_the_report_template_is_autoescaped_and_escapes_nothing_by_hand():
    from roleplay.pages.render import environment

    template = environment().get_template("report.html")
    assert environment().autoescape is True or environment().autoescape("report.html")
    source = Path(template.filename).read_text(encoding="utf-8")
    for way_around in ("|safe", "| safe", "autoescape false", "Markup", "|e ", "|escape"):
        assert way_around not in source, way_around
    import roleplay.core.report as core_report

    assert not hasattr(core_report, "to_html")  # the HTML is the template's alone
    assert "import html" not in Path(core_report.__file__).read_text(encoding="utf-8")

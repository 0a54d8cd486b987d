"""The HTML report escapes everything that comes from a scenario, a participant or a note."""

from __future__ import annotations

import re

import yaml

from roleplay.core import commands as c
from roleplay.core.clock import FakeClock
from roleplay.core.engine import CommandError, GuardWarning, Session
from roleplay.core.loader import load_scenario_text
from roleplay.pages.report import report_html
from tests.conftest import ROOT

HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>'


def _hostile_scenario():
    """The literal-text fixture, with `HOSTILE` put into every text of the scenario."""
    data = yaml.safe_load((ROOT / "tests" / "ui" / "data" / "literal.yaml").read_text(encoding="utf-8"))
    keep = {"id", "duration", "languages", "start", "next", "to", "trigger", "guesses", "draw", "collection",
            "form", "deal_to", "visible_to", "brief_visible_to", "brief_for", "kind", "answer", "competency",
            "for_role", "on_expiry", "category", "vote", "option", "phase", "all_guessed", "all_tagged"}

    def poison(node, key=None):
        if isinstance(node, dict):
            return {k: poison(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [poison(v, key) for v in node]
        if isinstance(node, str) and key not in keep and "[" in node:
            return node + " " + HOSTILE
        return node

    result = load_scenario_text(yaml.safe_dump(poison(data), allow_unicode=True), "hostile.yaml")
    assert result.ok, result.problems
    return result.scenario


def test_script_in_every_text_field_is_escaped_in_the_html_report(tmp_path):
    scenario = _hostile_scenario()
    people = [f"Ana {HOSTILE}", "Ben", "Cleo", "Dee"]
    s = Session.start(scenario, people, root=tmp_path, seed=2, clock=FakeClock())
    s.execute(c.AddNote(text=f"note {HOSTILE}"))
    s.execute(c.AddMarker(label=f"mark {HOSTILE}"))
    s.execute(c.Pause(reason=f"pause {HOSTILE}"))
    s.execute(c.Resume())
    seen_phases = set()
    for _ in range(60):
        if s.ended:
            break
        kinds = c.allowed_commands(s)
        phase = s.current
        if s.phase not in seen_phases:
            seen_phases.add(s.phase)
            if c.RecordGuess in kinds:
                for name in s.deck_holders(phase.guesses):
                    s.execute(c.RecordGuess(participant=name, outcome="right", text=f"guess {HOSTILE}"))
            if c.TickItem in kinds:
                checklist = s.scenario.checklist(phase.checklists[0])
                s.execute(c.TickItem(checklist=checklist.id, item=checklist.items[0].id, by="Ben"))
            if c.AddEntry in kinds:
                s.execute(c.AddEntry(collection=phase.collection, text=f"entry {HOSTILE}"))
                collection = s.scenario.collection(phase.collection)
                if collection.categories:
                    s.execute(c.TagEntry(collection=collection.id, entry=1, category=collection.categories[0].id))
                for scale in collection.ratings:
                    s.execute(c.Rate(scale=scale.id, value=scale.min, entry=1))
            for scale in phase.ratings:
                s.execute(c.Rate(scale=scale.id, value=scale.max, by="Cleo"))
            for vote in phase.votes:
                s.execute(c.CastVote(vote=vote, option=s.scenario.vote(vote).options[0].id))
            if c.Inject in kinds:
                s.execute(c.Inject(event=s.injectable()[0]))
            if phase.form:
                from roleplay.core.standard_forms import find_form

                for question in find_form(s.scenario, phase.form).questions:
                    value = str(question.max) if question.answer == "rating" else f"answer {HOSTILE}"
                    s.execute(c.AnswerForm(question=question.id, value=value))
        try:
            s.execute(c.Go(trigger="next", force=True))
        except (CommandError, GuardWarning):
            break
    assert s.ended
    html = report_html(Session.replay(s.folder))
    assert "<script" not in html.lower() and "<img" not in html.lower() and "onerror=alert(2)>" not in html
    assert html.count("&lt;script&gt;") >= 15  # the texts are there, escaped
    # Every attribute value is quoted and holds no raw quote from the data.
    assert not re.search(r"=\s*'[^']*\"", html)


def test_a_rating_value_that_is_not_a_number_never_reaches_a_report(tmp_path):
    """Old logs could carry any JSON as a rating value, and the report printed it raw; now the log refuses it."""
    import json

    import pytest

    from roleplay.core.log import DamagedLog, read_log

    s = Session.start(_hostile_scenario(), ["Ana", "Ben", "Cleo"], root=tmp_path, seed=2, clock=FakeClock())
    s.close()
    with open(s.folder / "session.jsonl", "a", encoding="utf-8") as handle:
        bad = {"seq": 99, "wall": 1, "mono": 1, "type": "rated", "data": {"scale": "x", "value": HOSTILE, "phase": "p"}}
        handle.write(json.dumps(bad) + "\n")
    with pytest.raises(DamagedLog, match=r"'rated' event: value"):
        read_log(s.folder)

"""Issue 12, "Errors an author meets": every error in one run, in plain words, at the offending token.

One broken file per kind of message (tests/data/invalid/, harlequin style), each with the whole
list of problems it must give, in order, with line and column. Then the seven-mistake file through
`roleplay validate`, durations, language codes, the schema `roleplay new` writes, `play`'s group-size
warning and `tick ... by NAME`, and the report's ratings.
"""

from __future__ import annotations

import json
import re

import pytest

from roleplay.core.durations import AUTHORED, command_duration, parse_duration
from roleplay.core.loader import load_scenario, load_scenario_text
from roleplay.core.model import Scenario
from roleplay.core.suggest import close_match, language_code_for
from tests.conftest import DATA, ROOT, run_cli

INVALID = DATA / "invalid"
BRANCHING = str(DATA / "valid" / "branching.yaml")

# file -> every problem it gives: (line, column, severity, message).
KINDS = {
    'indent-over.yaml': [
        (58, 7, 'error', "bad indentation: 'script:' is indented more than 'title:' above it, so YAML reads it as more of that line's text; if it is a key, line it up with 'title:' (column 5); if it is text, put the text in quotes; the lines from here on are checked once this is fixed"),
    ],
    'indent-dedent.yaml': [
        (57, 3, 'error', "bad indentation: 'title:' starts at column 3, left of the keys around it (column 5); indent it to column 5; the lines from here on are checked once this is fixed"),
    ],
    'indent-between.yaml': [
        (58, 4, 'error', "bad indentation: this line starts at column 4, between the keys at column 3 (from line 49) and 'title:' at column 5 on the line above; line it up with the keys it belongs with; the lines from here on are checked once this is fixed"),
    ],
    'indent-list-item.yaml': [
        (12, 4, 'error', "bad indentation: this line is in the list that starts on line 8 (its items start with '-' at column 3): to belong to the item above, indent it to column 5; to start a new item, begin it with '- '; the lines from here on are checked once this is fixed"),
    ],
    'colon-in-value.yaml': [
        (58, 13, 'error', 'this value has \': \' in it, which YAML reads as the start of a new key: put the whole value in quotes, e.g. script: "Say: run the scene."; the lines from here on are checked once this is fixed'),
    ],
    'missing-colon.yaml': [
        (58, 5, 'error', "this line has no ':' after its key: write it as 'key: value'; if it continues the text on the line above, indent it further or put that text in quotes; the lines from here on are checked once this is fixed"),
    ],
    'unclosed-list.yaml': [
        (60, 17, 'error', "the list opened with '[' here is not closed: add ']' at its end (and ',' between its items); the lines from here on are checked once this is fixed"),
    ],
    'unclosed-quote.yaml': [
        (58, 13, 'error', "the quote ' opened here is never closed: add the closing ' at the end of the text; the lines from here on are checked once this is fixed"),
    ],
    'text-after-quote.yaml': [
        (58, 19, 'error', 'text after the closing quote: put the whole value inside the quotes; the lines from here on are checked once this is fixed'),
    ],
    'alias-sign.yaml': [
        (58, 13, 'error', "'*' at the start of a value is YAML's sign for an alias: put the value in quotes; the lines from here on are checked once this is fixed"),
    ],
    'list-after-key.yaml': [
        (60, 17, 'error', "a list item ('- ') cannot follow a key on the same line: put it on the next line, indented, or write the list as [a, b]; the lines from here on are checked once this is fixed"),
    ],
    'syntax-after-mistakes.yaml': [
        (4, 11, 'error', 'duration: 20 has no unit: write 20s for seconds or 20m for minutes'),
        (6, 13, 'error', "languages: 'english' is not a language code; use the language code 'en'"),
        (80, 7, 'error', "bad indentation: 'script:' is indented more than 'title:' above it, so YAML reads it as more of that line's text; if it is a key, line it up with 'title:' (column 5); if it is text, put the text in quotes; the lines from here on are checked once this is fixed"),
    ],
    'wrong-parent-text.yaml': [
        (59, 7, 'error', "'timer' is not a language code: it is a key of a phase, indented under 'title' by mistake; move it left to line up with 'title:'"),
    ],
    'wrong-parent-key.yaml': [
        (14, 5, 'error', "'timer' is not a key of a role: it belongs to a phase; check its indentation (it may be under the wrong parent)"),
    ],
    'unknown-key-list.yaml': [
        (59, 5, 'error', "unknown key 'colour' (allowed in a phase: checklists, collection, draw, events, final, form, group_text, guesses, kind, next, questions, ratings, record, script, show_groups, show_resources, swap_roles, tagging, techniques, timer, title, transitions, votes)"),
    ],
    'language-name.yaml': [
        (6, 13, 'error', "languages: 'german' is not a language code; use the language code 'de'"),
    ],
    'language-case.yaml': [
        (6, 13, 'error', "languages: 'EN' is not a language code; use the language code 'en'"),
    ],
    'bare-duration.yaml': [
        (4, 11, 'error', 'duration: 20 has no unit: write 20s for seconds or 20m for minutes'),
    ],
    'clock-duration.yaml': [
        (59, 23, 'error', "duration: in '1:75' the seconds must be below 60"),
    ],
    'zero-duration.yaml': [
        (4, 11, 'error', "duration: a duration must be longer than zero, got '0s'"),
    ],
    'long-duration.yaml': [
        (4, 11, 'error', "duration: a duration can be at most 24 hours (24h), got '25h'"),
    ],
    'swap-three.yaml': [
        (67, 17, 'error', 'swap_roles takes exactly two role ids, as a list such as [speaker, listener]; found 3'),
    ],
    'swap-one.yaml': [
        (67, 17, 'error', 'swap_roles takes exactly two role ids, as a list such as [speaker, listener]; found 1'),
    ],
    'swap-text.yaml': [
        (67, 17, 'error', "swap_roles takes exactly two role ids, as a list such as [speaker, listener]; found 'speaker'"),
    ],
    'levels-count.yaml': [
        (49, 17, 'error', "levels name each rating from min to max: 4 names for 1-4, not 3"),
    ],
    'count-zero.yaml': [
        (13, 12, 'error', "count 0 means nobody would get this role: give 1 or more, 'each' or 'rest', or remove the role"),
    ],
    'visits-zero.yaml': [
        (77, 80, 'error', 'visits_below with count 0 never holds (no phase is entered fewer than 0 times): use 1 or more'),
    ],
    'too-few-options.yaml': [
        (40, 7, 'error', 'options: give at least 2 options; found 1'),
    ],
    'empty-cards.yaml': [
        (20, 12, 'error', 'cards is empty: give at least 1 card'),
    ],
    'events-union.yaml': [
        (61, 13, 'error', "events: expected 'all' or a list of ids, got 'phone-rings'"),
    ],
    'phase-not-mapping.yaml': [
        (77, 12, 'error', "phase 'closing': expected a mapping of keys, got 'Thank everyone.'; write its keys on the lines below 'closing:', indented (it needs kind, title)"),
    ],
    'bool-as-id.yaml': [
        (40, 14, 'error', 'id: expected an id (lower-case letters, digits and hyphens), got true; put it in quotes to keep it as text, e.g. "yes"'),
    ],
    'float-for-int.yaml': [
        (5, 19, 'error', 'min: expected a whole number, got 2.5'),
    ],
    'text-for-int.yaml': [
        (5, 19, 'error', "min: expected a whole number, got 'three'"),
    ],
    'text-for-bool.yaml': [
        (81, 12, 'error', "final: expected true or false, got 'maybe'"),
    ],
    'text-for-list.yaml': [
        (6, 12, 'error', "languages: expected a list of ids, got 'en'; write it as a list: [en], or as lines that start with '- '"),
    ],
    'empty-title.yaml': [
        (2, 7, 'error', "title is empty: write the text after 'title:'"),
    ],
    'blank-text.yaml': [
        (2, 8, 'error', "title is empty: write the text after 'title:'"),
    ],
    'list-for-text.yaml': [
        (2, 8, 'error', 'title: expected text or a map of language code to text, got a list'),
    ],
    'group-min-zero.yaml': [
        (5, 19, 'error', 'min must be at least 1, got 0 (fewest participants the exercise works with)'),
    ],
    'id-too-long.yaml': [
        (1, 5, 'error', "id: 'a-very-long-id-a-very-long-id-a-very-lo…' is too long: an id has at most 64 characters"),
    ],
    'phase-id.yaml': [
        (68, 11, 'error', "no phase 'discuss'; did you mean 'discuss-ideas'? (known phases: closing, discuss-ideas, reversal, scene, warm-up)"),
        (69, 3, 'error', "phase id 'Discuss Ideas' is not a valid id: use lower-case letters, digits and hyphens, e.g. 'discuss-ideas'"),
    ],
    'format-version.yaml': [
        (1, 9, 'error', "format: only format 1 exists: write 'format: 1' or leave the key out"),
    ],
    'visibility-typo.yaml': [
        (13, 23, 'error', "brief_visible_to: 'holders' is not allowed here; did you mean 'holder'? (choose one of: holder, others, trainer, everyone)"),
    ],
    'deal-to-union.yaml': [
        (20, 14, 'error', "deal_to: expected 'everyone', 'nobody' or an id (lower-case letters, digits and hyphens), got 'Every One'"),
    ],
    'on-expiry-type.yaml': [
        (59, 38, 'error', "on_expiry: expected 'stay' or an id (lower-case letters, digits and hyphens), got 5"),
    ],
    'missing-kind.yaml': [
        (77, 3, 'error', "missing required key 'kind' in phase 'closing': add 'kind:' (e.g. enactment)"),
    ],
    'empty-roles.yaml': [
        (7, 8, 'error', 'roles is empty: give at least 1 role'),
    ],
    'misspelt-phase.yaml': [
        (68, 11, 'error', "no phase 'discus'; did you mean 'discuss'? (known phases: closing, discuss, reversal, scene, warm-up)"),
    ],
    'misspelt-role.yaml': [
        (26, 15, 'error', "no role 'obsever'; did you mean 'observer'? (known roles: listener, observer, speaker)"),
    ],
    'misspelt-deck.yaml': [
        (53, 14, 'error', "no deck 'mood'; did you mean 'moods'? (known decks: moods)"),
    ],
    'misspelt-form.yaml': [
        (43, 9, 'warning', "form 'pair-feedback' is not used by any phase"),
        (75, 11, 'error', "no form 'quality-contol'; did you mean 'quality-control'? (known forms: pair-feedback, quality-control)"),
    ],
    'misspelt-checklist.yaml': [
        (24, 9, 'warning', "checklist 'listening' is not used by any phase"),
        (60, 18, 'error', "no checklist 'listenning'; did you mean 'listening'? (known checklists: listening)"),
    ],
    'misspelt-collection.yaml': [
        (30, 9, 'warning', "collection 'ideas' is not used by any phase"),
        (73, 17, 'error', "no collection 'idea'; did you mean 'ideas'? (known collections: ideas)"),
    ],
    'misspelt-event.yaml': [
        (33, 9, 'warning', "event 'phone-rings' cannot be injected in any phase"),
        (61, 14, 'error', "no event 'phone-ring'; did you mean 'phone-rings'? (known events: phone-rings)"),
    ],
    'misspelt-vote.yaml': [
        (37, 9, 'warning', "vote 'stayed-peer' is not used by any phase"),
        (74, 13, 'error', "no vote 'stayed-peers'; did you mean 'stayed-peer'? (known votes: stayed-peer)"),
    ],
    'misspelt-trigger.yaml': [
        (77, 19, 'error', "phase 'discuss' has no default route for 'next'; trigger 'nxet': did you mean 'next'?"),
    ],
    'builtin-form.yaml': [
        (43, 9, 'error', "'quality-control' is the id of a built-in form (Quality-control sheet), which every scenario can use without declaring it: use it with 'form: quality-control', or give your own form another id"),
        (43, 9, 'warning', "form 'quality-control' is not used by any phase"),
        (75, 11, 'error', "no form 'pair-feedback' (known forms: quality-control)"),
    ],
    'reserved-status.yaml': [
        (77, 19, 'error', "'status' is a reserved word: 'status' is kept for a command that tells where the session is, and a trigger of the same name would hide it (typing it would take the route instead); pick another name for the trigger, e.g. 'status-phase'"),
    ],
    'seven-errors.yaml': [
        (5, 11, 'error', 'duration: 45 has no unit: write 45s for seconds or 45m for minutes'),
        (7, 13, 'error', "languages: 'german' is not a language code; use the language code 'de'"),
        (18, 15, 'error', "no role 'obsever'; did you mean 'observer'? (known roles: observer, protagonist)"),
        (32, 7, 'error', "'timer' is not a language code: it is a key of a phase, indented under 'title' by mistake; move it left to line up with 'title:'"),
        (40, 17, 'error', 'swap_roles takes exactly two role ids, as a list such as [protagonist, observer]; found 3'),
        (41, 11, 'error', "no phase 'debreif'; did you mean 'debrief'? (known phases: closing, debrief, reversal, scene, warm-up)"),
        (45, 5, 'error', "duplicate key 'title' (first given on line 44): keep one of them; the first is used meanwhile"),
    ],
}

# Wording of the YAML parser and of pydantic that must never reach an author.
LEAKS = re.compile(
    r"Input should|should have (at most|at least)|Field required|Extra inputs|validation error|String should|"
    r"after validation|could not find expected|did not find expected|mapping values are not allowed|"
    r"while (parsing|scanning)|<block|constrained-str|literal\[|stand-in|\b1 participants\b"
)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_of_mistake_has_its_own_plain_message_at_the_offending_token(name):
    result = load_scenario(INVALID / name)
    assert not result.ok
    assert [(p.line, p.column, p.severity, p.message) for p in result.problems] == KINDS[name]


def test_no_message_uses_the_parsers_or_the_models_own_words():
    for path in sorted(INVALID.glob("*.yaml")):
        for problem in load_scenario(path).problems:
            assert not LEAKS.search(problem.message), str(problem)


def test_seven_mistakes_are_all_reported_by_one_validate_run():
    result = run_cli("validate", "tests/data/invalid/seven-errors.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 7 and all(re.match(r"tests/data/invalid/seven-errors\.yaml:\d+:\d+: error: ", x) for x in lines)
    assert result.stdout + result.stderr == (INVALID / "seven-errors.after.txt").read_text()
    # Before this change, the first run showed only the duplicate key (the file keeps that record).
    assert (INVALID / "seven-errors.before.txt").read_text().startswith(
        "tests/data/invalid/seven-errors.yaml:45:5: error: duplicate key 'title' (first given on line 44)\n"
        "1 file(s) checked: 1 error(s), 0 warning(s)\n"
    )


def test_the_lines_before_a_syntax_error_are_checked_without_false_alarms_about_the_cut():
    text = (INVALID / "unknown-key.yaml").read_text().replace("duration: 10m", "duration: 10").replace(
        "    next: two\n", "    next: [two\n"
    )
    problems = load_scenario_text(text, "x.yaml").problems
    assert [(p.line, p.column) for p in problems] == [(4, 11), (16, 5), (17, 11)]
    assert "has no unit" in problems[0].message and "did you mean 'script'" in problems[1].message
    assert problems[2].message.startswith("the list opened with '[' here is not closed")
    assert not any("missing" in p.message or "no phase" in p.message for p in problems)


def test_a_duplicate_key_does_not_hide_the_other_mistakes():
    text = (INVALID / "duplicate-key.yaml").read_text().replace("kind: warm-up", "kind: warmup")
    messages = [p.message for p in load_scenario_text(text, "x.yaml").problems]
    assert len(messages) == 2
    assert messages[0].startswith("kind: 'warmup' is not allowed here; did you mean 'warm-up'?")
    assert messages[1].startswith("duplicate key 'title' (first given on line 15)")


# ----- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("90s", 90), ("90 sec", 90), ("5m", 300), ("5 min", 300), ("5 mins", 300), ("10 minutes", 600),
     ("1h", 3600), ("2 hours", 7200), ("1h30m", 5400), ("1h 30m", 5400), ("1 h 30 min", 5400),
     ("2m30s", 150), ("1:30", 90), ("90:00", 5400), ("1:30:00", 5400), ("24h", 86400)],
)
def test_every_usual_way_of_writing_a_duration(written, seconds):
    assert parse_duration(written) == seconds


def test_the_duration_format_is_documented():
    doc = (ROOT / "docs" / "scenario-format.md").read_text()
    section = doc[doc.index("## Durations"):doc.index("## Ids")]
    for written in ("`90s`", "`5m`", "`5 min`", "`5 mins`", "`1h30m`", "`1:30`", "`1:30:00`", "`duration: 30`"):
        assert written in section


@pytest.mark.parametrize(
    ("written", "message"),
    [(30, "30 has no unit: write 30s for seconds or 30m for minutes"),
     ("30", "30 has no unit: write 30s for seconds or 30m for minutes"),
     (1.5, "1.5 has no unit: write it in whole units, e.g. 90s, 5m or 1m30s"),
     ("soon", "'soon' is not a duration: write it like 90s, 5m, 5 min, 1h30m, 1:30 (minutes:seconds) or 1:30:00 (hours:minutes:seconds)"),
     ("5M", "'5M' is not a duration"), ("", "the duration is empty"), ("0s", "longer than zero"),
     ("25h", "at most 24 hours"), ("1:60", "the seconds must be below 60"), ("1:60:00", "the minutes must be below 60"),
     (True, "expected a duration such as 5m, 90s or 1:30, got true/false")],
)
def test_every_other_duration_is_a_clear_error(written, message):
    from pydantic_core import PydanticCustomError

    with pytest.raises(PydanticCustomError) as caught:
        parse_duration(written)
    assert message in caught.value.message()


def test_a_bare_number_is_refused_in_a_file_but_read_as_seconds_from_a_session_log_and_a_command():
    data = load_scenario(BRANCHING).scenario.model_dump(mode="json", exclude_defaults=True)
    assert data["duration"] == 1200  # the log's copy holds seconds
    assert Scenario.model_validate(data).duration == 1200
    with pytest.raises(ValueError, match="has no unit"):
        Scenario.model_validate(data, context=AUTHORED)
    assert command_duration("120") == 120 and command_duration("2m") == 120


# ----- did you mean, language codes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [("english", "en"), ("English", "en"), ("spanish", "es"), ("español", "es"), ("castellano", "es"),
     ("german", "de"), ("deutsch", "de"), ("romanian", "ro"), ("română", "ro"), ("romana", "ro"),
     ("bulgarian", "bg"), ("български", "bg"), ("dutch", "nl"), ("nederlands", "nl"), ("vlaams", "nl"),
     ("french", "fr"), ("français", "fr"), ("italian", "it"), ("polish", "pl"), ("ukrainian", "uk"),
     ("arabic", "ar"), ("EN", "en"), ("en_GB", "en-GB"), ("en-gb", "en-GB"), ("sp", "es"), ("gr", "el"),
     ("germna", "de")],
)
def test_language_names_and_wrong_codes_get_the_code(written, code):
    assert language_code_for(written) == code


def test_no_code_is_made_up_for_a_word_that_is_no_language():
    assert language_code_for("timer") is None and language_code_for("xyzzy") is None


def test_did_you_mean_takes_near_misses_only():
    known = ["warm-up", "scene", "debrief", "closing"]
    assert close_match("debreif", known) == "debrief"
    assert close_match("Scene", known) == "scene"
    assert close_match("lunch", known) is None


# ----- roleplay new: a schema that stays valid when the folder moves ---------------------------


def test_new_puts_the_schema_beside_the_scenario_and_names_it_relatively(tmp_path, capsys):
    from roleplay.cli import main
    from roleplay.core.template import SCHEMA_FILE, write_schema

    assert run_cli("new", "first", cwd=tmp_path).returncode == 0
    folder = tmp_path / "scenarios"
    assert (folder / "first.yaml").read_text().splitlines()[0] == "# yaml-language-server: $schema=scenario.schema.json"
    assert (folder / "scenario.schema.json").read_text() == SCHEMA_FILE.read_text()
    # The folder moves (another project, another computer): the reference still resolves.
    moved = tmp_path / "elsewhere" / "my-scenarios"
    moved.parent.mkdir()
    folder.rename(moved)
    assert json.loads((moved / "scenario.schema.json").read_text())["title"] == "roleplay scenario"
    assert load_scenario(moved / "first.yaml").ok
    # A copy written by an older version is brought up to date; a file of the author's own is left alone.
    (moved / "scenario.schema.json").write_text(json.dumps({"title": "roleplay scenario", "old": True}))
    assert write_schema(moved) and (moved / "scenario.schema.json").read_text() == SCHEMA_FILE.read_text()
    assert not write_schema(moved)
    own = tmp_path / "own"
    own.mkdir()
    (own / "scenario.schema.json").write_text('{"title": "my own"}')
    assert main(["new", "second", "--dir", str(own)]) == 0
    assert "scenario.schema.json" not in capsys.readouterr().err
    assert (own / "scenario.schema.json").read_text() == '{"title": "my own"}'


# ----- play: a larger group than the scenario's maximum, and who a tick is about ---------------


def test_play_warns_about_a_larger_group_and_a_tick_says_whom_it_is_about(tmp_path):
    people = "Ana Maria,Ben,Cleo,P4,P5,P6,P7,P8,P9"  # branching is written for 3 to 8
    commands = "next\nforce next\ntick listening nods by Ana Maria\ntick listening summarises Ben\nuntick listening nods by Ana Maria\n"
    result = run_cli("play", BRANCHING, "--participants", people, "--seed", "1", "--out", str(tmp_path), stdin=commands)
    assert result.returncode == 3, result.stderr
    assert ("warning: 9 participants, but branching-test is written for at most 8: some may have no part "
            "to play, or split the group and run it twice") in result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    ticks = [(e["type"], e["data"]["item"], e["data"].get("by")) for e in events if e["type"] in ("tick", "untick")]
    assert ticks == [("tick", "nods", "Ana Maria"), ("tick", "summarises", "Ben"), ("untick", "nods", "Ana Maria")]


def test_no_group_size_warning_when_the_group_fits(branching, capsys):
    from roleplay.cli.play import _warn_group_size

    for people in (3, 8):
        _warn_group_size(branching, people)
    assert capsys.readouterr().err == ""
    _warn_group_size(branching, 2)
    assert "2 participants, but branching-test is written for at least 3" in capsys.readouterr().err


def test_a_misspelt_trigger_in_play_gets_did_you_mean(branching, clock, tmp_path):
    from roleplay.core.command_line import parse
    from roleplay.core.engine import CommandError, Session

    s = Session.start(branching, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, clock=clock)
    with pytest.raises(CommandError, match=r"'nxet' is not valid in phase 'warm-up'; valid now: .*; did you mean 'next'\?$"):
        parse(s, "nxet")
    s.close()


# ----- the report: ratings by their labels, on their own scale -----------------------------------


def test_the_report_names_rating_scales_and_averages_on_the_scale_not_the_count(branching, clock, tmp_path):
    from roleplay.core.engine import GuardWarning, Session
    from roleplay.core.report import build_report, to_markdown

    s = Session.start(branching, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, clock=clock)
    for _ in range(6):
        if s.phase == "discuss":
            break
        try:
            s.fire("next")
        except GuardWarning:
            s.fire("next", force=True)
    s.add_entry("ideas", "Walk more")
    s.rate("appeal", 9, entry=1)
    s.rate("commitment", 4)
    s.rate("commitment", 2)
    s.rate("commitment", 5)
    report = build_report(Session.replay(s.folder))
    (ideas,) = report["collections"]
    assert ideas["entries"][0]["ratings"] == {"Appeal": "9 (1–10)"}  # the scale's label, never its id
    assert report["rating_summaries"] == [
        {"phase": "Ideas", "label": "Commitment", "summary": "average 3.7 on a scale of 1 to 10, 3 ratings"}
    ]
    text = to_markdown(Session.replay(s.folder))
    assert "Walk more Appeal: 9 \\(1–10\\)" in text and "appeal=" not in text
    assert "Ideas, Commitment: average 3\\.7 on a scale of 1 to 10\\, 3 ratings" in text
    s.close()

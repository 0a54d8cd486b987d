"""Finding 4: nothing the command line prints from a scenario, a participant, a note or a file name acts on the terminal."""

from __future__ import annotations

import json
import re
import shlex
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplay.core.printable import is_printable, printable, printable_json
from tests.conftest import DATA, run_cli

OSC8 = "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
EVIL_TITLE = f"Evil {OSC8} \u202e reversed \x1b[2J cleared\nsecond line"
EVIL_PHASE = f"Guess {OSC8} \u202e\nsecond"
EVIL_NAME = "\x1b[31mBen\u2066"
# Every character that must never reach a terminal raw from data.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def assert_clean(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} in {text!r}"


def _yaml_quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted string


@pytest.fixture
def evil(tmp_path):
    """A folder with ./scenarios/evil.yaml: a valid scenario whose title and a phase title hold escape sequences."""
    text = (DATA / "valid" / "branching.yaml").read_text()
    text = text.replace("title: Branching test", f"title: {_yaml_quoted(EVIL_TITLE)}")
    text = text.replace("title: Guess your mood", "title: " + _yaml_quoted(EVIL_PHASE))
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "evil.yaml").write_text(text)
    return tmp_path


# ----- the function --------------------------------------------------------------------


def test_printable_escapes_controls_bidi_and_separators():
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable(OSC8) == "\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\"
    assert printable("\u202eabc\u2066\u2069\u202a") == "\\u202eabc\\u2066\\u2069\\u202a"
    assert printable("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert printable("\x9b31m\x7f\x00\u2028\u2029\x85") == "\\x9b31m\\x7f\\x00\\u2028\\u2029\\x85"
    assert printable("bad\udcff.yaml") == "bad\\udcff.yaml"  # a file name that is not UTF-8 must not crash print
    assert printable("a\nb", keep_newlines=True) == "a\nb"
    assert printable(3) == "3"


def test_printable_keeps_every_script_and_emoji():
    text = "Ana Müller, Ñandú, Ωμέγα, Дарья, محمد, שרה, 李雷, 🎭 — «done»"
    assert printable(text) == text and is_printable(text)


@given(st.text())
def test_printable_output_has_no_control_and_is_idempotent(text):
    shown = printable(text)
    assert RAW.search(shown) is None and "\n" not in shown
    assert printable(shown) == shown
    assert all(unicodedata.category(ch) != "Cs" for ch in shown)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8))
def test_printable_json_is_the_same_json_without_raw_controls(value):
    for indent in (None, 2):
        text = printable_json(value, indent=indent)
        assert RAW.search(text) is None
        assert json.loads(text) == value


def test_plain_json_dumps_would_leave_bidi_and_c1_raw():
    """Why printable_json exists: ensure_ascii=False escapes C0 only."""
    raw = json.dumps({"t": "\u202e\x9b\x7f"}, ensure_ascii=False)
    assert "\u202e" in raw and "\x9b" in raw
    assert printable_json({"t": "\u202e\x9b\x7f"}) == '{"t": "\\u202e\\u009b\\u007f"}'


# ----- by subprocess, command by command -------------------------------------------------


def test_list_shows_a_hostile_title_escaped_on_one_line(evil):
    result = run_cli("list", cwd=evil)
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout, result.stderr)
    line = next(line for line in result.stdout.splitlines() if line.startswith("branching-test"))
    assert "Evil \\x1b]8;;http://x\\x1b\\link" in line and "\\u202e reversed \\x1b[2J cleared\\nsecond line" in line
    assert line.endswith("local")  # the newline inside the title did not start a line of its own
    data = run_cli("list", "--format", "json", cwd=evil)
    assert_clean(data.stdout)
    assert {"branching-test": EVIL_TITLE} == {r["id"]: r["title"] for r in json.loads(data.stdout) if r["source"] == "local"}


def test_validate_escapes_file_names_and_keys_in_text_and_json(evil):
    bad = evil / "scenarios" / "bad\x1b[2J\u202e.yaml"
    bad.write_text((evil / "scenarios" / "evil.yaml").read_text() + '"\\e]8;;http://x\\e\\\\": 1\n')
    result = run_cli("validate", str(evil / "scenarios"), cwd=evil)
    assert result.returncode == 1
    assert_clean(result.stdout, result.stderr)
    assert "bad\\x1b[2J\\u202e.yaml:" in result.stdout and "\\x1b]8;;http://x" in result.stdout
    as_json = run_cli("validate", "--format", "json", str(evil / "scenarios"), cwd=evil)
    assert_clean(as_json.stdout, as_json.stderr)
    problems = json.loads(as_json.stdout)
    assert any(p["path"] == str(bad) for p in problems)


def test_error_messages_escape_what_the_user_typed(evil):
    result = run_cli("graph", "nope\x1b[2J\u202e", cwd=evil)
    assert result.returncode == 1
    assert_clean(result.stderr)
    assert "roleplay: error: nope\\x1b[2J\\u202e: no scenario" in result.stderr
    usage = run_cli("list", "--format", "\x1b[2J", cwd=evil)
    assert usage.returncode == 2
    assert_clean(usage.stderr)
    assert "roleplay: error: list: argument --format: invalid choice: '\\x1b[2J'" in usage.stderr


def test_play_sessions_report_and_list_marks_print_no_raw_escape(evil, tmp_path):
    out = tmp_path / "rec"
    script = f"next\nnote a note \x1b[2J with \u202e bidi\nmark {shlex.quote(OSC8)}\nguess {EVIL_NAME} right\n"
    played = run_cli("play", "evil", "--participants", f"Ana,{EVIL_NAME},Cleo", "--seed", "1", "--out", str(out),
                     stdin=script, cwd=evil)
    assert played.returncode == 0 or played.returncode == 3, played.stderr
    assert_clean(played.stdout, played.stderr)
    events = [json.loads(line) for line in played.stdout.splitlines()]
    assert events[0]["data"]["participants"][1] == EVIL_NAME  # the JSON still carries the exact text
    assert any(e["type"] == "note" and e["data"]["text"] == "a note \x1b[2J with \u202e bidi" for e in events)
    folder = next(out.iterdir())

    bad_guess = run_cli("play", "--resume", str(folder), stdin="guess \x1b[2JZed\u202e right\n", cwd=evil)
    assert bad_guess.returncode == 1 and "roleplay: error:" in bad_guess.stderr
    assert_clean(bad_guess.stdout, bad_guess.stderr)

    sessions = run_cli("sessions", "--root", str(out), cwd=evil)
    assert sessions.returncode == 0
    assert_clean(sessions.stdout, sessions.stderr)
    assert len(sessions.stdout.splitlines()) == 1 and "\\x1b]8;;http://x" in sessions.stdout

    marks = run_cli("replay", str(folder), "--list-marks", cwd=evil)
    assert marks.returncode == 0, marks.stderr
    assert_clean(marks.stdout, marks.stderr)
    assert "note: a note \\x1b[2J with \\u202e bidi" in marks.stdout and "marker: \\x1b]8;;http://x" in marks.stdout

    report = run_cli("report", str(folder), cwd=evil)
    assert report.returncode == 0, report.stderr
    assert "\x1b" not in report.stdout and "\u202e" not in report.stdout


def test_the_marks_listing_escapes_each_field(evil, tmp_path):
    from roleplay.cli.video import mark_lines
    from roleplay.core.printable import printable as shown

    out = tmp_path / "rec"
    run_cli("play", "evil", "--participants", "3", "--seed", "1", "--out", str(out), stdin="next\n", cwd=evil)
    folder = next(out.iterdir())
    lines, notices = mark_lines(folder)
    assert notices == [] and lines[0].startswith(folder.name)
    assert any(f"phase: {EVIL_PHASE}" in line for line in lines)  # the listing holds the text...
    assert all(shown(line).count("\n") == 0 for line in lines)  # ...and out() prints each as one escaped line


def test_every_print_in_the_cli_goes_through_the_output_module():
    from pathlib import Path

    import roleplay.cli

    folder = Path(roleplay.cli.__file__).parent
    offenders = []
    for path in sorted(folder.glob("*.py")):
        if path.name == "output.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\bprint\(|sys\.std(out|err)\.write", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []

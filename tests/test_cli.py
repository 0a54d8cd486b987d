"""The command line, run as a user runs it: a subprocess, checking output and exit codes."""

from __future__ import annotations

import json

from tests.conftest import DATA, ROOT, run_cli

BRANCHING = str(DATA / "valid" / "branching.yaml")


def test_help_for_every_command(capsys):
    from roleplay.cli import main

    # One as a real process; the others through main(argv), the same parser (a process costs ~0.3 s).
    result = run_cli("play", "--help")
    assert result.returncode == 0 and "usage: roleplay play" in result.stdout
    helps = {}
    for command in ("list", "validate", "graph", "new", "play", "report", "cards", "sessions", "delete", "prune",
                    "replay", "clip", "record", "camera", "run"):
        assert main([command, "--help"]) == 0, command
        helps[command] = capsys.readouterr().out
        assert "usage: roleplay " + command in helps[command]
    for command in ("report", "clip", "cards"):  # outputs outside a session folder are overwritten only when asked
        assert "--force" in helps[command]


def test_list_shows_builtin_and_local_scenarios(tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text((DATA / "valid" / "branching.yaml").read_text())
    (tmp_path / "scenarios" / "broken.yaml").write_text("id: [\n")
    result = run_cli("list", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "DURATION", "GROUP", "LANGUAGES", "SOURCE"]
    assert any(line.startswith("branching-test") and line.endswith("local") for line in lines)
    assert any("broken" in line and "INVALID" in line and "broken.yaml:" in line for line in lines)
    data = json.loads(run_cli("list", "--format", "json", cwd=tmp_path).stdout)
    assert {"id": "branching-test", "title": "Branching test", "duration": "20 min", "group_size": "3-8", "languages": "en", "source": "local"} in data


def test_list_sees_an_edited_file_at_once(tmp_path):
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "mine.yaml"
    text = (DATA / "valid" / "branching.yaml").read_text()
    path.write_text(text)
    assert "Branching test" in run_cli("list", cwd=tmp_path).stdout
    path.write_text(text.replace("title: Branching test", "title: Renamed test"))
    assert "Renamed test" in run_cli("list", cwd=tmp_path).stdout  # cached rows are keyed by size and mtime
    path.write_text(text.replace("title: Branching test", "titel: Renamed test"))
    assert "INVALID: scenarios/mine.yaml:2:1: error: missing required key 'title'" in run_cli("list", cwd=tmp_path).stdout


def test_validate_exit_codes_and_messages(tmp_path):
    ok = run_cli("validate", BRANCHING)
    assert ok.returncode == 0 and ok.stdout == ""
    bad = run_cli("validate", str(DATA / "invalid" / "unknown-key.yaml"), BRANCHING)
    assert bad.returncode == 1
    assert bad.stdout.strip() == f"{DATA / 'invalid' / 'unknown-key.yaml'}:16:5: error: unknown key 'scirpt'; did you mean 'script'?"
    assert "2 file(s) checked: 1 error(s), 0 warning(s)" in bad.stderr
    usage = run_cli("validate")
    assert usage.returncode == 2 and "usage:" in usage.stderr
    assert run_cli("validate", "--format", "xml", BRANCHING).returncode == 2


def test_validate_a_folder_as_json():
    result = run_cli("validate", "--format", "json", str(DATA / "invalid"))
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert {"path", "line", "column", "severity", "message"} == set(problems[0])
    tabs = [p for p in problems if p["path"].endswith("tabs.yaml")]
    assert tabs == [{"path": str(DATA / "invalid" / "tabs.yaml"), "line": 14, "column": 1, "severity": "error", "message": "tab character used for indentation; YAML needs spaces; the lines from here on are checked once this is fixed"}]


def test_validate_missing_path_is_an_error_not_a_traceback():
    result = run_cli("validate", "no/such/file.yaml")
    assert result.returncode == 1
    assert "no/such/file.yaml:1:1: error: no such file or folder" in result.stdout
    assert "Traceback" not in result.stderr


def test_graph_mermaid_and_dot():
    mermaid = run_cli("graph", BRANCHING)
    assert mermaid.returncode == 0
    assert mermaid.stdout.startswith("stateDiagram-v2\n")
    assert "    discuss --> scene: next [when]" in mermaid.stdout
    assert "    scene --> discuss: timer-expired" in mermaid.stdout
    dot = run_cli("graph", BRANCHING, "--format", "dot")
    assert dot.stdout.startswith('digraph "branching-test" {') and '"guessing" -> "scene" [label="next [check]"];' in dot.stdout


def test_unknown_scenario_says_what_is_known(tmp_path):
    result = run_cli("graph", "nope", cwd=tmp_path)
    assert result.returncode == 1
    assert "nope: no scenario with this id or path" in result.stderr


def test_new_writes_a_template_that_validates(tmp_path):
    result = run_cli("new", "my-exercise", cwd=tmp_path)
    assert result.returncode == 0
    path = tmp_path / "scenarios" / "my-exercise.yaml"
    assert "id: my-exercise" in path.read_text()
    schema_line = path.read_text().splitlines()[0]
    assert schema_line.startswith("# yaml-language-server: $schema=")
    # The schema is copied beside the scenario and named relatively: valid wherever the folder moves.
    assert schema_line.split("=", 1)[1] == "scenario.schema.json"
    assert (path.parent / "scenario.schema.json").read_text() == (ROOT / "roleplay" / "schema" / "scenario.schema.json").read_text()
    assert run_cli("validate", str(path), cwd=tmp_path).returncode == 0
    again = run_cli("new", "my-exercise", cwd=tmp_path)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert run_cli("new", "Bad Id", cwd=tmp_path).returncode == 1
    listed = run_cli("list", cwd=tmp_path)
    assert "my-exercise" in listed.stdout


def _play(stdin: str, tmp_path, *extra: str):
    return run_cli("play", BRANCHING, "--participants", "Ana,Ben,Cleo,Dan", "--seed", "3", "--out", str(tmp_path), *extra, stdin=stdin)


def test_play_to_the_final_phase(tmp_path):
    script = "next\nforce next\nnote a first note\nreverse\nnext\ntimeout\nnext\nanswer safety 5\nnext\nnext\n"
    result = _play(script, tmp_path)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["type"] == "session_started" and events[-1]["type"] == "session_ended"
    assert [e["data"]["phase"] for e in events if e["type"] == "phase_entered"] == [
        "warm-up", "guessing", "scene", "reversal", "scene", "discuss", "closing", "end"]
    folder = next(tmp_path.iterdir())
    logged = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    assert logged == events  # the same session folder a live session writes


def test_play_invalid_command_exits_1_and_lists_what_is_valid(tmp_path):
    result = _play("next\nreverse\n", tmp_path)
    assert result.returncode == 1
    assert "'reverse' is not valid in phase 'guessing'; valid now: next, force, pause, note, mark, guess" in result.stderr


def test_play_input_ending_early_exits_3_and_guard_only_warns(tmp_path):
    result = _play("next\nnext\nnote waiting\n", tmp_path)
    assert result.returncode == 3
    assert "warning: Not everyone has guessed yet. (not guessed yet: Ana, Ben, Cleo, Dan) (to go on anyway: next again)" in result.stderr
    assert "input ended in phase 'guessing'" in result.stderr


def test_play_bad_flags(tmp_path):
    assert _play("", tmp_path, "--language", "fr").returncode == 1
    result = run_cli("play", BRANCHING, "--participants", "Ana,Ana", "--out", str(tmp_path))
    assert result.returncode == 1 and "Ana given twice" in result.stderr
    assert run_cli("play", BRANCHING, "--participants", "3", "--seed", "x").returncode == 2


def test_report_and_sessions_from_the_log(tmp_path):
    _play("next\nguess Ana wrong nurse\nforce next\nmark key moment\ntimeout\nadd ideas Call a friend\ntag ideas 1 small\n", tmp_path)
    folder = next(tmp_path.iterdir())
    md = run_cli("report", str(folder))
    assert md.returncode == 0
    assert "# Branching test" in md.stdout and "**marker**: key moment" in md.stdout
    assert any(line.startswith("1. Call a friend") and "Small step" in line for line in md.stdout.splitlines())
    out = tmp_path / "report.html"
    html = run_cli("report", str(folder), "--format", "html", "-o", str(out))
    assert html.returncode == 0
    text = out.read_text()
    assert text.startswith("<!doctype html>") and "<script" not in text and "http" not in text.replace("https://", "")
    sessions = run_cli("sessions", "--root", str(tmp_path))
    assert folder.name in sessions.stdout and "cut off in 'discuss' (can be resumed)" in sessions.stdout
    missing = run_cli("report", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such session folder" in missing.stderr


def test_cards_sheet(tmp_path):
    out = tmp_path / "cards.html"
    result = run_cli("cards", BRANCHING, "--participants", "Ana,Ben,Cleo", "-o", str(out))
    assert result.returncode == 0
    text = out.read_text()
    assert text.count("<section class='card'>") == 3
    assert "2 cards for 3 holders: 1 card(s) repeat" in text


def test_python_dash_m_and_no_traceback_on_a_broken_pipe():
    result = run_cli("list")
    assert result.returncode == 0
    assert (ROOT / "roleplay" / "__main__.py").exists()


def test_each_command_is_found_in_the_group_that_registers_it():
    import importlib

    from roleplay.cli.parser import COMMAND_GROUPS, GROUPS, Parser, build_parser

    registered = {}
    for group in GROUPS:
        sub = Parser(prog="roleplay").add_subparsers(dest="command", parser_class=Parser)
        importlib.import_module(f"roleplay.cli.{group}").register(sub)
        registered.update(dict.fromkeys(sub.choices, group))
    assert registered == COMMAND_GROUPS
    whole = build_parser()
    for command in COMMAND_GROUPS:
        assert _help(build_parser(command), command) == _help(whole, command)  # the same command, alone


def _help(parser, command: str) -> str:
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices[command].format_help()

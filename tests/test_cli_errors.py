"""One error style: `roleplay: error: MESSAGE` on stderr, exit 1 for bad input, 2 for usage; never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from tests.conftest import DATA, ROOT, run_cli

BRANCHING = str(DATA / "valid" / "branching.yaml")
INVALID = str(DATA / "invalid" / "unknown-key.yaml")

# (arguments, exit code, a piece of the message). {tmp} is a fresh empty folder.
BAD = [
    (("nope",), 2, "roleplay: error: argument COMMAND: invalid choice: 'nope'"),
    (("list", "--format", "xml"), 2, "roleplay: error: list: argument --format: invalid choice"),
    (("validate",), 2, "roleplay: error: validate: the following arguments are required: PATH"),
    (("validate", "{tmp}/no.yaml"), 1, "no.yaml:1:1: error: no such file or folder"),
    (("validate", "/dev/null"), 1, "file is empty"),
    (("graph", "nope"), 1, "roleplay: error: nope: no scenario with this id or path"),
    (("graph", INVALID), 1, "roleplay: error: " + INVALID + " is not a valid scenario"),
    (("graph", BRANCHING, "--format", "svg"), 2, "roleplay: error: graph: argument --format"),
    (("new", "Bad Id", "--dir", "{tmp}"), 1, "roleplay: error: 'Bad Id' is not a valid id"),
    (("new", "ok", "--dir", "/dev/null/x"), 1, "roleplay: error: cannot write /dev/null/x/ok.yaml"),
    (("play", "nope", "--participants", "3", "--out", "{tmp}"), 1, "roleplay: error: nope: no scenario"),
    (("play", BRANCHING, "--out", "{tmp}"), 2, "roleplay: error: play: the following arguments are required: --participants"),
    (("play", "--out", "{tmp}"), 2, "roleplay: error: play: give the SCENARIO to play, or --resume SESSION"),
    (("play", BRANCHING, "--participants", "99999999", "--out", "{tmp}"), 1, "roleplay: error: --participants 99999999: at most"),
    (("play", BRANCHING, "--participants", " , ", "--out", "{tmp}"), 1, "roleplay: error: --participants needs names"),
    (("play", BRANCHING, "--participants", "3", "--seed", "x"), 2, "roleplay: error: play: argument --seed: invalid int value"),
    (("play", BRANCHING, "--participants", "3", "--language", "fr", "--out", "{tmp}"), 1, "roleplay: error: language 'fr'"),
    (("play", "--resume", "nope", "--out", "{tmp}"), 1, "roleplay: error: no session 'nope'"),
    (("cards", BRANCHING, "--participants", "3", "--deck", "nope", "-o", "{tmp}/c.html"), 1, "roleplay: error: "),
    (("cards", BRANCHING, "--participants", "3", "-o", "{tmp}/no/c.html"), 1, "roleplay: error: cannot write"),
    (("report", "{tmp}/nope"), 1, "roleplay: error: {tmp}/nope: no such session folder"),
    (("report", "{tmp}"), 1, "roleplay: error: {tmp} is not a session folder"),
    (("report", "x", "--root", "{tmp}", "--format", "pdf"), 2, "roleplay: error: report: argument --format"),
    (("sessions", "--root", BRANCHING), 1, "roleplay: error: " + BRANCHING + " is not a folder"),
    (("delete", "nope", "--yes", "--root", "{tmp}"), 1, "roleplay: error: no session 'nope'"),
    (("delete",), 2, "roleplay: error: delete: the following arguments are required: SESSION"),
    (("prune", "--older-than", "soon", "--root", "{tmp}"), 1, "roleplay: error: prune: cannot read the period"),
    (("prune", "--older-than", "30d", "--root", "{tmp}/none"), 1, "roleplay: error: prune: there is no sessions folder"),
    (("replay", "nope", "--list-marks", "--root", "{tmp}"), 1, "roleplay: error: no session 'nope'"),
    (("replay", "--list-marks", "--root", "{tmp}"), 1, "roleplay: error: no session with video under"),
    (("clip", "nope", "--from", "0", "--to", "1", "-o", "{tmp}/c.mp4", "--root", "{tmp}"), 1, "roleplay: error: no session 'nope'"),
    (("clip", "nope", "--from", "0"), 2, "roleplay: error: clip: the following arguments are required: --to, -o/--output"),
    (("camera",), 2, "roleplay: error: camera: the following arguments are required: COMMAND"),
    (("camera", "check", "--source", "{tmp}/none.mp4", "--seconds", "0.1"), 1, "roleplay: error: camera check:"),
    (("record", "--seconds", "0", "--out", "{tmp}"), 1, "roleplay: error: record: --seconds must be more than zero"),
    (("record", "--seconds", "1", "--out", "{tmp}", "--source", "synthetic"), 1, "roleplay: error: record: nobody's consent"),
    (("run", "nope"), 1, "roleplay: error: nope: no scenario"),
]


# Every bad input runs in this process through `main(argv)`, the same code from the parser on; one per
# command (the first that gets past the parser, if any) also runs as a real `python -m roleplay`
# process (each costs about half a second).
BY_PROCESS = [
    next(case for case in sorted((c for c in BAD if c[0][0] == command), key=lambda c: c[1] != 1))
    for command in dict.fromkeys(args[0] for args, _, _ in BAD)
]


def _check(result, tmp: str, code: int, message: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message.replace("{tmp}", tmp) in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if code == 2:
        assert result.stderr.startswith("usage: roleplay")
    if "roleplay: error:" in message:
        assert result.stderr.splitlines()[-1].startswith("roleplay: error: ")  # the last word, in one style


@pytest.mark.parametrize("args, code, message", BAD, ids=[" ".join(a[0][:2]) for a in BAD])
def test_bad_input_gives_one_error_line_and_no_traceback(tmp_path, args, code, message, monkeypatch, capsys):
    from roleplay.cli import main

    tmp = str(tmp_path)
    argv = [a.replace("{tmp}", tmp) for a in args]
    monkeypatch.chdir(ROOT)  # as run_cli runs the command
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    returncode = main(argv)
    out = capsys.readouterr()
    _check(subprocess.CompletedProcess(argv, returncode, out.out, out.err), tmp, code, message)


def test_every_command_with_bad_input_is_checked_as_a_process_too():
    assert {args[0] for args, _, _ in BY_PROCESS} == {args[0] for args, _, _ in BAD}
    assert len(BY_PROCESS) >= 15


@pytest.mark.parametrize("args, code, message", BY_PROCESS, ids=[" ".join(a[0][:2]) for a in BY_PROCESS])
def test_bad_input_to_the_process_gives_one_error_line_and_no_traceback(tmp_path, args, code, message):
    tmp = str(tmp_path)
    result = run_cli(*(a.replace("{tmp}", tmp) for a in args), stdin="")
    _check(result, tmp, code, message)


def test_an_unexpected_error_is_one_line_unless_debugging(monkeypatch, capsys):
    import roleplay.cli.scenarios as scenarios
    from roleplay.cli import main

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(scenarios, "cmd_list", broken)
    monkeypatch.delenv("ROLEPLAY_DEBUG", raising=False)
    assert main(["list"]) == 1
    assert capsys.readouterr().err.startswith("roleplay: error: unexpected RuntimeError: boom (this is a bug")
    monkeypatch.setenv("ROLEPLAY_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["list"])


def test_main_returns_codes_instead_of_exiting(capsys):
    from roleplay.cli import main

    assert main(["--help"]) == 0
    assert main(["list", "--format", "xml"]) == 2
    assert "roleplay: error: list:" in capsys.readouterr().err


def test_no_traceback_on_a_broken_pipe():
    process = subprocess.Popen([sys.executable, "-m", "roleplay", "graph", BRANCHING], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    process.stdout.close()  # like `roleplay graph X | head -0`
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 0
    assert stderr == ""


def test_list_and_help_import_neither_textual_cv2_nor_av(tmp_path):
    code = (
        "import sys\n"
        "from roleplay.cli import main\n"
        "main(['list']); main(['list']); main(['--help']); main(['sessions', '--root', sys.argv[1]])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'cv2', 'av', 'numpy', 'miniaudio', 'pyrage'})\n"
        "print(heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"


def test_the_old_module_is_gone_and_both_entry_points_work():
    assert not (ROOT / "roleplay" / "cli.py").exists()  # a package and a module of one name must not both exist
    assert (ROOT / "roleplay" / "cli" / "__init__.py").exists()
    assert 'roleplay = "roleplay.cli:main"' in (ROOT / "pyproject.toml").read_text()
    assert "from roleplay.cli import main" in (ROOT / "roleplay" / "__main__.py").read_text()

"""`roleplay validate` keeps what it found in each file (core/validate_cache.py): an unchanged file is not
loaded again, and whatever a reading depends on (the bytes, the path shown, the language, the program's
rules) gives a new reading when it changes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys

import pytest

from roleplay.core.validate_cache import KnownProblems
from tests.conftest import DATA, run_cli

BRANCHING = DATA / "valid" / "branching.yaml"
BROKEN = DATA / "invalid" / "unknown-key.yaml"

# Runs `roleplay validate ARGS` in this process and says whether it needed pydantic (a file loaded).
PROBE = (
    "import sys; from roleplay.cli import main; code = main(sys.argv[1:]); "
    "print('loaded' if 'pydantic' in sys.modules else 'known', file=sys.stderr); sys.exit(code)"
)


def _validate(tmp_path, *args: str, **env: str):
    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache"), **env}
    return run_cli("validate", *args, env=cache)


def _probe(tmp_path, *args: str, **env: str):
    import subprocess

    return subprocess.run([sys.executable, "-c", PROBE, "validate", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), **env})


@pytest.mark.slow
def test_a_file_checked_again_unchanged_is_not_loaded_and_an_edit_is_seen(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(BRANCHING, folder / "a.yaml")
    shutil.copy(BROKEN, folder / "b.yaml")
    first = _probe(tmp_path, str(folder))
    assert first.returncode == 1 and first.stderr.strip().endswith("loaded")
    again = _probe(tmp_path, str(folder))
    assert (again.returncode, again.stdout) == (1, first.stdout) and again.stderr.strip().endswith("known")
    assert "unknown key 'scirpt'" in again.stdout

    # The broken file mended: read again, and the problem is gone.
    text = (folder / "b.yaml").read_text(encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("scirpt", "script"), encoding="utf-8")
    mended = _probe(tmp_path, str(folder))
    assert (mended.returncode, mended.stdout) == (0, "") and mended.stderr.strip().endswith("loaded")

    # The same bytes under another path: the problems name that path.
    shutil.copy(BROKEN, tmp_path / "elsewhere.yaml")
    moved = _validate(tmp_path, str(tmp_path / "elsewhere.yaml"))
    assert moved.stdout.startswith(f"{tmp_path / 'elsewhere.yaml'}:16:5: error:")

    # Another language: the messages of that language, not the English ones kept.
    spanish = _validate(tmp_path, str(folder / "a.yaml"), str(tmp_path / "elsewhere.yaml"), ROLEPLAY_LANGUAGE="es")
    assert spanish.returncode == 1 and "unknown key" not in spanish.stdout and ":16:5: error:" in spanish.stdout

    cache = tmp_path / "cache" / "roleplay" / "validate.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600 and stat.S_IMODE(cache.parent.stat().st_mode) == 0o700


def test_another_program_version_or_a_damaged_cache_means_reading_the_files_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    known = KnownProblems()
    expected = known.of(BROKEN)
    known.save()
    cache = tmp_path / "cache" / "roleplay" / "validate.json"
    kept = json.loads(cache.read_text(encoding="utf-8"))
    assert len(kept["rows"]) == 1

    # Rules that changed (another fingerprint): nothing kept is trusted.
    row = next(iter(kept["rows"]))
    kept["rows"][row] = []
    cache.write_text(json.dumps({**kept, "fingerprint": "another version"}), encoding="utf-8")
    assert KnownProblems().of(BROKEN) == expected
    # Same fingerprint, rows that are not what this program writes: read again, no traceback.
    for damaged in ([["x"]], "text", [[1, "two", 3, "error", "m"]]):
        cache.write_text(json.dumps({**kept, "rows": {row: damaged}}), encoding="utf-8")
        assert KnownProblems().of(BROKEN) == expected
    for damaged in ("{not json", "[]", '{"fingerprint": 1, "rows": []}'):
        cache.write_text(damaged, encoding="utf-8")
        assert KnownProblems().of(BROKEN) == expected
    # A file that cannot be read is said so, and nothing about it is kept.
    unreadable = tmp_path / "gone.yaml"
    assert "no such file" in KnownProblems().of(unreadable)[0].message

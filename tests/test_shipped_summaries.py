"""What a first `roleplay list` and the app's library show of the built-in scenarios before loading any
(scenarios/summaries.json, written by `make docs`; core/library_cache.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from roleplay.core.library_cache import SHIPPED_NAME, cached, summaries
from roleplay.docs_export import shipped_summaries
from tests.conftest import DATA, SCENARIOS


def test_the_shipped_summaries_are_those_of_the_scenarios_as_they_are():
    assert (SCENARIOS / SHIPPED_NAME).read_text(encoding="utf-8") == shipped_summaries(SCENARIOS), (
        "scenarios/summaries.json is stale: run `make docs`")


def test_a_first_list_uses_them_without_loading_any_scenario(tmp_path):
    probe = ("import sys; from roleplay.cli import main; code = main(['list', '--format', 'json']); "
             "print('loaded' if 'pydantic' in sys.modules else 'shipped', file=sys.stderr); sys.exit(code)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "empty-cache"), "ROLEPLAY_SCENARIOS": str(tmp_path / "none")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0 and done.stderr.strip() == "shipped", done.stderr
    listed = {row["id"] for row in json.loads(done.stdout)}
    assert listed == {p.stem for p in SCENARIOS.glob("*.yaml")}


def test_a_row_is_used_only_for_the_very_file_it_describes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    shutil.copy(DATA / "valid" / "branching.yaml", builtin / "branching.yaml")
    (builtin / SHIPPED_NAME).write_text(shipped_summaries(builtin), encoding="utf-8")
    files = [(builtin / "branching.yaml", "built-in")]
    assert cached(files)[0]["titles"] == {"en": "Branching test"}

    # One byte changed: the shipped row no longer describes the file, so it is read.
    (builtin / "branching.yaml").write_text((DATA / "valid" / "branching.yaml").read_text().replace(
        "Branching test", "Branching test, edited"), encoding="utf-8")
    assert cached(files) is None
    assert summaries(files)[0]["titles"] == {"en": "Branching test, edited"}
    # A local file of the same name is never described by the built-ins' rows.
    assert cached([(builtin / "branching.yaml", "local")]) is None
    # A damaged shipped file is ignored, never a traceback.
    (builtin / SHIPPED_NAME).write_text("{not json", encoding="utf-8")
    os.remove(tmp_path / "cache" / "roleplay" / "library.json")
    assert cached(files) is None and summaries(files)[0]["ok"]


def test_an_invalid_files_problem_is_listed_in_the_language_in_use_not_the_one_it_was_kept_in(tmp_path):
    from tests.conftest import run_cli

    local = tmp_path / "mine"
    local.mkdir()
    shutil.copy(DATA / "invalid" / "unknown-key.yaml", local / "broken.yaml")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "ROLEPLAY_SCENARIOS": str(local)}
    english = run_cli("list", env=env)
    assert "unknown key 'scirpt'" in english.stdout
    spanish = run_cli("list", env={**env, "ROLEPLAY_LANGUAGE": "es"})
    line = next(line for line in spanish.stdout.splitlines() if "broken.yaml" in line)
    assert "unknown key" not in line and ":16:5:" in line, line
    assert "unknown key 'scirpt'" in run_cli("list", env=env).stdout  # and back

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import tempfile

import pytest

# Tests never read or write the user's own cache of scenario summaries.
CACHE_HOME = tempfile.mkdtemp(prefix="roleplay-test-cache-")
os.environ["XDG_CACHE_HOME"] = CACHE_HOME

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def branching():
    from roleplay.core.loader import load_scenario

    result = load_scenario(DATA / "valid" / "branching.yaml")
    assert result.ok, result.problems
    return result.scenario


@pytest.fixture
def clock():
    from roleplay.core.clock import FakeClock

    return FakeClock()


def pytest_collection_modifyitems(config, items):
    """Mark tests by folder: tests/ui -> ui, tests/video -> video (`slow` is set by decorator)."""
    folders = {ROOT / "tests" / "ui": pytest.mark.ui, ROOT / "tests" / "video": pytest.mark.video}
    for item in items:
        path = Path(str(item.path))
        for folder, mark in folders.items():
            if path.is_relative_to(folder):
                item.add_marker(mark)


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m roleplay ARGS` in a subprocess, as a user would run it."""
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "roleplay", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
    )

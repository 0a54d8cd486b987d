"""Shared set-up for the UI tests: private config/recordings folders, UTC, a frozen clock."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from . import fast_textual  # noqa: F401  less waiting and less repeated work in Textual (what and why: there)

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = ROOT / "scenarios"
BRANCHING = ROOT / "tests" / "data" / "valid" / "branching.yaml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def ui_env(tmp_path, monkeypatch):
    """Every test gets its own config, recordings and local-scenarios folders, and UTC."""
    config = tmp_path / "config"
    recordings = tmp_path / "recordings"
    local = tmp_path / "local-scenarios"
    local.mkdir()
    monkeypatch.setenv("ROLEPLAY_CONFIG", str(config))
    # The pre-session checklist (shown before the first session of a day) is tested on its own: off here.
    from roleplay.ui.settings import PRE_SESSION, save_setting

    save_setting(PRE_SESSION, "off", config / "settings.json")
    monkeypatch.setenv("ROLEPLAY_RECORDINGS", str(recordings))
    monkeypatch.setenv("ROLEPLAY_SCENARIOS", str(local))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # saved trainer's scripts
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    fast_textual.forget_dispatch_plans()  # a handler this test replaces on a class is found
    yield {"config": config, "recordings": recordings, "local": local}


@pytest.fixture
def fixed_library(tmp_path, monkeypatch):
    """A library that does not move while others edit scenarios/: branching as built-in, one broken local file."""
    monkeypatch.chdir(tmp_path)  # problems then name files relative to here, the same on every run
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    shutil.copy(BRANCHING, builtin / "branching.yaml")
    monkeypatch.setattr("roleplay.core.library.builtin_dir", lambda: builtin)
    local = Path(os.environ["ROLEPLAY_SCENARIOS"])
    shutil.copy(DATA / "broken.yaml", local / "broken.yaml")
    return builtin


@pytest.fixture
def bare_library(monkeypatch):
    """For tests that go straight into a session and never back to the library: the library below stays
    as first drawn (no filters, no preview, no scenarios read in a worker, which `settle` waits for).
    About a tenth of a second of CPU per app; a test that does go back finds an empty library."""
    from roleplay.ui.screens.library import LibraryScreen

    async def stay_bare(self) -> None:
        return None

    monkeypatch.setattr(LibraryScreen, "_mount_rest", stay_bare)


def builtin_scenarios() -> list[Path]:
    return sorted(BUILTIN.glob("*.yaml"))


def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests in a fresh event loop (no pytest-asyncio needed)."""
    import asyncio
    import inspect

    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = {name: pyfuncitem.funcargs[name] for name in names}
        asyncio.run(pyfuncitem.obj(**kwargs))
        return True
    return None

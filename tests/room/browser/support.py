"""Finding the Chromium the browser tests drive, and what happens without one.

`ROLEPLAY_CHROMIUM` names the executable; else `chromium` (Debian's package) or `chromium-browser`
on the PATH. Without one the browser tests are skipped, and `make test` says so at the end
(tests/conftest.py's terminal summary). CI sets `ROLEPLAY_REQUIRE_BROWSER=1` (.ci/run): there a
missing Chromium, or a missing Playwright, fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

SKIP_REASON = "browser tests skipped: no chromium (apt-get install chromium)"
NO_PLAYWRIGHT = "browser tests skipped: no playwright (pip install -e '.[test]')"
REQUIRE_ENV = "ROLEPLAY_REQUIRE_BROWSER"
CHROMIUM_ENV = "ROLEPLAY_CHROMIUM"
ARTIFACTS_ENV = "ROLEPLAY_ARTIFACTS"


def find_chromium() -> str | None:
    given = os.environ.get(CHROMIUM_ENV)
    if given is not None:
        path = shutil.which(given)
        return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def artifacts_dir() -> Path:
    """Where the screenshots go: `$ROLEPLAY_ARTIFACTS/room-screenshots`, else a folder in the temp dir."""
    base = os.environ.get(ARTIFACTS_ENV)
    root = Path(base) if base else Path(tempfile.gettempdir()) / "roleplay-artifacts"
    folder = root / "room-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if find_chromium() is None:
        return SKIP_REASON
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return NO_PLAYWRIGHT
    return None


def skip_or_fail(reason: str, *, module: bool = False) -> None:
    """Skip (the whole module, at import), or fail when CI requires the browser tests."""
    import pytest

    if browser_required():
        what = reason.removeprefix("browser tests skipped: ")
        pytest.fail(f"{what}: {REQUIRE_ENV} is set (CI), so the browser tests must run", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


def skip_module_without_chromium() -> None:
    """Call at the top of a browser test module."""
    reason = unavailable_reason()
    if reason is not None:
        skip_or_fail(reason, module=True)

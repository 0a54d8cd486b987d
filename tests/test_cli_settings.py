"""Configuration in one module (roleplay.core.settings): paths, environment variables, private folders."""

from __future__ import annotations

import os
import re
import stat

from roleplay.core import settings
from tests.conftest import ROOT, run_cli

# Modules that still read the environment or the home folder themselves; they belong to other
# parts of the tree and are to ask roleplay.core.settings. No other module may start doing it.
NOT_YET_SWITCHED: set[str] = set()
READS = re.compile(r"os\.environ|os\.getenv|XDG_[A-Z]+_HOME|Path\.home\(\)|expanduser\(")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_only_settings_reads_the_environment():
    readers = set()
    for path in sorted((ROOT / "roleplay").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name != "roleplay/core/settings.py" and READS.search(path.read_text()):
            readers.add(name)
    assert readers - NOT_YET_SWITCHED == set()


def test_the_readme_lists_every_environment_variable():
    readme = (ROOT / "README.md").read_text()
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, re.M))
    assert rows == {v.name for v in settings.VARIABLES}
    used = set(re.findall(r'"((?:ROLEPLAY|XDG)_[A-Z_]+)"', (ROOT / "roleplay" / "core" / "settings.py").read_text()))
    assert used <= rows


def test_folders_follow_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("ROLEPLAY_RECORDINGS", "ROLEPLAY_CONFIG", "ROLEPLAY_SCENARIOS", "ROLEPLAY_COUNTRY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert settings.recordings_root() == tmp_path / "data" / "roleplay" / "recordings"
    assert settings.config_dir() == tmp_path / "config" / "roleplay"
    assert settings.library_cache_path() == tmp_path / "cache" / "roleplay" / "library.json"
    assert settings.scenarios_dir() == tmp_path / "scenarios"
    assert settings.default_country() == "GB"
    (tmp_path / "recordings").mkdir()
    assert settings.recordings_root() == settings.Path("recordings")  # a checkout's own folder
    monkeypatch.setenv("ROLEPLAY_RECORDINGS", str(tmp_path / "mine"))
    monkeypatch.setenv("ROLEPLAY_CONFIG", str(tmp_path / "conf"))
    monkeypatch.setenv("ROLEPLAY_SCENARIOS", "elsewhere")
    monkeypatch.setenv("ROLEPLAY_COUNTRY", "es")
    assert settings.recordings_root() == tmp_path / "mine"
    assert settings.config_dir() == tmp_path / "conf"
    assert settings.scenarios_dir() == tmp_path / "elsewhere"
    assert settings.default_country() == "ES"
    monkeypatch.setenv("ROLEPLAY_RECORDINGS", "")  # empty is unset
    assert settings.recordings_root() == settings.Path("recordings")


def test_private_dir_makes_0700_folders_and_leaves_existing_ones_alone(tmp_path):
    old = os.umask(0o022)
    try:
        shared = tmp_path / "shared"
        shared.mkdir(mode=0o755)
        os.chmod(shared, 0o755)
        made = settings.private_dir(shared / "a" / "b")
        assert made.is_dir()
        assert _mode(shared / "a") == 0o700 and _mode(shared / "a" / "b") == 0o700
        assert _mode(shared) == 0o755  # not ours: untouched
        settings.private_dir(shared)
        assert _mode(shared) == 0o755
    finally:
        os.umask(old)
    (tmp_path / "file").write_text("")
    try:
        settings.private_dir(tmp_path / "file")
    except OSError:
        pass
    else:
        raise AssertionError("a file is not a folder")


def test_the_library_cache_is_private(tmp_path):
    cache = tmp_path / "cache"
    result = run_cli("list", env={"XDG_CACHE_HOME": str(cache)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _mode(cache) == 0o700 and _mode(cache / "roleplay") == 0o700
    assert _mode(cache / "roleplay" / "library.json") == 0o600
    assert [p.name for p in (cache / "roleplay").iterdir()] == ["library.json"]  # no temporary file left

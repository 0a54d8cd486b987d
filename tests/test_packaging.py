"""`pip install .` ships the built-in scenarios: `roleplay list` works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_carries_the_scenarios_and_list_works_from_anywhere(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("roleplay-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    for scenario in ("guess-who", "ideal-helper", "grow-coaching", "crisis-conversation", "peer-drift"):
        assert f"roleplay/builtin_scenarios/{scenario}.yaml" in names
    assert "roleplay/builtin_scenarios/resources/GB.yaml" in names
    assert "roleplay/schema/scenario.schema.json" in names
    assert "roleplay/pages/templates/trainer_script.html" in names  # the printable trainer's script
    # The message catalogues: the template, and each translation with its compiled .mo (read with gettext at run time).
    assert "roleplay/locale/roleplay.pot" in names
    for po in sorted((ROOT / "roleplay" / "locale").glob("*/LC_MESSAGES/roleplay.po")):
        where = po.relative_to(ROOT).as_posix()
        assert where in names and where[:-3] + ".mo" in names, f"{where} and its .mo are not in the wheel"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    listed = subprocess.run([sys.executable, "-m", "roleplay", "list"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "crisis-conversation" in listed.stdout and "built-in" in listed.stdout
    where = subprocess.run(
        [sys.executable, "-c", "from roleplay.core.library import builtin_dir; print(builtin_dir())"],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert where.stdout.strip() == str(site / "roleplay" / "builtin_scenarios")

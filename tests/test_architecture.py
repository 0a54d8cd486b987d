"""The core never imports the UI or video libraries (nor does the CLI until a command needs them).

Two checks: importing every core module must not load a heavy library (at run time, whatever the
route), and the import-linter contract in pyproject.toml (static, names the offending line).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CHECK = """
import importlib, pkgutil, sys
import roleplay.core
for info in pkgutil.iter_modules(roleplay.core.__path__, "roleplay.core."):
    importlib.import_module(info.name)
import roleplay.cli
roleplay.cli.build_parser()
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "cv2", "av", "miniaudio", "pyrage"))
print(",".join(bad))
"""

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_core_and_cli_import_neither_textual_nor_cv2():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_the_check_would_catch_a_heavy_import():
    out = subprocess.run([sys.executable, "-c", "import cv2\n" + CHECK], capture_output=True, text=True, cwd=ROOT)
    assert "cv2" in out.stdout


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], capture_output=True, text=True, cwd=root)


def test_the_import_contract_is_kept():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 kept, 0 broken" in out.stdout


def test_the_import_contract_would_catch_core_importing_textual_or_the_ui(tmp_path):
    """The contract is not vacuous: a copy of the package whose core imports textual and the UI breaks it."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "roleplay", tmp_path / "roleplay", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "roleplay" / "core" / "_offender.py").write_text("import textual\nimport roleplay.ui.app\n")
    out = lint_imports(tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "BROKEN" in out.stdout
    assert "roleplay.core._offender -> textual" in out.stdout
    assert "roleplay.core._offender -> roleplay.ui" in out.stdout

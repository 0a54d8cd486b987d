"""The core never imports the UI or video libraries (nor does the CLI until a command needs them)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CHECK = """
import importlib, pkgutil, sys
import roleplay.core
for info in pkgutil.iter_modules(roleplay.core.__path__, "roleplay.core."):
    importlib.import_module(info.name)
import roleplay.cli, roleplay.report_commands
roleplay.cli.build_parser()
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "cv2", "av", "miniaudio", "pyrage"))
print(",".join(bad))
"""


def test_core_and_cli_import_neither_textual_nor_cv2():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_the_check_would_catch_a_heavy_import():
    out = subprocess.run([sys.executable, "-c", "import cv2\n" + CHECK], capture_output=True, text=True, cwd=ROOT)
    assert "cv2" in out.stdout

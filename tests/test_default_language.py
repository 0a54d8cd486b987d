"""`ROLEPLAY_LANGUAGE` chooses the program's words outside a session; anything but a language code is English."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow


def validate(language: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ROLEPLAY_LANGUAGE"}
    if language is not None:
        env["ROLEPLAY_LANGUAGE"] = language
    done = subprocess.run([sys.executable, "-m", "roleplay", "validate", str(SCENARIOS / "guess-who.yaml")],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_the_default_language_comes_from_roleplay_language_only():
    english = validate(None)
    assert "1 file(s) checked" in english
    spanish = validate("es")
    assert spanish != english and "archivo" in spanish
    assert validate("../../etc") == english  # not a language code: never a folder to look in

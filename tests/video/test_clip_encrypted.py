"""A clip of an encrypted recording is refused unless asked for in plain (--plain), and then warned about."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli
from tests.conftest import PASSPHRASE as PASS



def _env(**extra: str) -> dict:
    values = {k: v for k, v in os.environ.items() if k != "ROLEPLAY_PASSPHRASE"}
    values.update(extra)
    return values


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory):
    """A second of synthetic video recorded with --encrypt, its passphrase from a file."""
    root = tmp_path_factory.mktemp("clip-encrypted")
    secret = root / "pass.txt"
    secret.write_text(PASS + "\n")
    os.chmod(secret, 0o600)
    out = root / "recordings"
    result = run_cli("record", "--source", "synthetic:96x64@15", "--audio", "synthetic", "--seconds", "1",
                     "--out", str(out), "--consent-all", "--encrypt", "--passphrase-file", str(secret), env=_env())
    assert result.returncode == 0, result.stderr
    folder = next(out.iterdir())
    assert (folder / "video" / "key.age").is_file() and (folder / "recipient.txt").is_file()  # video and log
    return folder, secret


@pytest.mark.slow
def test_a_clip_of_an_encrypted_recording_is_refused_without_plain(encrypted, tmp_path):
    folder, _ = encrypted
    out = tmp_path / "moment.mp4"
    result = run_cli("clip", str(folder), "--from", "0", "--to", "0.5", "-o", str(out),
                     env=_env(ROLEPLAY_PASSPHRASE=PASS))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("roleplay: error: ")
    assert "this recording is encrypted; the clip would not be: add --plain" in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.slow
def test_a_plain_clip_of_an_encrypted_recording_is_written_with_a_warning(encrypted, tmp_path):
    folder, secret = encrypted
    out = tmp_path / "moment.mkv"
    result = run_cli("clip", str(folder), "--from", "0", "--to", "0.5", "-o", str(out), "--plain",
                     "--passphrase-file", str(secret), env=_env())
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 0 and "wrote" in result.stdout
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert "warning:" in result.stderr and "not encrypted" in result.stderr and str(out) in result.stderr

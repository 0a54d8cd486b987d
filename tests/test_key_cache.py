"""The test suite's key cache (roleplay/core/sealing.py, "Test suite only") never touches a user's program.

tests/conftest.py lets sealed sessions of one run share their passphrase-wrapped keys, because each
scrypt costs about a second. These tests check the other side: without that private, marked folder
every key is new and every wrap and unwrap pays age's full scrypt; and even with it a wrong passphrase
is refused by age itself, never by a remembered answer.
"""

from __future__ import annotations

import os
import re

import pyrage
import pytest
from pyrage import passphrase as age_passphrase

from roleplay.core import sealing
from roleplay.core.folder import SessionFolder
from roleplay.core.sealing import TEST_KEY_CACHE_ENV, TEST_KEY_CACHE_MARK

PASS = "correct horse battery"


@pytest.fixture
def scrypt_calls(monkeypatch):
    """Counts the real scrypt wraps and unwraps (pyrage's passphrase mode) while calling through."""
    calls = {"encrypt": 0, "decrypt": 0}

    def counted(name):
        real = getattr(age_passphrase, name)

        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    for name in calls:
        monkeypatch.setattr(age_passphrase, name, counted(name))
    return calls


def _cache(tmp_path, name="keys"):
    folder = tmp_path / name
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)
    (folder / TEST_KEY_CACHE_MARK).touch()
    return folder


def test_the_suite_runs_with_its_cache_and_nothing_else_counts_as_one(tmp_path, monkeypatch):
    assert sealing.suite_key_cache() is not None  # set up by tests/conftest.py for the whole run
    monkeypatch.delenv(TEST_KEY_CACHE_ENV)
    assert sealing.suite_key_cache() is None
    good = _cache(tmp_path)
    monkeypatch.setenv(TEST_KEY_CACHE_ENV, str(good))
    assert sealing.suite_key_cache() == good

    unmarked = tmp_path / "unmarked"
    unmarked.mkdir(mode=0o700)
    shared = _cache(tmp_path, "shared")
    os.chmod(shared, 0o755)
    link = tmp_path / "link"
    link.symlink_to(good)
    a_file = tmp_path / "file"
    a_file.write_text("")
    for folder in (unmarked, shared, link, a_file, tmp_path / "missing"):
        monkeypatch.setenv(TEST_KEY_CACHE_ENV, str(folder))
        assert sealing.suite_key_cache() is None, folder
    os.chmod(shared, 0o700)
    (shared / TEST_KEY_CACHE_MARK).unlink()
    (shared / TEST_KEY_CACHE_MARK).mkdir()  # the mark must be a file
    monkeypatch.setenv(TEST_KEY_CACHE_ENV, str(shared))
    assert sealing.suite_key_cache() is None


@pytest.mark.slow
def test_without_the_cache_every_key_is_new_and_costs_the_full_scrypt(tmp_path, monkeypatch, scrypt_calls):
    monkeypatch.delenv(TEST_KEY_CACHE_ENV)
    folder = SessionFolder(tmp_path / "session")
    folder.path.mkdir()
    sealer, _ = sealing.create_keys(folder, PASS)
    assert scrypt_calls == {"encrypt": 1, "decrypt": 0}
    wrapped = folder.log_key.read_bytes()
    # age's own file at age's own work factor: it calibrates to about a second, never under 2^10.
    stanza = re.search(rb"^-> scrypt \S+ (\d+)$", wrapped, re.M)
    assert stanza and int(stanza.group(1)) >= 10, wrapped[:120]

    opener = sealing.opener_for(folder, PASS)  # unwrapped by age again, not remembered
    assert scrypt_calls == {"encrypt": 1, "decrypt": 1}
    assert opener.open(sealer.seal(b"Benedikt"), "here") == b"Benedikt"
    # A second key goes to age again, with its own new secret, not to anything remembered. Age's work
    # factor was shown above; here the call is only recorded (a real one is another second of scrypt).
    given = []
    monkeypatch.setattr(age_passphrase, "encrypt", lambda data, passphrase: given.append((data, passphrase)) or b"age's")
    identity, wrapped_again = sealing.wrap_new_identity(PASS, "log")
    assert given == [(str(identity).encode("ascii"), PASS)] and wrapped_again == b"age's"
    assert str(identity.to_public()) != folder.log_recipient.read_text().strip()
    assert scrypt_calls == {"encrypt": 1, "decrypt": 1}  # the real ones: the first wrap and the unwrap


@pytest.mark.slow
def test_with_the_cache_a_wrong_passphrase_still_meets_the_real_scrypt(tmp_path, monkeypatch, scrypt_calls):
    monkeypatch.setenv(TEST_KEY_CACHE_ENV, str(_cache(tmp_path)))
    identity, wrapped = sealing.wrap_new_identity(PASS, "log")
    again, wrapped_again = sealing.wrap_new_identity(PASS, "log")
    assert (str(again), wrapped_again) == (str(identity), wrapped)
    assert scrypt_calls == {"encrypt": 1, "decrypt": 0}  # one real wrap, shared
    assert sealing.unwrap_secret(wrapped, PASS) == str(identity).encode()
    assert scrypt_calls == {"encrypt": 1, "decrypt": 0}  # remembered from the wrap
    with pytest.raises(pyrage.DecryptError):
        sealing.unwrap_secret(wrapped, "not the passphrase at all")
    assert scrypt_calls == {"encrypt": 1, "decrypt": 1}  # refused by age itself, and not remembered
    assert sorted(p.name.split("-")[0] for p in _cache_files(tmp_path / "keys")) == ["identity", "unwrap"]


def _cache_files(folder):
    return [p for p in folder.iterdir() if p.name != TEST_KEY_CACHE_MARK]

"""Sealing a session log with a passphrase (age format, via pyrage).

Each session gets its own X25519 key pair. The public half
(`recipient.txt`) is all a writer needs, so the app, the recorder and the
room can append without holding any secret; the secret half (`key.age`) is
wrapped with the passphrase (age's scrypt mode) and is unwrapped only to read
the log back (resume, report, replay). scrypt costs about a second, so it is
paid once per reading, not once per line.

Every wrap and unwrap of a secret key with a passphrase, here and for the
video (roleplay/video/crypto.py), goes through `wrap_new_identity` and
`unwrap_secret`. The test suite alone may have them share keys through a
cache (see "Test suite only" below); a user's program always pays the full
scrypt cost.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from roleplay.core.folder import SessionFolder, write_private_bytes
from roleplay.core.i18n import _

MIN_PASSPHRASE = 12


class SealingError(Exception):
    """A passphrase that is too short or wrong, or a missing or damaged key; the message says which."""


class WrongPassphrase(SealingError):
    """The passphrase does not open the key (worth asking again; its message is translated, so callers test the kind)."""


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase that is too short to protect people's data."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealingError(_("a passphrase needs at least {least} characters (this one has {count})").format(
            least=MIN_PASSPHRASE, count=len(passphrase)))


class Sealer:
    """Encrypts log lines to the session's public key."""

    def __init__(self, recipient: Any):  # a pyrage x25519.Recipient
        self.recipient = recipient

    def seal(self, plain: bytes) -> bytes:
        import pyrage  # imported only when a session is encrypted: it costs start-up time

        return bytes(pyrage.encrypt(plain, [self.recipient]))


class Opener:
    """Decrypts what a `Sealer` of the same session wrote."""

    def __init__(self, identity: Any):  # a pyrage x25519.Identity
        self.identity = identity

    def open(self, sealed: bytes, where: str) -> bytes:
        import pyrage

        from roleplay.core.log import LockedLog

        try:
            return bytes(pyrage.decrypt(sealed, [self.identity]))
        except pyrage.DecryptError:
            raise LockedLog(_("{where}: cannot decrypt this line with the session's key").format(where=where)) from None


def create_keys(folder: SessionFolder, passphrase: str) -> tuple[Sealer, Opener]:
    """Make a new key pair for a session, the secret half wrapped by `passphrase`."""
    check_passphrase(passphrase)
    if folder.log_key.exists() or folder.log_recipient.exists():
        raise SealingError(_("{path} already has a key").format(path=folder.path))
    identity, wrapped = wrap_new_identity(passphrase, "log")
    write_private_bytes(folder.log_key, wrapped)
    write_private_bytes(folder.log_recipient, (str(identity.to_public()) + "\n").encode("ascii"))
    return Sealer(identity.to_public()), Opener(identity)


def sealer_for(folder: SessionFolder) -> Sealer:
    from pyrage import x25519

    try:
        text = folder.log_recipient.read_text(encoding="ascii").strip()
        return Sealer(x25519.Recipient.from_str(text))
    except OSError as exc:
        raise SealingError(_("cannot read {log_recipient}: {strerror}").format(log_recipient=folder.log_recipient, strerror=exc.strerror or exc)) from None
    except Exception:  # noqa: BLE001 - pyrage raises its own kinds
        raise SealingError(_("the key {log_recipient} is damaged").format(log_recipient=folder.log_recipient)) from None


def opener_for(folder: SessionFolder, passphrase: str) -> Opener:
    """Unwrap the session's secret key with the passphrase."""
    import pyrage
    from pyrage import x25519

    path: Path = folder.log_key
    try:
        wrapped = path.read_bytes()
    except FileNotFoundError:
        raise SealingError(_("{path} is not encrypted (it has no {name})").format(path=folder.path, name=path.name)) from None
    except OSError as exc:
        raise SealingError(_("cannot read the key {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
    try:
        secret = unwrap_secret(wrapped, passphrase)
    except pyrage.DecryptError:
        raise WrongPassphrase(_("wrong passphrase for {folder}").format(folder=folder.path)) from None
    try:
        return Opener(x25519.Identity.from_str(secret.decode("ascii").strip()))
    except Exception:  # noqa: BLE001
        raise SealingError(_("the key {path} is damaged").format(path=path)) from None


def opener_if_sealed(folder: SessionFolder, passphrase: str | None) -> Opener | None:
    """The opener a sealed session needs (None for a plain one); LockedLog without a passphrase."""
    if not folder.sealed:
        return None
    if not passphrase:
        from roleplay.core.log import LockedLog

        raise LockedLog(_("{path} is encrypted: give its passphrase to open it").format(path=folder.path))
    return opener_for(folder, passphrase)


# ----- wrapping a secret key with a passphrase (age's scrypt mode) --------------------------


def wrap_new_identity(passphrase: str, purpose: str) -> tuple[Any, bytes]:
    """A new X25519 identity (a pyrage x25519.Identity) and its secret half wrapped with `passphrase`.

    `purpose` ("log", "video") only keeps the test suite's shared keys apart (see below).
    """
    from pyrage import passphrase as age_passphrase
    from pyrage import x25519

    cache = suite_key_cache()
    if cache is not None:
        shared = _cached_identity(cache, passphrase, purpose)
        if shared is not None:
            return shared
    identity = x25519.Identity.generate()
    wrapped = bytes(age_passphrase.encrypt(str(identity).encode("ascii"), passphrase))
    if cache is not None:
        secret = str(identity).encode("ascii")
        _cache_put(cache, _cache_name("identity", passphrase, purpose.encode()),
                   json.dumps({"secret": secret.decode("ascii"), "wrapped": wrapped.hex()}).encode())
        _cache_put(cache, _cache_name("unwrap", passphrase, wrapped), secret)
    return identity, wrapped


def unwrap_secret(wrapped: bytes, passphrase: str) -> bytes:
    """What `wrap_new_identity` wrapped; raises pyrage.DecryptError for a wrong passphrase or damaged data."""
    from pyrage import passphrase as age_passphrase

    cache = suite_key_cache()
    if cache is not None:
        known = _cache_get(cache, _cache_name("unwrap", passphrase, wrapped))
        if known is not None:
            return known
    secret = bytes(age_passphrase.decrypt(wrapped, passphrase))
    if cache is not None:
        _cache_put(cache, _cache_name("unwrap", passphrase, wrapped), secret)
    return secret


# ----- Test suite only: sharing wrapped keys between tests ------------------------------------
#
# age calibrates scrypt to about a second of CPU per wrap and per unwrap, and pyrage offers no
# way to lower that work factor, so a test suite that seals a few dozen sessions would spend
# most of its time in scrypt. tests/conftest.py makes a private folder (0700, owned by the user,
# holding the file TEST_KEY_CACHE_MARK) and names it in $ROLEPLAY_TEST_ONLY_KEY_CACHE; then:
#   - every new key with the same passphrase and purpose is one identity, wrapped once by
#     pyrage for real (the wrapped file on disk is age's own, at age's own work factor);
#   - an unwrap that succeeded once (same wrapped bytes, same passphrase) is remembered.
# A wrong passphrase or damaged key is never remembered: it always goes through pyrage and fails
# there. The folder holds secret keys in plain, so it is never used unless all of the above holds,
# and a user's program, which has no such folder, always takes the full cost (a test checks it).

TEST_KEY_CACHE_ENV = "ROLEPLAY_TEST_ONLY_KEY_CACHE"
TEST_KEY_CACHE_MARK = "roleplay-test-suite-key-cache"


def suite_key_cache() -> Path | None:
    """The test suite's key cache, or None (always, outside the test suite)."""
    from roleplay.core import settings

    value = settings.env(TEST_KEY_CACHE_ENV)
    if value is None:
        return None
    folder = Path(value)
    try:
        info = folder.lstat()
        mark = (folder / TEST_KEY_CACHE_MARK).lstat()
    except OSError:
        return None
    if not (stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.geteuid()
            and stat.S_ISREG(mark.st_mode)):
        return None
    return folder



def _cache_name(kind: str, passphrase: str, data: bytes) -> str:
    digest = hashlib.sha256(kind.encode() + b"\0" + passphrase.encode() + b"\0" + data)
    return f"{kind}-{digest.hexdigest()}"


def _cache_get(cache: Path, name: str) -> bytes | None:
    try:
        return (cache / name).read_bytes()
    except OSError:
        return None


def _cache_put(cache: Path, name: str, data: bytes) -> None:
    """Write whole or not at all: other test processes read the same folder at the same time."""
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=cache)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, cache / name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _cached_identity(cache: Path, passphrase: str, purpose: str) -> tuple[Any, bytes] | None:
    from pyrage import x25519

    data = _cache_get(cache, _cache_name("identity", passphrase, purpose.encode()))
    if data is None:
        return None
    entry = json.loads(data)
    return x25519.Identity.from_str(entry["secret"]), bytes.fromhex(entry["wrapped"])

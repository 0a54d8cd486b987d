"""Sealing a session log with a passphrase (age format, via pyrage).

Each session gets its own X25519 key pair. The public half
(`recipient.txt`) is all a writer needs, so the app, the recorder and the
room can append without holding any secret; the secret half (`key.age`) is
wrapped with the passphrase (age's scrypt mode) and is unwrapped only to read
the log back (resume, report, replay). scrypt costs about a second, so it is
paid once per reading, not once per line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roleplay.core.folder import SessionFolder, write_private_bytes

MIN_PASSPHRASE = 12


class SealingError(Exception):
    """A passphrase that is too short or wrong, or a missing or damaged key; the message says which."""


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase that is too short to protect people's data."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealingError(f"a passphrase needs at least {MIN_PASSPHRASE} characters (this one has {len(passphrase)})")


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
            raise LockedLog(f"{where}: cannot decrypt this line with the session's key") from None


def create_keys(folder: SessionFolder, passphrase: str) -> tuple[Sealer, Opener]:
    """Make a new key pair for a session, the secret half wrapped by `passphrase`."""
    from pyrage import passphrase as age_passphrase
    from pyrage import x25519

    check_passphrase(passphrase)
    if folder.log_key.exists() or folder.log_recipient.exists():
        raise SealingError(f"{folder.path} already has a key")
    identity = x25519.Identity.generate()
    write_private_bytes(folder.log_key, bytes(age_passphrase.encrypt(str(identity).encode("ascii"), passphrase)))
    write_private_bytes(folder.log_recipient, (str(identity.to_public()) + "\n").encode("ascii"))
    return Sealer(identity.to_public()), Opener(identity)


def sealer_for(folder: SessionFolder) -> Sealer:
    from pyrage import x25519

    try:
        text = folder.log_recipient.read_text(encoding="ascii").strip()
        return Sealer(x25519.Recipient.from_str(text))
    except OSError as exc:
        raise SealingError(f"cannot read {folder.log_recipient}: {exc.strerror or exc}") from None
    except Exception:  # noqa: BLE001 - pyrage raises its own kinds
        raise SealingError(f"the key {folder.log_recipient} is damaged") from None


def opener_for(folder: SessionFolder, passphrase: str) -> Opener:
    """Unwrap the session's secret key with the passphrase."""
    import pyrage
    from pyrage import passphrase as age_passphrase
    from pyrage import x25519

    path: Path = folder.log_key
    try:
        wrapped = path.read_bytes()
    except FileNotFoundError:
        raise SealingError(f"{folder.path} is not encrypted (it has no {path.name})") from None
    except OSError as exc:
        raise SealingError(f"cannot read the key {path}: {exc.strerror or exc}") from None
    try:
        secret = age_passphrase.decrypt(wrapped, passphrase)
    except pyrage.DecryptError:
        raise SealingError(f"wrong passphrase for {folder.path}") from None
    try:
        return Opener(x25519.Identity.from_str(bytes(secret).decode("ascii").strip()))
    except Exception:  # noqa: BLE001
        raise SealingError(f"the key {path} is damaged") from None


def opener_if_sealed(folder: SessionFolder, passphrase: str | None) -> Opener | None:
    """The opener a sealed session needs (None for a plain one); LockedLog without a passphrase."""
    if not folder.sealed:
        return None
    if not passphrase:
        from roleplay.core.log import LockedLog

        raise LockedLog(f"{folder.path} is encrypted: give its passphrase to open it")
    return opener_for(folder, passphrase)

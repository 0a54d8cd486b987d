"""Encryption at rest in the age format (pyrage), unlocked by a passphrase.

Each recording session gets its own X25519 key. Only the secret half is
protected by the passphrase (`video/key.age`, age's scrypt passphrase mode),
because scrypt costs about a second of CPU per use: paying it once per
session instead of once per 1.5 s segment keeps recording real-time. The
writer only needs the public half. Segments are encoded in memory and
encrypted before any byte reaches the disk. The passphrase wrap itself is
roleplay.core.sealing's, shared with the session log.
"""

from __future__ import annotations

from pathlib import Path

import pyrage
from pyrage import x25519

from roleplay.core.folder import VIDEO_KEY_NAME
from roleplay.core.i18n import _
from roleplay.core.sealing import unwrap_secret, wrap_new_identity
from roleplay.video.files import read_regular, write_private

KEY_NAME = VIDEO_KEY_NAME
MAX_KEY_BYTES = 64 * 1024  # a wrapped key is a few hundred bytes


class CryptoError(Exception):
    """Wrong passphrase, missing key or damaged data; the message says which."""


class WrongPassphrase(CryptoError):
    """The passphrase does not open the recording's key (worth asking again; callers test the kind, not the words)."""


def key_path(video_dir: Path) -> Path:
    return Path(video_dir) / KEY_NAME


def unlock_or_create(video_dir: Path, passphrase: str) -> x25519.Identity:
    """The session's key: made on first use, later unlocked with the same passphrase."""
    path = key_path(video_dir)
    if path.exists() or path.is_symlink():
        return unlock(video_dir, passphrase)
    if not passphrase:
        raise CryptoError(_("an empty passphrase cannot protect a recording"))
    identity, wrapped = wrap_new_identity(passphrase, "video")
    write_private(path, wrapped)
    return identity


def unlock(video_dir: Path, passphrase: str) -> x25519.Identity:
    path = key_path(video_dir)
    try:
        wrapped = read_regular(path, MAX_KEY_BYTES)  # never through a link, never a device
    except FileNotFoundError:
        raise CryptoError(_("no key at {path}: this recording is not encrypted or its key was removed").format(path=path)) from None
    except OSError as exc:
        raise CryptoError(_("cannot read the key {path}: {strerror}").format(path=path, strerror=exc.strerror or exc)) from None
    try:
        secret = unwrap_secret(wrapped, passphrase)
    except pyrage.DecryptError:
        raise WrongPassphrase(_("wrong passphrase for the recording in {folder}").format(folder=path.parent)) from None
    try:
        return x25519.Identity.from_str(secret.decode("ascii").strip())
    except Exception:  # noqa: BLE001 - pyrage raises its own kinds
        raise CryptoError(_("the key {path} is damaged").format(path=path)) from None


def encrypt(data: bytes, recipient: x25519.Recipient) -> bytes:
    return pyrage.encrypt(data, [recipient])


def decrypt(data: bytes, identity: x25519.Identity, where: Path) -> bytes:
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        raise CryptoError(_("cannot decrypt {where}: {exc}").format(where=where, exc=exc)) from None

"""The platform's signing keys for checkpoints, kept as files under
``$YUNTAN_DATA_DIR/keys/`` (``settings.YUNTAN_LEDGER_KEYS_DIR`` when set):

- ``<key id>.key.pem``: a private key (mode 0600), present only for the current key;
- ``<key id>.pub.pem``: every public key ever used, so old checkpoints still verify;
- ``current``: the id of the key that signs new checkpoints.

A key's id is the SHA-256 fingerprint of its raw public key (computed from the file, never
trusted from its name). Rotation makes a new current key and removes the old private key:
a retired key can no longer sign.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from yuntan.ledger.checkpoint import key_id, load_public_key_pem, public_key_pem


class NoSigningKey(Exception):
    """No current signing key: run ``yuntan manage ledger_keys --generate``."""


@dataclass(frozen=True)
class PublicKey:
    id: str
    pem: str
    current: bool


def passphrase() -> bytes | None:
    """The passphrase of private signing keys (``YUNTAN_KEY_PASSPHRASE``), if set."""
    text = getattr(settings, "YUNTAN_KEY_PASSPHRASE", "")
    return text.encode() if text else None


def keys_dir() -> Path:
    configured = getattr(settings, "YUNTAN_LEDGER_KEYS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys"


def _write_private(path: Path, data: bytes) -> None:
    """Create the file with mode 0600 from the start (no window where others may read)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def current_key_id() -> str | None:
    marker = keys_dir() / "current"
    return marker.read_text().strip() if marker.exists() else None


def generate_key() -> str:
    """Make a new key pair, make it current and return its id. The previous current
    key's private half is removed; its public half stays listed."""
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    previous = current_key_id()
    private = Ed25519PrivateKey.generate()
    new_id = key_id(private.public_key())
    secret = passphrase()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(secret) if secret
        else serialization.NoEncryption())
    _write_private(directory / f"{new_id}.key.pem", private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    (directory / f"{new_id}.pub.pem").write_text(public_key_pem(private.public_key()))
    temporary = directory / "current.tmp"
    temporary.write_text(new_id + "\n")
    temporary.replace(directory / "current")
    if previous and previous != new_id:
        (directory / f"{previous}.key.pem").unlink(missing_ok=True)
    return new_id


def signing_key() -> Ed25519PrivateKey:
    """The current private key."""
    current = current_key_id()
    path = keys_dir() / f"{current}.key.pem"
    if not current or not path.exists():
        raise NoSigningKey("没有签名密钥，请运行 yuntan manage ledger_keys --generate / no "
                           "signing key: run `yuntan manage ledger_keys --generate`")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase())
    except TypeError as exc:  # encrypted without a passphrase, or one given for a plain key
        raise NoSigningKey(
            "签名私钥与 YUNTAN_KEY_PASSPHRASE 不符（缺少或多余）/ the signing key and "
            f"YUNTAN_KEY_PASSPHRASE do not match (missing or not needed): {exc}") from exc
    except ValueError as exc:
        raise NoSigningKey("无法用 YUNTAN_KEY_PASSPHRASE 解密签名私钥 / the signing key cannot "
                           f"be decrypted with YUNTAN_KEY_PASSPHRASE: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise NoSigningKey(f"{path} is not an Ed25519 private key")
    return key


def public_keys() -> list[PublicKey]:
    """Every public key, the current one first."""
    current = current_key_id()
    found = []
    for path in sorted(keys_dir().glob("*.pub.pem")):
        pem = path.read_text()
        found.append(PublicKey(key_id(load_public_key_pem(pem)), pem, False))
    found = [PublicKey(k.id, k.pem, k.id == current) for k in found]
    return sorted(found, key=lambda k: not k.current)


def public_key_map() -> dict[str, Ed25519PublicKey]:
    return {k.id: load_public_key_pem(k.pem) for k in public_keys()}

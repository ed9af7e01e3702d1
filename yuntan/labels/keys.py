"""The certification body's Ed25519 keys: generate, serialise, load, fingerprint, rotate.

A key directory holds one ``<key_id>.key`` (private, PKCS#8 PEM, mode 0600) and one
``<key_id>.pub`` (public, SubjectPublicKeyInfo PEM) per key, and a ``current`` file naming
the key that signs new labels. Rotation adds a key and moves ``current``; old public keys
stay so labels signed before the rotation still verify.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yuntan.labels.errors import KeyNotFound, UnreadableLabel

KEYS_FORMAT = "yuntan-label-keys/1"
CURRENT = "current"


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def fingerprint(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The key id: SHA-256 (hex) of the 32-byte raw public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def private_key_pem(key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password
        else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             encryption)


def public_key_pem(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_private_key(pem: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password)
    except (ValueError, TypeError) as exc:
        raise UnreadableLabel(f"not a PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UnreadableLabel("the private key is not an Ed25519 key")
    return key


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise UnreadableLabel(f"not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise UnreadableLabel("the public key is not an Ed25519 key")
    return key


def write_key_pair(directory: Path, key: Ed25519PrivateKey,
                   password: bytes | None = None) -> str:
    """Write ``key`` into ``directory`` (private file mode 0600, never overwritten);
    return its key id."""
    directory.mkdir(parents=True, exist_ok=True)
    key_id = fingerprint(key)
    # O_EXCL with mode 0600: the private key is never readable by others, not even
    # between creation and a later chmod, and an existing key is never replaced.
    fd = os.open(directory / f"{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(private_key_pem(key, password))
    (directory / f"{key_id}.pub").write_text(public_key_pem(key), encoding="ascii")
    return key_id


def rotate_key(directory: Path, password: bytes | None = None) -> str:
    """Generate a new signing key in ``directory`` and make it current; the old keys
    stay (their public halves verify the labels they signed). Returns the new key id."""
    key_id = write_key_pair(directory, generate_key(), password)
    (directory / CURRENT).write_text(key_id + "\n", encoding="ascii")
    return key_id


def current_key_id(directory: Path) -> str:
    try:
        return (directory / CURRENT).read_text(encoding="ascii").strip()
    except FileNotFoundError as exc:
        raise KeyNotFound(f"no current signing key in {directory}") from exc


def load_signing_key(directory: Path, password: bytes | None = None) -> Ed25519PrivateKey:
    """The current private key of ``directory``."""
    key_id = current_key_id(directory)
    try:
        pem = (directory / f"{key_id}.key").read_bytes()
    except FileNotFoundError as exc:
        raise KeyNotFound(f"the current key {key_id} has no private key file") from exc
    return load_private_key(pem, password)


def load_public_keys(directory: Path) -> dict[str, Ed25519PublicKey]:
    """Every public key of ``directory`` (current and rotated out), by key id."""
    keys = {}
    for path in sorted(directory.glob("*.pub")):
        key = load_public_key(path.read_bytes())
        keys[fingerprint(key)] = key
    return keys


def published_keys_json(keys: Mapping[str, Ed25519PublicKey]) -> str:
    """The public key list the platform publishes (``/labels/keys.json``)."""
    return json.dumps({
        "format": KEYS_FORMAT,
        "keys": [{"key_id": key_id, "public_key_pem": public_key_pem(key)}
                 for key_id, key in sorted(keys.items())],
    }, indent=2)


def read_published_keys(text: str | bytes) -> dict[str, Ed25519PublicKey]:
    """Read a published key list; a key whose id is not its fingerprint is refused."""
    try:
        data = json.loads(text)
        if data.get("format") != KEYS_FORMAT:
            raise UnreadableLabel(f"not a label key list (format {data.get('format')!r})")
        entries = [(str(e["key_id"]), load_public_key(e["public_key_pem"]))
                   for e in data["keys"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnreadableLabel(f"unreadable key list: {exc}") from exc
    for key_id, key in entries:
        if fingerprint(key) != key_id:
            raise UnreadableLabel(f"key list entry {key_id} does not match its key")
    return dict(entries)


def load_key_source(path: Path) -> dict[str, Ed25519PublicKey]:
    """Public keys from a key directory (``*.pub``), a published key list (JSON) or one
    PEM public key file."""
    if path.is_dir():
        return load_public_keys(path)
    data = path.read_bytes()
    if data.lstrip().startswith(b"{"):
        return read_published_keys(data)
    key = load_public_key(data)
    return {fingerprint(key): key}

"""Checkpoints: a Merkle root over a run of new entries, chained to the previous checkpoint
and signed with the platform's Ed25519 key over its JCS bytes. Published as a small JSON
file, a checkpoint fixes the entries it covers: a later change, removal or addition in that
range no longer matches its root.

A key is named by its id, the SHA-256 fingerprint (hex) of its raw 32-byte public key, so
checkpoints signed before a key rotation still verify with the retired public key.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yuntan.ledger.canonical import canonical_json, sha256_hex
from yuntan.ledger.chain import FIRST_SEQUENCE, GENESIS_HASH, Entry, Problem
from yuntan.ledger.merkle import merkle_root

ALGORITHM = "Ed25519"
CANONICALIZATION = "RFC8785"


@dataclass(frozen=True)
class Checkpoint:
    """What is signed: entries ``first``..``last`` (inclusive), their Merkle root, the hash
    of the previous checkpoint (:data:`GENESIS_HASH` for the first) and the time (ISO 8601,
    UTC)."""

    first: int
    last: int
    root: str
    previous_checkpoint_hash: str
    time: str

    def body(self) -> dict[str, Any]:
        return asdict(self)

    def hash(self) -> str:
        return sha256_hex(canonical_json(self.body()))


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    signature: str  # base64 of the 64-byte Ed25519 signature over the JCS of the body
    key_id: str

    def to_json(self) -> dict[str, Any]:
        """The publishable form (no entry payloads)."""
        return {"checkpoint": self.checkpoint.body(), "hash": self.checkpoint.hash(),
                "signature": self.signature, "key_id": self.key_id,
                "algorithm": ALGORITHM, "canonicalization": CANONICALIZATION}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignedCheckpoint:
        body = data["checkpoint"]
        return cls(Checkpoint(int(body["first"]), int(body["last"]), str(body["root"]),
                              str(body["previous_checkpoint_hash"]), str(body["time"])),
                   str(data["signature"]), str(data["key_id"]))


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The key's id: SHA-256 fingerprint (hex) of its raw public key."""
    return sha256_hex(public_key_bytes(key))


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_key_pem(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign_checkpoint(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> SignedCheckpoint:
    signature = private_key.sign(canonical_json(checkpoint.body()))
    return SignedCheckpoint(checkpoint, base64.b64encode(signature).decode("ascii"),
                            key_id(private_key.public_key()))


def signature_is_valid(signed: SignedCheckpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(base64.b64decode(signed.signature, validate=True),
                          canonical_json(signed.checkpoint.body()))
    except (InvalidSignature, ValueError):
        return False
    return True


def make_checkpoint(entries: Sequence[Entry], previous: Checkpoint | None,
                    time: str) -> Checkpoint:
    """The checkpoint over ``entries`` (the entries after ``previous``, in order)."""
    if not entries:
        raise ValueError("a checkpoint needs at least one new entry")
    return Checkpoint(entries[0].sequence, entries[-1].sequence,
                      merkle_root([e.hash for e in entries]),
                      previous.hash() if previous else GENESIS_HASH, time)


def verify_checkpoints(checkpoints: Sequence[SignedCheckpoint], entries: Sequence[Entry],
                       public_keys: Mapping[str, Ed25519PublicKey]) -> Problem | None:
    """Check every checkpoint in order: its signature (with the key its id names), its link
    to the previous checkpoint, that the ranges follow each other, and that the stored
    entries of its range still give its root. Returns the first problem or ``None``."""
    by_sequence = {e.sequence: e for e in entries}
    previous_hash = GENESIS_HASH
    expected_first = FIRST_SEQUENCE
    for number, signed in enumerate(checkpoints, start=1):
        cp = signed.checkpoint
        key = public_keys.get(signed.key_id)
        where = f"检查点 {number}（条目 {cp.first}–{cp.last}）/ checkpoint {number} " \
                f"(entries {cp.first}-{cp.last})"
        if found := _signature_problem(signed, key, where):
            return found
        if cp.previous_checkpoint_hash != previous_hash or cp.first != expected_first:
            return Problem("checkpoint", cp.first, f"{where}: 与上一个检查点不衔接 / does not "
                           f"follow the previous checkpoint")
        if found := _range_problem(cp, by_sequence, where, "默克尔根不符，此范围内的条目被改动 / "
                                   "the Merkle root does not match: an entry in this range "
                                   "changed"):
            return found
        previous_hash = cp.hash()
        expected_first = cp.last + 1
    return None


def _signature_problem(signed: SignedCheckpoint, key: Ed25519PublicKey | None,
                       where: str) -> Problem | None:
    cp = signed.checkpoint
    if key is None:
        return Problem("checkpoint", cp.first, f"{where}: 未知密钥 / unknown key "
                       f"{signed.key_id[:16]}")
    if not signature_is_valid(signed, key):
        return Problem("checkpoint", cp.first, f"{where}: 签名无效 / the signature does "
                       f"not match")
    return None


def _range_problem(cp: Checkpoint, by_sequence: Mapping[int, Entry], where: str,
                   changed: str) -> Problem | None:
    """A deleted entry of the checkpoint's range, or ``changed`` when its root differs."""
    hashes = []
    for sequence in range(cp.first, cp.last + 1):
        entry = by_sequence.get(sequence)
        if entry is None:
            return Problem("deleted", sequence, f"条目 {sequence} 已被删除（{where} 包含它）"
                           f" / entry {sequence} was deleted ({where} covers it)")
        hashes.append(entry.hash)
    if merkle_root(hashes) != cp.root:
        return Problem("checkpoint", cp.first, f"{where}: {changed}")
    return None


def verify_published_checkpoints(published: Sequence[SignedCheckpoint], entries: Sequence[Entry],
                                 public_keys: Mapping[str, Ed25519PublicKey]) -> Problem | None:
    """Check the entries against checkpoints kept outside the database (exported files,
    published copies): each signature, and that the stored entries of each range still
    give its root. Unlike :func:`verify_checkpoints` the copies need not be complete or
    contiguous; they catch a chain rewritten together with its checkpoint rows."""
    by_sequence = {e.sequence: e for e in entries}
    for signed in sorted(published, key=lambda s: s.checkpoint.first):
        cp = signed.checkpoint
        where = f"导出的检查点（条目 {cp.first}–{cp.last}）/ exported checkpoint (entries " \
                f"{cp.first}-{cp.last})"
        key = public_keys.get(signed.key_id)
        if found := _signature_problem(signed, key, where):
            return found
        if found := _range_problem(cp, by_sequence, where, "默克尔根不符，此范围内的账本被改写 / "
                                   "the Merkle root does not match: the ledger was rewritten "
                                   "in this range"):
            return found
    return None

"""The ledger (账本), pure: the hash chain of changes, Merkle roots over its entries and
signed checkpoints. No Django; the platform stores rows and calls these functions.

- :mod:`yuntan.ledger.canonical`: RFC 8785 (JCS) canonical JSON and SHA-256.
- :mod:`yuntan.ledger.chain`: entry hashes and :func:`verify_chain`.
- :mod:`yuntan.ledger.merkle`: RFC 6962-style Merkle roots and inclusion proofs.
- :mod:`yuntan.ledger.checkpoint`: Ed25519-signed checkpoints and their verification.
"""

from __future__ import annotations

from yuntan.ledger.canonical import canonical_json, sha256_hex
from yuntan.ledger.chain import (
    GENESIS_HASH,
    Entry,
    Problem,
    entry_hash,
    make_entry,
    payload_hash,
    verify_chain,
)
from yuntan.ledger.checkpoint import (
    Checkpoint,
    SignedCheckpoint,
    sign_checkpoint,
    verify_checkpoints,
    verify_published_checkpoints,
)
from yuntan.ledger.merkle import inclusion_proof, merkle_root, verify_inclusion

__all__ = [
    "GENESIS_HASH",
    "Checkpoint",
    "Entry",
    "Problem",
    "SignedCheckpoint",
    "canonical_json",
    "entry_hash",
    "inclusion_proof",
    "make_entry",
    "merkle_root",
    "payload_hash",
    "sha256_hex",
    "sign_checkpoint",
    "verify_chain",
    "verify_checkpoints",
    "verify_inclusion",
    "verify_published_checkpoints",
]

"""Merkle roots over entry hashes, RFC 6962-style domain separation: a leaf is
``SHA-256(0x00 || entry hash)``, a node ``SHA-256(0x01 || left || right)``; levels pair
nodes left to right and an odd last node is promoted unchanged. Inclusion proofs list the
sibling hashes from the leaf up."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ProofStep:
    """A sibling on the path to the root and the side it sits on."""

    side: Literal["left", "right"]
    hash: str


def leaf_hash(entry_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash)).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _next_level(level: list[bytes]) -> list[bytes]:
    paired = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    if len(level) % 2:
        paired.append(level[-1])
    return paired


def merkle_root(entry_hashes: Sequence[str]) -> str:
    """The root (hex) over the entry hashes in order; an empty list has SHA-256 of nothing
    as its root, as in RFC 6962."""
    if not entry_hashes:
        return hashlib.sha256(b"").hexdigest()
    level = [leaf_hash(h) for h in entry_hashes]
    while len(level) > 1:
        level = _next_level(level)
    return level[0].hex()


def inclusion_proof(entry_hashes: Sequence[str], index: int) -> list[ProofStep]:
    """The siblings that lead from leaf ``index`` to the root."""
    if not 0 <= index < len(entry_hashes):
        raise IndexError(f"leaf {index} is outside 0..{len(entry_hashes) - 1}")
    level = [leaf_hash(h) for h in entry_hashes]
    proof: list[ProofStep] = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            side: Literal["left", "right"] = "left" if sibling < index else "right"
            proof.append(ProofStep(side, level[sibling].hex()))
        level = _next_level(level)
        index //= 2
    return proof


def verify_inclusion(entry_hash: str, proof: Sequence[ProofStep], root: str) -> bool:
    """Whether the entry hash, combined with the proof's siblings, gives ``root``."""
    current = leaf_hash(entry_hash)
    for step in proof:
        sibling = bytes.fromhex(step.hash)
        current = _node(sibling, current) if step.side == "left" else _node(current, sibling)
    return current.hex() == root

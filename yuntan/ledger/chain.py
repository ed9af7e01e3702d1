"""The hash chain: each entry's hash covers its sequence number, the previous entry's hash,
its kind, subject, payload hash, actor and time, so changing, removing, adding or moving an
entry breaks the chain at that entry.

The entry hash is SHA-256 over the JCS (RFC 8785) of ``{"sequence", "previous_hash",
"kind", "subject", "payload_hash", "actor", "time"}``; the payload hash is SHA-256 over the
JCS of the payload. The first entry (sequence 1) links to :data:`GENESIS_HASH`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from yuntan.ledger.canonical import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64
FIRST_SEQUENCE = 1

ProblemKind = Literal["modified", "deleted", "inserted", "reordered", "checkpoint"]


@dataclass(frozen=True)
class Entry:
    """One ledger entry as stored. ``time`` is an ISO 8601 string (UTC); ``subject`` names
    the changed object (``"app.model:pk"``), ``actor`` who changed it."""

    sequence: int
    previous_hash: str
    kind: str
    subject: str
    payload: Mapping[str, Any]
    payload_hash: str
    actor: str
    time: str
    hash: str


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong: what (``kind``), at which entry (``sequence``) and a
    bilingual ``message``."""

    kind: ProblemKind
    sequence: int
    message: str

    def __str__(self) -> str:
        return self.message


def payload_hash(payload: Mapping[str, Any]) -> str:
    return sha256_hex(canonical_json(dict(payload)))


def entry_hash(sequence: int, previous_hash: str, kind: str, payload: Mapping[str, Any],
               actor: str, time: str, subject: str = "") -> str:
    """The SHA-256 hex hash of an entry (see the module docstring)."""
    return _hash_fields(sequence, previous_hash, kind, subject, payload_hash(payload),
                        actor, time)


def _hash_fields(sequence: int, previous_hash: str, kind: str, subject: str,
                 payload_digest: str, actor: str, time: str) -> str:
    return sha256_hex(canonical_json({
        "sequence": sequence, "previous_hash": previous_hash, "kind": kind,
        "subject": subject, "payload_hash": payload_digest, "actor": actor, "time": time,
    }))


def make_entry(sequence: int, previous_hash: str, kind: str, payload: Mapping[str, Any],
               actor: str, time: str, subject: str = "") -> Entry:
    """A new entry with its payload hash and hash filled in."""
    digest = payload_hash(payload)
    return Entry(sequence, previous_hash, kind, subject, payload, digest, actor, time,
                 _hash_fields(sequence, previous_hash, kind, subject, digest, actor, time))


def _stored_hash_matches(entry: Entry, sequence: int) -> bool:
    return entry.hash == _hash_fields(sequence, entry.previous_hash, entry.kind,
                                      entry.subject, entry.payload_hash, entry.actor,
                                      entry.time)


def verify_chain(entries: Iterable[Entry]) -> Problem | None:
    """Walk the entries in stored order (by sequence) from the first; return the first
    problem, or ``None`` when the chain is intact.

    - *modified*: the payload or a hashed field no longer matches the entry's hash;
    - *deleted*: a sequence number is missing (the entries from it on were removed);
    - *reordered*: an intact entry sits at another entry's sequence number;
    - *inserted*: an entry that the chain did not contain (its link or its successor's
      link does not fit).

    An entry appended at the end with a correct link, or the last entry removed, cannot be
    told from a real change by the chain alone: signed checkpoints catch those
    (:func:`yuntan.ledger.checkpoint.verify_checkpoints`).
    """
    stored = list(entries)
    index_of_hash = {entry.hash: i for i, entry in enumerate(stored)}
    expected_sequence = FIRST_SEQUENCE
    expected_previous = GENESIS_HASH
    for i, entry in enumerate(stored):
        n = expected_sequence
        if entry.sequence > n:
            return Problem("deleted", n, f"条目 {n} 已被删除（序号缺失，下一个是 {entry.sequence}）"
                           f" / entry {n} was deleted (sequence gap, next is {entry.sequence})")
        if entry.sequence < n:
            return Problem("inserted", entry.sequence,
                           f"条目 {entry.sequence} 重复，是插入的 / entry {entry.sequence} "
                           f"is a duplicate: inserted")
        if payload_hash(entry.payload) != entry.payload_hash:
            return Problem("modified", n, f"条目 {n} 的内容被修改（载荷哈希不符）/ entry {n} "
                           f"was modified (its payload no longer matches its hash)")
        if not _stored_hash_matches(entry, n):
            moved_from = _original_sequence(entry, stored)
            if moved_from is not None and moved_from > n:
                return Problem("reordered", n, f"条目 {n} 的位置被调换（原为条目 {moved_from}）"
                               f" / entry {n} was reordered (it was entry {moved_from})")
            if moved_from is not None and moved_from < n:
                return Problem("inserted", n - 1, f"条目 {n - 1} 是插入的 / entry {n - 1} "
                               f"was inserted (entry {moved_from} was moved to {n})")
            return Problem("modified", n, f"条目 {n} 被修改（哈希不符）/ entry {n} was "
                           f"modified (its fields no longer match its hash)")
        if entry.previous_hash != expected_previous:
            linked = index_of_hash.get(entry.previous_hash)
            if linked is None:
                return Problem("inserted", n, f"条目 {n} 是插入的（链接到未知条目）/ entry {n} "
                               f"was inserted (it links to no entry of the chain)")
            if linked > i:
                return Problem("reordered", n, f"条目 {n} 的位置被调换 / entry {n} was "
                               f"reordered (it links to a later entry)")
            first_inserted = stored[linked + 1].sequence
            return Problem("inserted", first_inserted, f"条目 {first_inserted} 是插入的 / "
                           f"entry {first_inserted} was inserted (entry {n} links to entry "
                           f"{stored[linked].sequence})")
        expected_sequence = n + 1
        expected_previous = entry.hash
    return None


def _original_sequence(entry: Entry, stored: list[Entry]) -> int | None:
    """The sequence number under which an entry with intact fields was hashed, searched
    among the numbers the chain could have used (only called once, on the first
    problem)."""
    candidates = {e.sequence for e in stored} | set(range(FIRST_SEQUENCE, len(stored) + 2))
    for sequence in sorted(candidates):
        if _stored_hash_matches(entry, sequence):
            return sequence
    return None

"""The ledger entries other apps append, one function per kind of change: each builds the
payload (plain JSON) and appends it inside the caller's transaction.

Kinds: ``activity.changed`` (a value or a link of a study's activity data),
``result.created``, ``factor.published``, ``verification.changed``, ``finding.changed``.
Entries carry digests of what they cover (``outcome_sha256`` of a result, the values of a
factor version) so that ``yuntan ledger verify`` can reconcile the current rows with them
(:mod:`yuntan.platform.ledger.reconcile`).
"""

from __future__ import annotations

from typing import Any

from yuntan.ledger.canonical import canonical_json, sha256_hex
from yuntan.platform.ledger.actions import append
from yuntan.platform.ledger.models import LedgerEntry


def json_sha256(value: Any) -> str:
    """SHA-256 of a JSON value's canonical form (RFC 8785): the digest a ledger entry
    keeps of a row's JSON (e.g. a result's outcome)."""
    return sha256_hex(canonical_json(value))


def activity_changed(study: Any, field_id: str, old: Any, new: Any, source: str, user: Any,
                     detail: str = "") -> LedgerEntry:
    """A field of a study's activity data changed (value, unit or linked source)."""
    return append("activity.changed", study, {
        "study": study.pk, "field": field_id,
        "old": list(old) if isinstance(old, tuple) else old,
        "new": list(new) if isinstance(new, tuple) else new,
        "source": source, "detail": detail}, user)


def result_created(result: Any, user: Any) -> LedgerEntry:
    """A result was stored: its number, total, headline method and the fingerprints of its
    inputs and of its outcome (every figure shown or signed comes from those two)."""
    return append("result.created", result, {
        "study": result.study_id, "number": result.number,
        "total_kg_co2e": result.total_kg_co2e, "inputs_sha256": result.inputs_sha256,
        "outcome_sha256": json_sha256(result.outcome),
        "headline_method": result.headline_method, "proposed": result.proposed,
        "gwp_set": result.gwp_set, "engine_version": result.engine_version,
        "complete": result.complete, "reason": result.reason}, user)


def factor_published(version: Any, user: Any, source: str = "", status: str = ""
                     ) -> LedgerEntry:
    """A factor version was published (and the one it supersedes deprecated): its values
    as published. ``source`` is ``reference data`` for the shipped files, which may also
    load a version as already deprecated (``status``)."""
    supersedes = version.supersedes
    return append("factor.published", version, {
        "dataset": version.dataset.code, "version": version.version,
        "region": version.region, "reference_year": version.reference_year,
        "gwp_set": version.gwp_set,
        "supersedes": supersedes.version if supersedes is not None else None,
        **({"source": source} if source else {}),
        **({"status": status} if status else {}),
        "values": [{"gas": v.gas, "origin": v.origin, "kg_per_unit": v.amount_kg_per_unit}
                   for v in version.values.order_by("gas", "origin")]}, user)


def verification_changed(verification: Any, action: str, user: Any,
                         **details: Any) -> LedgerEntry:
    """A verification moved (submitted, assigned, review started, changes requested,
    verified, rejected): the study's and verification's state after it."""
    return append("verification.changed", verification, {
        "action": action, "study": verification.study_id,
        "status": verification.status,
        "verifier": verification.verifier_id, "body": verification.verification_body_id,
        **{k: v for k, v in details.items() if v is not None}}, user)


def finding_changed(finding: Any, action: str, user: Any) -> LedgerEntry:
    """A finding was raised, answered or closed, with its text, reason and answer."""
    return append("finding.changed", finding, {
        "action": action, "verification": finding.verification_id,
        "snapshot": finding.snapshot_id, "field": finding.field_id,
        "severity": finding.severity, "status": finding.status, "text": finding.text,
        "reason": finding.reason, "answer": finding.answer}, user)

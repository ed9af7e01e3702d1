"""Writing and checking the ledger: :func:`append` (inside the caller's transaction, which
also signs a checkpoint once one is due), :func:`make_checkpoint`, :func:`export_checkpoint`
and :func:`verify_ledger` (the chain, the checkpoints, exported checkpoint files and the
reconciliation of the current rows)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from yuntan.ledger.chain import GENESIS_HASH, Problem, make_entry, verify_chain
from yuntan.ledger.checkpoint import (
    SignedCheckpoint,
    sign_checkpoint,
    verify_checkpoints,
    verify_published_checkpoints,
)
from yuntan.ledger.checkpoint import make_checkpoint as core_checkpoint
from yuntan.ledger.merkle import inclusion_proof
from yuntan.platform.ledger.keys import NoSigningKey, public_key_map, signing_key
from yuntan.platform.ledger.models import LedgerCheckpoint, LedgerEntry, LedgerHead, ledger_time

SYSTEM_ACTOR = "system"
logger = logging.getLogger(__name__)
_warned_no_key: list[bool] = []  # a missing key is logged once per process


class NotInTransaction(Exception):
    """``append`` was called outside a transaction: the entry and the change it records
    must commit (or roll back) together."""


def _locked_head() -> LedgerHead:
    """The head row, locked until the transaction ends (``SELECT ... FOR UPDATE`` on
    PostgreSQL; SQLite serialises writers anyway)."""
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        LedgerHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
        head = LedgerHead.objects.select_for_update().get(pk=1)
    return head


def _plain_json(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as the JSON the database gives back (decimals and dates as text), so the
    stored payload hashes to what was hashed now."""
    plain: dict[str, Any] = json.loads(json.dumps(dict(payload), cls=DjangoJSONEncoder,
                                                  allow_nan=False))
    return plain


def append(kind: str, obj: Model | None, payload: Mapping[str, Any], actor: Any
           ) -> LedgerEntry:
    """Append an entry recording a change of ``obj``. Call it inside the transaction that
    makes the change (e.g. from an ``@transaction.atomic`` action): if that rolls back,
    so does the entry."""
    if not connection.in_atomic_block:
        raise NotInTransaction("ledger.append must run inside the transaction of the change "
                               "it records")
    with transaction.atomic():
        head = _locked_head()
        user = actor if getattr(actor, "is_authenticated", False) and actor.pk else None
        label = user.get_username() if user is not None else str(actor or SYSTEM_ACTOR)
        now = timezone.now()
        app, model, pk = ((obj._meta.app_label, obj._meta.model_name or "", str(obj.pk))
                          if obj is not None else ("", "", ""))
        subject = f"{app}.{model}:{pk}" if app else ""
        core = make_entry(head.sequence + 1, head.hash, kind, _plain_json(payload), label,
                          ledger_time(now), subject)
        entry = LedgerEntry(
            sequence=core.sequence, time=now, actor=user, actor_label=label, kind=kind,
            object_app=app, object_model=model, object_pk=pk, payload=dict(core.payload),
            payload_hash=core.payload_hash, previous_hash=core.previous_hash, hash=core.hash)
        entry._appending = True  # type: ignore[attr-defined]
        entry.save()
        head.sequence, head.hash = core.sequence, core.hash
        head.save(update_fields=["sequence", "hash"])
        if _checkpoint_due(core.sequence, now):
            transaction.on_commit(checkpoint_in_process)
    return entry


def _checkpoint_due(sequence: int, now: Any) -> bool:
    every = settings.YUNTAN_LEDGER_CHECKPOINT_EVERY
    if every <= 0:
        return False
    last = LedgerCheckpoint.objects.order_by("-number").values(
        "last_sequence", "time").first()
    return (last is None or sequence - last["last_sequence"] >= every
            or now - last["time"] >= timedelta(seconds=settings.YUNTAN_LEDGER_CHECKPOINT_SECONDS))


def checkpoint_in_process() -> LedgerCheckpoint | None:
    """Sign and export a checkpoint after a commit that made one due; a missing or
    unreadable key is logged (the change itself is committed and stays)."""
    try:
        checkpoint = make_checkpoint()
    except NoSigningKey as exc:
        if not _warned_no_key:  # once per process, not after every commit
            logger.warning("ledger checkpoint not signed: %s", exc)
            _warned_no_key.append(True)
        return None
    if checkpoint is not None:
        try:
            export_checkpoint(checkpoint)
        except OSError as exc:
            logger.error("ledger checkpoint %s not exported: %s", checkpoint.number, exc)
    return checkpoint


def checkpoints_dir() -> Path:
    """Where checkpoints are exported: ``YUNTAN_LEDGER_CHECKPOINTS_DIR`` (by default
    ``$YUNTAN_DATA_DIR/ledger-checkpoints``)."""
    return Path(settings.YUNTAN_LEDGER_CHECKPOINTS_DIR)


def checkpoint_json(checkpoint: LedgerCheckpoint) -> str:
    return json.dumps({"number": checkpoint.number, **checkpoint.as_core().to_json()},
                      indent=2)


def export_checkpoint(checkpoint: LedgerCheckpoint, directory: Path | None = None) -> Path:
    """Write ``checkpoint-NNNNNN.json`` to ``directory`` (the configured folder by
    default), outside the database; an existing file is never overwritten."""
    folder = directory or checkpoints_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{checkpoint.number:06d}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(checkpoint_json(checkpoint) + "\n", encoding="utf-8")
    if path.exists():
        temporary.unlink()
        raise FileExistsError(f"{path} exists already: it was published for another ledger")
    temporary.replace(path)
    return path


def read_exported(directory: Path) -> list[tuple[int | None, SignedCheckpoint]]:
    """The checkpoints exported (or published) in ``directory``: (number, checkpoint)."""
    found = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        number = data.get("number")
        found.append((int(number) if number is not None else None,
                      SignedCheckpoint.from_json(data)))
    return found


@transaction.atomic
def make_checkpoint() -> LedgerCheckpoint | None:
    """Sign a checkpoint over the entries since the last one; ``None`` when there are
    none."""
    _locked_head()  # no append slips in between reading the entries and signing
    last = LedgerCheckpoint.objects.order_by("-number").first()
    after = last.last_sequence if last else 0
    entries = [e.as_core() for e in LedgerEntry.objects.filter(sequence__gt=after)]
    if not entries:
        return None
    now = timezone.now()
    checkpoint = core_checkpoint(entries, last.as_core().checkpoint if last else None,
                                 ledger_time(now))
    signed = sign_checkpoint(checkpoint, signing_key())
    row = LedgerCheckpoint(
        number=(last.number + 1) if last else 1, first_sequence=checkpoint.first,
        last_sequence=checkpoint.last, root=checkpoint.root,
        previous_checkpoint_hash=checkpoint.previous_checkpoint_hash, hash=checkpoint.hash(),
        signature=signed.signature, key_id=signed.key_id, time=now)
    row.save()
    return row


@dataclass(frozen=True)
class Verification:
    entries: int
    checkpoints: int
    problem: Problem | None
    disagreements: Sequence[Any] = field(default_factory=tuple)  # reconcile.Disagreement
    exported: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.disagreements


def verify_ledger(against: Path | None = None, *, reconcile: bool = True) -> Verification:
    """Re-walk the chain, the checkpoints and the head (the first problem found), check the
    chain against the checkpoint files in ``against`` (exported or published copies kept
    outside the database), and reconcile the current rows with the entries (every row that
    disagrees)."""
    entries = [e.as_core() for e in LedgerEntry.objects.order_by("sequence")]
    rows = list(LedgerCheckpoint.objects.order_by("number"))
    checkpoints = [c.as_core() for c in rows]
    keys = public_key_map()
    exported = read_exported(against) if against is not None else []
    problem = None
    if exported:  # first: files outside the database outrank what the database says
        problem = verify_published_checkpoints([c for _n, c in exported], entries, keys)
        if problem is None:
            problem = _missing_checkpoint_rows(exported, rows)
    if problem is None:
        problem = verify_chain(entries)
    if problem is None:
        problem = verify_checkpoints(checkpoints, entries, keys)
    if problem is None:
        problem = _head_problem(entries[-1].sequence if entries else 0,
                                entries[-1].hash if entries else GENESIS_HASH)
    disagreements: Sequence[Any] = ()
    if reconcile:
        from yuntan.platform.ledger.reconcile import reconcile as reconcile_rows

        disagreements = tuple(reconcile_rows())
    return Verification(len(entries), len(checkpoints), problem, disagreements, len(exported))


def _missing_checkpoint_rows(exported: Sequence[tuple[int | None, SignedCheckpoint]],
                             rows: Sequence[LedgerCheckpoint]) -> Problem | None:
    """A checkpoint that was exported but whose row is gone or different."""
    stored = {row.number: row.hash for row in rows}
    for number, signed in exported:
        if number is None:
            continue
        if stored.get(number) != signed.checkpoint.hash():
            cp = signed.checkpoint
            gone = number not in stored
            what = ("已从数据库删除 / was deleted from the database" if gone
                    else "在数据库中被替换 / was replaced in the database")
            return Problem("checkpoint", cp.first, f"检查点 {number}（条目 {cp.first}–{cp.last}）"
                           f"{what.split(' / ')[0]} / checkpoint {number} (entries "
                           f"{cp.first}-{cp.last}) {what.split(' / ')[1]}")
    return None


def _head_problem(last_sequence: int, last_hash: str) -> Problem | None:
    head = LedgerHead.objects.filter(pk=1).first()
    head_sequence = head.sequence if head else 0
    if head_sequence > last_sequence:
        n = last_sequence + 1
        return Problem("deleted", n, f"条目 {n} 起已被删除（账本头记录到 {head_sequence}）/ "
                       f"entries from {n} were deleted (the head records {head_sequence})")
    if head is not None and head_sequence == last_sequence and head.hash != last_hash:
        return Problem("modified", last_sequence, f"条目 {last_sequence} 被替换（与账本头不符）/ "
                       f"entry {last_sequence} was replaced (it does not match the head)")
    if head_sequence < last_sequence:
        n = head_sequence + 1
        return Problem("inserted", n, f"条目 {n} 是插入的（账本头只记录到 {head_sequence}）/ "
                       f"entry {n} was inserted (the head records only {head_sequence})")
    return None


def inclusion_proof_for(sequence: int) -> dict[str, Any] | None:
    """The proof that entry ``sequence`` is covered by its checkpoint (to hand to whoever
    holds the published checkpoint, e.g. with a label), or ``None`` when no checkpoint
    covers it yet."""
    checkpoint = LedgerCheckpoint.objects.filter(first_sequence__lte=sequence,
                                                 last_sequence__gte=sequence).first()
    if checkpoint is None:
        return None
    hashes = list(LedgerEntry.objects.filter(
        sequence__gte=checkpoint.first_sequence, sequence__lte=checkpoint.last_sequence,
    ).order_by("sequence").values_list("hash", flat=True))
    index = sequence - checkpoint.first_sequence
    return {"sequence": sequence, "entry_hash": hashes[index],
            "checkpoint": checkpoint.number, "root": checkpoint.root,
            "proof": [{"side": step.side, "hash": step.hash}
                      for step in inclusion_proof(hashes, index)]}

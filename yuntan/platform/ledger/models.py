"""The ledger's rows (账本): entries, the head that hands out sequence numbers, and signed
checkpoints. Entries are written only by :func:`yuntan.platform.ledger.actions.append` and
are never updated or deleted through the ORM."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.ledger.chain import Entry
from yuntan.ledger.checkpoint import Checkpoint, SignedCheckpoint


class AppendOnly(Exception):
    """A ledger row was about to be changed or removed through the ORM."""


def ledger_time(value: datetime.datetime) -> str:
    """The hashed form of a time: UTC, microseconds, ``Z`` (both databases keep
    microseconds, so the stored time gives back the same text)."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly(f"{self.model.__name__} rows are never updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly(f"{self.model.__name__} rows are never deleted")


class LedgerEntry(models.Model):
    """One change: its place in the chain (``sequence``, ``previous_hash``, ``hash``), what
    changed (``kind``, the object reference, ``payload``), who and when."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    time = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+",
                              verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=200)
    kind = models.CharField(_("kind"), max_length=64)
    object_app = models.CharField(_("app"), max_length=100, blank=True)
    object_model = models.CharField(_("model"), max_length=100, blank=True)
    object_pk = models.CharField(_("object id"), max_length=200, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    payload_hash = models.CharField(_("payload hash"), max_length=64)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        # The entries of one object (a result, a label), read when it is shown or signed.
        indexes = [models.Index(fields=["object_app", "object_model", "object_pk"],
                                name="ledger_entry_subject")]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.subject}"

    @property
    def subject(self) -> str:
        return f"{self.object_app}.{self.object_model}:{self.object_pk}" if self.object_app \
            else ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not getattr(self, "_appending", False):
            raise AppendOnly("ledger entries are written only by ledger.actions.append and "
                             "never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("ledger entries are never deleted")

    def as_core(self) -> Entry:
        return Entry(self.sequence, self.previous_hash, self.kind, self.subject,
                     self.payload, self.payload_hash, self.actor_label,
                     ledger_time(self.time), self.hash)


class LedgerHead(models.Model):
    """The single row (pk 1) holding the last sequence number and hash: appends lock it, so
    two concurrent appends cannot take the same number."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ledger head")


class LedgerCheckpoint(models.Model):
    """A signed Merkle root over entries ``first_sequence``..``last_sequence``; ``number``
    is its place among checkpoints (1, 2, ...) and its public address."""

    number = models.PositiveBigIntegerField(_("number"), unique=True)
    first_sequence = models.PositiveBigIntegerField(_("first entry"))
    last_sequence = models.PositiveBigIntegerField(_("last entry"))
    root = models.CharField(_("Merkle root"), max_length=64)
    previous_checkpoint_hash = models.CharField(_("previous checkpoint hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    signature = models.CharField(_("signature"), max_length=200)
    key_id = models.CharField(_("key id"), max_length=64)
    time = models.DateTimeField(_("time"))

    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("ledger checkpoint")
        verbose_name_plural = _("ledger checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.number} ({self.first_sequence}-{self.last_sequence})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("ledger checkpoints are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("ledger checkpoints are never deleted")

    def as_core(self) -> SignedCheckpoint:
        return SignedCheckpoint(
            Checkpoint(self.first_sequence, self.last_sequence, self.root,
                       self.previous_checkpoint_hash, ledger_time(self.time)),
            self.signature, self.key_id)

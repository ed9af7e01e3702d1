"""Read-only admin lists of the ledger (nothing can be added, changed or deleted here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yuntan.platform.ledger.models import LedgerCheckpoint, LedgerEntry


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["sequence", "time", "kind", "subject", "actor_label"]
    list_filter = ["kind"]


@admin.register(LedgerCheckpoint)
class LedgerCheckpointAdmin(ReadOnly):
    list_display = ["number", "first_sequence", "last_sequence", "root", "key_id", "time"]

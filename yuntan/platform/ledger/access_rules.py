"""Who reads ledger entries: platform administrators only (payloads can carry an
enterprise's data). Checkpoints and public keys are public pages and carry no payload."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import EVERYTHING, is_platform_admin, rule
from yuntan.platform.ledger.models import LedgerEntry


@rule(LedgerEntry)
def _entries(user: Any) -> Q | None:
    return EVERYTHING if is_platform_admin(user) else None

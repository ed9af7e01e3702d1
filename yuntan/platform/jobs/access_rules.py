"""Who sees a background job: the user who started it, and platform administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import EVERYTHING, is_platform_admin, rule
from yuntan.platform.jobs.models import Job


@rule(Job)
def _jobs(user: Any) -> Q | None:
    if is_platform_admin(user) or user.is_superuser:
        return EVERYTHING
    return Q(created_by_id=user.pk)

"""Who sees a background database: everyone signed in for the province's shared ones, the
owning organisation for its own, platform administrators for all."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import EVERYTHING, membership_of, rule
from yuntan.platform.accounts.models import Role
from yuntan.platform.lci.models import LciDatabase, LciImpactCategory, LciProcess


def _databases(user: Any, path: str) -> Q | None:
    membership = membership_of(user)
    if membership is not None and membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    shared = Q(**{f"{path}organisation__isnull": True})
    if membership is None:
        return shared
    return shared | Q(**{f"{path}organisation_id": membership.organisation_id})


@rule(LciDatabase)
def _lci_databases(user: Any) -> Q | None:
    return _databases(user, "")


@rule(LciProcess)
def _lci_processes(user: Any) -> Q | None:
    return _databases(user, "database__")


@rule(LciImpactCategory)
def _lci_categories(user: Any) -> Q | None:
    return _databases(user, "database__")

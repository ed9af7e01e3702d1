"""Who sees a verification: the enterprise, the certification bodies (who assign), the
assigned verifier and the platform administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import EVERYTHING, membership_of, rule
from yuntan.platform.accounts.models import Role
from yuntan.platform.verification.models import (
    ConflictOfInterest,
    Finding,
    Snapshot,
    Verification,
)


def verification_scope(user: Any, path: str = "") -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    if membership.role in (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER):
        return Q(**{f"{path}study__product__organisation_id": membership.organisation_id})
    if membership.role == Role.CERTIFIER:
        return Q(**{f"{path}pk__isnull": False})
    if membership.role == Role.VERIFIER:
        return Q(**{f"{path}verifier_id": user.pk})
    return None


@rule(Verification)
def _verifications(user: Any) -> Q | None:
    return verification_scope(user)


@rule(Snapshot)
def _snapshots(user: Any) -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    if membership.role in (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER):
        return Q(study__product__organisation_id=membership.organisation_id)
    if membership.role == Role.CERTIFIER:
        return Q(study__verifications__isnull=False)
    if membership.role == Role.VERIFIER:
        return Q(study__verifications__verifier_id=user.pk)
    return None


@rule(ConflictOfInterest)
def _conflicts(user: Any) -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role in (Role.PLATFORM_ADMIN, Role.CERTIFIER):
        return EVERYTHING
    return None


@rule(Finding)
def _findings(user: Any) -> Q | None:
    return verification_scope(user, "verification__")

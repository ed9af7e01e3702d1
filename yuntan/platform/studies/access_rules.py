"""Who sees products, studies and what hangs on them: the enterprise's own people and the
platform administrators. (Verifiers see studies assigned to them once verification exists;
government viewers see aggregates, not an enterprise's raw data.)"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yuntan.platform.accounts.access import EVERYTHING, membership_of, rule
from yuntan.platform.accounts.models import Role
from yuntan.platform.studies.models import (
    ActivityChange,
    ActivityValue,
    Evidence,
    Product,
    Result,
    Study,
    SupplierFootprint,
    UncertaintyRun,
)

ENTERPRISE_ROLES = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)


def enterprise_editor(user: Any, organisation_id: int) -> bool:
    """Whether ``user`` is one of the enterprise's own people (who alone change its data)."""
    membership = membership_of(user)
    return (membership is not None and membership.role in ENTERPRISE_ROLES
            and membership.organisation_id == organisation_id)


def enterprise_own(user: Any, path: str = "organisation_id") -> Q | None:
    """Objects of the user's enterprise (reached by ``path``) for its own people, all for
    platform administrators, none for anyone else (not even its verifier)."""
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.PLATFORM_ADMIN:
        return EVERYTHING
    if membership.role in ENTERPRISE_ROLES:
        return Q(**{path: membership.organisation_id})
    return None


def _owned(user: Any, path: str, study_path: str | None = None) -> Q | None:
    """Objects whose organisation (reached by ``path``) is the user's enterprise; with
    ``study_path`` (the path to the study's id), also those of studies the user verifies
    (the assigned verifier) or may assign (a certification body, once submitted)."""
    own = enterprise_own(user, path)
    membership = membership_of(user)
    if own is not None or membership is None:
        return own
    if study_path is not None and membership.role in (Role.VERIFIER, Role.CERTIFIER):
        from yuntan.platform.verification.models import Verification

        cases = Verification.objects.all()
        if membership.role == Role.VERIFIER:
            cases = cases.filter(verifier_id=user.pk)
        if study_path == "product":  # products of those studies
            return Q(pk__in=Study.objects.filter(pk__in=cases.values("study_id"))
                     .values("product_id"))
        return Q(**{f"{study_path}__in": cases.values("study_id")})
    return None


@rule(Product)
def _products(user: Any) -> Q | None:
    return _owned(user, "organisation_id", "product")


@rule(Study)
def _studies(user: Any) -> Q | None:
    return _owned(user, "product__organisation_id", "pk")


@rule(Result)
def _results(user: Any) -> Q | None:
    return _owned(user, "study__product__organisation_id", "study_id")


@rule(ActivityValue)
def _activity(user: Any) -> Q | None:
    return _owned(user, "study__product__organisation_id", "study_id")


@rule(ActivityChange)
def _changes(user: Any) -> Q | None:
    return _owned(user, "study__product__organisation_id", "study_id")


@rule(Evidence)
def _evidence(user: Any) -> Q | None:
    return _owned(user, "study__product__organisation_id", "study_id")


@rule(UncertaintyRun)
def _uncertainty_runs(user: Any) -> Q | None:
    return _owned(user, "result__study__product__organisation_id")


@rule(SupplierFootprint)
def _supplier_footprints(user: Any) -> Q | None:
    return _owned(user, "organisation_id")

"""The named transitions of a verification. Each checks the actor's role and runs in one
transaction; the study is locked while a verifier has it and editable again when findings
ask for corrections."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan.platform.accounts.access import membership_of
from yuntan.platform.accounts.models import Membership, OrganisationKind, Role
from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.platform.studies.services import StudyError, activity_data, factor_overrides
from yuntan.platform.verification.models import (
    OPEN,
    ConflictOfInterest,
    Snapshot,
    Verification,
    VerificationStatus,
)


class VerificationError(StudyError):
    """A transition that is not allowed now, or not for this person."""


def _role(user: Any, *roles: str) -> Membership:
    membership = membership_of(user)
    if membership is None or membership.role not in roles:
        raise VerificationError(_("Your role may not do this."))
    return membership


@transaction.atomic
def submit(study: Study, user: Any) -> Verification:
    """The enterprise submits its latest result: the data and result are frozen as a
    snapshot; a first submission opens a verification, a resubmission returns it to the
    verifier."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    membership = _role(user, Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)
    if membership.organisation_id != study.product.organisation_id:
        raise VerificationError(_("Your role may not do this."))
    if study.scenario_of_id is not None:
        raise VerificationError(_("A reduction scenario is not submitted for verification."))
    result = study.latest_result()
    data = activity_data(study)
    if result is None or result.inputs["activity"] != {
            k: [float(a), u] for k, (a, u) in sorted(data.items())} or (
            result.inputs["overrides"] != dict(sorted(factor_overrides(study).items()))):
        raise VerificationError(_("Compute the footprint with the current data first: the "
                                  "verifier reviews exactly the data behind a result."))
    verification = study.verifications.filter(status__in=OPEN).first()
    if verification is not None and verification.status != VerificationStatus.CHANGES_REQUESTED:
        raise VerificationError(_("This study is already with the verifiers."))
    last = study.snapshots.order_by("-number").first()
    Snapshot.objects.create(
        study=study, number=(last.number + 1) if last else 1,
        activity={k: [a, u] for k, (a, u) in sorted(data.items())},
        links=dict(sorted(factor_overrides(study).items())), result=result, created_by=user)
    if verification is None:
        verification = Verification.objects.create(study=study)
    else:
        verification.status = VerificationStatus.IN_REVIEW
        verification.save(update_fields=["status"])
    study.status = StudyStatus.SUBMITTED
    study.save(update_fields=["status"])
    return verification


@transaction.atomic
def assign(verification: Verification, verifier: Any, user: Any) -> Verification:
    """The certification body assigns a verifier (and so the verifier's body); a body with a
    declared conflict of interest with the enterprise is refused."""
    verification = Verification.objects.select_for_update().select_related(
        "study__product__organisation").get(pk=verification.pk)
    _role(user, Role.CERTIFIER)
    if verification.status not in (VerificationStatus.SUBMITTED, VerificationStatus.ASSIGNED):
        raise VerificationError(_("Only a submitted verification can be assigned."))
    chosen = membership_of(verifier)
    if chosen is None or chosen.role != Role.VERIFIER or (
            chosen.organisation.kind != OrganisationKind.VERIFICATION_BODY):
        raise VerificationError(_("Choose a verifier of a verification body."))
    enterprise = verification.study.product.organisation
    if ConflictOfInterest.objects.filter(enterprise=enterprise,
                                         verification_body=chosen.organisation).exists():
        raise VerificationError(_("%(body)s has a declared conflict of interest with "
                                  "%(enterprise)s and may not verify it.")
                                % {"body": chosen.organisation, "enterprise": enterprise})
    verification.verifier = verifier
    verification.verification_body = chosen.organisation
    verification.assigned_by = user
    verification.assigned_at = timezone.now()
    verification.status = VerificationStatus.ASSIGNED
    verification.save()
    return verification


@transaction.atomic
def start_review(verification: Verification, user: Any) -> Verification:
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    _role(user, Role.VERIFIER)
    if verification.verifier_id != user.pk:
        raise VerificationError(_("Only the assigned verifier reviews this study."))
    if verification.status != VerificationStatus.ASSIGNED:
        raise VerificationError(_("The review can start only once the study is assigned."))
    verification.status = VerificationStatus.IN_REVIEW
    verification.save(update_fields=["status"])
    return verification


def snapshot_diff(older: Snapshot, newer: Snapshot) -> list[tuple[str, Any, Any]]:
    """What changed between two submissions: ``(field, before, after)`` for activity data
    and input sources."""
    changes: list[tuple[str, Any, Any]] = []
    for field in sorted(set(older.activity) | set(newer.activity)):
        if older.activity.get(field) != newer.activity.get(field):
            changes.append((field, older.activity.get(field), newer.activity.get(field)))
    for field in sorted(set(older.links) | set(newer.links)):
        if older.links.get(field) != newer.links.get(field):
            changes.append((f"{field} (source)", older.links.get(field),
                            newer.links.get(field)))
    return changes

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
from yuntan.platform.ledger import hooks as ledger
from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.platform.studies.services import (
    StudyError,
    activity_data,
    factor_overrides,
    is_stale,
    pack_of,
)
from yuntan.platform.verification.crosschecks import check_key, study_checks
from yuntan.platform.verification.models import (
    OPEN,
    ConflictOfInterest,
    Finding,
    FindingStatus,
    Severity,
    Snapshot,
    Verification,
    VerificationStatus,
)
from yuntan.platform.verification.notify import notify


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
    if result is None or is_stale(result):
        raise VerificationError(_("Compute the footprint with the current data first: the "
                                  "verifier reviews exactly the data behind a result."))
    verification = study.verifications.filter(status__in=OPEN).first()
    if verification is not None and verification.status != VerificationStatus.CHANGES_REQUESTED:
        raise VerificationError(_("This study is already with the verifiers."))
    last = study.snapshots.order_by("-number").first()
    Snapshot.objects.create(
        study=study, number=(last.number + 1) if last else 1,
        activity={k: [a, u] for k, (a, u) in sorted(data.items())},
        links=dict(sorted(factor_overrides(study).items())), result=result, created_by=user,
        checks=study_checks(study, result))
    if verification is None:
        verification = Verification.objects.create(study=study)
        notify(verification, "submitted")
    else:
        verification.status = VerificationStatus.IN_REVIEW
        verification.save(update_fields=["status"])
        notify(verification, "resubmitted")
    study.status = StudyStatus.SUBMITTED
    study.save(update_fields=["status"])
    snapshot = study.snapshots.order_by("-number").first()
    assert snapshot is not None
    ledger.verification_changed(verification, "submitted", user, snapshot=snapshot.number,
                                result=snapshot.result_id)
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
    ledger.verification_changed(verification, "assigned", user)
    notify(verification, "assigned")
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
    ledger.verification_changed(verification, "review started", user)
    return verification


def _as_verifier(verification: Verification, user: Any, *states: str) -> Verification:
    verification = Verification.objects.select_for_update().select_related("study").get(
        pk=verification.pk)
    _role(user, Role.VERIFIER)
    if verification.verifier_id != user.pk:
        raise VerificationError(_("Only the assigned verifier reviews this study."))
    if verification.status not in states:
        raise VerificationError(_("Not possible while the verification is %(status)s.")
                                % {"status": verification.get_status_display()})
    return verification


@transaction.atomic
def raise_finding(verification: Verification, user: Any, *, field_id: str, text: str,
                  reason: str, severity: str) -> Finding:
    """A finding on one field of the latest submission (or on the study: no field)."""
    verification = _as_verifier(verification, user, VerificationStatus.IN_REVIEW)
    if field_id and field_id not in {f.id for f in pack_of(verification.study).fields}:
        raise VerificationError(_("%(field)s is not a field of this rule pack.")
                                % {"field": field_id})
    if not text.strip() or not reason.strip():
        raise VerificationError(_("A finding needs its text and its reason."))
    if severity not in Severity.values:
        raise VerificationError(_("Choose a severity: low, medium or high."))
    snapshot = verification.latest_snapshot()
    assert snapshot is not None  # a verification exists only after a submission
    finding = Finding.objects.create(verification=verification, snapshot=snapshot,
                                     field_id=field_id, text=text.strip(),
                                     reason=reason.strip(), severity=severity, created_by=user)
    ledger.finding_changed(finding, "raised", user)
    return finding


@transaction.atomic
def request_changes(verification: Verification, user: Any) -> Verification:
    """Send the open findings to the enterprise; the study can be corrected again."""
    verification = _as_verifier(verification, user, VerificationStatus.IN_REVIEW)
    if not verification.findings.filter(status=FindingStatus.OPEN).exists():
        raise VerificationError(_("Raise a finding first."))
    verification.status = VerificationStatus.CHANGES_REQUESTED
    verification.save(update_fields=["status"])
    Study.objects.filter(pk=verification.study_id).update(status=StudyStatus.DRAFT)
    ledger.verification_changed(verification, "changes requested", user)
    notify(verification, "changes requested")
    return verification


@transaction.atomic
def answer_finding(finding: Finding, user: Any, answer: str) -> Finding:
    finding = Finding.objects.select_for_update().select_related(
        "verification__study__product").get(pk=finding.pk)
    membership = _role(user, Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)
    verification = finding.verification
    if membership.organisation_id != verification.study.product.organisation_id:
        raise VerificationError(_("Your role may not do this."))
    if verification.status != VerificationStatus.CHANGES_REQUESTED:
        raise VerificationError(_("Findings are answered while corrections are requested."))
    if not answer.strip():
        raise VerificationError(_("Write the answer."))
    finding.answer = answer.strip()
    finding.answered_by = user
    finding.answered_at = timezone.now()
    finding.status = FindingStatus.ANSWERED
    finding.save()
    ledger.finding_changed(finding, "answered", user)
    return finding


@transaction.atomic
def close_finding(finding: Finding, user: Any) -> Finding:
    _as_verifier(finding.verification, user, VerificationStatus.IN_REVIEW)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    finding.status = FindingStatus.CLOSED
    finding.closed_at = timezone.now()
    finding.save(update_fields=["status", "closed_at"])
    ledger.finding_changed(finding, "closed", user)
    return finding


@transaction.atomic
def sign_off(verification: Verification, user: Any, opinion: str) -> Verification:
    """The verifier's opinion and sign-off: every finding must be closed."""
    verification = _as_verifier(verification, user, VerificationStatus.IN_REVIEW)
    if verification.findings.exclude(status=FindingStatus.CLOSED).exists():
        raise VerificationError(_("Close every finding before signing off."))
    snapshot = verification.latest_snapshot()
    unanswered = [f for f in (snapshot.checks if snapshot else [])
                  if f["severity"] == "high" and check_key(f) not in verification.check_responses]
    if unanswered:
        raise VerificationError(_("Address every high-severity cross-check finding before "
                                  "signing off (%(count)s left).") % {"count": len(unanswered)})
    if not opinion.strip():
        raise VerificationError(_("Write the verification opinion."))
    return _decide(verification, user, VerificationStatus.VERIFIED, opinion,
                   StudyStatus.VERIFIED, "verified", "opinion")


@transaction.atomic
def reject(verification: Verification, user: Any, reasons: str) -> Verification:
    """The verifier rejects the study, with the reasons; the enterprise may start over."""
    verification = _as_verifier(verification, user, VerificationStatus.IN_REVIEW)
    if not reasons.strip():
        raise VerificationError(_("Give the reasons for rejecting."))
    return _decide(verification, user, VerificationStatus.REJECTED, reasons, StudyStatus.DRAFT,
                   "rejected", "reasons")


def _decide(verification: Verification, user: Any, status: str, text: str,
            study_status: str, event: str, text_key: str) -> Verification:
    """Record the verifier's decision with its text, move the study, ledger and notify."""
    verification.status = status
    verification.opinion = text.strip()
    verification.decided_at = timezone.now()
    verification.save(update_fields=["status", "opinion", "decided_at"])
    Study.objects.filter(pk=verification.study_id).update(status=study_status)
    ledger.verification_changed(verification, event, user,
                                **{text_key: verification.opinion})
    notify(verification, event)
    return verification


@transaction.atomic
def respond_to_check(verification: Verification, user: Any, key: str, note: str) -> Verification:
    """The verifier's response to one cross-check finding of the latest submission."""
    verification = _as_verifier(verification, user, VerificationStatus.IN_REVIEW)
    snapshot = verification.latest_snapshot()
    keys = {check_key(f) for f in (snapshot.checks if snapshot else [])}
    if key not in keys:
        raise VerificationError(_("No such cross-check finding in the latest submission."))
    if not note.strip():
        raise VerificationError(_("Write how the finding was addressed."))
    verification.check_responses = {**verification.check_responses, key: note.strip()}
    verification.save(update_fields=["check_responses"])
    ledger.verification_changed(verification, "cross-check addressed", user, check=key,
                                note=note.strip())
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

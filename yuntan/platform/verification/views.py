"""Pages of verification: the list of one's verifications, one verification with its
snapshots, diff and findings, and one POST endpoint per named action."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntan.platform.accounts.access import get_or_404, membership_of, visible
from yuntan.platform.accounts.models import Role
from yuntan.platform.studies.models import Study
from yuntan.platform.verification import actions, factor_updates
from yuntan.platform.verification.crosschecks import check_key
from yuntan.platform.verification.models import (
    FactorUpdateDecision,
    FactorUpdateReview,
    Finding,
    FindingStatus,
    Notification,
    Severity,
    Verification,
    VerificationStatus,
)


@login_required
def verification_list(request: HttpRequest) -> HttpResponse:
    cases = visible(Verification, request.user).select_related(
        "study__product__organisation", "verifier", "verification_body")
    return render(request, "verification/list.html", {"cases": cases})


@login_required
def verification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    verification = get_or_404(Verification.objects.select_related(
        "study__product__organisation", "verifier", "verification_body"), request.user, pk=pk)
    membership = membership_of(request.user)
    role = membership.role if membership else None
    snapshots = list(verification.study.snapshots.order_by("number"))
    diff = actions.snapshot_diff(snapshots[-2], snapshots[-1]) if len(snapshots) > 1 else []
    is_verifier = role == Role.VERIFIER and verification.verifier_id == request.user.pk
    is_enterprise = role in (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)
    verifiers = (User.objects.filter(membership__role=Role.VERIFIER).select_related(
        "membership__organisation").order_by("username") if role == Role.CERTIFIER else [])
    checks = [{**f, "key": check_key(f),
               "response": verification.check_responses.get(check_key(f), "")}
              for f in (snapshots[-1].checks if snapshots else [])]
    return render(request, "verification/detail.html", {
        "checks": checks,
        "verification": verification, "snapshots": snapshots, "diff": diff,
        "findings": verification.findings.all(), "severities": Severity.choices,
        "can_assign": role == Role.CERTIFIER and verification.status in (
            VerificationStatus.SUBMITTED, VerificationStatus.ASSIGNED),
        "verifiers": verifiers,
        "can_issue": role == Role.CERTIFIER and verification.status == VerificationStatus.VERIFIED
        and not hasattr(verification, "label"),
        "can_start": is_verifier and verification.status == VerificationStatus.ASSIGNED,
        "can_review": is_verifier and verification.status == VerificationStatus.IN_REVIEW,
        "can_answer": is_enterprise
        and verification.status == VerificationStatus.CHANGES_REQUESTED,
        "open_status": FindingStatus.OPEN,
        "factor_updates": verification.factor_updates.select_related(
            "factor_version__dataset", "verified_result", "proposed_result", "decided_by"),
        "can_decide": role == Role.CERTIFIER, "pending": FactorUpdateDecision.PENDING,
        "fields": [(f.id, f.name_zh, f.name_en) for f in _pack_fields(verification.study)],
    })


def _pack_fields(study: Study) -> Any:
    from yuntan.platform.studies.services import pack_of

    return pack_of(study).fields


@login_required
@require_POST
def submit_study(request: HttpRequest, study_pk: int) -> HttpResponse:
    study = get_or_404(Study, request.user, pk=study_pk)
    membership = membership_of(request.user)
    if membership is None or membership.organisation_id != study.product.organisation_id:
        raise PermissionDenied  # it may see the study (a platform admin) but not submit it
    try:
        verification = actions.submit(study, request.user)
    except actions.VerificationError as exc:
        messages.error(request, str(exc))
        return redirect("studies:study", pk=study.pk)
    messages.success(request, _("Submitted for verification."))
    return redirect("verification:detail", pk=verification.pk)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One named transition of the verification ``pk``."""
    verification = get_or_404(Verification, request.user, pk=pk)
    post, user = request.POST, request.user
    steps: dict[str, Callable[[], object]] = {
        "assign": lambda: actions.assign(verification, _verifier(post.get("verifier", "")),
                                         user),
        "start": lambda: actions.start_review(verification, user),
        "finding": lambda: actions.raise_finding(
            verification, user, field_id=post.get("field_id", ""), text=post.get("text", ""),
            reason=post.get("reason", ""), severity=post.get("severity", Severity.MEDIUM)),
        "request-changes": lambda: actions.request_changes(verification, user),
        "check": lambda: actions.respond_to_check(verification, user, post.get("key", ""),
                                                  post.get("note", "")),
        "sign-off": lambda: actions.sign_off(verification, user, post.get("opinion", "")),
        "reject": lambda: actions.reject(verification, user, post.get("reasons", "")),
        "factor-update": lambda: factor_updates.decide(
            _factor_update(verification, post.get("review", "")), user,
            post.get("decision", ""), post.get("reason", "")),
    }
    run_step(request, steps, action)
    return redirect("verification:detail", pk=verification.pk)


def _factor_update(verification: Verification, pk: str) -> FactorUpdateReview:
    review = verification.factor_updates.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if review is None:
        raise actions.VerificationError(_("Choose a factor update of this verification."))
    return review


def _verifier(pk: str) -> User:
    verifier = User.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if verifier is None:
        raise actions.VerificationError(_("Choose a verifier of a verification body."))
    return verifier


def run_step(request: HttpRequest, steps: Mapping[str, Callable[[], object]],
             action: str) -> None:
    """Run the named step; a refused one is shown as a message (the page stays)."""
    step = steps.get(action)
    if step is None:
        raise Http404("unknown action")
    try:
        step()
    except actions.VerificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))


@login_required
@require_POST
def act_on_finding(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    finding = get_or_404(Finding, request.user, pk=pk)
    run_step(request, {
        "answer": lambda: actions.answer_finding(finding, request.user,
                                                 request.POST.get("answer", "")),
        "close": lambda: actions.close_finding(finding, request.user),
    }, action)
    return redirect("verification:detail", pk=finding.verification_id)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """One's notifications, newest first; viewing them marks them read."""
    mine = Notification.objects.filter(recipient_id=request.user.pk).select_related(
        "verification")
    shown = list(mine[:100])
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "verification/notifications.html", {"notifications": shown})

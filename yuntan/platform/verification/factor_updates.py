"""A corrected factor version and a study that is with the verifiers or verified: the
recomputation stands beside the verified result (:func:`record_proposal`, on the
``factor_update_proposed`` signal of the recompute job), everyone concerned is told the
footprint before and after, and the certification body decides whether the study must be
verified again (:func:`decide`). Both steps are ledgered."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuntan.platform.accounts.access import membership_of
from yuntan.platform.accounts.models import Role
from yuntan.platform.factors.models import FactorVersion
from yuntan.platform.ledger.actions import append
from yuntan.platform.studies.models import Result, Study
from yuntan.platform.verification.actions import VerificationError
from yuntan.platform.verification.models import (
    FactorUpdateDecision,
    FactorUpdateReview,
    Verification,
)
from yuntan.platform.verification.notify import notify

DECISIONS = {FactorUpdateDecision.REVERIFY: ("需要重新核查", "re-verification needed"),
             FactorUpdateDecision.KEEP: ("无需重新核查", "no re-verification needed")}


class FactorUpdateError(VerificationError):
    """A decision that is not allowed; the message (translated) says why."""


def _kg(value: float | None) -> str:
    return "—" if value is None else f"{value:,.4g} kg CO2e"


def record_proposal(study: Study, before: Result, after: Result | None,
                    version: FactorVersion, error: str = "") -> FactorUpdateReview | None:
    """Record the recomputation of ``study`` with ``version`` beside its result ``before``
    (``after`` is None when it could not be computed) and tell the enterprise, its verifier
    and the certification body. Runs in the recompute job's transaction."""
    verification = study.verifications.order_by("-created_at").first()
    if verification is None:
        return None
    review, created = FactorUpdateReview.objects.get_or_create(
        verification=verification, factor_version=version,
        defaults={"verified_result": before, "proposed_result": after, "error": error[:2000]})
    if not created:
        return review
    append("factor_update.proposed", review, {
        "verification": verification.pk, "study": study.pk,
        "factor_version": f"{version.dataset.code}@{version.version}",
        "verified_result": before.pk, "before_kg_co2e": before.total_kg_co2e,
        "proposed_result": after.pk if after else None,
        "after_kg_co2e": after.total_kg_co2e if after else None, "error": error}, None)
    notify(verification, "factor update", version=str(version), before=_kg(before.total_kg_co2e),
           after=_kg(after.total_kg_co2e if after else None))
    return review


@transaction.atomic
def decide(review: FactorUpdateReview, user: Any, decision: str, reason: str
           ) -> FactorUpdateReview:
    """The certification body (the one that issued the study's label, when it has one)
    decides whether the study must be verified again."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.CERTIFIER:
        raise FactorUpdateError(_("Your role may not do this."))
    review = FactorUpdateReview.objects.select_for_update().get(pk=review.pk)
    verification = Verification.objects.get(pk=review.verification_id)
    label = getattr(verification, "label", None)
    if label is not None:
        issuer = membership_of(label.issued_by)
        if issuer is None or issuer.organisation_id != membership.organisation_id:
            raise FactorUpdateError(_("Only the certification body that issued this label "
                                      "may decide."))
    if review.decision != FactorUpdateDecision.PENDING:
        raise FactorUpdateError(_("This factor update was decided already."))
    if decision not in DECISIONS:
        raise FactorUpdateError(_("Choose whether re-verification is needed."))
    if not reason.strip():
        raise FactorUpdateError(_("Give the reason."))
    review.decision, review.reason = decision, reason.strip()
    review.decided_by, review.decided_at = user, timezone.now()
    review.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    append("factor_update.decided", review, {
        "verification": verification.pk, "decision": decision, "reason": review.reason}, user)
    zh, en = DECISIONS[FactorUpdateDecision(decision)]
    notify(verification, "factor update decided", version=str(review.factor_version),
           decision=zh, decision_en=en)
    return review


def on_factor_update_proposed(sender: Any, *, study: Study, before: Result,
                              after: Result | None, version: FactorVersion, error: str = "",
                              **_kwargs: Any) -> None:
    record_proposal(study, before, after, version, error)

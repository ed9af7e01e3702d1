"""A study's verification, the snapshots it reviews, and declared conflicts of interest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.platform.accounts.models import Organisation
from yuntan.platform.factors.models import FactorVersion
from yuntan.platform.studies.models import Result, Study


class Snapshot(models.Model):
    """The study's data and result as submitted: frozen, numbered per study."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="snapshots",
                              verbose_name=_("study"))
    number = models.PositiveIntegerField(_("number"))
    activity = models.JSONField(_("activity data"))
    links = models.JSONField(_("input sources"))
    checks = models.JSONField(_("cross-check findings"), default=list)
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("result"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", verbose_name=_("submitted by"))
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["study", "number"]
        constraints = [models.UniqueConstraint(fields=["study", "number"],
                                               name="snapshot_number_unique")]
        verbose_name = _("submission snapshot")
        verbose_name_plural = _("submission snapshots")

    def __str__(self) -> str:
        return f"{self.study} #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a snapshot is frozen")
        super().save(*args, **kwargs)


class VerificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for assignment")
    ASSIGNED = "assigned", _("Assigned to a verifier")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Findings to answer")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


OPEN = (VerificationStatus.SUBMITTED, VerificationStatus.ASSIGNED,
        VerificationStatus.IN_REVIEW, VerificationStatus.CHANGES_REQUESTED)


class Verification(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="verifications",
                              verbose_name=_("study"))
    status = models.CharField(_("status"), max_length=32, choices=VerificationStatus.choices,
                              default=VerificationStatus.SUBMITTED)
    verification_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="verifications",
                                          verbose_name=_("verification body"))
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="verifications",
                                 verbose_name=_("verifier"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    check_responses = models.JSONField(_("responses to cross-check findings"), default=dict)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self) -> str:
        return f"{self.study}: {self.get_status_display()}"

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def latest_snapshot(self) -> Snapshot | None:
        return self.study.snapshots.order_by("-number").first()


class ConflictOfInterest(models.Model):
    """A declared relation between an enterprise and a verification body (ownership,
    consulting on the same footprint, ...): that body may not verify the enterprise."""

    enterprise = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("enterprise"))
    verification_body = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                          related_name="+",
                                          verbose_name=_("verification body"))
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "verification_body"],
                                               name="conflict_unique")]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Finding(models.Model):
    """A verifier's finding on one field (or the study as a whole), with its reason; the
    enterprise answers or corrects, the verifier closes it."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE,
                                     related_name="findings",
                                     verbose_name=_("verification"))
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("submission"))
    field_id = models.CharField(_("field"), max_length=64, blank=True)
    text = models.TextField(_("finding"))
    reason = models.TextField(_("reason"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=8, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("raised by"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["verification", "created_at", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")


class Notification(models.Model):
    """A message to one person about a verification step that needs them (or concerns
    them); shown in the page header until read, and e-mailed when mail is configured."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE,
                                     related_name="notifications",
                                     verbose_name=_("verification"))
    text_zh = models.CharField(_("message (Chinese)"), max_length=300)
    text_en = models.CharField(_("message (English)"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")


class FactorUpdateDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the certification body")
    REVERIFY = "reverify", _("Re-verification needed")
    KEEP = "keep", _("No re-verification needed")


class FactorUpdateReview(models.Model):
    """A corrected factor version changed the footprint of a study that is with the verifiers
    or verified: the result recomputed with it stands beside the verified one (which stays,
    as does the label), and the certification body decides whether to re-verify."""

    verification = models.ForeignKey(Verification, on_delete=models.PROTECT,
                                     related_name="factor_updates",
                                     verbose_name=_("verification"))
    factor_version = models.ForeignKey(FactorVersion, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("new factor version"))
    verified_result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("result as verified"))
    proposed_result = models.ForeignKey(Result, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+",
                                        verbose_name=_("result with the new factor"))
    error = models.TextField(_("why it could not be recomputed"), blank=True)
    decision = models.CharField(_("decision"), max_length=16,
                                choices=FactorUpdateDecision.choices,
                                default=FactorUpdateDecision.PENDING)
    reason = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["verification", "factor_version"],
                                               name="factor_update_review_unique")]
        verbose_name = _("factor update to decide")
        verbose_name_plural = _("factor updates to decide")

    @property
    def before_kg(self) -> float:
        return float(self.verified_result.total_kg_co2e)

    @property
    def after_kg(self) -> float | None:
        return (float(self.proposed_result.total_kg_co2e)
                if self.proposed_result is not None else None)

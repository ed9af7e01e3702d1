"""An issued label: the signed document (never changed) and its status."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.platform.verification.models import Verification


class LabelStatus(models.TextChoices):
    ISSUED = "issued", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class Label(models.Model):
    verification = models.OneToOneField(Verification, on_delete=models.PROTECT,
                                        related_name="label", verbose_name=_("verification"))
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    document = models.JSONField(_("signed label"))
    valid_to = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=16, choices=LabelStatus.choices,
                              default=LabelStatus.ISSUED)
    status_reason = models.TextField(_("reason of the status"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    surveillance_due = models.DateField(_("next annual surveillance due"), null=True,
                                        blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.number

    def current_status(self, today: date | None = None) -> str:
        """issued / suspended / revoked, or expired once past its validity."""
        if self.status == LabelStatus.ISSUED and (today or date.today()) > self.valid_to:
            return "expired"
        return str(self.status)

    def surveillance_overdue(self, today: date | None = None) -> bool:
        return (self.current_status(today) == LabelStatus.ISSUED
                and self.surveillance_due is not None
                and (today or date.today()) > self.surveillance_due)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and kwargs.get("update_fields") not in (
                ["status", "status_reason"], ["surveillance_due"]):
            raise ValueError("a label's signed content never changes; only its status does")
        super().save(*args, **kwargs)


class Surveillance(models.Model):
    """An annual surveillance of a label by the certification body, with its outcome."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="surveillances",
                              verbose_name=_("label"))
    done_on = models.DateField(_("carried out on"))
    outcome = models.TextField(_("outcome"))
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("carried out by"))

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("surveillance")
        verbose_name_plural = _("surveillances")
